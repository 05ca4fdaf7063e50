//! Syntax tree → model: resolve names, convert units, check everything.
//!
//! Every problem becomes a located [`Diagnostic`]; lowering goes on after an
//! error so one run reports as many as it can.

use super::builtins::{self, Ty};
use super::*;
use crate::corpus::Corpus;
use crate::dsl::ast;
use crate::ops::{BinOp, UnOp};
use crate::span::{Diagnostic, SourceId, Span};
use message::{LowerMessage, Named};
use std::collections::HashMap;

mod across;
mod documents;
mod graph;
mod indicator;
mod message;
mod plan;
mod quotes;
mod rule_tests;
mod rules;

/// The result of lowering: a model when there was no error, and every
/// diagnostic (warnings too).
#[derive(Debug)]
pub struct Lowered {
    /// The model, when no error was found.
    pub model: Option<Model>,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

struct Lowerer<'a> {
    sources: &'a Sources,
    corpus: Option<&'a Corpus>,
    diags: Vec<Diagnostic>,
    /// Every `source` quote met while lowering, checked against the corpus
    /// in one pass at the end (against one document when it names one the
    /// corpus holds).
    quotes: Vec<quotes::Pending>,
    /// Documents sources may name (`source "…" in 统计公报2022`).
    documents: std::sync::Arc<Vec<Document>>,
}

/// Lowers parsed files into a model. With a corpus, every `source` quote is
/// checked against it.
pub fn lower(
    sources: std::sync::Arc<Sources>,
    files: &[(SourceId, ast::File)],
    corpus: Option<&Corpus>,
) -> Lowered {
    let mut l = Lowerer {
        sources: &sources,
        corpus,
        diags: Vec::new(),
        quotes: Vec::new(),
        documents: Default::default(),
    };
    let model = l.run(files);
    l.check_quotes();
    let mut diagnostics = l.diags;
    diagnostics.sort_by_key(|d| (d.span.file.0, d.span.start));
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    Lowered {
        model: match model {
            Some(mut m) if ok => {
                m.sources = sources;
                Some(m)
            }
            _ => None,
        },
        diagnostics,
    }
}

/// What would be valid: one of `words`.
fn one_of(words: &[&str]) -> LowerMessage {
    LowerMessage::OneOf(words.iter().map(|w| w.to_string()).collect())
}

fn list(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'a> Lowerer<'a> {
    fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn run(&mut self, files: &[(SourceId, ast::File)]) -> Option<Model> {
        self.documents = std::sync::Arc::new(self.lower_documents(files));
        let plan_ast = self.one_plan(files)?;
        let (start, end, base_year) = self.plan_period(plan_ast);
        let categories: Vec<String> = self.unique_names(&plan_ast.categories, Named::Category);
        let attributes: Vec<String> = self.unique_names(&plan_ast.attributes, Named::Attribute);

        // Statuses: the plan's vocabulary, then each method's additions.
        let mut statuses = Vec::new();
        self.add_statuses(&mut statuses, &plan_ast.statuses, None);
        let method_asts: Vec<&ast::Method> = files.iter().flat_map(|(_, f)| &f.methods).collect();
        let mut method_ids: Vec<String> = Vec::new();
        for (mi, m) in method_asts.iter().enumerate() {
            if let Some(prev) = method_ids.iter().position(|x| *x == m.id.node) {
                let prev_span = method_asts[prev].id.span;
                self.err(
                    Diagnostic::error(m.id.span, format!("duplicate method `{}`", m.id.node)).help(
                        format!("first declared at {}", self.sources.location(prev_span)),
                    ),
                );
            }
            method_ids.push(m.id.node.clone());
            self.add_statuses(&mut statuses, &m.statuses, Some(mi));
        }
        let default_method = match &plan_ast.default_method {
            Some(id) => match method_ids.iter().position(|m| *m == id.node) {
                Some(i) => i,
                None => {
                    let names: Vec<&str> = method_ids.iter().map(String::as_str).collect();
                    self.err(
                        Diagnostic::error(id.span, format!("unknown method `{}`", id.node))
                            .expected(format!("one of {}", list(&names)))
                            .suggest(&id.node, names.iter().copied()),
                    );
                    0
                }
            },
            None if method_ids.len() == 1 => 0,
            None => {
                self.err(
                    Diagnostic::error(plan_ast.span, "the plan names no default method")
                        .help("add `default method <name>` to the plan"),
                );
                0
            }
        };
        if method_asts.is_empty() {
            self.err(
                Diagnostic::error(
                    plan_ast.span,
                    "no `method` declared: nothing decides a status",
                )
                .help("declare `method <name> { rule … }`"),
            );
        }

        let plan = Plan {
            id: plan_ast.id.node.clone(),
            title: plan_ast.title.as_ref().map(|t| t.node.clone()),
            start,
            end,
            base_year,
            categories,
            attributes,
            default_method,
        };

        // Indicators: flatten parents and children in table order.
        let mut indicators = Vec::new();
        let mut ind_asts: Vec<&ast::Indicator> = Vec::new();
        for (_, f) in files {
            for i in &f.indicators {
                self.flatten(i, None, &mut ind_asts, &mut indicators);
            }
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (k, i) in ind_asts.iter().enumerate() {
            if let Some(&prev) = seen.get(i.id.node.as_str()) {
                self.err(
                    Diagnostic::error(i.id.span, format!("duplicate indicator id `{}`", i.id.node))
                        .help(format!(
                            "first declared at {}",
                            self.sources.location(ind_asts[prev].id.span)
                        )),
                );
            } else {
                seen.insert(&i.id.node, k);
            }
        }
        let mut ctx = ModelCtx::new(
            &plan,
            &statuses,
            ind_asts.iter().map(|a| a.id.node.as_str()).collect(),
            ind_asts
                .iter()
                .map(|a| {
                    a.name
                        .as_ref()
                        .map_or(a.id.node.as_str(), |n| n.node.as_str())
                })
                .collect(),
        );
        ctx.default_tolerance = plan_ast.default_tolerance.as_ref();
        // Indicators are checked independently: on a large set, in parallel.
        let threads = if indicators.len() >= 4096 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            1
        };
        let per = indicators.len().div_ceil(threads).max(1);
        let (sources, corpus, ctx_ref) = (self.sources, self.corpus, &ctx);
        let documents = &self.documents;
        type Found = (Vec<Diagnostic>, Vec<quotes::Pending>);
        let results: Vec<Found> = std::thread::scope(|sc| {
            let handles: Vec<_> = indicators
                .chunks_mut(per)
                .zip(ind_asts.chunks(per))
                .map(|(inds, asts)| {
                    sc.spawn(move || {
                        let mut l = Lowerer {
                            sources,
                            corpus,
                            diags: Vec::new(),
                            quotes: Vec::new(),
                            documents: documents.clone(),
                        };
                        for (ind, a) in inds.iter_mut().zip(asts) {
                            l.fill_indicator(ctx_ref, a, ind);
                        }
                        (l.diags, l.quotes)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("lowering thread"))
                .collect()
        });
        for (d, q) in results {
            self.diags.extend(d);
            self.quotes.extend(q);
        }
        self.check_tied_cycles(&indicators, &ind_asts);
        self.check_tied_ends(&indicators, &ind_asts);
        self.check_duplicate_seq(&indicators, &ind_asts);

        // Methods and rules.
        let plan_classes = self.class_words(
            &ClassWords::named_by(statuses.iter().filter(|s| s.method.is_none())),
            &plan_ast.classes,
        );
        let mut methods = Vec::new();
        for (mi, m) in method_asts.iter().enumerate() {
            let rules = m
                .rules
                .iter()
                .map(|r| self.lower_rule(&ctx, mi, r))
                .collect();
            let options = self.lower_method_options(m);
            methods.push(Method {
                id: m.id.node.clone(),
                title: m.title.as_ref().map(|t| t.node.clone()),
                options,
                rules,
                classes: {
                    // Unless the plan words the classes, a method names them
                    // by the statuses it can give: the plan's and its own.
                    let base = if plan_ast.classes.is_empty() {
                        ClassWords::named_by(
                            statuses
                                .iter()
                                .filter(|s| s.method.is_none() || s.method == Some(mi)),
                        )
                    } else {
                        plan_classes.clone()
                    };
                    self.class_words(&base, &m.classes)
                },
            });
        }

        let mut model = Model {
            sources: std::sync::Arc::new(Sources::new()),
            plan,
            statuses,
            indicators,
            methods,
            tests: vec![],
            synonyms: Vec::new(),
            not_synonyms: Vec::new(),
            terms: Vec::new(),
            graph: Default::default(),
            documents: self.documents.to_vec(),
        };
        self.lower_vocabulary(&mut model, files);
        self.lower_graph(&mut model, files);
        self.check_coverage(&model, &method_asts);
        self.check_status_coverage(&model, &method_asts, &plan_ast.statuses);
        model.tests = self.lower_tests(&model, files);
        Some(model)
    }
}

struct ModelCtx<'m> {
    plan: &'m Plan,
    /// The plan's `default about`, for a bare `左右`.
    default_tolerance: Option<&'m ast::Spanned<ast::Quantity>>,
    statuses: &'m [Status],
    ind_ids: Vec<&'m str>,
    ind_names: Vec<&'m str>,
    /// Id, then name, to index: lookups stay O(1) on national-scale sets.
    by_key: HashMap<&'m str, usize>,
}

impl<'m> ModelCtx<'m> {
    fn new(
        plan: &'m Plan,
        statuses: &'m [Status],
        ids: Vec<&'m str>,
        names: Vec<&'m str>,
    ) -> ModelCtx<'m> {
        let mut by_key = HashMap::with_capacity(ids.len() * 2);
        // Names first, so that an id shadows another indicator's equal name;
        // backwards, so that the first of two equal keys wins.
        for (k, n) in names.iter().enumerate().rev() {
            by_key.insert(*n, k);
        }
        for (k, i) in ids.iter().enumerate().rev() {
            by_key.insert(*i, k);
        }
        ModelCtx {
            plan,
            default_tolerance: None,
            statuses,
            ind_ids: ids,
            ind_names: names,
            by_key,
        }
    }

    fn lookup(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }
}

struct Scope<'s, 'm> {
    ctx: &'s ModelCtx<'m>,
    method: MethodId,
    figures: Vec<String>,
}

/// A quantity's number as it was written: `4.0` stays `4.0`.
fn written(q: &ast::Quantity) -> String {
    format!("{:.*}", q.decimals as usize, q.value)
}

/// A number as a planner writes it: no trailing zeros, at most 4 decimals.
pub fn fmt_num(v: f64) -> String {
    if v.abs() >= 1e15 {
        // 1e307 with its 300 zeros would say nothing more.
        return format!("{v:e}");
    }
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// `x` rounded to `dp` decimals; a number too large for that to matter is
/// kept as it is (scaling it first would overflow to infinity).
pub fn round_dp(x: f64, dp: i32) -> f64 {
    let scale = 10f64.powi(dp);
    let scaled = x * scale;
    if scaled.is_finite() && x.abs() < 1e15 {
        scaled.round() / scale
    } else {
        x
    }
}
