//! Provenance: every `source` quote of the rules is in the corpus and
//! holds the figure it is given for.

use super::text::numbers;
use super::{Ctx, Finding, FindingKind, QuoteRef};
use crate::corpus::QuoteLocation;
use crate::model::Model;
use serde_json::json;
use std::collections::HashMap;

/// A fact with a source: (indicator name, quote, figure as written, period).
type Fact<'m> = (
    Option<&'m str>,
    &'m crate::model::Quote,
    Option<&'m str>,
    Option<String>,
);

/// Every fact of the rules with a source, in the rules' order.
fn facts(model: &Model) -> Vec<Fact<'_>> {
    let mut facts: Vec<Fact> = Vec::new();
    for ind in &model.indicators {
        if let Some(t) = &ind.target {
            if let Some(q) = &t.source {
                facts.push((Some(&ind.name), q, t.written.as_deref(), None));
            }
        }
        for o in ind.baseline.iter().chain(&ind.observations) {
            if let Some(q) = &o.source {
                facts.push((
                    Some(&ind.name),
                    q,
                    o.written.as_deref(),
                    Some(o.period.to_string()),
                ));
            }
        }
        for s in &ind.stated {
            if let Some(q) = &s.source {
                facts.push((
                    Some(&ind.name),
                    q,
                    Some(s.written.as_str()),
                    s.as_of.map(|p| p.to_string()),
                ));
            }
        }
    }
    for n in model.graph.nodes.iter().filter(|n| n.indicator.is_none()) {
        if let Some(q) = &n.source {
            facts.push((None, q, None, None));
        }
    }
    // A citation without a quote (`source in 统计公报2022`), or a quote of
    // a document the corpus does not hold, stands on its citation, as lint
    // has it: there is nothing in the corpus to check it against.
    facts.retain(|f| {
        !f.1.text.is_empty()
            && f.1
                .document
                .is_none_or(|k| model.documents[k].file.is_some())
    });
    facts
}

/// Where every source quote of the rules stands in the corpus: located
/// together, in one pass over the corpus ([`crate::corpus::Corpus::locate_all`]).
pub(super) fn locate_sources<'m>(
    model: &'m Model,
    corpus: &crate::corpus::Corpus,
) -> HashMap<&'m str, Option<QuoteLocation>> {
    let texts: Vec<&str> = facts(model).iter().map(|f| &*f.1.text).collect();
    let found = corpus.locate_all(&texts);
    texts.into_iter().zip(found).collect()
}

pub(super) fn provenance(ctx: &Ctx, out: &mut Vec<Finding>) {
    let model = ctx.model;
    for (ind, q, figure, period) in facts(model) {
        let loc = ctx.located(&q.text);
        let at = model.sources.location(q.span);
        let Some(loc) = loc else {
            out.push(Finding {
                kind: FindingKind::Provenance,
                indicator: ind.map(str::to_string),
                period,
                expected: json!("语料中逐字可查的引文 (a quote found verbatim in the corpus)"),
                found: json!(q.text.to_string()),
                quotes: vec![QuoteRef {
                    text: q.text.to_string(),
                    file: at.clone(),
                    line: model.sources.line_col(q.span).0,
                }],
                message: format!(
                    "{at} 处的出处引文在语料中找不到 (the source quote at {at} is not in the corpus)"
                ),
            });
            continue;
        };
        if let Some(w) = figure {
            let want: f64 = w.parse().unwrap_or(f64::NAN);
            let holds = numbers(&q.text)
                .iter()
                .any(|n| (n.value - want).abs() < 1e-9);
            if !holds {
                out.push(Finding {
                    kind: FindingKind::Provenance,
                    indicator: ind.map(str::to_string),
                    period,
                    expected: json!(w),
                    found: json!(q.text.to_string()),
                    quotes: vec![QuoteRef {
                        text: q.text.to_string(),
                        file: loc.doc,
                        line: loc.line,
                    }],
                    message: format!(
                        "{at} 处为 {w} 给出的引文不含 {w} (the quote given for {w} at {at} does not contain {w})"
                    ),
                });
            }
        }
    }
}
