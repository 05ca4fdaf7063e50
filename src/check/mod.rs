//! `guihua check`: where a draft report contradicts itself or the declared
//! data.
//!
//! Each kind of check is a family in its own file, reading the prose rather
//! than a list of known sentences:
//! - [`provenance`]: every `source` quote is in the corpus and holds its figure;
//! - [`stated`]: `2021年、2022年…分别为a、b` (and its variants) read,
//!   matched to an indicator by name, compared with the declared
//!   observations and the indicator table's row; `2022年为11.1%` before a
//!   table, against the table;
//! - [`derived`]: averages, totals, shares, changes and counts stated
//!   beside the values they come from, recomputed with the rounding the
//!   written figure allows; the figures the rules mark as `stated`;
//! - [`summary`]: counts and shares of the summary against the verdicts;
//! - [`tables`]: the chart data at the end of the export against the tables;
//! - [`structure`]: the 目录, the attachment list and labels, numbering, and
//!   references to tables and figures, against each other.
//!
//! The families share one pass ([`reading`]): each unit of each document is
//! read once, its numbers found once, and handed to every family in turn.
//! [`render`] writes the findings as text.

mod derived;
mod provenance;
mod reading;
mod render;
mod stated;
mod structure;
mod summary;
mod tables;
pub mod text;

pub use render::render;

use crate::corpus::ingest::{self, Ingested};
use crate::corpus::{Corpus, QuoteLocation};
use crate::model::{IndicatorId, Model};
use crate::period::Period;
use reading::Para;
use serde::Serialize;
use serde_json::{json, Value};
use text::NameKey;

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A `source` quote that is not in the corpus or lacks its figure.
    Provenance,
    /// A value stated in the prose that differs from the data or the table.
    StatedValue,
    /// An average, total, share or change that its own values do not give.
    DerivedValue,
    /// A count or share of the summary that the indicators do not give.
    Summary,
    /// Chart data that differ from the table they draw.
    TableChart,
    /// The document against its own structure: the 目录, the attachment
    /// list and labels, numbering, references to tables and figures.
    Structure,
}

impl FindingKind {
    /// The kind words `--only` takes, in report order.
    pub const WORDS: [&'static str; 6] = [
        "provenance",
        "stated_value",
        "derived_value",
        "summary",
        "table_chart",
        "structure",
    ];

    /// The kind's name in the text and on the desk (`--only` and the
    /// JSON take [`FindingKind::WORDS`]).
    pub fn chinese(self) -> &'static str {
        match self {
            FindingKind::Provenance => "来源引文",
            FindingKind::StatedValue => "文中数值",
            FindingKind::DerivedValue => "推算数值",
            FindingKind::Summary => "汇总统计",
            FindingKind::TableChart => "图表数据",
            FindingKind::Structure => "文档结构",
        }
    }

    /// Parses a kind word.
    pub fn parse(s: &str) -> Option<FindingKind> {
        Some(match s {
            "provenance" => FindingKind::Provenance,
            "stated_value" => FindingKind::StatedValue,
            "derived_value" => FindingKind::DerivedValue,
            "summary" => FindingKind::Summary,
            "table_chart" => FindingKind::TableChart,
            "structure" => FindingKind::Structure,
            _ => return None,
        })
    }
}

/// A quote with where it stands.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QuoteRef {
    /// The text.
    pub text: String,
    /// Document.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// One contradiction.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Kind.
    pub kind: FindingKind,
    /// The indicator concerned, by name.
    pub indicator: Option<String>,
    /// The period concerned.
    pub period: Option<String>,
    /// What the data or the recomputation give.
    pub expected: Value,
    /// What the text says.
    pub found: Value,
    /// The quotes that disagree.
    pub quotes: Vec<QuoteRef>,
    /// One line in words.
    pub message: String,
}

fn num(v: f64) -> Value {
    json!((v * 1e4).round() / 1e4)
}

/// Runs the checks (all, or those in `only`).
pub fn check(model: &Model, corpus: &Corpus, only: &[FindingKind]) -> Vec<Finding> {
    let on = |k| only.is_empty() || only.contains(&k);
    // The corpus's own ingestion, shared with every other reader of it.
    let ingested: &[Ingested] = corpus.ingested();
    let mut out = Vec::new();
    let tables: Vec<Option<&ingest::Table>> = ingested
        .iter()
        .map(crate::corpus::indicator_table::locate)
        .collect();
    let ctx = Ctx {
        model,
        corpus,
        tables,
        eval: std::cell::OnceCell::new(),
        name_keys: std::cell::OnceCell::new(),
        table_rows: Default::default(),
        named: Default::default(),
        sources: std::cell::OnceCell::new(),
    };
    if on(FindingKind::Provenance) {
        provenance::provenance(&ctx, &mut out);
    }
    // Findings of `低于预期n个百分点`, reported after the rules' stated figures.
    let mut behind = Vec::new();
    for (doc, ing) in corpus.docs.iter().zip(ingested) {
        // The one pass: every unit read once, its numbers found once.
        let paras: Vec<Para> = ing.units.iter().map(|u| Para::read(u, &doc.name)).collect();
        for para in paras.iter().filter(|p| p.is_prose()) {
            if on(FindingKind::StatedValue) || on(FindingKind::DerivedValue) {
                ctx.statements(para, &mut out);
                if on(FindingKind::DerivedValue) {
                    ctx.changes(para, &mut out);
                    ctx.shares_of_totals(para, &mut out);
                    ctx.span_means(para, &mut out);
                }
            }
            if on(FindingKind::Summary) {
                ctx.summary(para, &mut out);
            }
        }
        if on(FindingKind::DerivedValue) {
            for para in &paras {
                ctx.behind_points(para, &mut behind);
            }
        }
        if on(FindingKind::TableChart) {
            tables::table_chart(doc, ing, &mut out);
            tables::figure_captions(doc, ing, &mut out);
        }
        if on(FindingKind::StatedValue) {
            stated::prose_against_tables(doc, ing, &paras, &mut out);
        }
        if on(FindingKind::Structure) {
            structure::structure(doc, ing, &mut out);
        }
    }
    if on(FindingKind::DerivedValue) {
        ctx.stated_figures(&mut out);
        out.append(&mut behind);
    }
    out.retain(|f| on(f.kind));
    // One finding per contradiction, in document order.
    let mut seen = std::collections::HashSet::new();
    out.retain(|f| {
        seen.insert((
            f.kind as u8,
            f.indicator.clone(),
            f.period.clone(),
            f.found.to_string(),
            f.quotes.first().map(|q| q.line),
        ))
    });
    out
}

/// What every family may look up: the model, the corpus and its
/// ingestion, each document's indicator table, and the verdicts.
struct Ctx<'a> {
    model: &'a Model,
    corpus: &'a Corpus,
    /// Each document's indicator table, found by its header.
    tables: Vec<Option<&'a ingest::Table>>,
    /// The verdicts, computed once when first needed.
    eval: std::cell::OnceCell<crate::eval::Evaluation>,
    /// Each indicator's name read for [`NameKey::similarity`], once.
    name_keys: std::cell::OnceCell<Vec<NameKey>>,
    /// The indicator each name asked for is, if one is.
    named: std::cell::RefCell<std::collections::HashMap<String, Option<IndicatorId>>>,
    /// The indicator table's row of each indicator asked for, by name.
    table_rows: std::cell::RefCell<std::collections::HashMap<IndicatorId, Option<usize>>>,
    /// Where each source quote of the rules stands, all found in one pass
    /// when first needed (provenance, declared values, stated figures).
    sources: std::cell::OnceCell<std::collections::HashMap<&'a str, Option<QuoteLocation>>>,
}

impl Ctx<'_> {
    fn evaluation(&self) -> &crate::eval::Evaluation {
        self.eval.get_or_init(|| {
            crate::eval::evaluate(
                self.model,
                self.model.plan.default_method,
                self.model.latest_period(),
            )
        })
    }

    /// The indicator a piece of text names, if one is clearly it.
    pub(super) fn indicator_named(&self, name: &str) -> Option<IndicatorId> {
        let name = name.trim_matches(|c: char| c == '，' || c == '、' || c.is_whitespace());
        if name.chars().count() < 2 {
            return None;
        }
        // The same words recur (a subject carried from sentence to sentence):
        // each is matched once.
        if let Some(&found) = self.named.borrow().get(name) {
            return found;
        }
        let found = self.match_name(name);
        self.named.borrow_mut().insert(name.to_string(), found);
        found
    }

    /// [`Ctx::indicator_named`], without its memory.
    fn match_name(&self, name: &str) -> Option<IndicatorId> {
        let key = NameKey::new(name);
        let keys = self.name_keys.get_or_init(|| {
            self.model
                .indicators
                .iter()
                .map(|i| NameKey::new(&i.name))
                .collect()
        });
        let mut best: Option<(f64, IndicatorId)> = None;
        for (k, i) in self.model.indicators.iter().enumerate() {
            if !i.children.is_empty() {
                continue;
            }
            // A name that holds the indicator's is it (no similarity is above 1).
            let s = if name.contains(&i.name) || name.contains(&i.id) {
                1.0
            } else {
                key.similarity(&keys[k])
            };
            if best.is_none_or(|b| s > b.0) {
                best = Some((s, k));
            }
        }
        best.filter(|b| b.0 >= 0.5).map(|b| b.1)
    }

    /// Where a quote stands in the corpus: a source quote of the rules from
    /// the one pass over the corpus, any other by a search of its own.
    pub(super) fn located(&self, quote: &str) -> Option<QuoteLocation> {
        let sources = self
            .sources
            .get_or_init(|| provenance::locate_sources(self.model, self.corpus));
        match sources.get(quote) {
            Some(l) => l.clone(),
            None => self.corpus.locate(quote),
        }
    }

    pub(super) fn declared(&self, ind: IndicatorId, p: Period) -> Option<f64> {
        self.model.indicators[ind]
            .observations
            .iter()
            .find(|o| o.period == p)
            .and_then(|o| o.value)
    }

    /// What the documents call their indicator table: `附件2` of
    /// `附件2：…`, else `指标表`.
    pub(super) fn table_label(&self) -> String {
        self.tables
            .iter()
            .flatten()
            .find_map(|t| {
                let c = t.caption.trim();
                let head = c.split(['：', ':']).next().unwrap_or("");
                (head.starts_with("附件") && head.len() < c.len()).then(|| head.to_string())
            })
            .unwrap_or_else(|| "指标表".to_string())
    }

    /// The indicator table's value for an indicator and period, with the row's place.
    pub(super) fn table_value(&self, ind: IndicatorId, p: Period) -> Option<(f64, QuoteRef)> {
        let name = &self.model.indicators[ind].name;
        for (doc, table) in self.corpus.docs.iter().zip(&self.tables) {
            // The indicator table of the document, found by its header.
            if let Some(t) = table {
                let header = &t.rows.first()?.1;
                let want = p.chinese();
                let h = header
                    .iter()
                    .position(|c| c.replace(char::is_whitespace, "") == want)?;
                let from_right = header.len() - 1 - h;
                // The row most like the name (the last of equals), found
                // once per indicator.
                let best = *self.table_rows.borrow_mut().entry(ind).or_insert_with(|| {
                    let key = NameKey::new(name);
                    let score = |r: &[String]| {
                        r.iter()
                            .map(|c| NameKey::new(c).similarity(&key))
                            .fold(0.0, f64::max)
                    };
                    t.rows
                        .iter()
                        .enumerate()
                        .skip(1)
                        .map(|(k, (_, r))| (k, score(r)))
                        .filter(|&(_, s)| s >= 0.8)
                        .max_by(|a, b| a.1.total_cmp(&b.1))
                        .map(|(k, _)| k)
                });
                let (line, row) = &t.rows[best?];
                let cell = row.get(row.len().checked_sub(1 + from_right)?)?;
                let v: f64 = cell.trim().parse().ok()?;
                let text = ingest::row_text(row);
                return Some((
                    v,
                    QuoteRef {
                        text,
                        file: doc.name.clone(),
                        line: *line,
                    },
                ));
            }
        }
        None
    }
}
