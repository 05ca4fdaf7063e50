//! Rendering evaluations: the 附件1-style table, JSON, CSV, Markdown, and
//! the `explain` trace. Everything returns strings; only the CLI prints.
//!
//! [`build`] turns an [`Evaluation`] into a typed [`Report`]: periods stay
//! [`Period`]s, counts stay numbers, and the JSON schema other tools read is
//! the `Serialize` of these types (this file). The renderers read the typed
//! report: the table, CSV and Markdown in `text.rs`, the `explain` trace in
//! `explain.rs`.

mod explain;
mod text;
mod units;

pub use explain::explain;
pub use text::{csv, markdown, summary_line, table};

use crate::eval::Evaluation;
use crate::model::{Model, StatusClass};
use crate::period::Period;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::fmt::Display;

/// Values by key, in order; serialized as a JSON object whose keys keep
/// this order (observations by period, figures by name, counts by status).
#[derive(Debug, Clone, PartialEq)]
pub struct Keyed<K, V>(pub Vec<(K, V)>);

impl<K, V> Default for Keyed<K, V> {
    fn default() -> Self {
        Keyed(Vec::new())
    }
}

impl<K: PartialEq, V> Keyed<K, V> {
    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.iter().map(|(k, _)| k)
    }

    /// The values in order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }

    /// The pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The value under `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.0
            .iter()
            .find(|(k, _)| k.borrow() == key)
            .map(|(_, v)| v)
    }

    /// How many pairs.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Display, V: Serialize> Serialize for Keyed<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(&k.to_string(), v)?;
        }
        m.end()
    }
}

/// Serializes through `Display` (a [`Period`] as `2023H1`).
fn as_text<T: Display, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// One row of the evaluation output (the JSON schema other tools read).
#[derive(Debug, Serialize)]
pub struct Row {
    /// The indicator's id in the rules (file names of charts, links).
    #[serde(skip)]
    pub id: String,
    /// The class of the decided status (colours).
    #[serde(skip)]
    pub class: StatusClass,
    /// Whether the row is a parent whose figures are its sub-indicators'
    /// (the table leaves its data cells blank).
    #[serde(skip)]
    pub is_parent: bool,
    /// 附件1's 序号; a sub-indicator carries its parent's.
    pub seq: String,
    /// Name as 附件1 prints it, without the unit.
    pub name: String,
    /// The parent's name, for a sub-indicator.
    pub parent: Option<String>,
    /// Category.
    pub category: String,
    /// Attribute.
    pub attribute: String,
    /// Unit.
    pub unit: String,
    /// The 2025 target as printed.
    pub target: String,
    /// Baseline value.
    pub baseline: Option<f64>,
    /// Observed values by period (`2023H1`), `null` for `/`.
    pub observations: Keyed<Period, Option<f64>>,
    /// Decided status.
    pub status: String,
    /// The rule that decided it.
    pub rule: String,
    /// Computed figures, `null` where the data give none.
    pub figures: Keyed<String, Option<f64>>,
    /// One-line reason.
    pub explanation: String,
    /// Figures the document states, beside the engine's.
    pub stated: Vec<StatedOut>,
    /// Calculations the data made impossible (a function given numbers
    /// outside its domain): why a figure is missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// A stated figure in the JSON output.
#[derive(Debug, Serialize)]
pub struct StatedOut {
    /// Figure name.
    pub figure: String,
    /// Period compared at.
    #[serde(serialize_with = "as_text")]
    pub as_of: Period,
    /// The document's value.
    pub stated: f64,
    /// The document's value as written (its decimals kept).
    pub stated_text: String,
    /// The engine's value.
    pub computed: Option<f64>,
    /// Whether they differ beyond rounding.
    pub differs: bool,
    /// The quote.
    pub source: Option<String>,
}

/// The whole evaluation output.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Period judged (`2023H1`).
    #[serde(serialize_with = "as_text")]
    pub as_of: Period,
    /// Method applied.
    pub method: String,
    /// Rows in table order.
    pub rows: Vec<Row>,
    /// Count per status over top-level indicators: the method's own
    /// statuses first, then the plan's.
    pub summary: Keyed<String, usize>,
    /// Totals: indicators, per attribute, per status class.
    pub totals: Totals,
    /// The table's title, from the plan's (`“十四五”规划主要指标中期评估`).
    #[serde(skip)]
    pub title: String,
    /// The plan's last year: the target column's year.
    #[serde(skip)]
    pub end_year: i32,
}

/// The table's title from the plan's title: `第十四个五年规划` gives
/// `“十四五”规划主要指标中期评估`; another title is used as it is.
fn table_title(model: &Model) -> String {
    let t = model.plan.title.as_deref().unwrap_or(&model.plan.id);
    let short = t.find('第').and_then(|a| {
        let a = a + '第'.len_utf8();
        t[a..].find("个五年").map(|b| &t[a..a + b])
    });
    match short {
        Some(n) if !n.is_empty() => format!("“{n}五”规划主要指标中期评估"),
        _ => format!("{t}主要指标中期评估"),
    }
}

/// Counts behind the summary paragraph of a report.
#[derive(Debug, Serialize)]
pub struct Totals {
    /// Top-level indicators.
    pub indicators: usize,
    /// Per attribute, in the plan's order.
    pub by_attribute: Keyed<String, usize>,
    /// Per status class.
    pub by_class: ClassCounts,
    /// The summary's groups: classes the method names alike, with their
    /// words and count, in class order.
    pub class_groups: Vec<ClassGroup>,
    /// When the method counts the on-track and the ahead classes apart and
    /// has statuses of both: the two together (at or above schedule), the
    /// figure a report's summary usually heads with. Text only.
    #[serde(skip)]
    pub at_or_above: Option<ClassGroup>,
}

/// Classes a method names with the same words (`进展良好（达到或超过进度）` for
/// `ahead` and `on_track`), counted together in the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassGroup {
    /// The method's words for these classes.
    pub words: String,
    /// The classes.
    pub classes: Vec<StatusClass>,
    /// Top-level indicators whose status is of one of them.
    pub count: usize,
}

/// Top-level indicators per status class.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClassCounts {
    /// Ahead of schedule.
    pub ahead: usize,
    /// On track.
    pub on_track: usize,
    /// Behind.
    pub behind: usize,
    /// No data.
    pub no_data: usize,
}

impl ClassCounts {
    /// The count of one class.
    pub fn of(&self, c: StatusClass) -> usize {
        match c {
            StatusClass::Ahead => self.ahead,
            StatusClass::OnTrack => self.on_track,
            StatusClass::Behind => self.behind,
            StatusClass::NoData => self.no_data,
        }
    }
}

/// A 序号 as it sorts: its number first (`2` before `10`), then its text.
fn seq_key(seq: &str) -> (u64, String) {
    let digits: String = seq
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (digits.parse().unwrap_or(u64::MAX), seq.to_string())
}

/// A figure as the JSON carries it: six decimals, `null` when absent or
/// not finite.
fn num(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite()).map(round6)
}

fn round6(x: f64) -> f64 {
    crate::model::round_dp(x, 6)
}

/// The periods observed anywhere up to `as_of`, in time order: the table's columns.
pub fn periods(model: &Model, as_of: Period) -> Vec<Period> {
    let base = model.plan.base_year;
    let mut ps: Vec<Period> = model
        .indicators
        .iter()
        .flat_map(|i| i.observations.iter().map(|o| o.period))
        .filter(|p| p.end_time(base) <= as_of.end_time(base) + 1e-9)
        .collect();
    ps.sort_by(|a, b| {
        a.end_time(base)
            .total_cmp(&b.end_time(base))
            .then(a.half.cmp(&b.half))
    });
    ps.dedup();
    ps
}

/// Builds the report structure.
pub fn build(model: &Model, ev: &Evaluation) -> Report {
    let cols = periods(model, ev.as_of);
    // The table follows 序号 (a sub-indicator carries its parent's), not
    // the order of the files; equal 序号 keep their order.
    let mut order: Vec<&crate::eval::Verdict> = ev.verdicts.iter().collect();
    order.sort_by(|a, b| {
        seq_key(&model.indicators[a.indicator].seq)
            .cmp(&seq_key(&model.indicators[b.indicator].seq))
    });
    let rows = order
        .into_iter()
        .map(|v| {
            let i = &model.indicators[v.indicator];
            let method = &model.methods[ev.method];
            let observations = cols
                .iter()
                .map(|p| {
                    let v = i
                        .observations
                        .iter()
                        .find(|o| o.period == *p)
                        .and_then(|o| o.value);
                    (*p, num(v))
                })
                .collect();
            Row {
                id: i.id.clone(),
                class: model.statuses[v.status].class,
                is_parent: !i.children.is_empty(),
                seq: i.seq.clone(),
                name: i.name.clone(),
                parent: i.parent.map(|p| model.indicators[p].name.clone()),
                category: i.category.clone(),
                attribute: i.attribute.clone(),
                unit: i.unit.text.clone(),
                target: i
                    .target
                    .as_ref()
                    .map(|t| t.printed.clone())
                    .unwrap_or_default(),
                baseline: i.baseline.as_ref().and_then(|b| b.value),
                observations: Keyed(observations),
                status: model.statuses[v.status].name.clone(),
                rule: method.rules[v.rule].id.clone(),
                figures: Keyed(
                    v.figures
                        .iter()
                        .map(|(n, x)| (n.clone(), num(x.as_num())))
                        .collect(),
                ),
                explanation: v.explanation.clone(),
                stated: v
                    .stated
                    .iter()
                    .map(|s| StatedOut {
                        figure: s.figure.clone(),
                        as_of: s.as_of,
                        stated: s.stated,
                        stated_text: s.stated_text(),
                        computed: s.computed.map(round6),
                        differs: s.differs(),
                        source: s.source.clone(),
                    })
                    .collect(),
                problems: v.problems.iter().map(|p| p.message.clone()).collect(),
            }
        })
        .collect();
    let top: Vec<_> = ev
        .verdicts
        .iter()
        .filter(|v| model.indicators[v.indicator].parent.is_none())
        .collect();
    // The method's own statuses first, then the plan's vocabulary.
    let mut summary = Vec::new();
    let own = model
        .statuses
        .iter()
        .enumerate()
        .filter(|(_, s)| s.method == Some(ev.method));
    let plan = model
        .statuses
        .iter()
        .enumerate()
        .filter(|(_, s)| s.method.is_none());
    for (si, s) in own.chain(plan) {
        let n = top.iter().filter(|v| v.status == si).count();
        summary.push((s.name.clone(), n));
    }
    let by_attribute = model
        .plan
        .attributes
        .iter()
        .map(|a| {
            let n = top
                .iter()
                .filter(|v| model.indicators[v.indicator].attribute == *a)
                .count();
            (a.clone(), n)
        })
        .collect();
    let mut by_class = ClassCounts::default();
    for v in &top {
        *match model.statuses[v.status].class {
            StatusClass::Ahead => &mut by_class.ahead,
            StatusClass::OnTrack => &mut by_class.on_track,
            StatusClass::Behind => &mut by_class.behind,
            StatusClass::NoData => &mut by_class.no_data,
        } += 1;
    }
    let words = &model.methods[ev.method].classes;
    let mut class_groups: Vec<ClassGroup> = Vec::new();
    for c in StatusClass::ALL {
        let w = words.of(c);
        let n = by_class.of(c);
        match class_groups.iter_mut().find(|g| g.words == w) {
            Some(g) => {
                g.classes.push(c);
                g.count += n;
            }
            None => class_groups.push(ClassGroup {
                words: w.to_string(),
                classes: vec![c],
                count: n,
            }),
        }
    }
    // At or above schedule, when those classes are counted apart.
    let has = |c: StatusClass| {
        model
            .statuses
            .iter()
            .any(|s| s.class == c && s.method.is_none_or(|m| m == ev.method))
    };
    let group = |c: StatusClass| class_groups.iter().find(|g| g.classes.contains(&c));
    let at_or_above = match (group(StatusClass::Ahead), group(StatusClass::OnTrack)) {
        (Some(a), Some(o)) if a != o && has(StatusClass::Ahead) && has(StatusClass::OnTrack) => {
            Some(ClassGroup {
                words: format!("{}、{}", a.words, o.words),
                classes: vec![StatusClass::Ahead, StatusClass::OnTrack],
                count: a.count + o.count,
            })
        }
        _ => None,
    };
    Report {
        as_of: ev.as_of,
        method: model.methods[ev.method].id.clone(),
        rows,
        summary: Keyed(summary),
        totals: Totals {
            indicators: top.len(),
            by_attribute: Keyed(by_attribute),
            by_class,
            class_groups,
            at_or_above,
        },
        title: table_title(model),
        end_year: model.plan.end,
    }
}
