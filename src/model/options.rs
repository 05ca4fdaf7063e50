//! A method's options: how averages and reductions are read.

/// How a method averages growth and totals falls: a reading a report
/// chooses (its own stated figures show which), never fixed in the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodOptions {
    /// `average geometric|arithmetic`: the mean of yearly growth rates.
    pub geometric: bool,
    /// `half_year included|excluded`: whether a half-year whose whole year
    /// is not known counts in an average.
    pub half_year: bool,
    /// `reductions compounded|summed`: yearly falls total 1 − Π(1 − r) or Σ r.
    pub compounded: bool,
}

impl Default for MethodOptions {
    fn default() -> Self {
        MethodOptions {
            geometric: true,
            half_year: false,
            compounded: true,
        }
    }
}

impl MethodOptions {
    /// Every option with its values, the default first.
    pub const ALL: [(&'static str, [&'static str; 2]); 3] = [
        ("average", ["geometric", "arithmetic"]),
        ("half_year", ["excluded", "included"]),
        ("reductions", ["compounded", "summed"]),
    ];

    /// Sets `name` to `value`; `Err` names what is wrong.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), OptionError> {
        let Some((_, values)) = Self::ALL.iter().find(|(n, _)| *n == name) else {
            return Err(OptionError::Name);
        };
        let Some(k) = values.iter().position(|v| *v == value) else {
            return Err(OptionError::Value(values));
        };
        let first = k == 0;
        match name {
            "average" => self.geometric = first,
            "half_year" => self.half_year = !first,
            _ => self.compounded = first,
        }
        Ok(())
    }
}

/// What is wrong with an option of a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionError {
    /// No such option.
    Name,
    /// Not one of its values (given).
    Value(&'static [&'static str; 2]),
}
