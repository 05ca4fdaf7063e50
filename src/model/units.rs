//! Units with Chinese scale prefixes: `万人` is 10⁴ `人`, `亿元` 10⁸ `元`.

/// A unit: a base word and a scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// As declared: `万人`.
    pub text: String,
    /// The base: `人`.
    pub base: String,
    /// The scale: 10000.
    pub scale: f64,
}

const PREFIXES: [(&str, f64); 8] = [
    ("千万", 1e7),
    ("百万", 1e6),
    ("十万", 1e5),
    ("亿", 1e8),
    ("万", 1e4),
    ("千", 1e3),
    ("百", 1e2),
    ("十", 1e1),
];

impl Unit {
    /// Splits a unit into scale and base. A bare prefix (`万`) is its own base.
    pub fn parse(text: &str) -> Unit {
        for (p, s) in PREFIXES {
            if let Some(rest) = text.strip_prefix(p) {
                if !rest.is_empty() {
                    return Unit {
                        text: text.to_string(),
                        base: rest.to_string(),
                        scale: s,
                    };
                }
            }
        }
        Unit {
            text: text.to_string(),
            base: text.to_string(),
            scale: 1.0,
        }
    }

    /// The factor that converts a value written in `written` into this unit,
    /// or `None` when the two measure different things.
    pub fn factor_from(&self, written: &Unit) -> Option<f64> {
        (self.base == written.base).then(|| written.scale / self.scale)
    }
}
