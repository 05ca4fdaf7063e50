//! Syntax tree → model: resolve names, convert units, check everything.
//!
//! Every problem becomes a located [`Diagnostic`]; lowering goes on after an
//! error so one run reports as many as it can.

use super::builtins::{self, Ty};
use super::*;
use crate::corpus::Corpus;
use crate::dsl::ast::{self, BinOp, UnOp};
use crate::span::{Diagnostic, SourceId};
use std::collections::HashMap;

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
    /// in one pass at the end.
    quotes: Vec<ast::Spanned<String>>,
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
        let plan_ast = self.one_plan(files)?;
        let (start, end, base_year) = self.plan_period(plan_ast);
        let categories: Vec<String> = self.unique_names(&plan_ast.categories, "category");
        let attributes: Vec<String> = self.unique_names(&plan_ast.attributes, "attribute");

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
        let ctx = ModelCtx::new(
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
        // Indicators are checked independently: on a large set, in parallel.
        let threads = if indicators.len() >= 4096 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            1
        };
        let per = indicators.len().div_ceil(threads).max(1);
        let (sources, corpus, ctx_ref) = (self.sources, self.corpus, &ctx);
        let results: Vec<(Vec<Diagnostic>, Vec<ast::Spanned<String>>)> = std::thread::scope(|sc| {
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
        self.check_duplicate_seq(&indicators, &ind_asts);

        // Methods and rules.
        let mut methods = Vec::new();
        for (mi, m) in method_asts.iter().enumerate() {
            let rules = m
                .rules
                .iter()
                .map(|r| self.lower_rule(&ctx, mi, r))
                .collect();
            methods.push(Method {
                id: m.id.node.clone(),
                title: m.title.as_ref().map(|t| t.node.clone()),
                rules,
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
            terms: Vec::new(),
            graph: Default::default(),
        };
        self.lower_vocabulary(&mut model, files);
        self.lower_graph(&mut model, files);
        self.check_coverage(&model, &method_asts);
        model.tests = self.lower_tests(&model, files);
        Some(model)
    }

    fn one_plan<'f>(&mut self, files: &'f [(SourceId, ast::File)]) -> Option<&'f ast::Plan> {
        let plans: Vec<&ast::Plan> = files.iter().flat_map(|(_, f)| &f.plans).collect();
        for extra in plans.iter().skip(1) {
            self.err(
                Diagnostic::error(extra.span, "more than one `plan` declared").help(format!(
                    "the plan is declared at {}",
                    self.sources.location(plans[0].span)
                )),
            );
        }
        if plans.is_empty() {
            let file = files.first().map(|(id, _)| *id).unwrap_or_default();
            self.err(
                Diagnostic::error(Span::new(file, 0, 0), "no `plan` declared")
                    .help("declare `plan <id> { period 2021..2025 baseline 2020 categories … }`"),
            );
        }
        plans.first().copied()
    }

    fn plan_period(&mut self, p: &ast::Plan) -> (i32, i32, i32) {
        let (start, end) = match &p.period {
            Some((a, b)) => {
                if a.node.half != 0 || b.node.half != 0 {
                    self.err(
                        Diagnostic::error(a.span.to(b.span), "a plan period is whole years")
                            .expected("`period 2021..2025`"),
                    );
                }
                if a.node.year >= b.node.year {
                    self.err(Diagnostic::error(
                        a.span.to(b.span),
                        format!(
                            "the plan period ends ({}) before it starts ({})",
                            b.node.year, a.node.year
                        ),
                    ));
                }
                (a.node.year, b.node.year)
            }
            None => {
                self.err(
                    Diagnostic::error(p.span, "the plan has no `period`")
                        .expected("`period 2021..2025`"),
                );
                (2021, 2025)
            }
        };
        let base = match &p.baseline {
            Some(b) => {
                if b.node.year >= start || b.node.half != 0 {
                    self.err(Diagnostic::error(
                        b.span,
                        format!("the baseline year must be a whole year before {start}"),
                    ));
                }
                b.node.year
            }
            None => start - 1,
        };
        (start, end, base)
    }

    fn unique_names(&mut self, ids: &[ast::Ident], what: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for i in ids {
            if out.contains(&i.node) {
                self.err(Diagnostic::error(
                    i.span,
                    format!("duplicate {what} `{}`", i.node),
                ));
            } else {
                out.push(i.node.clone());
            }
        }
        out
    }

    fn add_statuses(
        &mut self,
        out: &mut Vec<Status>,
        decls: &[ast::StatusDecl],
        method: Option<MethodId>,
    ) {
        for d in decls {
            let class = match StatusClass::parse(&d.class.node) {
                Some(c) => c,
                None => {
                    self.err(
                        Diagnostic::error(
                            d.class.span,
                            format!("unknown status class `{}`", d.class.node),
                        )
                        .expected(format!("one of {}", list(&StatusClass::WORDS)))
                        .suggest(&d.class.node, StatusClass::WORDS),
                    );
                    StatusClass::NoData
                }
            };
            // A status is visible to the plan and its own method; two with the
            // same name where both are visible would be ambiguous.
            if out
                .iter()
                .any(|s| s.name == d.name.node && (s.method.is_none() || s.method == method))
            {
                self.err(Diagnostic::error(
                    d.name.span,
                    format!("duplicate status `{}`", d.name.node),
                ));
                continue;
            }
            out.push(Status {
                name: d.name.node.clone(),
                class,
                gloss: d.gloss.as_ref().map(|g| g.node.clone()),
                method,
            });
        }
    }

    /// Pushes a skeleton for `i` and its children, in table order.
    fn flatten<'f>(
        &mut self,
        i: &'f ast::Indicator,
        parent: Option<IndicatorId>,
        asts: &mut Vec<&'f ast::Indicator>,
        out: &mut Vec<Indicator>,
    ) {
        let k = out.len();
        let (seq, category, attribute) = match parent {
            Some(p) => (
                out[p].seq.clone(),
                out[p].category.clone(),
                out[p].attribute.clone(),
            ),
            None => (String::new(), String::new(), String::new()),
        };
        out.push(Indicator {
            id: i.id.node.clone(),
            name: i
                .name
                .as_ref()
                .map(|n| n.node.clone())
                .unwrap_or_else(|| i.id.node.clone()),
            seq: i.seq.as_ref().map(|s| s.node.clone()).unwrap_or(seq),
            category: i
                .category
                .as_ref()
                .map(|c| c.node.clone())
                .unwrap_or(category),
            attribute: i
                .attribute
                .as_ref()
                .map(|c| c.node.clone())
                .unwrap_or(attribute),
            unit: Unit::parse(i.unit.as_ref().map(|u| u.node.as_str()).unwrap_or("")),
            kind: Kind::Stock,
            target: None,
            baseline: None,
            observations: vec![],
            stated: vec![],
            assessments: vec![],
            notes: i.notes.iter().map(|n| n.node.clone()).collect(),
            parent,
            children: vec![],
            span: i.id.span,
        });
        asts.push(i);
        if let Some(p) = parent {
            out[p].children.push(k);
        }
        for c in &i.children {
            self.flatten(c, Some(k), asts, out);
        }
    }

    fn quote(&mut self, s: &Option<ast::Spanned<String>>, what: &str, at: Span) -> Option<Quote> {
        let Some(s) = s else {
            self.err(
                Diagnostic::warning(at, format!("{what} has no `source`"))
                    .help("add `source \"…\"` with a sentence quoted verbatim from the corpus"),
            );
            return None;
        };
        if self.corpus.is_some() {
            self.quotes.push(s.clone());
        }
        Some(Quote {
            text: s.node.as_str().into(),
            span: s.span,
        })
    }

    /// Finds every quote in one pass over the corpus (Aho–Corasick), then
    /// says where each missing one goes wrong.
    fn check_quotes(&mut self) {
        let Some(corpus) = self.corpus else { return };
        let quotes = std::mem::take(&mut self.quotes);
        let texts: Vec<&str> = quotes.iter().map(|q| q.node.as_str()).collect();
        let found = corpus.locate_all(&texts);
        for (s, at) in quotes.iter().zip(found) {
            if at.is_some() {
                continue;
            }
            let n = corpus.matched_prefix(&s.node);
            let matched: String = s.node.chars().take(n).collect();
            let rest: String = s.node.chars().skip(n).take(12).collect();
            // Point the caret at the first character that does not match.
            let raw = self.sources.text(s.span);
            let off = raw
                .find(&matched[..])
                .map(|o| o + matched.len())
                .filter(|_| n > 0);
            let span = match off {
                Some(o) => {
                    let c = raw[o..].chars().next().map_or(0, char::len_utf8);
                    Span::new(
                        s.span.file,
                        s.span.start as usize + o,
                        s.span.start as usize + o + c,
                    )
                }
                None => s.span,
            };
            let d = Diagnostic::error(span, "source quote not found in the corpus");
            self.err(if n == 0 {
                d.help("the quote must be copied verbatim from a document in the corpus")
            } else {
                d.help(format!(
                    "the corpus has the first {n} characters verbatim; it differs from `{rest}`"
                ))
            });
        }
    }

    fn fill_indicator(&mut self, ctx: &ModelCtx, a: &ast::Indicator, ind: &mut Indicator) {
        let is_parent = !a.children.is_empty();
        let top = ind.parent.is_none();
        // Category and attribute.
        for (given, set, what) in [
            (&a.category, &ctx.plan.categories, "category"),
            (&a.attribute, &ctx.plan.attributes, "attribute"),
        ] {
            if let Some(c) = given {
                self.check_member(c, set, what);
            } else if top {
                let words: Vec<&str> = set.iter().map(String::as_str).collect();
                self.err(
                    Diagnostic::error(
                        a.id.span,
                        format!("indicator `{}` has no `{what}`", a.id.node),
                    )
                    .expected(format!("one of {}", list(&words))),
                );
            }
        }
        if top && a.seq.is_none() {
            self.err(
                Diagnostic::error(a.id.span, format!("indicator `{}` has no `seq`", a.id.node))
                    .help("give its 序号 in the table: `seq 1`"),
            );
        }
        if is_parent {
            if let Some(t) = a.targets.first() {
                self.err(
                    Diagnostic::error(t.span, "a parent indicator has no target of its own").help(
                        "its status follows from its sub-indicators through a `for parent` rule",
                    ),
                );
            }
            return;
        }
        if let Some(kind) = &a.kind {
            match Kind::parse(&kind.node) {
                Some(x) => ind.kind = x,
                None => self.err(
                    Diagnostic::error(kind.span, format!("unknown kind `{}`", kind.node))
                        .expected(format!("one of {}", list(&Kind::WORDS)))
                        .suggest(&kind.node, Kind::WORDS),
                ),
            }
        } else {
            self.err(
                Diagnostic::error(
                    a.id.span,
                    format!("indicator `{}` has no `kind`", a.id.node),
                )
                .expected(format!("one of {}", list(&Kind::WORDS))),
            );
        }
        if a.unit.is_none() {
            self.err(
                Diagnostic::error(
                    a.id.span,
                    format!("indicator `{}` has no `unit`", a.id.node),
                )
                .help("write `unit \"%\"` (or `\"万人\"`, `\"年\"` …)"),
            );
        }
        let unit = ind.unit.clone();
        let kind = ind.kind;

        // Target.
        for extra in a.targets.iter().skip(1) {
            self.err(Diagnostic::error(
                extra.span,
                format!("indicator `{}` has more than one target", a.id.node),
            ));
        }
        match a.targets.first() {
            None => self.err(
                Diagnostic::error(
                    a.id.span,
                    format!("indicator `{}` has no `target`", a.id.node),
                )
                .expected(format!(
                    "a target such as `target reach 70`; forms: {}",
                    list(&TargetForm::ALL.map(|(w, _)| w))
                )),
            ),
            Some(t) => ind.target = self.lower_target(ctx, t, &unit, kind),
        }

        // Baseline and observations.
        for extra in a.baselines.iter().skip(1) {
            self.err(Diagnostic::error(extra.span, "more than one `baseline`"));
        }
        if let Some(b) = a.baselines.first() {
            let obs = self.lower_obs_line(b, &unit, "the baseline");
            for o in &obs {
                if o.period != Period::year(ctx.plan.base_year) {
                    self.err(Diagnostic::error(
                        o.span,
                        format!(
                            "the baseline is for the plan's baseline year {}, not {}",
                            ctx.plan.base_year, o.period
                        ),
                    ));
                }
            }
            ind.baseline = obs.into_iter().next();
        }
        let mut observations: Vec<Observation> = Vec::new();
        for line in &a.observed {
            for o in self.lower_obs_line(line, &unit, "the observation") {
                let inside = o.period.year >= ctx.plan.start && o.period.year <= ctx.plan.end;
                if !inside {
                    self.err(
                        Diagnostic::error(
                            o.span,
                            format!(
                                "observation {} is outside the plan period {}–{}",
                                o.period, ctx.plan.start, ctx.plan.end
                            ),
                        )
                        .help(if o.period.year == ctx.plan.base_year {
                            "a baseline-year value goes in `baseline`".to_string()
                        } else {
                            "observations run from the first to the last year of the plan"
                                .to_string()
                        }),
                    );
                } else if observations.iter().any(|p| p.period == o.period) {
                    self.err(Diagnostic::error(
                        o.span,
                        format!("{} is observed twice", o.period),
                    ));
                } else {
                    observations.push(o);
                }
            }
        }
        observations.sort_by(|a, b| {
            a.period
                .end_time(0)
                .total_cmp(&b.period.end_time(0))
                .then(a.period.half.cmp(&b.period.half))
        });
        ind.observations = observations;

        for s in &a.stated {
            let value = self.convert(&s.value, &unit);
            let factor = if s.value.node.value != 0.0 {
                value / s.value.node.value
            } else {
                1.0
            };
            let rounding = 0.5 * 10f64.powi(-(s.value.node.decimals as i32)) * factor.abs();
            let source = self.quote(&s.source, "the stated figure", s.span);
            ind.stated.push(Stated {
                figure: s.figure.node.clone(),
                value,
                written: written(&s.value.node),
                rounding,
                as_of: s.as_of.as_ref().map(|p| p.node),
                source,
                span: s.span,
            });
        }
        for line in &a.assessed {
            let source = self.quote(&line.source, "the assessment", line.span);
            for (p, st) in &line.items {
                if p.node.year < ctx.plan.start || p.node.year > ctx.plan.end {
                    self.err(Diagnostic::error(
                        p.span,
                        format!(
                            "assessment {} is outside the plan period {}–{}",
                            p.node, ctx.plan.start, ctx.plan.end
                        ),
                    ));
                }
                if let Some(status) = self.resolve_status(ctx.statuses, None, st) {
                    ind.assessments.push(Assessment {
                        period: p.node,
                        status,
                        source: source.clone(),
                    });
                }
            }
        }
    }

    fn check_member(&mut self, id: &ast::Ident, set: &[String], what: &str) {
        if !set.contains(&id.node) {
            let words: Vec<&str> = set.iter().map(String::as_str).collect();
            self.err(
                Diagnostic::error(id.span, format!("unknown {what} `{}`", id.node))
                    .expected(format!("one of {}", list(&words)))
                    .suggest(&id.node, words),
            );
        }
    }

    fn convert(&mut self, q: &ast::Spanned<ast::Quantity>, unit: &Unit) -> f64 {
        let Some(u) = &q.node.unit else {
            return q.node.value;
        };
        let written = Unit::parse(&u.node);
        match unit.factor_from(&written) {
            Some(f) => q.node.value * f,
            None => {
                self.err(
                    Diagnostic::error(
                        u.span,
                        format!(
                            "unit `{}` does not match the indicator's unit `{}`",
                            u.node, unit.text
                        ),
                    )
                    .help(format!(
                        "write the value in `{}` (or a scaled form of `{}` such as `万{}`)",
                        unit.text, unit.base, unit.base
                    )),
                );
                q.node.value
            }
        }
    }

    fn lower_obs_line(&mut self, line: &ast::ObsLine, unit: &Unit, what: &str) -> Vec<Observation> {
        let source = self.quote(&line.source, what, line.span);
        line.items
            .iter()
            .map(|o| Observation {
                period: o.period.node,
                value: o.value.as_ref().map(|q| self.convert(q, unit)),
                written: o.value.as_ref().map(|q| written(&q.node)),
                source: source.clone(),
                span: o
                    .period
                    .span
                    .to(o.value.as_ref().map_or(o.period.span, |v| v.span)),
            })
            .collect()
    }

    fn lower_target(
        &mut self,
        ctx: &ModelCtx,
        t: &ast::Target,
        unit: &Unit,
        kind: Kind,
    ) -> Option<Target> {
        let words = TargetForm::ALL.map(|(w, _)| w);
        let Some(form) = TargetForm::parse(&t.form.node) else {
            self.err(
                Diagnostic::error(
                    t.form.span,
                    format!("unknown target form `{}`", t.form.node),
                )
                .expected(format!("one of {}", list(&words)))
                .suggest(&t.form.node, words),
            );
            return None;
        };
        let source = self.quote(&t.source, "the target", t.span);
        let value = t.value.as_ref().map(|q| self.convert(q, unit));
        let tolerance = t
            .tolerance
            .as_ref()
            .map(|q| self.convert(q, unit))
            .unwrap_or(0.0);
        let mut tied = None;
        match form {
            TargetForm::Tied => match &t.other {
                Some(o) => tied = self.resolve_indicator(ctx, o),
                None => self.err(
                    Diagnostic::error(t.span, "a `tied` target names the indicator it follows")
                        .expected("`target tied GDP增长`"),
                ),
            },
            TargetForm::City => {
                if let Some(v) = &t.value {
                    self.err(Diagnostic::error(
                        v.span,
                        "a `city` target has no number: the city sets it each year",
                    ));
                }
            }
            TargetForm::Unread => {
                let words: Vec<&str> = TargetForm::ALL
                    .iter()
                    .map(|(w, _)| *w)
                    .filter(|w| *w != "unread")
                    .collect();
                let cell = t.printed.as_ref().map_or("", |p| p.node.as_str());
                self.err(
                    Diagnostic::warning(t.span, format!("target not understood: `{cell}`")).help(
                        format!(
                            "read the target and write its form by hand: one of {}",
                            list(&words)
                        ),
                    ),
                );
            }
            TargetForm::Qualitative => {
                if let Some(v) = &t.value {
                    self.err(
                        Diagnostic::error(
                            v.span,
                            "a `qualitative` target has no number: its status is stated in words",
                        )
                        .help("write the words with `printed \"…\"` and the stated verdict with `assessed`"),
                    );
                }
                if t.printed.is_none() {
                    self.err(
                        Diagnostic::error(t.span, "a `qualitative` target needs its words")
                            .expected("`target qualitative printed \"持续改善\"`"),
                    );
                }
            }
            _ => {
                if value.is_none() {
                    self.err(
                        Diagnostic::error(
                            t.span,
                            format!("a `{}` target needs a number", t.form.node),
                        )
                        .expected(format!("`target {} <number>`", t.form.node)),
                    );
                }
                if let Some(o) = &t.other {
                    self.err(Diagnostic::error(
                        o.span,
                        format!(
                            "unexpected `{}`: only a `tied` target names another indicator",
                            o.node
                        ),
                    ));
                }
            }
        }
        if tolerance < 0.0 {
            self.err(Diagnostic::error(
                t.tolerance.as_ref().map_or(t.span, |q| q.span),
                "a tolerance cannot be negative",
            ));
        }
        // Targets that no data could ever meet.
        if let Some(v) = value {
            let span = t.value.as_ref().map_or(t.span, |q| q.span);
            let impossible = match form {
                TargetForm::Rate | TargetForm::Tied if v <= -100.0 => {
                    Some("a growth rate cannot fall 100% or more a year".to_string())
                }
                TargetForm::Cumulative if v <= 0.0 => {
                    Some("a cumulative total must be positive".to_string())
                }
                TargetForm::Decline if v <= 0.0 || v >= 100.0 => {
                    Some(format!("a level cannot fall by {v}%"))
                }
                TargetForm::Below if unit.text == "%" && kind == Kind::Stock && v <= 0.0 => {
                    Some(format!("no share can stay below {v}%"))
                }
                TargetForm::Above if unit.text == "%" && kind == Kind::Stock && v >= 100.0 => {
                    Some(format!("no share can stay above {v}%"))
                }
                TargetForm::Reach | TargetForm::Floor
                    if unit.text == "%" && kind == Kind::Stock && v > 100.0 =>
                {
                    Some(format!("a share cannot reach {v}%"))
                }
                _ => None,
            };
            if let Some(why) = impossible {
                self.err(Diagnostic::error(span, format!("impossible target: {why}")));
            }
        }
        let printed = match &t.printed {
            Some(p) => p.node.clone(),
            None => match (form, value) {
                (TargetForm::City, _) => "按市下达目标".to_string(),
                (TargetForm::Tied, _) => match &t.other {
                    Some(o) => format!("与{}同步", o.node),
                    None => String::new(),
                },
                (TargetForm::Below, Some(v)) => format!("＜{}", fmt_num(v)),
                (TargetForm::Above, Some(v)) => format!("＞{}", fmt_num(v)),
                (TargetForm::Cumulative, Some(v)) => format!("[{}]", fmt_num(v)),
                (TargetForm::Decline, Some(v)) => format!("↓[{}]", fmt_num(v)),
                (_, Some(v)) if tolerance > 0.0 => format!("{}左右", fmt_num(v)),
                (_, Some(v)) => fmt_num(v),
                _ => String::new(),
            },
        };
        Some(Target {
            form,
            value,
            written: t.value.as_ref().map(|q| written(&q.node)),
            tolerance,
            tied,
            printed,
            source,
            span: t.span,
        })
    }

    fn resolve_indicator(&mut self, ctx: &ModelCtx, id: &ast::Ident) -> Option<IndicatorId> {
        let found = ctx.lookup(&id.node);
        if found.is_none() {
            let cands = ctx.ind_ids.iter().chain(&ctx.ind_names).copied();
            self.err(
                Diagnostic::error(id.span, format!("undefined indicator `{}`", id.node))
                    .suggest(&id.node, cands),
            );
        }
        found
    }

    fn resolve_status(
        &mut self,
        statuses: &[Status],
        method: Option<MethodId>,
        id: &ast::Ident,
    ) -> Option<StatusId> {
        let visible = |s: &Status| s.method.is_none() || s.method == method;
        let found = statuses
            .iter()
            .position(|s| visible(s) && s.name == id.node);
        if found.is_none() {
            let names: Vec<&str> = statuses
                .iter()
                .filter(|s| visible(s))
                .map(|s| s.name.as_str())
                .collect();
            self.err(
                Diagnostic::error(id.span, format!("unknown status `{}`", id.node))
                    .expected(format!("one of {}", list(&names)))
                    .suggest(&id.node, names.iter().copied()),
            );
        }
        found
    }

    /// Two top-level indicators with one 序号 would make the table's order
    /// a guess: the second is an error naming the first.
    fn check_duplicate_seq(&mut self, inds: &[Indicator], asts: &[&ast::Indicator]) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (k, (ind, a)) in inds.iter().zip(asts).enumerate() {
            let (None, Some(seq)) = (ind.parent, a.seq.as_ref()) else {
                continue;
            };
            if let Some(&first) = seen.get(seq.node.as_str()) {
                self.err(
                    Diagnostic::error(
                        seq.span,
                        format!(
                            "duplicate seq `{}`: `{}` has it too",
                            seq.node, inds[first].id
                        ),
                    )
                    .help("each top-level indicator has its own 序号; the table is sorted by it"),
                );
            } else {
                seen.insert(seq.node.as_str(), k);
            }
        }
    }

    /// Tied targets form a functional graph (each indicator ties to at most
    /// one other): one walk per indicator that stops at anything already
    /// walked finds every cycle in linear time.
    fn check_tied_cycles(&mut self, inds: &[Indicator], asts: &[&ast::Indicator]) {
        const NEW: usize = usize::MAX;
        const DONE: usize = usize::MAX - 1;
        let next = |k: usize| inds[k].target.as_ref().and_then(|t| t.tied);
        // NEW, DONE, or the node's position on the current path.
        let mut state = vec![NEW; inds.len()];
        for start in 0..inds.len() {
            if state[start] != NEW {
                continue;
            }
            let mut path = vec![start];
            state[start] = 0;
            let mut cur = start;
            while let Some(n) = next(cur) {
                match state[n] {
                    DONE => break,
                    NEW => {
                        state[n] = path.len();
                        path.push(n);
                        cur = n;
                    }
                    pos => {
                        let cycle = &path[pos..];
                        let names: Vec<String> = cycle
                            .iter()
                            .chain([&n])
                            .map(|&c| format!("`{}`", inds[c].id))
                            .collect();
                        let span = asts[cycle[0]]
                            .targets
                            .first()
                            .map_or(inds[cycle[0]].span, |t| t.span);
                        self.err(
                            Diagnostic::error(
                                span,
                                format!("tied targets form a cycle: {}", names.join(" → ")),
                            )
                            .help(
                                "a tied target must end at an indicator with a target of its own",
                            ),
                        );
                        break;
                    }
                }
            }
            for &c in &path {
                state[c] = DONE;
            }
        }
    }

    fn lower_rule(&mut self, ctx: &ModelCtx, method: MethodId, r: &ast::Rule) -> Rule {
        let mut applies = Vec::new();
        for a in &r.applies {
            match (a.node.as_str(), TargetForm::parse(&a.node)) {
                ("parent", _) => applies.push(Applies::Parent),
                (_, Some(f)) => applies.push(Applies::Form(f)),
                _ => {
                    let mut words: Vec<&str> = TargetForm::ALL.iter().map(|(w, _)| *w).collect();
                    words.push("parent");
                    self.err(
                        Diagnostic::error(a.span, format!("unknown target form `{}`", a.node))
                            .expected(format!("one of {}", list(&words)))
                            .suggest(&a.node, words.iter().copied()),
                    );
                }
            }
        }
        let mut scope = Scope {
            ctx,
            method,
            figures: Vec::new(),
        };
        let mut figures = Vec::new();
        for (name, e) in &r.figures {
            if scope.figures.contains(&name.node) {
                self.err(Diagnostic::error(
                    name.span,
                    format!("figure `{}` is defined twice", name.node),
                ));
            }
            let (expr, ty) = self.lower_expr(&scope, e);
            if ty != Ty::Num && ty != Ty::Any {
                self.err(Diagnostic::error(
                    e.span,
                    format!("a figure is a number, but this is {}", ty.word()),
                ));
            }
            scope.figures.push(name.node.clone());
            figures.push(Figure {
                name: name.node.clone(),
                expr,
            });
        }
        let mut branches = Vec::new();
        let mut fallback_seen: Option<Span> = None;
        let mut conds_seen: Vec<String> = Vec::new();
        for b in &r.branches {
            if let Some(f) = fallback_seen {
                self.err(
                    Diagnostic::warning(
                        b.span,
                        "this branch can never fire: it comes after `otherwise`",
                    )
                    .help(format!(
                        "`otherwise` at {} always matches first",
                        self.sources.location(f)
                    )),
                );
            }
            let cond = b.cond.as_ref().map(|c| {
                let (e, ty) = self.lower_expr(&scope, c);
                if ty != Ty::Bool && ty != Ty::Any {
                    self.err(
                        Diagnostic::error(
                            c.span,
                            format!(
                                "a condition must be true or false, but this is {}",
                                ty.word()
                            ),
                        )
                        .help("compare it: `latest() >= target()`"),
                    );
                }
                let text: String = self.sources.text(c.span).split_whitespace().collect();
                if conds_seen.contains(&text) {
                    self.err(Diagnostic::warning(
                        c.span,
                        "this branch can never fire: an earlier branch has the same condition",
                    ));
                } else if constant_bool(&e) == Some(false) {
                    self.err(Diagnostic::warning(
                        c.span,
                        "this branch can never fire: its condition is always false",
                    ));
                }
                conds_seen.push(text);
                e
            });
            if cond.is_none() {
                fallback_seen = Some(b.span);
            }
            let status = self
                .resolve_status(ctx.statuses, Some(method), &b.status)
                .unwrap_or(0);
            let explanation = match &b.explanation {
                Some(t) => t
                    .node
                    .parts
                    .iter()
                    .map(|p| match p {
                        ast::TemplatePart::Text(s) => Part::Text(s.clone()),
                        ast::TemplatePart::Expr(e, prec) => {
                            Part::Expr(self.lower_expr(&scope, e).0, *prec)
                        }
                    })
                    .collect(),
                None => vec![],
            };
            branches.push(Branch {
                cond,
                status,
                explanation,
                span: b.span,
            });
        }
        if fallback_seen.is_none() {
            self.err(
                Diagnostic::error(r.id.span, format!("rule `{}` has no fallback", r.id.node)).help(
                    "end it with `otherwise => <status> \"…\"` so every indicator gets a status",
                ),
            );
        }
        Rule {
            id: r.id.node.clone(),
            applies,
            figures,
            branches,
            span: r.span,
        }
    }

    fn lower_expr(&mut self, scope: &Scope, e: &ast::Expr) -> (Expr, Ty) {
        let mk = |kind| Expr { kind, span: e.span };
        match &e.kind {
            ast::ExprKind::Number(v) => (mk(ExprKind::Number(*v)), Ty::Num),
            ast::ExprKind::Period(p) => (mk(ExprKind::Period(*p)), Ty::Period),
            ast::ExprKind::Name(n) => {
                if let Some(i) = scope.figures.iter().position(|f| f == n) {
                    return (mk(ExprKind::Figure(i)), Ty::Num);
                }
                let visible = |s: &Status| s.method.is_none() || s.method == Some(scope.method);
                if let Some(s) = scope
                    .ctx
                    .statuses
                    .iter()
                    .position(|s| visible(s) && s.name == *n)
                {
                    return (mk(ExprKind::Status(s)), Ty::Status);
                }
                if let Some(i) = scope.ctx.lookup(n) {
                    self.err(
                        Diagnostic::error(
                            e.span,
                            format!("indicator `{n}` cannot stand alone in an expression"),
                        )
                        .help(format!(
                            "pass it to a function: `latest({n})`, `target({n})`"
                        )),
                    );
                    return (mk(ExprKind::Indicator(i)), Ty::Any);
                }
                let mut cands: Vec<&str> = scope.figures.iter().map(String::as_str).collect();
                cands.extend(
                    scope
                        .ctx
                        .statuses
                        .iter()
                        .filter(|s| visible(s))
                        .map(|s| s.name.as_str()),
                );
                cands.extend(scope.ctx.ind_ids.iter().copied());
                let d = Diagnostic::error(e.span, format!("undefined name `{n}`"))
                    .expected("a figure defined earlier in this rule, a status, or a function call such as `latest()`");
                self.err(d.suggest(n, cands));
                (mk(ExprKind::Number(f64::NAN)), Ty::Any)
            }
            ast::ExprKind::Unary(op, x) => {
                let (x, t) = self.lower_expr(scope, x);
                let want = if *op == UnOp::Neg { Ty::Num } else { Ty::Bool };
                self.expect_ty(
                    t,
                    want,
                    x.span,
                    if *op == UnOp::Neg { "`-`" } else { "`not`" },
                );
                (mk(ExprKind::Unary(*op, Box::new(x))), want)
            }
            ast::ExprKind::Binary(op, a, b) => {
                let (a, ta) = self.lower_expr(scope, a);
                let (b, tb) = self.lower_expr(scope, b);
                let sym = format!("`{}`", op.symbol());
                let out = match op {
                    BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                        self.expect_ty(ta, Ty::Num, a.span, &sym);
                        self.expect_ty(tb, Ty::Num, b.span, &sym);
                        Ty::Num
                    }
                    BinOp::Ge | BinOp::Le | BinOp::Gt | BinOp::Lt => {
                        self.expect_ty(ta, Ty::Num, a.span, &sym);
                        self.expect_ty(tb, Ty::Num, b.span, &sym);
                        Ty::Bool
                    }
                    BinOp::Eq | BinOp::Ne => {
                        if ta != tb && ta != Ty::Any && tb != Ty::Any {
                            self.err(Diagnostic::error(
                                a.span.to(b.span),
                                format!("cannot compare {} with {}", ta.word(), tb.word()),
                            ));
                        }
                        Ty::Bool
                    }
                    BinOp::And | BinOp::Or => {
                        self.expect_ty(ta, Ty::Bool, a.span, &sym);
                        self.expect_ty(tb, Ty::Bool, b.span, &sym);
                        Ty::Bool
                    }
                };
                (mk(ExprKind::Binary(*op, Box::new(a), Box::new(b))), out)
            }
            ast::ExprKind::Call(name, args) => self.lower_call(scope, e, name, args),
        }
    }

    fn lower_call(
        &mut self,
        scope: &Scope,
        e: &ast::Expr,
        name: &ast::Ident,
        args: &[ast::Expr],
    ) -> (Expr, Ty) {
        let Some(sig) = builtins::lookup(&name.node) else {
            let cands = builtins::SIGNATURES.iter().flat_map(|s| [s.name, s.alias]);
            self.err(
                Diagnostic::error(name.span, format!("unknown function `{}`", name.node))
                    .suggest(&name.node, cands),
            );
            return (
                Expr {
                    kind: ExprKind::Number(f64::NAN),
                    span: e.span,
                },
                Ty::Any,
            );
        };
        let n = sig.params.len();
        let max = n + usize::from(sig.takes_indicator);
        if args.len() < n || args.len() > max {
            let want = if max == n {
                format!("{n}")
            } else {
                format!("{n} or {max}")
            };
            let usage = sig_usage(sig);
            self.err(
                Diagnostic::error(
                    e.span,
                    format!(
                        "`{}` takes {want} argument(s), not {}",
                        name.node,
                        args.len()
                    ),
                )
                .expected(usage),
            );
        }
        let mut out = Vec::new();
        let mut ret = sig.returns;
        for (i, a) in args.iter().enumerate() {
            if i >= n {
                // The optional indicator argument.
                if let ast::ExprKind::Name(id) = &a.kind {
                    let ident = ast::Spanned::new(id.clone(), a.span);
                    let k = self.resolve_indicator(scope.ctx, &ident).unwrap_or(0);
                    out.push(Expr {
                        kind: ExprKind::Indicator(k),
                        span: a.span,
                    });
                } else {
                    self.err(
                        Diagnostic::error(
                            a.span,
                            format!("the last argument of `{}` names an indicator", name.node),
                        )
                        .expected(sig_usage(sig)),
                    );
                }
                continue;
            }
            let want = sig.params[i];
            // A plain year where a period is wanted: `value(2022)`.
            if want == Ty::Period {
                if let ast::ExprKind::Number(v) = a.kind {
                    if v.fract() == 0.0 && (1000.0..10000.0).contains(&v) {
                        out.push(Expr {
                            kind: ExprKind::Period(Period::year(v as i32)),
                            span: a.span,
                        });
                        continue;
                    }
                }
            }
            let (x, t) = self.lower_expr(scope, a);
            if want != Ty::Any {
                self.expect_ty(t, want, a.span, &format!("`{}`", name.node));
            }
            if sig.builtin == builtins::Builtin::If && i == 1 {
                ret = t;
            }
            out.push(x);
        }
        (
            Expr {
                kind: ExprKind::Call(sig.builtin, out),
                span: e.span,
            },
            ret,
        )
    }

    fn expect_ty(&mut self, got: Ty, want: Ty, span: Span, what: &str) {
        if got != want && got != Ty::Any && want != Ty::Any {
            self.err(Diagnostic::error(
                span,
                format!(
                    "{what} expects {} here, but this is {}",
                    want.word(),
                    got.word()
                ),
            ));
        }
    }

    fn check_coverage(&mut self, model: &Model, method_asts: &[&ast::Method]) {
        for (mi, m) in model.methods.iter().enumerate() {
            // A second rule for the same form is never used.
            let mut seen: Vec<Applies> = Vec::new();
            for (ri, r) in m.rules.iter().enumerate() {
                for a in &r.applies {
                    if seen.contains(a) {
                        let span = method_asts[mi].rules[ri]
                            .applies
                            .iter()
                            .find(|x| x.node == applies_word(*a))
                            .map_or(r.span, |x| x.span);
                        self.err(Diagnostic::warning(span, format!("an earlier rule of method `{}` already decides `{}`: this one is never used for it", m.id, applies_word(*a))));
                    } else {
                        seen.push(*a);
                    }
                }
            }
            let mut missing: Vec<(Applies, Vec<&str>)> = Vec::new();
            for (k, ind) in model.indicators.iter().enumerate() {
                let Some(a) = model.applies_of(k) else {
                    continue;
                };
                if !seen.contains(&a) {
                    match missing.iter_mut().find(|(x, _)| *x == a) {
                        Some((_, v)) => v.push(&ind.id),
                        None => missing.push((a, vec![&ind.id])),
                    }
                }
            }
            for (a, inds) in missing {
                let span = method_asts[mi].id.span;
                self.err(
                    Diagnostic::error(
                        span,
                        format!(
                            "method `{}` has no rule for `{}` (needed by {})",
                            m.id,
                            applies_word(a),
                            inds.iter()
                                .map(|i| format!("`{i}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                    .help(format!("add `rule <name> for {} {{ … }}`", applies_word(a))),
                );
            }
        }
    }

    fn lower_graph(&mut self, model: &mut Model, files: &[(SourceId, ast::File)]) {
        use super::graph::{EdgeKind, GEdge, GNode, NodeKind, StateClass};
        let mut g = super::graph::GraphData::default();
        for (_, f) in files {
            for (word, class) in &f.project_states {
                match StateClass::parse(&class.node) {
                    Some(c) => {
                        if g.states.iter().any(|(w, _)| *w == word.node) {
                            self.err(Diagnostic::error(
                                word.span,
                                format!("duplicate project state `{}`", word.node),
                            ));
                        } else {
                            g.states.push((word.node.clone(), c));
                        }
                    }
                    None => self.err(
                        Diagnostic::error(
                            class.span,
                            format!("unknown project state class `{}`", class.node),
                        )
                        .expected(format!("one of {}", list(&StateClass::WORDS)))
                        .suggest(&class.node, StateClass::WORDS),
                    ),
                }
            }
        }
        let state_words: Vec<String> = g.states.iter().map(|(w, _)| w.clone()).collect();
        for (k, ind) in model.indicators.iter().enumerate() {
            g.nodes.push(GNode {
                id: ind.id.clone(),
                kind: NodeKind::Indicator,
                name: ind.name.clone(),
                aliases: vec![],
                source: ind.target.as_ref().and_then(|t| t.source.clone()),
                investment: None,
                year: None,
                state: None,
                state_class: None,
                expansion: None,
                words: vec![],
                notes: ind.notes.clone(),
                indicator: Some(k),
                span: ind.span,
            });
        }
        let asts: Vec<&ast::Node> = files.iter().flat_map(|(_, f)| &f.nodes).collect();
        let mut index: HashMap<String, usize> = g
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        for a in &asts {
            let kind = NodeKind::parse(&a.kind.node).expect("grammar: node kinds");
            if let Some(&prev) = index.get(&a.id.node) {
                let at = g.nodes[prev].span;
                self.err(
                    Diagnostic::error(a.id.span, format!("duplicate node id `{}`", a.id.node))
                        .help(format!("first declared at {}", self.sources.location(at))),
                );
                continue;
            }
            let source = self.quote(
                &a.source,
                &format!("the {} `{}`", kind.word(), a.id.node),
                a.id.span,
            );
            let investment = a.investment.as_ref().and_then(|q| {
                let written = Unit::parse(q.node.unit.as_ref().map_or("亿元", |u| u.node.as_str()));
                match Unit::parse("亿元").factor_from(&written) {
                    Some(f) => Some(q.node.value * f),
                    None => {
                        self.err(
                            Diagnostic::error(q.span, "an investment is an amount of money")
                                .expected("`investment 8.9亿元` or `investment 7936万元`"),
                        );
                        None
                    }
                }
            });
            let year = a.year.as_ref().and_then(|y| match y.node.parse::<i32>() {
                Ok(v) if (1949..=2100).contains(&v) => Some(v),
                _ => {
                    self.err(Diagnostic::error(
                        y.span,
                        format!("`{}` is not a year", y.node),
                    ));
                    None
                }
            });
            let mut state_class = None;
            if let Some(st) = &a.state {
                match g.states.iter().find(|(w, _)| *w == st.node) {
                    Some((_, c)) => state_class = Some(*c),
                    None => {
                        let words: Vec<&str> = state_words.iter().map(String::as_str).collect();
                        self.err(
                            Diagnostic::error(
                                st.span,
                                format!("unknown project state `{}`", st.node),
                            )
                            .expected(if words.is_empty() {
                                "a state declared in `project_states { <word> planned|under_way|done … }`".to_string()
                            } else {
                                format!("one of {}", list(&words))
                            })
                            .suggest(&st.node, words.iter().copied()),
                        );
                    }
                }
            }
            index.insert(a.id.node.clone(), g.nodes.len());
            g.nodes.push(GNode {
                id: a.id.node.clone(),
                kind,
                name: a
                    .name
                    .as_ref()
                    .map_or_else(|| a.id.node.clone(), |n| n.node.clone()),
                aliases: a.aliases.iter().map(|x| x.node.clone()).collect(),
                source,
                investment,
                year,
                state: a.state.as_ref().map(|s| s.node.clone()),
                state_class,
                expansion: a.expansion.as_ref().map(|e| e.node.clone()),
                words: vec![],
                notes: a.notes.iter().map(|n| n.node.clone()).collect(),
                indicator: None,
                span: a.id.span,
            });
        }
        // Names resolve too (ids first).
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (i, n) in g.nodes.iter().enumerate().rev() {
            by_name.insert(n.name.clone(), i);
            for al in &n.aliases {
                by_name.insert(al.clone(), i);
            }
        }
        for a in &asts {
            let Some(&from) = index.get(&a.id.node) else {
                continue;
            };
            if g.nodes[from].span != a.id.span {
                continue; // a duplicate, reported above
            }
            for e in &a.edges {
                let kind = EdgeKind::parse(&e.kind.node).expect("grammar: edge kinds");
                let source = match &e.source {
                    Some(_) => self.quote(&e.source, "the edge", e.span),
                    None => g.nodes[from].source.clone(),
                };
                for t in &e.targets {
                    let to = index.get(&t.node).or_else(|| by_name.get(&t.node)).copied();
                    if kind == EdgeKind::Defines && to.is_none() {
                        g.nodes[from].words.push(t.node.clone());
                        continue;
                    }
                    let Some(to) = to else {
                        let cands: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
                        self.err(
                            Diagnostic::error(t.span, format!("undefined node `{}`", t.node))
                                .suggest(&t.node, cands),
                        );
                        continue;
                    };
                    if to == from {
                        self.err(Diagnostic::error(
                            t.span,
                            format!("`{}` cannot `{}` itself", t.node, kind.word()),
                        ));
                        continue;
                    }
                    if let Err(rule) = kind.allows(g.nodes[from].kind, g.nodes[to].kind) {
                        self.err(
                            Diagnostic::error(
                                e.kind.span.to(t.span),
                                format!(
                                    "a {} cannot `{}` a {} (`{}`)",
                                    g.nodes[from].kind.word(),
                                    kind.word(),
                                    g.nodes[to].kind.word(),
                                    t.node
                                ),
                            )
                            .expected(rule),
                        );
                        continue;
                    }
                    g.edges.push(GEdge {
                        from,
                        to,
                        kind,
                        source: source.clone(),
                        span: e.kind.span.to(t.span),
                    });
                }
            }
        }
        // A term's words that name nodes define those nodes too.
        let mut extra = Vec::new();
        for (i, n) in g
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == NodeKind::Term)
        {
            for w in &n.words {
                if let Some(&to) = by_name.get(w).or_else(|| index.get(w)) {
                    if to != i && g.nodes[to].kind != NodeKind::Indicator {
                        extra.push(GEdge {
                            from: i,
                            to,
                            kind: EdgeKind::Defines,
                            source: n.source.clone(),
                            span: n.span,
                        });
                    }
                }
            }
        }
        g.edges.extend(extra);
        self.check_dependency_cycles(&g);
        model.graph = g;
    }

    /// Every cycle among `depends_on` edges is an error naming its nodes.
    fn check_dependency_cycles(&mut self, g: &super::graph::GraphData) {
        use super::graph::EdgeKind;
        let n = g.nodes.len();
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (ei, e) in g.edges.iter().enumerate() {
            if e.kind == EdgeKind::DependsOn {
                out[e.from].push(ei);
            }
        }
        // Iterative DFS with colours; a grey target closes a cycle.
        let mut colour = vec![0u8; n];
        let mut reported = vec![false; n];
        for start in 0..n {
            if colour[start] != 0 || out[start].is_empty() {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            let mut path: Vec<usize> = vec![start];
            colour[start] = 1;
            while let Some(&mut (v, ref mut k)) = stack.last_mut() {
                if *k < out[v].len() {
                    let e = &g.edges[out[v][*k]];
                    *k += 1;
                    match colour[e.to] {
                        0 => {
                            colour[e.to] = 1;
                            stack.push((e.to, 0));
                            path.push(e.to);
                        }
                        1 => {
                            let pos = path.iter().position(|&x| x == e.to).unwrap_or(0);
                            let cycle = &path[pos..];
                            if cycle.iter().all(|&c| !reported[c]) {
                                let names: Vec<String> = cycle
                                    .iter()
                                    .chain([&e.to])
                                    .map(|&c| format!("`{}`", g.nodes[c].id))
                                    .collect();
                                self.err(Diagnostic::error(e.span, format!("dependency cycle: {}", names.join(" → "))).help("a dependency cycle has no order to follow; remove one of its `depends_on` edges"));
                            }
                            for &c in cycle {
                                reported[c] = true;
                            }
                        }
                        _ => {}
                    }
                } else {
                    colour[v] = 2;
                    stack.pop();
                    path.pop();
                }
            }
        }
    }

    fn lower_vocabulary(&mut self, model: &mut Model, files: &[(SourceId, ast::File)]) {
        for (_, f) in files {
            for g in &f.synonyms {
                let words: Vec<String> = g.iter().map(|w| w.node.trim().to_string()).collect();
                if let Some(w) = g.iter().find(|w| w.node.trim().is_empty()) {
                    self.err(Diagnostic::error(w.span, "an empty synonym"));
                }
                if let Some((i, w)) = g
                    .iter()
                    .enumerate()
                    .find(|(i, w)| words[..*i].contains(&w.node))
                {
                    let _ = i;
                    self.err(Diagnostic::warning(
                        w.span,
                        format!("`{}` appears twice in this synonym group", w.node),
                    ));
                }
                model.synonyms.push(words);
            }
            for t in &f.terms {
                if t.node.trim().is_empty() {
                    self.err(Diagnostic::error(t.span, "an empty term"));
                } else if !model.terms.contains(&t.node) {
                    model.terms.push(t.node.trim().to_string());
                }
            }
        }
    }

    fn lower_tests(&mut self, model: &Model, files: &[(SourceId, ast::File)]) -> Vec<TestCase> {
        let mut out = Vec::new();
        let ctx = ModelCtx::new(
            &model.plan,
            &model.statuses,
            model.indicators.iter().map(|i| i.id.as_str()).collect(),
            model.indicators.iter().map(|i| i.name.as_str()).collect(),
        );
        for (_, f) in files {
            for block in &f.tests {
                for x in &block.expects {
                    let indicator = self.resolve_indicator(&ctx, &x.indicator);
                    let method = match &x.method {
                        Some(m) => match model.find_method(&m.node) {
                            Some(i) => Some(i),
                            None => {
                                let names: Vec<&str> =
                                    model.methods.iter().map(|m| m.id.as_str()).collect();
                                self.err(
                                    Diagnostic::error(
                                        m.span,
                                        format!("unknown method `{}`", m.node),
                                    )
                                    .expected(format!("one of {}", list(&names)))
                                    .suggest(&m.node, names.iter().copied()),
                                );
                                continue;
                            }
                        },
                        None => None,
                    };
                    let status = self.resolve_status(
                        &model.statuses,
                        Some(method.unwrap_or(model.plan.default_method)),
                        &x.status,
                    );
                    if let Some(p) = &x.as_of {
                        if p.node.year < model.plan.start || p.node.year > model.plan.end {
                            self.err(Diagnostic::error(
                                p.span,
                                format!(
                                    "{} is outside the plan period {}–{}",
                                    p.node, model.plan.start, model.plan.end
                                ),
                            ));
                        }
                    }
                    if x.source.is_some() {
                        self.quote(&x.source, "the expectation", x.span);
                    }
                    if let (Some(indicator), Some(status)) = (indicator, status) {
                        out.push(TestCase {
                            block: block.name.node.clone(),
                            indicator,
                            status,
                            as_of: x.as_of.as_ref().map(|p| p.node),
                            method,
                            span: x.span,
                        });
                    }
                }
            }
        }
        out
    }
}

struct ModelCtx<'m> {
    plan: &'m Plan,
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

fn applies_word(a: Applies) -> &'static str {
    match a {
        Applies::Parent => "parent",
        Applies::Form(f) => f.word(),
    }
}

fn sig_usage(sig: &builtins::Signature) -> String {
    let mut ps: Vec<String> = sig
        .params
        .iter()
        .map(|t| match t {
            Ty::Num => "number",
            Ty::Bool => "condition",
            Ty::Status => "status",
            Ty::Period => "period",
            Ty::Any => "value",
        })
        .map(String::from)
        .collect();
    if sig.takes_indicator {
        ps.push("[indicator]".into());
    }
    format!("`{}({})`", sig.name, ps.join(", "))
}

/// The value of a condition made only of constants, if it is one.
fn constant_bool(e: &Expr) -> Option<bool> {
    fn num(e: &Expr) -> Option<f64> {
        match &e.kind {
            ExprKind::Number(v) => Some(*v),
            ExprKind::Unary(UnOp::Neg, x) => num(x).map(|v| -v),
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (num(a)?, num(b)?);
                match op {
                    BinOp::Add => Some(a + b),
                    BinOp::Sub => Some(a - b),
                    BinOp::Mul => Some(a * b),
                    BinOp::Div if b != 0.0 => Some(a / b),
                    _ => None,
                }
            }
            _ => None,
        }
    }
    match &e.kind {
        ExprKind::Unary(UnOp::Not, x) => constant_bool(x).map(|b| !b),
        ExprKind::Binary(op, a, b) => match op {
            BinOp::And => match (constant_bool(a), constant_bool(b)) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            },
            BinOp::Or => match (constant_bool(a), constant_bool(b)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
            BinOp::Ge | BinOp::Le | BinOp::Gt | BinOp::Lt | BinOp::Eq | BinOp::Ne => {
                let (x, y) = (num(a)?, num(b)?);
                Some(match op {
                    BinOp::Ge => x >= y,
                    BinOp::Le => x <= y,
                    BinOp::Gt => x > y,
                    BinOp::Lt => x < y,
                    BinOp::Eq => x == y,
                    _ => x != y,
                })
            }
            _ => None,
        },
        _ => None,
    }
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
