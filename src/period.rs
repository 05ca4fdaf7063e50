//! Periods of observation: a calendar year or one of its halves.

use std::fmt;

/// `2022`, `2023H1` (written `2023上半年` too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// Calendar year.
    pub year: i32,
    /// 0 for the whole year, 1 for the first half, 2 for the second.
    pub half: u8,
}

impl Period {
    /// The whole year.
    pub fn year(year: i32) -> Period {
        Period { year, half: 0 }
    }

    /// Whether this is a whole year.
    pub fn is_full_year(self) -> bool {
        self.half == 0
    }

    /// When the period ends, in years after the end of `base_year`:
    /// with base 2020, `2022` is 2.0 and `2023H1` is 2.5.
    pub fn end_time(self, base_year: i32) -> f64 {
        let y = (self.year - base_year) as f64;
        match self.half {
            1 => y - 0.5,
            _ => y,
        }
    }

    /// Parses `2022`, `2023H1`, `2023H2`, `2023上半年`, `2023下半年`.
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let year: i32 = s.get(..4)?.parse().ok()?;
        let half = match s.get(4..)? {
            "" | "年" => 0,
            "H1" | "上半年" | "年上半年" => 1,
            "H2" | "下半年" | "年下半年" => 2,
            _ => return None,
        };
        Some(Period { year, half })
    }

    /// The Chinese form used in tables: `2022年`, `2023年上半年`.
    pub fn chinese(self) -> String {
        match self.half {
            1 => format!("{}年上半年", self.year),
            2 => format!("{}年下半年", self.year),
            _ => format!("{}年", self.year),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.half {
            1 => write!(f, "{}H1", self.year),
            2 => write!(f, "{}H2", self.year),
            _ => write!(f, "{}", self.year),
        }
    }
}
