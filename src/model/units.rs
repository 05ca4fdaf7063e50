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
        let (base, scale) = split(text);
        Unit {
            text: text.to_string(),
            base: base.to_string(),
            scale,
        }
    }

    /// [`Unit::factor_from`] a unit as written, without building it.
    pub fn factor_from_text(&self, written: &str) -> Option<f64> {
        let (base, scale) = split(written);
        (self.base == base).then(|| scale / self.scale)
    }

    /// The factor that converts a value written in `written` into this unit,
    /// or `None` when the two measure different things.
    pub fn factor_from(&self, written: &Unit) -> Option<f64> {
        (self.base == written.base).then(|| written.scale / self.scale)
    }
}

/// A unit's base and scale: `万人` is (`人`, 10⁴).
fn split(text: &str) -> (&str, f64) {
    PREFIXES
        .iter()
        .find_map(|(p, s)| {
            text.strip_prefix(p)
                .filter(|rest| !rest.is_empty())
                .map(|rest| (rest, *s))
        })
        .unwrap_or((text, 1.0))
}
