//! Pest pairs → [`ast`](super::ast): one builder per grammar item
//! (plan, indicator, target, method, rule, test, graph node, template).
//! Expressions go to the Pratt parser ([`pratt`](super::pratt)).

use super::ast::*;
use super::build_rules::{parse_method, parse_test};
use super::build_sources::{parse_document, source};
use super::grammar::Rule;
use crate::span::{Diagnostic, SourceId, Span};
use pest::iterators::Pair;

/// The items of one chunk's `file` pair; every item that fails to build
/// gives its diagnostic, the others are kept.
pub(super) fn file(ctx: &Ctx, root: Pair<Rule>) -> Result<File, Vec<Diagnostic>> {
    let mut out = File::default();
    let mut errors = Vec::new();
    for item in root.into_inner() {
        let r = match item.as_rule() {
            Rule::plan => parse_plan(ctx, item).map(|p| out.plans.push(p)),
            Rule::indicator => parse_indicator(ctx, item).map(|i| out.indicators.push(i)),
            Rule::method => parse_method(ctx, item).map(|m| out.methods.push(m)),
            Rule::test_block => {
                out.tests.push(parse_test(ctx, item));
                Ok(())
            }
            Rule::synonyms => {
                for g in item.into_inner() {
                    if g.as_rule() == Rule::not_synonym {
                        let mut ws = g.into_inner().filter(|w| w.as_rule() != Rule::ne);
                        let a = word(ctx, ws.next().expect("grammar: a word"));
                        let b = word(ctx, ws.next().expect("grammar: a second word"));
                        out.not_synonyms.push((a, b));
                    } else {
                        out.synonyms
                            .push(g.into_inner().map(|w| word(ctx, w)).collect());
                    }
                }
                Ok(())
            }
            Rule::terms => {
                out.terms.extend(item.into_inner().map(|w| word(ctx, w)));
                Ok(())
            }
            Rule::project_states => {
                for d in item.into_inner() {
                    let mut it = d.into_inner();
                    let word = ctx.ident(it.next().expect("grammar: state word"));
                    let class = ctx.ident(it.next().expect("grammar: state class"));
                    out.project_states.push((word, class));
                }
                Ok(())
            }
            Rule::node => parse_node(ctx, item).map(|n| out.nodes.push(n)),
            Rule::document => {
                out.documents.push(parse_document(ctx, item));
                Ok(())
            }
            Rule::EOI => Ok(()),
            r => unreachable!("{r:?} not supposed to get there (build::file)"),
        };
        if let Err(d) = r {
            errors.push(d);
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

pub(super) type PResult<T> = Result<T, Diagnostic>;

pub(super) struct Ctx {
    pub(super) file: SourceId,
    pub(super) base: usize,
}

impl Ctx {
    pub(super) fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span::new(self.file, self.base + s.start(), self.base + s.end())
    }
    pub(super) fn ident(&self, p: Pair<Rule>) -> Ident {
        Spanned::new(p.as_str().to_string(), self.span(&p))
    }
}

pub(super) fn string_value(p: Pair<Rule>) -> String {
    let body = p.into_inner().next().map(|b| b.as_str()).unwrap_or("");
    unescape(body)
}

pub(super) fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

pub(super) fn spanned_string(ctx: &Ctx, p: Pair<Rule>) -> Spanned<String> {
    let span = ctx.span(&p);
    Spanned::new(string_value(p), span)
}

pub(super) fn parse_period_str(s: &str) -> Period {
    let year: i32 = s[..4]
        .parse()
        .expect("grammar: period starts with four digits");
    let half = match &s[4..] {
        "H1" | "上半年" => 1,
        "H2" | "下半年" => 2,
        _ => 0,
    };
    Period { year, half }
}

pub(super) fn period(ctx: &Ctx, p: Pair<Rule>) -> Spanned<Period> {
    Spanned::new(parse_period_str(p.as_str()), ctx.span(&p))
}

pub(super) fn quantity(ctx: &Ctx, p: Pair<Rule>) -> PResult<Spanned<Quantity>> {
    let span = ctx.span(&p);
    let mut inner = p.into_inner();
    let num = inner.next().expect("grammar: quantity has a number");
    let value = parse_number(ctx, &num)?;
    let decimals = num
        .as_str()
        .split('.')
        .nth(1)
        .map_or(0, |d| d.len().min(12) as u8);
    let unit = inner.next().map(|u| ctx.ident(u));
    Ok(Spanned::new(
        Quantity {
            value,
            decimals,
            unit,
        },
        span,
    ))
}

pub(super) fn parse_number(ctx: &Ctx, p: &Pair<Rule>) -> PResult<f64> {
    p.as_str()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            Diagnostic::error(
                ctx.span(p),
                format!("`{}` is not a usable number", p.as_str()),
            )
        })
}

fn parse_plan(ctx: &Ctx, p: Pair<Rule>) -> PResult<Plan> {
    let span = ctx.span(&p);
    let mut inner = p.into_inner();
    let id = ctx.ident(inner.next().expect("grammar: plan id"));
    let mut plan = Plan {
        id,
        title: None,
        period: None,
        baseline: None,
        categories: vec![],
        attributes: vec![],
        default_method: None,
        statuses: vec![],
        classes: vec![],
        default_tolerance: None,
        span,
    };
    for e in inner {
        match e.as_rule() {
            Rule::string => plan.title = Some(spanned_string(ctx, e)),
            Rule::period_decl => {
                let mut i = e.into_inner();
                let a = period(ctx, i.next().expect("grammar: period start"));
                let b = period(ctx, i.next().expect("grammar: period end"));
                plan.period = Some((a, b));
            }
            Rule::plan_baseline => {
                plan.baseline = Some(period(ctx, e.into_inner().next().expect("grammar")))
            }
            Rule::categories => plan.categories = ident_list(ctx, e),
            Rule::attributes => plan.attributes = ident_list(ctx, e),
            Rule::default_method => {
                plan.default_method = Some(ctx.ident(e.into_inner().next().expect("grammar")))
            }
            Rule::statuses => plan.statuses.extend(status_decls(ctx, e)),
            Rule::classes => plan.classes.extend(class_labels(ctx, e)),
            Rule::default_tolerance => {
                plan.default_tolerance =
                    Some(quantity(ctx, e.into_inner().next().expect("grammar"))?)
            }
            r => unreachable!("{r:?} not supposed to get there (parse_plan)"),
        }
    }
    Ok(plan)
}

pub(super) fn ident_list(ctx: &Ctx, p: Pair<Rule>) -> Vec<Ident> {
    p.into_inner()
        .next()
        .map(|l| l.into_inner().map(|i| ctx.ident(i)).collect())
        .unwrap_or_default()
}

pub(super) fn class_labels(ctx: &Ctx, p: Pair<Rule>) -> Vec<(Ident, Spanned<String>)> {
    p.into_inner()
        .map(|d| {
            let mut i = d.into_inner();
            let class = ctx.ident(i.next().expect("grammar: class word"));
            (
                class,
                spanned_string(ctx, i.next().expect("grammar: class label")),
            )
        })
        .collect()
}

pub(super) fn status_decls(ctx: &Ctx, p: Pair<Rule>) -> Vec<StatusDecl> {
    p.into_inner()
        .map(|d| {
            let mut i = d.into_inner();
            StatusDecl {
                name: ctx.ident(i.next().expect("grammar: status name")),
                class: ctx.ident(i.next().expect("grammar: status class")),
                gloss: i.next().map(|s| spanned_string(ctx, s)),
            }
        })
        .collect()
}

fn parse_indicator(ctx: &Ctx, p: Pair<Rule>) -> PResult<Indicator> {
    let span = ctx.span(&p);
    let mut inner = p.into_inner();
    let id = ctx.ident(inner.next().expect("grammar: indicator id"));
    let mut ind = Indicator {
        id,
        seq: None,
        name: None,
        category: None,
        attribute: None,
        unit: None,
        kind: None,
        targets: vec![],
        baselines: vec![],
        observed: vec![],
        stated: vec![],
        assessed: vec![],
        notes: vec![],
        children: vec![],
        span,
    };
    for e in inner {
        let espan = ctx.span(&e);
        match e.as_rule() {
            Rule::seq_decl => {
                let v = e.into_inner().next().expect("grammar: seq value");
                let s = if v.as_rule() == Rule::string {
                    string_value(v)
                } else {
                    v.as_str().to_string()
                };
                ind.seq = Some(Spanned::new(s, espan));
            }
            Rule::name_decl => {
                ind.name = Some(spanned_string(ctx, e.into_inner().next().expect("grammar")))
            }
            Rule::category_decl => {
                ind.category = Some(ctx.ident(e.into_inner().next().expect("grammar")))
            }
            Rule::attribute_decl => {
                ind.attribute = Some(ctx.ident(e.into_inner().next().expect("grammar")))
            }
            Rule::unit_decl => {
                ind.unit = Some(spanned_string(ctx, e.into_inner().next().expect("grammar")))
            }
            Rule::kind_decl => ind.kind = Some(ctx.ident(e.into_inner().next().expect("grammar"))),
            Rule::note_decl => ind
                .notes
                .push(spanned_string(ctx, e.into_inner().next().expect("grammar"))),
            Rule::target_decl => ind.targets.push(parse_target(ctx, e)?),
            Rule::baseline_decl => ind.baselines.push(parse_obs_line(ctx, e)?),
            Rule::observed_decl => ind.observed.push(parse_obs_line(ctx, e)?),
            Rule::stated_decl => {
                let mut i = e.into_inner();
                let figure = ctx.ident(i.next().expect("grammar: stated figure"));
                let value = quantity(ctx, i.next().expect("grammar: stated value"))?;
                let mut st = Stated {
                    figure,
                    value,
                    as_of: None,
                    source: None,
                    span: espan,
                };
                for x in i {
                    match x.as_rule() {
                        Rule::period => st.as_of = Some(period(ctx, x)),
                        Rule::source => st.source = Some(source(ctx, x)),
                        r => unreachable!("{r:?} not supposed to get there (stated)"),
                    }
                }
                ind.stated.push(st);
            }
            Rule::assessed_decl => {
                let mut line = AssessLine {
                    items: vec![],
                    source: None,
                    span: espan,
                };
                for x in e.into_inner() {
                    match x.as_rule() {
                        Rule::assessment => {
                            let mut i = x.into_inner();
                            let per = period(ctx, i.next().expect("grammar: assessment period"));
                            let st = ctx.ident(i.next().expect("grammar: assessment status"));
                            line.items.push((per, st));
                        }
                        Rule::source => line.source = Some(source(ctx, x)),
                        r => unreachable!("{r:?} not supposed to get there (assessed)"),
                    }
                }
                ind.assessed.push(line);
            }
            Rule::indicator => ind.children.push(parse_indicator(ctx, e)?),
            r => unreachable!("{r:?} not supposed to get there (parse_indicator)"),
        }
    }
    Ok(ind)
}

fn parse_node(ctx: &Ctx, p: Pair<Rule>) -> PResult<Node> {
    let span = ctx.span(&p);
    let mut inner = p.into_inner();
    let kind = ctx.ident(inner.next().expect("grammar: node kind"));
    let id = ctx.ident(inner.next().expect("grammar: node id"));
    let mut n = Node {
        kind,
        id,
        name: None,
        edges: vec![],
        investment: None,
        year: None,
        state: None,
        expansion: None,
        aliases: vec![],
        notes: vec![],
        source: None,
        span,
    };
    for x in inner {
        let xspan = ctx.span(&x);
        match x.as_rule() {
            Rule::string => n.name = Some(spanned_string(ctx, x)),
            Rule::edge_decl => {
                let mut e = EdgeDecl {
                    kind: Spanned::new(String::new(), xspan),
                    targets: vec![],
                    source: None,
                    span: xspan,
                };
                for y in x.into_inner() {
                    match y.as_rule() {
                        Rule::edge_kind => e.kind = ctx.ident(y),
                        Rule::source => e.source = Some(source(ctx, y)),
                        _ => e.targets.push(word(ctx, y)),
                    }
                }
                n.edges.push(e);
            }
            Rule::investment_decl => {
                n.investment = Some(quantity(ctx, x.into_inner().next().expect("grammar"))?)
            }
            Rule::year_decl => n.year = Some(ctx.ident(x.into_inner().next().expect("grammar"))),
            Rule::state_decl => n.state = Some(ctx.ident(x.into_inner().next().expect("grammar"))),
            Rule::expansion_decl => {
                n.expansion = Some(spanned_string(ctx, x.into_inner().next().expect("grammar")))
            }
            Rule::alias_decl => n
                .aliases
                .push(spanned_string(ctx, x.into_inner().next().expect("grammar"))),
            Rule::note_decl => n
                .notes
                .push(spanned_string(ctx, x.into_inner().next().expect("grammar"))),
            Rule::source => n.source = Some(source(ctx, x)),
            r => unreachable!("{r:?} not supposed to get there (parse_node)"),
        }
    }
    Ok(n)
}

/// A word of the search vocabulary: a name or a quoted string.
pub(super) fn word(ctx: &Ctx, p: Pair<Rule>) -> Spanned<String> {
    if p.as_rule() == Rule::string {
        spanned_string(ctx, p)
    } else {
        ctx.ident(p)
    }
}

fn parse_target(ctx: &Ctx, p: Pair<Rule>) -> PResult<Target> {
    let span = ctx.span(&p);
    let mut inner = p.into_inner();
    let form = ctx.ident(inner.next().expect("grammar: target form"));
    let mut t = Target {
        form,
        value: None,
        other: None,
        relative: None,
        tolerance: None,
        bare_about: None,
        printed: None,
        source: None,
        span,
    };
    for x in inner {
        match x.as_rule() {
            Rule::quantity => t.value = Some(quantity(ctx, x)?),
            Rule::ident => t.other = Some(ctx.ident(x)),
            Rule::relative => {
                let mut r = x.into_inner();
                let minus = r.next().expect("grammar: sign").as_rule() == Rule::sub;
                let mut q = quantity(ctx, r.next().expect("grammar: relative number"))?;
                if minus {
                    q.node.value = -q.node.value;
                }
                t.relative = Some(q);
            }
            Rule::tolerance => {
                let at = ctx.span(&x);
                match x.into_inner().next() {
                    Some(q) => t.tolerance = Some(quantity(ctx, q)?),
                    None => t.bare_about = Some(at),
                }
            }
            Rule::printed => {
                t.printed = Some(spanned_string(ctx, x.into_inner().next().expect("grammar")))
            }
            Rule::source => t.source = Some(source(ctx, x)),
            r => unreachable!("{r:?} not supposed to get there (parse_target)"),
        }
    }
    Ok(t)
}

fn parse_obs_line(ctx: &Ctx, p: Pair<Rule>) -> PResult<ObsLine> {
    let span = ctx.span(&p);
    let mut line = ObsLine {
        items: vec![],
        source: None,
        span,
    };
    for x in p.into_inner() {
        match x.as_rule() {
            Rule::observation => {
                let mut i = x.into_inner();
                let per = period(ctx, i.next().expect("grammar: observation period"));
                let v = i.next().expect("grammar: observation value");
                let value = match v.as_rule() {
                    Rule::missing => None,
                    _ => Some(quantity(ctx, v)?),
                };
                line.items.push(Observation { period: per, value });
            }
            Rule::source => line.source = Some(source(ctx, x)),
            r => unreachable!("{r:?} not supposed to get there (parse_obs_line)"),
        }
    }
    Ok(line)
}
