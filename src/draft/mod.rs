//! The drafter: rule files drafted from a report's own document.
//!
//! From the ingested document ([`crate::corpus::ingest::Ingested`], the same
//! model for the text export and a Word file) it finds the indicator table
//! by its header, reads every row into an indicator (category, unit,
//! attribute, baseline, target form, observations, each with a quote of its
//! table row), takes the statuses the report states in prose for targets
//! that only prose can judge, turns the report's own status column into
//! `expect` tests, states the method's options (choosing from the report's
//! own stated averages where they reveal its convention), and drafts the
//! graph of chapter 三. Every guess is marked with a comment.
//!
//! The drafter only reads and writes text; `guihua new` validates the
//! drafted files with [`crate::load::load_texts`] before writing them.

mod graph;
mod prose;
mod target;

use crate::corpus::indicator_table::{self as table, Col, Row};
use crate::corpus::ingest::Ingested;
use crate::model::{StatusClass, TargetForm};
use crate::period::Period;
use std::fmt::Write as _;

/// Drafted rule files and what the drafter learnt.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The district (or workspace) name: `青岚区`.
    pub name: String,
    /// The plan's title, when the document gives it.
    pub title: Option<String>,
    /// Rule files: path under `rules/`, text.
    pub files: Vec<(String, String)>,
    /// One line per notable fact (table found, evaluation date, guesses).
    pub notes: Vec<String>,
}

pub use crate::corpus::indicator_table::TableError as DraftError;

/// The category of a table without a 类别 column.
const UNSORTED: &str = "未分类";
/// The attribute of a table without a 属性 column.
const UNSTATED: &str = "未注明";

/// One drafted indicator (a parent has no row of its own).
#[derive(Debug, Clone)]
struct Ind {
    id: String,
    name: String,
    seq: String,
    category: String,
    attribute: String,
    row: Option<Row>,
    unit: String,
    unit_notes: Vec<String>,
    kind: &'static str,
    kind_guess: Option<String>,
    reading: Option<target::Reading>,
    tied: Option<usize>,
    children: Vec<usize>,
    parent: Option<usize>,
    assessed: Option<(Period, String, String)>,
    stated_avg: Option<prose::StatedAverage>,
    expect: Option<(String, Option<String>, Option<String>)>,
    /// The 序号 was given by table order (missing or repeated in the table).
    seq_guess: bool,
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
fn make_id(name: &str, taken: &mut Vec<String>) -> String {
    let id: String = name
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    unique_id(id, "指标", taken)
}

/// `id`, made a name of the language (`prefix` before one that is empty,
/// starts with a digit or has no Chinese) and not among `taken` (`_2`,
/// `_3`… after it), then taken.
fn unique_id(mut id: String, prefix: &str, taken: &mut Vec<String>) -> String {
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

/// A string literal of the language.
fn lit(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn value_of(cell: &str) -> Option<(f64, String)> {
    let w = target::plain_number(cell)?;
    Some((w.parse().ok()?, w))
}

/// The growth-rate averaging conventions a report may use.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Convention {
    half: bool,
    geometric: bool,
}

impl Convention {
    fn function(self) -> &'static str {
        match (self.half, self.geometric) {
            (false, true) => "avg_rate",
            (true, true) => "avg_rate_with_half",
            (false, false) => "mean_rate",
            (true, false) => "mean_rate_with_half",
        }
    }
    fn compute(self, rates: &[(Period, f64)]) -> Option<f64> {
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
struct Vocabulary {
    words: Vec<(String, StatusClass, bool)>,
}

impl Vocabulary {
    fn from_column(rows: &[Row]) -> Vocabulary {
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
    fn main(&self, class: StatusClass) -> &str {
        self.words
            .iter()
            .find(|w| w.1 == class)
            .map_or("", |w| w.0.as_str())
    }
    fn city(&self) -> &str {
        self.words
            .iter()
            .find(|w| w.1 == StatusClass::OnTrack && w.0.contains('市'))
            .map_or(self.main(StatusClass::OnTrack), |w| w.0.as_str())
    }
    fn has(&self, w: &str) -> bool {
        self.words.iter().any(|x| x.0 == w)
    }
    fn list(&self) -> Vec<String> {
        self.words.iter().map(|w| w.0.clone()).collect()
    }
    fn word_for(&self, st: &prose::Stated) -> String {
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
    fn rank(&self, w: &str) -> u8 {
        match self.words.iter().find(|x| x.0 == w).map(|x| x.1) {
            Some(StatusClass::Behind) => 0,
            Some(StatusClass::OnTrack) => 1,
            Some(StatusClass::Ahead) => 2,
            _ => 3,
        }
    }
}

/// The plan's title and the district's name from the document's first
/// `《…》` that names a plan.
fn title_and_name(doc: &Ingested) -> (Option<String>, String) {
    for u in doc.units.iter().take(40) {
        let t = &u.text;
        if let Some(a) = t.find('《') {
            if let Some(b) = t[a..].find('》') {
                let title = &t[a + '《'.len_utf8()..a + b];
                if title.contains("规划") || title.contains("纲要") {
                    let name = title
                        .find("国民经济")
                        .map(|k| title[..k].to_string())
                        .or_else(|| {
                            title
                                .char_indices()
                                .find(|(_, c)| matches!(c, '区' | '县' | '市' | '省' | '旗'))
                                .map(|(k, c)| title[..k + c.len_utf8()].to_string())
                        })
                        .unwrap_or_default();
                    return (Some(title.to_string()), name);
                }
            }
        }
    }
    (None, String::new())
}

/// `第十四个五年规划` → `十四五`.
fn plan_short(title: &str) -> Option<String> {
    let a = title.find('第')? + '第'.len_utf8();
    let b = title[a..].find("个五年")? + a;
    Some(format!("{}五", &title[a..b]))
}

/// Drafts rule files from an ingested report. `file` is the report's file
/// name in the workspace's corpus, named in comments.
pub fn draft(doc: &Ingested, file: &str) -> Result<Draft, DraftError> {
    let found = table::find(doc)?;
    let header = &found.header;
    let rows = &found.rows;
    let vocab = Vocabulary::from_column(rows);
    // A table without a 类别 or 属性 column: one of each, marked as a guess.
    let rows: &Vec<Row> = &rows
        .iter()
        .cloned()
        .map(|mut r| {
            if r.category.is_empty() {
                r.category = UNSORTED.to_string();
            }
            if r.attribute.is_empty() {
                r.attribute = UNSTATED.to_string();
            }
            r
        })
        .collect();
    let paras = prose::paragraphs(doc);
    let named = prose::named_segments(&paras);
    let (title, mut name) = title_and_name(doc);
    if name.is_empty() {
        name = file
            .rsplit_once('.')
            .map_or(file, |(s, _)| s)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
    }
    let mut notes = Vec::new();
    let caption = found.table.caption.clone();
    notes.push(format!(
        "指标表：{}（第 {} 行），{} 行数据 (indicator table found by its header)",
        if caption.is_empty() {
            "无标题"
        } else {
            &caption
        },
        found.table.line,
        rows.len()
    ));

    // Indicators, parents before their sub-indicators.
    let mut inds: Vec<Ind> = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    let periods = header.periods();
    let as_of = periods
        .iter()
        .copied()
        .max_by(|a, b| a.end_time(0).total_cmp(&b.end_time(0)))
        .unwrap_or(Period::year(header.end));
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

    // Kinds and targets.
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
    // Tied targets: the indicator their words name.
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

    // What the prose states.
    let all_names: Vec<String> = inds.iter().map(|i| i.name.clone()).collect();
    let others_of = |k: usize, inds: &[Ind]| -> Vec<String> {
        let family: Vec<usize> = std::iter::once(k)
            .chain(inds[k].children.iter().copied())
            .chain(inds[k].parent)
            .collect();
        all_names
            .iter()
            .enumerate()
            .filter(|(j, _)| !family.contains(j))
            .map(|(_, n)| n.clone())
            .collect()
    };
    let state_of = |k: usize, inds: &[Ind]| -> Option<prose::Stated> {
        let others = others_of(k, inds);
        let o: Vec<&str> = others.iter().map(String::as_str).collect();
        prose::segments(&paras, &inds[k].name, &o)
            .into_iter()
            .find_map(|s| prose::stated_status(s, &vocab.list()))
            .or_else(|| {
                prose::similar_segment(&named, &inds[k].name)
                    .and_then(|s| prose::stated_status(s, &vocab.list()))
            })
    };
    // Per stated average: which of the four conventions give it.
    let conventions: Vec<Convention> = [(false, true), (false, false), (true, true), (true, false)]
        .iter()
        .map(|&(half, geometric)| Convention { half, geometric })
        .collect();
    let mut matched: Vec<Vec<bool>> = Vec::new();
    let mut rate_rows = 0;
    for k in 0..inds.len() {
        let Some(r) = inds[k].row.clone() else {
            continue;
        };
        let form = inds[k].reading.as_ref().map(|x| x.form);
        let latest = r
            .obs
            .iter()
            .rev()
            .find(|(_, c)| value_of(c).is_some())
            .map(|(p, _)| *p);
        if matches!(form, Some(TargetForm::City | TargetForm::Qualitative)) {
            let st = state_of(k, &inds).or_else(|| inds[k].parent.and_then(|p| state_of(p, &inds)));
            if let (Some(st), Some(p)) = (st, latest) {
                inds[k].assessed = Some((p, vocab.word_for(&st), st.quote));
            }
        }
        if matches!(form, Some(TargetForm::Rate | TargetForm::Tied)) {
            let rates: Vec<(Period, f64)> = r
                .obs
                .iter()
                .filter_map(|(p, c)| value_of(c).map(|v| (*p, v.0)))
                .collect();
            let others = others_of(k, &inds);
            let o: Vec<&str> = others.iter().map(String::as_str).collect();
            let stated = prose::segments(&paras, &inds[k].name, &o)
                .into_iter()
                .find_map(prose::stated_average)
                .or_else(|| {
                    prose::similar_segment(&named, &inds[k].name).and_then(prose::stated_average)
                });
            if let Some(s) = stated {
                rate_rows += 1;
                let tol = 0.5 * 10f64.powi(-(s.decimals as i32)) + 1e-9;
                matched.push(
                    conventions
                        .iter()
                        .map(|c| {
                            c.compute(&rates)
                                .is_some_and(|v| (v - s.value).abs() <= tol)
                        })
                        .collect(),
                );
                inds[k].stated_avg = Some(s);
            }
        }
    }
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
    let convention = Convention { half, geometric };
    let convention_why = if rate_rows == 0 {
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
    notes.push(format!(
        "年均增速：{} ({})",
        convention_why,
        convention.function()
    ));

    // Expectations: the status column; a parent's from the prose, else the
    // weakest of its sub-indicators'.
    for ind in inds.iter_mut() {
        if let Some(r) = &ind.row {
            if let Some(s) = r.status.as_ref().filter(|s| vocab.has(s)) {
                ind.expect = Some((s.clone(), Some(r.quote(None)), None));
            }
        }
    }
    for k in 0..inds.len() {
        if inds[k].row.is_some() {
            continue;
        }
        let kids: Vec<String> = inds[k]
            .children
            .iter()
            .filter_map(|&c| inds[c].expect.as_ref().map(|e| e.0.clone()))
            .collect();
        let stated = state_of(k, &inds);
        let weakest = if !kids.is_empty() && kids.iter().all(|w| *w == kids[0]) {
            Some(kids[0].clone())
        } else {
            kids.iter().min_by_key(|w| vocab.rank(w)).cloned()
        };
        inds[k].expect = match (stated, weakest) {
            (Some(st), _) => Some((vocab.word_for(&st), Some(st.quote), None)),
            (None, Some(w)) => Some((
                w,
                None,
                Some("表中父指标没有单独的结论，取子指标结论中最弱者 (the weakest of its sub-indicators')".to_string()),
            )),
            (None, None) => None,
        };
    }

    let meta = Meta {
        file,
        name: &name,
        title: title.as_deref(),
        header,
        caption: &caption,
        as_of,
        convention,
        convention_why: &convention_why,
        vocab: &vocab,
    };
    let mut files = vec![
        ("plan.guihua".to_string(), render_plan(&meta, &inds)),
        ("method.guihua".to_string(), render_method(&meta)),
        (
            "indicators.guihua".to_string(),
            render_indicators(&meta, &inds),
        ),
        (
            "tests/report.guihua".to_string(),
            render_tests(&meta, &inds),
        ),
    ];
    let g = graph::draft(
        doc,
        &inds
            .iter()
            .map(|i| (i.id.clone(), i.name.clone()))
            .collect::<Vec<_>>(),
    );
    if let Some(text) = g.text {
        files.push(("graph.guihua".to_string(), text));
    }
    notes.extend(g.notes);
    let guesses = inds
        .iter()
        .filter(|i| {
            i.kind_guess.is_some()
                || i.reading
                    .as_ref()
                    .is_some_and(|r| r.guess.is_some() || r.form == TargetForm::Unread)
        })
        .count();
    notes.push(format!(
        "评估时点 {as_of}；{} 个指标，其中 {guesses} 处推断已在规则中以注释标明 (evaluated at {as_of}; guesses are marked with comments)",
        inds.len()
    ));
    Ok(Draft {
        name,
        title,
        files,
        notes,
    })
}

struct Meta<'a> {
    file: &'a str,
    name: &'a str,
    title: Option<&'a str>,
    header: &'a table::Header,
    caption: &'a str,
    as_of: Period,
    convention: Convention,
    convention_why: &'a str,
    vocab: &'a Vocabulary,
}

fn render_plan(m: &Meta, inds: &[Ind]) -> String {
    let mut s = String::new();
    let short = m.title.and_then(plan_short).unwrap_or_default();
    let mut taken = Vec::new();
    let id = make_id(&format!("{}{}", m.name, short), &mut taken);
    let _ =
        writeln!(
        s,
        "// {}：规划期、类别、属性与状态用语。\n// 由 `guihua new` 自 {} 的指标表（{}）起草。\n",
        m.title.unwrap_or(m.name),
        m.file,
        if m.caption.is_empty() { "无标题" } else { m.caption }
    );
    let _ = writeln!(
        s,
        "plan {id}{} {{",
        m.title.map(|t| format!(" {}", lit(t))).unwrap_or_default()
    );
    let end_label = m
        .header
        .label(&Col::Target(m.header.end))
        .unwrap_or_default();
    let base_label = m.header.label(&Col::Baseline(m.header.base));
    let _ = writeln!(
        s,
        "  period {}..{}      // 表头“{end_label}”",
        m.header.start, m.header.end
    );
    let _ = writeln!(
        s,
        "  baseline {}{}",
        m.header.base,
        match base_label {
            Some(l) => format!("          // 表头“{l}”"),
            None =>
                "          // 推断：表头没有基期列，取规划首年的前一年 (guess: no baseline column)"
                    .to_string(),
        }
    );
    let mut cats: Vec<String> = Vec::new();
    let mut attrs: Vec<String> = Vec::new();
    for i in inds.iter().filter(|i| i.parent.is_none()) {
        if !cats.contains(&i.category) {
            cats.push(i.category.clone());
        }
    }
    for i in inds {
        if !i.attribute.is_empty() && !attrs.contains(&i.attribute) {
            attrs.push(i.attribute.clone());
        }
    }
    let _ = writeln!(
        s,
        "  categories {}{}",
        cats.join(", "),
        if cats.iter().any(|c| c == UNSORTED) {
            "   // 推断：表中没有“类别”列 (guess: no category column)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "  attributes {}{}",
        attrs.join(", "),
        if attrs.iter().any(|a| a == UNSTATED) {
            "   // 推断：表中没有“属性”列 (guess: no attribute column)"
        } else {
            ""
        }
    );
    let _ = writeln!(s, "  default method 中期评估\n");
    let status_label = m.header.label(&Col::Status).unwrap_or_default();
    let _ = writeln!(
        s,
        "  // “{status_label}”栏的用语。类别（ahead/on_track/behind/no_data）决定汇总时如何计数。"
    );
    s.push_str("  statuses {\n");
    for (w, class, seen) in &m.vocab.words {
        let (cw, gloss) = match class {
            StatusClass::Ahead => ("ahead", "ahead of schedule"),
            StatusClass::OnTrack if w.contains('市') => ("on_track", "met the city-set target"),
            StatusClass::OnTrack => ("on_track", "on schedule"),
            StatusClass::Behind => ("behind", "behind schedule"),
            StatusClass::NoData => ("no_data", "no data"),
        };
        let _ = writeln!(
            s,
            "    {w} {cw} {}{}",
            lit(gloss),
            if *seen {
                ""
            } else {
                "   // 推断：表中未出现，按同类报告的用语补充 (guess: not in the table)"
            }
        );
    }
    s.push_str("  }\n}\n");
    s
}

fn render_method(m: &Meta) -> String {
    let v = m.vocab;
    let (a, o, b, n) = (
        v.main(StatusClass::Ahead),
        v.main(StatusClass::OnTrack),
        v.main(StatusClass::Behind),
        v.main(StatusClass::NoData),
    );
    let end = m.header.end;
    let f = m.convention.function();
    let mut s = String::new();
    let h = m.as_of;
    let periods = m.header.periods();
    let last_full = periods
        .iter()
        .filter(|p| p.is_full_year())
        .max()
        .copied()
        .unwrap_or(Period::year(end));
    let tp = |p: Period| (p.end_time(m.header.base) / (end - m.header.base) as f64 * 100.0).round();
    let _ = writeln!(
        s,
        "// 中期评估方法：各指标对照时序进度判断完成情况。由 `guihua new` 起草。\n//\n// 方法选项 (options of the method):\n// - 评估时点：{}（表头最后一个数据列“{}”），时序进度 {:.0}%；\n//   每个指标按其最新数据所在时点的时序进度评价（只有{}年数据的为 {:.0}%）。\n// - 年均增速：{}。\n//   函数 `{f}()`；另可选 avg_rate / mean_rate / avg_rate_with_half / mean_rate_with_half。\n// - 流量指标（半年值只是半年的量）不以半年值对照年度目标。\n// - 父指标取子指标中最弱的结论（{b} < {o} < {a}）。\n",
        h,
        h.chinese(),
        tp(h),
        last_full.year,
        tp(last_full),
        m.convention_why,
    );
    let _ = writeln!(s, "method 中期评估 \"规划中期评估：对照时序进度\" {{\n");
    let _ = writeln!(
        s,
        r#"  // 水平目标：已达目标为{a}；不低于基期到目标直线路径上的应达水平为{o}。
  rule 水平目标 for reach {{
    figures {{
      时序进度 = elapsed_data() * 100
      应达水平 = path()
      距目标 = gap()
      完成比例 = share_done()
    }}
    when not has_data() => {n} "暂无监测数据"
    when latest() >= target() => {a} "{{latest_period()}}已达{{latest()}}，提前实现{end}年目标{{target()}}"
    when latest() >= 应达水平 - tolerance() => {o} "{{latest_period()}}为{{latest()}}，不低于时序进度（{{时序进度:.0}}%）应达水平{{应达水平:.2}}"
    otherwise => {b} "{{latest_period()}}为{{latest()}}，低于时序进度（{{时序进度:.0}}%）应达水平{{应达水平:.2}}，距目标还差{{距目标:.2}}"
  }}

  // 年均增速目标（增速、年均增长X、X左右、与经济增长同步）：已过时期的平均增速须达到目标。
  rule 年均增速目标 for rate, tied {{
    figures {{
      年均增长 = {f}()
      需年均增长 = required_rate()
      剩余年数 = years_left()
    }}
    when not has_data() => {n} "暂无监测数据"
    when not known(年均增长) => {n} "尚无可计算年均增长的数据"
    when 年均增长 >= target() - tolerance() => {o} "年均增长{{年均增长:.2}}%，达到年均{{target()}}%的目标"
    otherwise => {b} "年均增长{{年均增长:.2}}%，低于年均{{target()}}%的目标；后{{剩余年数}}年需年均增长{{需年均增长:.2}}%"
  }}

  // 五年累计目标（[X]）：累计值须跟上时序进度；计入尚无整年值的半年流量。
  rule 累计目标 for cumulative {{
    figures {{
      累计完成 = cum_sum()
      完成比例 = share_done()
      时序进度 = elapsed_data() * 100
    }}
    when not has_data() => {n} "暂无监测数据"
    when 累计完成 >= target() => {a} "累计{{累计完成:.4}}，已完成五年目标{{target()}}"
    when 完成比例 >= 时序进度 => {o} "累计{{累计完成:.4}}，完成五年目标的{{完成比例:.1}}%，不低于时序进度{{时序进度:.0}}%"
    otherwise => {b} "累计{{累计完成:.4}}，完成五年目标的{{完成比例:.1}}%，低于时序进度{{时序进度:.0}}%"
  }}

  // 累计下降目标（累计下降[X]，越低越好）：自基期的降幅须跟上时序进度。
  rule 累计下降目标 for decline {{
    figures {{
      时序进度 = elapsed_data() * 100
      累计下降 = decline()
      应降幅度 = target() * elapsed_data()
      完成比例 = share_done()
    }}
    when not has_data() => {n} "暂无监测数据"
    when 累计下降 >= target() => {a} "累计下降{{累计下降:.2}}%，已完成五年累计下降{{target()}}%的目标"
    when 累计下降 >= 应降幅度 => {o} "累计下降{{累计下降:.2}}%，完成目标的{{完成比例:.1}}%，不低于时序进度{{时序进度:.0}}%"
    otherwise => {b} "累计下降{{累计下降:.2}}%，低于时序进度应降的{{应降幅度:.2}}%"
  }}

  // 上下限（＜X、＞X、≥X、≤X）：最近可比的数值须守住；流量看最近整年。
  rule 上限 for below {{
    figures {{ 可比值 = if(is_flow(), latest_annual(), latest()) }}
    when not has_data() => {n} "暂无监测数据"
    when 可比值 < target() => {o} "最近为{{可比值}}，低于{{target()}}的控制目标"
    otherwise => {b} "最近为{{可比值}}，未低于{{target()}}的控制目标"
  }}

  rule 封顶 for ceiling {{
    figures {{ 可比值 = if(is_flow(), latest_annual(), latest()) }}
    when not has_data() => {n} "暂无监测数据"
    when 可比值 <= target() => {o} "最近为{{可比值}}，未超过{{target()}}"
    otherwise => {b} "最近为{{可比值}}，超过{{target()}}的上限"
  }}

  rule 下限 for above {{
    figures {{ 可比值 = if(is_flow(), latest_annual(), latest()) }}
    when not has_data() => {n} "暂无监测数据"
    when 可比值 > target() => {o} "最近为{{可比值}}，高于{{target()}}的目标"
    otherwise => {b} "最近为{{可比值}}，未高于{{target()}}的目标"
  }}

  rule 保底 for floor {{
    figures {{ 可比值 = if(is_flow(), latest_annual(), latest()) }}
    when not has_data() => {n} "暂无监测数据"
    when 可比值 >= target() => {o} "最近为{{可比值}}，保持在{{target()}}以上"
    otherwise => {b} "最近为{{可比值}}，低于{{target()}}的保底目标"
  }}

  // 年均增量（五年年均增长X，非增速指标）。
  rule 年均增量 for increase {{
    figures {{ 年均增加 = avg_increase() }}
    when not has_data() => {n} "暂无监测数据"
    when not known(年均增加) => {n} "数据不足，无法计算年均增量"
    when 年均增加 >= target() - tolerance() => {o} "年均增加{{年均增加:.2}}，达到年均增加{{target()}}的目标"
    otherwise => {b} "年均增加{{年均增加:.2}}，低于年均增加{{target()}}的目标"
  }}
"#
    );
    // City-set and qualitative targets: the verdict the prose states.
    s.push_str("  // 按市下达目标、定性目标（持续改善、保持稳定）：取报告正文的评定（assessed），\n  // 这是唯一写出而非算出的结论。\n");
    s.push_str("  rule 报告评定 for city, qualitative {\n");
    let _ = writeln!(s, "    when not has_data() => {n} \"暂无监测数据\"");
    for (w, class, _) in &v.words {
        if *class != StatusClass::NoData {
            let _ = writeln!(
                s,
                "    when latest_assessment() == {w} => {w} \"报告评定为{w}\""
            );
        }
    }
    let _ = writeln!(
        s,
        "    otherwise => {n} \"有监测数据，但报告没有给出评定\"\n  }}\n"
    );
    s.push_str("  // 未能识别的目标：需人工改写为上面的某种形式。\n");
    let _ = writeln!(
        s,
        "  rule 未识别目标 for unread {{\n    otherwise => {n} \"目标未能识别，需人工补写\"\n  }}\n"
    );
    // Parents: the weakest of their sub-indicators.
    s.push_str("  // 父指标：取子指标中最弱的结论；子指标结论相同时取该结论。\n");
    s.push_str("  rule 综合子指标 for parent {\n");
    for (w, class, _) in &v.words {
        if *class == StatusClass::Behind {
            let _ = writeln!(s, "    when children_any({w}) => {w} \"有子指标{w}\"");
        }
    }
    for (w, class, _) in &v.words {
        if *class != StatusClass::Behind {
            let _ = writeln!(s, "    when children_all({w}) => {w} \"各子指标均为{w}\"");
        }
    }
    let _ = writeln!(s, "    otherwise => {o} \"各子指标均达到或超出预期\"\n  }}");
    s.push_str("}\n");
    s
}

fn render_indicators(m: &Meta, inds: &[Ind]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "// {}：{} 个指标。由 `guihua new` 自 {} 起草。\n// 每个数值引用其所在的表格行（逐格引用，格间空白与文档中的换行、制表符相匹配）。\n// 以“推断”开头的注释是起草时的判断，请核对。\n",
        if m.caption.is_empty() { "指标表" } else { m.caption },
        inds.iter().filter(|i| i.parent.is_none()).count(),
        m.file
    );
    for k in 0..inds.len() {
        if inds[k].parent.is_none() {
            render_ind(&mut s, m, inds, k, "");
            s.push('\n');
        }
    }
    s
}

fn render_ind(s: &mut String, m: &Meta, inds: &[Ind], k: usize, pad: &str) {
    let i = &inds[k];
    let _ = writeln!(s, "{pad}indicator {} {{", i.id);
    let top = i.parent.is_none();
    if top {
        let seq = if !i.seq.is_empty() && i.seq.chars().all(|c| c.is_ascii_digit()) {
            i.seq.clone()
        } else {
            lit(&i.seq)
        };
        if i.seq_guess {
            let _ = writeln!(s, "{pad}  // 推断：表中序号缺失或重复，按表中顺序编号 (guess: numbered in table order)");
        }
        let _ = writeln!(s, "{pad}  seq {seq}");
    }
    let _ = writeln!(s, "{pad}  name {}", lit(&i.name));
    if top {
        let _ = writeln!(s, "{pad}  category {}", i.category);
        let _ = writeln!(s, "{pad}  attribute {}", i.attribute);
    } else if let Some(p) = i.parent {
        if inds[p].attribute != i.attribute && !i.attribute.is_empty() {
            let _ = writeln!(s, "{pad}  attribute {}", i.attribute);
        }
    }
    let Some(r) = &i.row else {
        for &c in &i.children {
            s.push('\n');
            render_ind(s, m, inds, c, &format!("{pad}  "));
        }
        let _ = writeln!(s, "{pad}}}");
        return;
    };
    let _ = writeln!(s, "{pad}  unit {}", lit(&i.unit));
    if let Some(g) = &i.kind_guess {
        let _ = writeln!(s, "{pad}  // 推断：{g}");
    }
    let _ = writeln!(s, "{pad}  kind {}", i.kind);
    let h = m.header;
    let tq = r.quote(Some(&Col::Target(h.end)));
    let printed = r.target.split_whitespace().collect::<Vec<_>>().join("");
    if let Some(rd) = &i.reading {
        if let Some(g) = &rd.guess {
            let _ = writeln!(s, "{pad}  // 推断：{g}");
        }
        let form = rd.form.word();
        let line = match rd.form {
            TargetForm::City => format!("target city printed {}", lit(&printed)),
            TargetForm::Qualitative => {
                if i.assessed.is_none() {
                    let _ = writeln!(
                        s,
                        "{pad}  // 推断：正文没有找到对“{printed}”的评定，需人工补写 assessed"
                    );
                }
                format!("target qualitative printed {}", lit(&printed))
            }
            TargetForm::Unread => {
                let _ = writeln!(s, "{pad}  // 未能识别的目标“{printed}”：请改写为某种目标形式 (target not understood)");
                format!("target unread printed {}", lit(&printed))
            }
            TargetForm::Tied => format!(
                "target tied {} printed {}",
                i.tied.map_or("", |t| inds[t].id.as_str()),
                lit(&printed)
            ),
            _ => {
                let mut l = format!("target {form} {}", rd.number.clone().unwrap_or_default());
                if let Some(t) = rd.tolerance {
                    let _ = write!(l, " about {t}");
                }
                let trailing_zero = printed.contains('.') && printed.ends_with('0');
                if Some(&printed) != rd.number.as_ref() || trailing_zero {
                    let _ = write!(l, " printed {}", lit(&printed));
                }
                l
            }
        };
        let _ = writeln!(s, "{pad}  {line} source {}", lit(&tq));
    }
    for note in &i.unit_notes {
        let _ = writeln!(s, "{pad}  note {}", lit(note));
    }
    if let Some((_, w)) = r.baseline.as_deref().and_then(value_of) {
        let _ = writeln!(
            s,
            "{pad}  baseline {}: {w} source {}",
            h.base,
            lit(&r.quote(Some(&Col::Baseline(h.base))))
        );
    }
    if !r.obs.is_empty() {
        let parts: Vec<String> = r
            .obs
            .iter()
            .map(|(p, c)| match value_of(c) {
                Some((_, w)) => format!("{p}: {w}"),
                None => format!("{p}: /"),
            })
            .collect();
        let last = r.obs.last().map(|o| Col::Obs(o.0));
        let _ = writeln!(
            s,
            "{pad}  observed {}\n{pad}    source {}",
            parts.join(", "),
            lit(&r.quote(last.as_ref()))
        );
    }
    if let Some(a) = &i.stated_avg {
        let latest = r
            .obs
            .iter()
            .rev()
            .filter(|(p, _)| m.convention.half || p.is_full_year())
            .find(|(_, c)| value_of(c).is_some())
            .map(|(p, _)| *p);
        if let Some(p) = latest {
            let _ = writeln!(
                s,
                "{pad}  stated 年均增长 = {}% as of {p} source {}",
                a.written,
                lit(&a.quote)
            );
        }
    }
    if let Some((p, w, q)) = &i.assessed {
        let _ = writeln!(s, "{pad}  assessed {p}: {w} source {}", lit(q));
    }
    let _ = writeln!(s, "{pad}}}");
}

fn render_tests(m: &Meta, inds: &[Ind]) -> String {
    let mut s = String::new();
    let label = m.header.label(&Col::Status).unwrap_or_default();
    let _ = writeln!(
        s,
        "// {}的“{label}”栏：报告自己的结论。`guihua test` 逐条对照规则算出的结论，\n// 不一致处即报告的判断与规则的判断不同之处。由 `guihua new` 起草。\n",
        if m.caption.is_empty() { "指标表" } else { m.caption }
    );
    s.push_str("test 报告结论 {\n");
    for i in inds {
        if let Some((w, src, why)) = &i.expect {
            if let Some(why) = why {
                let _ = writeln!(s, "  // 推断：{why}");
            }
            let _ = write!(s, "  expect {} is {w} as of {}", i.id, m.as_of);
            if let Some(q) = src {
                let _ = write!(s, " source {}", lit(q));
            }
            s.push('\n');
        }
    }
    s.push_str("}\n");
    s
}
