//! Derived values: averages, totals, shares and changes stated beside the
//! values they come from, recomputed with the rounding the written figure
//! allows; the figures the rules mark as `stated`; a behind status word
//! with points against the shortfall from schedule.

mod prose;
mod series;

use super::reading::Para;
use super::text::Num;
use super::{num, Ctx, Finding, FindingKind, QuoteRef};
use crate::model::{fmt_num, IndicatorId, Unit};
use crate::period::Period;
use serde_json::Value;

impl Ctx<'_> {
    /// A value of an indicator for a period: declared, else the table's,
    /// else its baseline.
    pub(super) fn value_of(&self, ind: IndicatorId, p: Period) -> Option<f64> {
        let i = &self.model.indicators[ind];
        self.declared(ind, p)
            .or_else(|| self.table_value(ind, p).map(|x| x.0))
            .or_else(|| {
                i.baseline
                    .as_ref()
                    .filter(|b| b.period == p)
                    .and_then(|b| b.value)
            })
    }

    /// Figures the rules mark as `stated`, recomputed by the rules, and
    /// `低于预期n个百分点` (a behind status word and points) against the
    /// shortfall from schedule.
    pub(super) fn stated_figures(&self, out: &mut Vec<Finding>) {
        let m = self.model;
        let ev = self.evaluation();
        for v in &ev.verdicts {
            let ind = &m.indicators[v.indicator];
            for s in v.stated.iter().filter(|s| s.differs()) {
                // Only figures stated in the documents being checked.
                let Some(quote) = s.source.as_ref().and_then(|q| {
                    self.located(q).map(|l| QuoteRef {
                        text: q.clone(),
                        file: l.doc,
                        line: l.line,
                    })
                }) else {
                    continue;
                };
                out.push(Finding {
                    kind: FindingKind::DerivedValue,
                    indicator: Some(ind.name.clone()),
                    period: Some(s.as_of.to_string()),
                    expected: s.computed.map_or(Value::Null, num),
                    found: num(s.stated),
                    quotes: vec![quote],
                    message: format!(
                        "{}·{}（{}）：报告为{}，按所列数据计算为{}",
                        ind.name,
                        s.figure,
                        s.as_of.chinese(),
                        s.stated_text(),
                        s.computed.map_or("无法计算".to_string(), |c| fmt_num(
                            (c * 100.0).round() / 100.0
                        ))
                    ),
                });
            }
        }
    }
}

trait Pipe: Sized {
    fn pipe<R>(self, f: impl FnOnce(Self) -> R) -> R {
        f(self)
    }
}
impl<T> Pipe for T {}

/// Key words of a mean stated after a series.
/// (Each has `均`: `span_means` passes over a paragraph without one.)
const MEAN_KEYS: [&str; 6] = [
    "年均增长",
    "年均提高",
    "平均增长",
    "平均提高",
    "年均下降",
    "平均下降",
];
/// Key words of a change between two periods.
const CHANGE_KEYS: [&str; 6] = [
    "同比增长",
    "同比下降",
    "比上年增长",
    "比上年下降",
    "较上年增长",
    "较上年下降",
];

/// The figure right after a key word (`年均增长6.2%`, `累计增长了`), if one is.
fn figure_after(para: &Para, at: usize, to: usize) -> Option<Num> {
    let n = para.numbers_in(at, to).first()?;
    let gap = &para.text[at..n.start];
    (gap.is_empty() || ["了", "为", "达", "约"].contains(&gap)).then(|| n.clone())
}

/// A computed figure and how far the rounding of its inputs lets it move.
pub(super) struct Candidate {
    pub value: f64,
    pub slack: f64,
}

impl Candidate {
    /// Whether a stated figure agrees with it, each side's rounding allowed.
    pub fn agrees(&self, stated: &Num) -> bool {
        (self.value - stated.value).abs() <= stated.tolerance() + self.slack
    }
}

/// What a mean stated after values may be: of growth rates, the arithmetic
/// and geometric means; of levels, the yearly change from the period
/// before the first (`base`) or from the first, in points or in percent.
pub(super) fn mean_candidates(
    values: &[Num],
    base: Option<f64>,
    rates: bool,
    stated: &Num,
) -> Vec<Candidate> {
    let xs: Vec<f64> = values.iter().map(|v| v.value).collect();
    let e = values.iter().map(Num::tolerance).fold(0.0, f64::max);
    let n = xs.len() as f64;
    let arith = xs.iter().sum::<f64>() / n;
    let geo = (xs
        .iter()
        .map(|x| 1.0 + x / 100.0)
        .product::<f64>()
        .powf(1.0 / n)
        - 1.0)
        * 100.0;
    let mut out = Vec::new();
    let (first, last) = (xs[0], xs[xs.len() - 1]);
    let mut levels = Vec::new();
    for (from, steps, slack) in [(base, n, e), (Some(first), n - 1.0, 2.0 * e)] {
        let Some(from) = from else { continue };
        if steps < 1.0 {
            continue;
        }
        let points = (last - from) / steps;
        let pct = if from > 0.0 && last > 0.0 {
            ((last / from).powf(1.0 / steps) - 1.0) * 100.0
        } else {
            f64::NAN
        };
        let rel = if from > 0.0 {
            (slack / from) * 100.0 / steps
        } else {
            0.0
        };
        if stated.unit == "个百分点" {
            levels.push(Candidate {
                value: points,
                slack: slack / steps,
            });
        } else {
            levels.push(Candidate {
                value: pct,
                slack: rel,
            });
            levels.push(Candidate {
                value: points,
                slack: slack / steps,
            });
        }
    }
    let means = [
        Candidate {
            value: geo,
            slack: e,
        },
        Candidate {
            value: arith,
            slack: e,
        },
    ];
    if rates {
        out.extend(means);
        out.extend(levels);
    } else {
        out.extend(levels);
        out.extend(means);
    }
    out.retain(|c| c.value.is_finite());
    if out.is_empty() {
        out.push(Candidate {
            value: arith,
            slack: e,
        });
    }
    out
}

fn join(xs: &[f64]) -> String {
    xs.iter()
        .map(|x| fmt_num(*x))
        .collect::<Vec<_>>()
        .join("、")
}

/// A number that is a year: `2020年`.
fn is_year(t: &str, n: &Num) -> bool {
    n.decimals == 0
        && (1900.0..=2100.0).contains(&n.value)
        && (n.unit == "年" || t[n.end..].starts_with('年'))
}

/// The factor that puts a total in its part's unit: the same unit, a scale
/// of it (`万人` of `人`), a bare scale word (`14亿` of `10亿元`), or none
/// written; `None` when they measure different things (`9家` of `2020年`).
fn total_factor(part: &str, total: &str) -> Option<f64> {
    if total.is_empty() || part == total {
        return Some(1.0);
    }
    if part.starts_with(total) {
        return Some(1.0);
    }
    Unit::parse(part).factor_from(&Unit::parse(total))
}

/// How far a written figure may be from what it rounds: half its last
/// decimal; a whole number (a count, a target) is taken as exact.
fn rounding(n: &Num) -> f64 {
    if n.decimals == 0 {
        0.0
    } else {
        n.tolerance()
    }
}
