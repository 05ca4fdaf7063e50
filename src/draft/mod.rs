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

mod around;
mod graph;
mod indicators;
mod prose;
mod render;
mod target;
mod tasks;
mod vocab;

pub use around::{draft_around, DraftedTarget, SetAside};
use indicators::{make_id, unique_id, value_of, Ind};
use render::{render_indicators, render_method, render_plan, render_tests, Meta};
use vocab::{Convention, Vocabulary};

use crate::corpus::indicator_table::{self as table, Col, Row};
use crate::corpus::ingest::Ingested;
use crate::model::{StatusClass, TargetForm};
use crate::period::Period;
use std::fmt::Write as _;

/// Synonyms common to Chinese planning documents (GDP = 地区生产总值,
/// 社零 = 社会消费品零售总额 …), drafted into every workspace as
/// `rules/search.guihua` for the planner to edit.
const PLANNING_VOCABULARY: &str = include_str!("../../data/planning/search.guihua");

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
    /// Every target cell drafted, for [`draft_around`].
    pub targets: Vec<DraftedTarget>,
}

pub use crate::corpus::indicator_table::TableError as DraftError;

/// The category of a table without a 类别 column.
const UNSORTED: &str = "未分类";
/// The attribute of a table without a 属性 column.
const UNSTATED: &str = "未注明";

/// A string literal of the language.
fn lit(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
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
    let learned = prose::learned_forms(doc);
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

    let periods = header.periods();
    let as_of = periods
        .iter()
        .copied()
        .max_by(|a, b| a.end_time(0).total_cmp(&b.end_time(0)))
        .unwrap_or(Period::year(header.end));
    let mut inds = indicators::from_rows(rows, &mut notes);
    indicators::read_kinds_and_targets(&mut inds);
    indicators::tie_targets(&mut inds);

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
            // Cells that state a verdict (完成, 未完成, 达到, 未达到): the
            // table's own assessment, year by year.
            let city = form == Some(TargetForm::City);
            let from_cells: Vec<(Period, String)> = r
                .obs
                .iter()
                .filter_map(|(p, c)| vocab.word_of_cell(c, city).map(|w| (*p, w)))
                .collect();
            if !from_cells.is_empty() {
                let last = r
                    .obs
                    .iter()
                    .rev()
                    .find(|(_, c)| vocab.word_of_cell(c, city).is_some());
                let quote = r.quote(last.map(|(p, _)| Col::Obs(*p)).as_ref());
                inds[k].assessed = Some((from_cells, quote));
            } else {
                let st =
                    state_of(k, &inds).or_else(|| inds[k].parent.and_then(|p| state_of(p, &inds)));
                if let (Some(st), Some(p)) = (st, latest) {
                    inds[k].assessed = Some((vec![(p, vocab.word_for(&st))], st.quote));
                }
            }
        }
        if matches!(
            form,
            Some(
                TargetForm::Rate
                    | TargetForm::Tied
                    | TargetForm::AvgAbove
                    | TargetForm::AvgBelow
                    | TargetForm::Matches
            )
        ) {
            let rates: Vec<(Period, f64)> = r
                .obs
                .iter()
                .filter_map(|(p, c)| value_of(c).map(|v| (*p, v.0)))
                .collect();
            let others: Vec<String> = others_of(k, &inds)
                .iter()
                .flat_map(|n| prose::name_forms(n, &learned))
                .collect();
            let o: Vec<&str> = others.iter().map(String::as_str).collect();
            let stated = prose::name_forms(&inds[k].name, &learned)
                .iter()
                .flat_map(|f| prose::segments(&paras, f, &o))
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
    let (convention, convention_why) = Convention::choose(&conventions, &matched, rate_rows);
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
    // Search finds GDP增长 in 地区生产总值增长 on a planner's own report
    // too: the planning vocabulary, not drawn from the report, to edit.
    files.push(("search.guihua".to_string(), PLANNING_VOCABULARY.to_string()));
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
    let targets = inds
        .iter()
        .filter_map(|i| {
            let r = i.row.as_ref()?;
            Some(DraftedTarget {
                id: i.id.clone(),
                name: i.name.clone(),
                printed: r.target.split_whitespace().collect(),
                quote: r.quote(Some(&Col::Target(header.end))),
                kind: i.kind,
                form: i.reading.as_ref().map_or(TargetForm::Unread, |x| x.form),
            })
        })
        .collect();
    Ok(Draft {
        name,
        title,
        files,
        notes,
        targets,
    })
}
