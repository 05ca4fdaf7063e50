//! What the drafter learns about a report's conventions: how it averages
//! growth rates, and the status words of its table.

use super::*;

/// The growth-rate averaging conventions a report may use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Convention {
    pub(super) half: bool,
    pub(super) geometric: bool,
}

impl Convention {
    /// The convention that reproduces most of the report's stated averages
    /// (`matched[i][j]`: stated average i agrees with `conventions[j]`), out
    /// of `rate_rows` growth indicators with a stated average; and why, in
    /// words for the method file's comment.
    pub(super) fn choose(
        conventions: &[Convention],
        matched: &[Vec<bool>],
        rate_rows: usize,
    ) -> (Convention, String) {
        // How many stated averages a convention reproduces.
        let count = |keep: &dyn Fn(&Convention) -> bool| -> usize {
            matched
                .iter()
                .filter(|m| {
                    conventions
                        .iter()
                        .zip(m.iter())
                        .any(|(c, ok)| *ok && keep(c))
                })
                .count()
        };
        let whole_n = count(&|c| !c.half);
        let half_n = count(&|c| c.half);
        let half = half_n > whole_n;
        let geo_n = count(&|c| c.half == half && c.geometric);
        let arith_n = count(&|c| c.half == half && !c.geometric);
        // A tie goes to the arithmetic mean: what these reports write as
        // 「三年平均增长」.
        let geometric = geo_n > arith_n;
        let why = if rate_rows == 0 {
            "报告正文没有写出可供对照的年均增长率，按整年算术平均（惯例） (no stated average: whole years, arithmetic)".to_string()
        } else {
            let mut s = format!(
                "正文写出 {rate_rows} 个增速指标的年均增长率，按只用整年算相符 {whole_n} 个、计入半年算相符 {half_n} 个；其中几何平均相符 {geo_n} 个、算术平均相符 {arith_n} 个。"
            );
            s.push_str(if half {
                "故半年增速计入年均增速"
            } else {
                "故年均增速只用整年"
            });
            s.push_str(if geometric {
                "，取几何平均"
            } else if geo_n == arith_n {
                "，取算术平均（两者都相符时取算术平均）"
            } else {
                "，取算术平均"
            });
            s
        };
        (Convention { half, geometric }, why)
    }

    pub(super) fn function(self) -> &'static str {
        match (self.half, self.geometric) {
            (false, true) => "avg_rate",
            (true, true) => "avg_rate_with_half",
            (false, false) => "mean_rate",
            (true, false) => "mean_rate_with_half",
        }
    }
    pub(super) fn compute(self, rates: &[(Period, f64)]) -> Option<f64> {
        let full = |y: i32| rates.iter().any(|(p, _)| p.year == y && p.is_full_year());
        let r: Vec<f64> = rates
            .iter()
            .filter(|(p, _)| p.is_full_year() || (self.half && !full(p.year)))
            .map(|x| x.1)
            .collect();
        if r.is_empty() {
            return None;
        }
        if self.geometric {
            let prod: f64 = r.iter().map(|x| 1.0 + x / 100.0).product();
            (prod > 0.0).then(|| (prod.powf(1.0 / r.len() as f64) - 1.0) * 100.0)
        } else {
            Some(r.iter().sum::<f64>() / r.len() as f64)
        }
    }
}

/// The vocabulary of statuses: word and class, in declaration order.
pub(super) struct Vocabulary {
    pub(super) words: Vec<(String, StatusClass, bool)>,
}

impl Vocabulary {
    pub(super) fn from_column(rows: &[Row]) -> Vocabulary {
        let mut seen: Vec<String> = Vec::new();
        for r in rows {
            if let Some(s) = &r.status {
                if !seen.contains(s) && s.chars().count() <= 10 {
                    seen.push(s.clone());
                }
            }
        }
        let mut words: Vec<(String, StatusClass, bool)> = Vec::new();
        let order = [
            StatusClass::Ahead,
            StatusClass::OnTrack,
            StatusClass::Behind,
            StatusClass::NoData,
        ];
        for class in order {
            let mut of: Vec<&String> = seen
                .iter()
                .filter(|w| prose::class_of_word(w) == class)
                .collect();
            // The plain on-track word (达到预期) before a city's (完成市定目标).
            of.sort_by_key(|w| w.contains('市'));
            if of.is_empty() {
                let w = match class {
                    StatusClass::Ahead => "超出预期",
                    StatusClass::OnTrack => "达到预期",
                    StatusClass::Behind => "低于预期",
                    StatusClass::NoData => "暂无数据",
                };
                words.push((w.to_string(), class, false));
            }
            for w in of {
                words.push((w.clone(), class, true));
            }
        }
        Vocabulary { words }
    }
    pub(super) fn main(&self, class: StatusClass) -> &str {
        self.words
            .iter()
            .find(|w| w.1 == class)
            .map_or("", |w| w.0.as_str())
    }
    pub(super) fn city(&self) -> &str {
        self.words
            .iter()
            .find(|w| w.1 == StatusClass::OnTrack && w.0.contains('市'))
            .map_or(self.main(StatusClass::OnTrack), |w| w.0.as_str())
    }
    pub(super) fn has(&self, w: &str) -> bool {
        self.words.iter().any(|x| x.0 == w)
    }
    pub(super) fn list(&self) -> Vec<String> {
        self.words.iter().map(|w| w.0.clone()).collect()
    }
    pub(super) fn word_for(&self, st: &prose::Stated) -> String {
        if let Some(w) = st.word.as_ref().filter(|w| self.has(w)) {
            return w.clone();
        }
        if st.city && st.class == StatusClass::OnTrack {
            return self.city().to_string();
        }
        if st.city && st.class == StatusClass::Behind {
            if let Some(w) = self
                .words
                .iter()
                .find(|w| w.1 == StatusClass::Behind && w.0.contains('市'))
            {
                return w.0.clone();
            }
        }
        self.main(st.class).to_string()
    }
    /// The status word a table cell states instead of a figure: `完成`,
    /// `已完成`, `达到`, `未完成`, `未达到`, or a word of the vocabulary.
    /// For a city-set target, met is the city's word (完成市定目标).
    pub(super) fn word_of_cell(&self, cell: &str, city: bool) -> Option<String> {
        let c: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
        if c.is_empty() || c.chars().count() > 12 || c.chars().any(|x| x.is_ascii_digit()) {
            return None;
        }
        if self.has(&c) {
            return Some(c);
        }
        let missed = ["未完成", "未达到", "未达标", "没有完成", "未实现"];
        let met = [
            "完成",
            "已完成",
            "达到",
            "达标",
            "已达到",
            "实现",
            "已实现",
            "均完成",
            "完成任务",
            "完成目标",
        ];
        if missed.iter().any(|m| c.starts_with(m)) {
            if city {
                if let Some(w) = self
                    .words
                    .iter()
                    .find(|w| w.1 == StatusClass::Behind && w.0.contains('市'))
                {
                    return Some(w.0.clone());
                }
            }
            return Some(self.main(StatusClass::Behind).to_string());
        }
        if met.iter().any(|m| c == *m) || (c.starts_with("完成") && !c.contains('未')) {
            return Some(if city {
                self.city().to_string()
            } else {
                self.main(StatusClass::OnTrack).to_string()
            });
        }
        None
    }

    pub(super) fn rank(&self, w: &str) -> u8 {
        match self.words.iter().find(|x| x.0 == w).map(|x| x.1) {
            Some(StatusClass::Behind) => 0,
            Some(StatusClass::OnTrack) => 1,
            Some(StatusClass::Ahead) => 2,
            _ => 3,
        }
    }
}
