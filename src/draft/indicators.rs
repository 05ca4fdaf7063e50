//! The drafted indicators: one per table row (a parent named only in its
//! sub-indicators' rows gets one too), with 序号, unit, kind and the reading
//! of its target.

use super::{prose, target};
use crate::corpus::indicator_table::{self as table, Row};
use crate::model::TargetForm;
use crate::period::Period;

/// One drafted indicator (a parent has no row of its own).
#[derive(Debug, Clone)]
pub(super) struct Ind {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) seq: String,
    pub(super) category: String,
    pub(super) attribute: String,
    pub(super) row: Option<Row>,
    pub(super) unit: String,
    pub(super) unit_notes: Vec<String>,
    pub(super) kind: &'static str,
    pub(super) kind_guess: Option<String>,
    pub(super) reading: Option<target::Reading>,
    pub(super) tied: Option<usize>,
    pub(super) children: Vec<usize>,
    pub(super) parent: Option<usize>,
    /// Verdicts stated per period, and the quote that states them.
    pub(super) assessed: Option<(Vec<(Period, String)>, String)>,
    pub(super) stated_avg: Option<prose::StatedAverage>,
    pub(super) expect: Option<(String, Option<String>, Option<String>)>,
    /// The 序号 was given by table order (missing or repeated in the table).
    pub(super) seq_guess: bool,
}

/// Splits `每千人口拥有执业（助理）医师数（人）` into the name, the unit and
/// other trailing notes (`（年度指标）`).
fn split_name(cell: &str) -> (String, Option<String>, Vec<String>) {
    let mut s: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    let mut groups = Vec::new();
    while s.ends_with('）') || s.ends_with(')') {
        let open = s.rfind(['（', '(']);
        let Some(o) = open else { break };
        let inner = s[o..]
            .trim_start_matches(['（', '('])
            .trim_end_matches(['）', ')'])
            .to_string();
        if o == 0 {
            break;
        }
        s.truncate(o);
        groups.insert(0, inner);
    }
    let looks_unit = |g: &str| {
        let n = g.chars().count();
        (1..=8).contains(&n)
            && !g.contains("指标")
            && !g.contains("年度")
            && !g.contains("口径")
            && !g.contains('含')
    };
    let mut unit = None;
    let mut notes = Vec::new();
    for g in groups {
        if unit.is_none() && looks_unit(&g) {
            unit = Some(g);
        } else {
            notes.push(g);
        }
    }
    (s, unit, notes)
}

/// An identifier of the language from a name.
pub(super) fn make_id(name: &str, taken: &mut Vec<String>) -> String {
    let id: String = name
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    unique_id(id, "指标", taken)
}

/// `id`, made a name of the language (`prefix` before one that is empty,
/// starts with a digit or has no Chinese) and not among `taken` (`_2`,
/// `_3`… after it), then taken.
pub(super) fn unique_id(mut id: String, prefix: &str, taken: &mut Vec<String>) -> String {
    if id.is_empty() || id.starts_with(|c: char| c.is_ascii_digit()) || id.is_ascii() {
        id = format!("{prefix}{id}");
    }
    let base = id.clone();
    let mut k = 2;
    while taken.contains(&id) {
        id = format!("{base}_{k}");
        k += 1;
    }
    taken.push(id.clone());
    id
}

pub(super) fn value_of(cell: &str) -> Option<(f64, String)> {
    let w = target::plain_number(cell)?;
    Some((w.parse().ok()?, w))
}

/// The table's rows as indicators, parents before their sub-indicators;
/// 序号 renumbered in table order when missing or repeated (said in `notes`).
pub(super) fn from_rows(rows: &[Row], notes: &mut Vec<String>) -> Vec<Ind> {
    let mut inds: Vec<Ind> = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    for r in rows {
        let parent = match &r.parent {
            Some(p) => {
                let existing = inds
                    .iter()
                    .rposition(|i| i.row.is_none() && i.name == *p)
                    .filter(|&k| inds.len() - k <= 1 + inds[k].children.len());
                Some(existing.unwrap_or_else(|| {
                    inds.push(Ind {
                        id: make_id(p, &mut taken),
                        name: p.clone(),
                        seq: r.seq.clone(),
                        category: r.category.clone(),
                        attribute: r.attribute.clone(),
                        row: None,
                        unit: String::new(),
                        unit_notes: vec![],
                        kind: "stock",
                        kind_guess: None,
                        reading: None,
                        tied: None,
                        children: vec![],
                        parent: None,
                        assessed: None,
                        stated_avg: None,
                        expect: None,
                        seq_guess: false,
                    });
                    inds.len() - 1
                }))
            }
            None => None,
        };
        let (nm, unit_in_name, unit_notes) = split_name(&r.name_cell);
        let unit = r
            .unit_cell
            .as_ref()
            .map(|u| table::compact(u))
            .filter(|u| !u.is_empty())
            .or(unit_in_name)
            .unwrap_or_else(|| "—".to_string());
        let k = inds.len();
        if let Some(p) = parent {
            inds[p].children.push(k);
        }
        inds.push(Ind {
            id: make_id(&nm, &mut taken),
            name: nm,
            seq: r.seq.clone(),
            category: r.category.clone(),
            attribute: r.attribute.clone(),
            row: Some(r.clone()),
            unit,
            unit_notes,
            kind: "stock",
            kind_guess: None,
            reading: None,
            tied: None,
            children: vec![],
            parent,
            assessed: None,
            stated_avg: None,
            expect: None,
            seq_guess: false,
        });
    }

    // 序号 must name each top-level indicator once: a table without a 序号
    // column (or with repeats) is numbered in table order.
    let top: Vec<usize> = (0..inds.len())
        .filter(|&k| inds[k].parent.is_none())
        .collect();
    let mut seen_seq: Vec<&str> = Vec::new();
    let clash = top.iter().any(|&k| {
        let s = inds[k].seq.as_str();
        let bad = s.is_empty() || seen_seq.contains(&s);
        seen_seq.push(s);
        bad
    });
    if clash {
        for (n, &k) in top.iter().enumerate() {
            inds[k].seq = (n + 1).to_string();
            inds[k].seq_guess = true;
        }
        notes.push("表中序号缺失或重复：按表中顺序编号 (序号 missing or repeated: numbered in table order)".to_string());
    }

    inds
}

/// Each row's kind (stock, rate, flow) and the reading of its target.
pub(super) fn read_kinds_and_targets(inds: &mut [Ind]) {
    for ind in inds.iter_mut() {
        let Some(r) = ind.row.clone() else {
            continue;
        };
        let name = ind.name.clone();
        let unit = ind.unit.clone();
        let pct = unit == "%" || unit == "％";
        let is_fall = pct
            && ["降幅", "降低", "下降", "下降率"]
                .iter()
                .any(|s| name.ends_with(s));
        let is_rate = is_fall
            || (pct
                && ["增长", "增速", "增长率", "增幅", "增长速度"]
                    .iter()
                    .any(|s| name.ends_with(s)));
        let annual: Vec<f64> = r
            .obs
            .iter()
            .filter(|(p, _)| p.is_full_year())
            .filter_map(|(_, c)| value_of(c).map(|v| v.0))
            .collect();
        let half = r
            .obs
            .iter()
            .rev()
            .find(|(p, c)| !p.is_full_year() && value_of(c).is_some())
            .and_then(|(p, c)| value_of(c).map(|v| (*p, v.0)));
        let last_annual = r
            .obs
            .iter()
            .rev()
            .filter(|(p, _)| p.is_full_year())
            .find_map(|(_, c)| value_of(c).map(|v| v.0));
        let per_capita = name.contains('率') || name.contains('比') || name.starts_with('每');
        let mut kind = if is_rate { "rate" } else { "stock" };
        let mut kind_guess = None;
        if !is_rate && unit != "%" && !per_capita {
            if name.contains("新增") {
                kind = "flow";
            } else if let (Some((p, h)), Some(a)) = (half, last_annual) {
                if h > 0.0 && a > 0.0 && h < 0.7 * a {
                    kind = "flow";
                    kind_guess = Some(format!(
                        "{p}的{h}不到上一整年{a}的七成：按流量（半年只是半年的量）处理 (the half-year is far below the year: a flow)"
                    ));
                }
            }
        }
        let baseline = r.baseline.as_deref().and_then(value_of).map(|v| v.0);
        let max_annual = annual.iter().copied().chain(baseline).reduce(f64::max);
        let reading = target::read(
            &r.target,
            target::RowFacts {
                is_rate,
                is_fall,
                is_flow: kind == "flow",
                baseline,
                max_annual,
            },
        );
        if reading.form == TargetForm::Cumulative && kind != "flow" {
            kind = "flow";
            kind_guess =
                Some("五年累计目标：各年数值按流量累加 (a five-year total: a flow)".into());
        }
        ind.kind = kind;
        ind.kind_guess = kind_guess;
        ind.reading = Some(reading);
    }
}

/// Tied targets: the indicator their words name (or the nearest growth
/// rate, said as a guess); unread when the table has none.
pub(super) fn tie_targets(inds: &mut [Ind]) {
    for k in 0..inds.len() {
        let Some(follows) = inds[k]
            .reading
            .as_ref()
            .filter(|r| r.form == TargetForm::Tied)
            .and_then(|r| r.follows.clone())
        else {
            continue;
        };
        let named = (0..inds.len()).find(|&j| {
            j != k
                && inds[j].kind == "rate"
                && !follows.is_empty()
                && inds[j].name.contains(&follows)
        });
        let gdp = || {
            (0..inds.len())
                .find(|&j| j != k && inds[j].kind == "rate" && inds[j].name.contains("生产总值"))
        };
        let first_rate = || (0..inds.len()).find(|&j| j != k && inds[j].kind == "rate");
        let pick = named
            .or_else(|| follows.contains("经济").then(gdp).flatten())
            .or_else(first_rate);
        match pick {
            // The followed target is not an average growth (not read, or
            // set by the city): keep pace with its actual growth instead.
            Some(j)
                if !inds[j]
                    .reading
                    .as_ref()
                    .is_some_and(|r| r.form == TargetForm::Rate && r.number.is_some()) =>
            {
                inds[k].tied = Some(j);
                let other = inds[j].name.clone();
                if let Some(r) = inds[k].reading.as_mut() {
                    r.form = TargetForm::Matches;
                    r.tolerance = Some(0.5);
                    r.guess = Some(format!(
                        "“{follows}”指{other}，其目标不是可用的年均增速：按二者实际年均增速同步（容差0.5）理解 (keeps pace with {other}'s actual growth)"
                    ));
                }
            }
            Some(j) => {
                inds[k].tied = Some(j);
                if named.is_none() {
                    let other = inds[j].name.clone();
                    if let Some(r) = inds[k].reading.as_mut() {
                        r.guess = Some(format!(
                            "“{follows}”指{other}（表中与之最接近的增速指标） (the growth it follows)"
                        ));
                    }
                }
            }
            None => {
                if let Some(r) = inds[k].reading.as_mut() {
                    r.form = TargetForm::Unread;
                }
            }
        }
    }
}
