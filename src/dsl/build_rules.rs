//! Building methods, their rules and explanation templates, and rule tests
//! (`tests { expect … }`) from pest pairs.

use super::ast::Rule as Rule_;
use super::ast::*;
use super::build::*;
use super::build_sources::source;
use super::chunk::check_nesting;
use super::cst::cst;
use super::grammar::Rule;
use super::pratt::parse_expr;
use crate::span::{Diagnostic, Span};
use pest::iterators::Pair;

pub(super) fn parse_method(ctx: &Ctx, p: Pair<Rule>) -> PResult<Method> {
    let mut inner = p.into_inner();
    let id = ctx.ident(inner.next().expect("grammar: method id"));
    let mut m = Method {
        id,
        title: None,
        statuses: vec![],
        classes: vec![],
        options: vec![],
        rules: vec![],
    };
    for x in inner {
        match x.as_rule() {
            Rule::string => m.title = Some(spanned_string(ctx, x)),
            Rule::statuses => m.statuses.extend(status_decls(ctx, x)),
            Rule::classes => m.classes.extend(class_labels(ctx, x)),
            Rule::method_options => {
                for d in x.into_inner() {
                    let mut it = d.into_inner();
                    let name = ctx.ident(it.next().expect("grammar: option"));
                    let value = ctx.ident(it.next().expect("grammar: option value"));
                    m.options.push((name, value));
                }
            }
            Rule::rule => m.rules.push(parse_rule(ctx, x)?),
            r => unreachable!("{r:?} not supposed to get there (parse_method)"),
        }
    }
    Ok(m)
}

fn parse_rule(ctx: &Ctx, p: Pair<Rule>) -> PResult<Rule_> {
    let span = ctx.span(&p);
    let mut inner = p.into_inner();
    let id = ctx.ident(inner.next().expect("grammar: rule id"));
    let applies = inner
        .next()
        .expect("grammar: rule applies")
        .into_inner()
        .map(|i| ctx.ident(i))
        .collect();
    let mut rule = Rule_ {
        id,
        applies,
        figures: vec![],
        branches: vec![],
        span,
    };
    for x in inner {
        match x.as_rule() {
            Rule::figures => {
                for f in x.into_inner() {
                    let mut i = f.into_inner();
                    let name = ctx.ident(i.next().expect("grammar: figure name"));
                    let e = parse_expr(ctx, i.next().expect("grammar: figure expr"))?;
                    rule.figures.push((name, e));
                }
            }
            Rule::branch | Rule::otherwise => {
                let bspan = ctx.span(&x);
                let is_when = x.as_rule() == Rule::branch;
                let mut i = x.into_inner();
                let cond = if is_when {
                    Some(parse_expr(ctx, i.next().expect("grammar: condition"))?)
                } else {
                    None
                };
                let status = ctx.ident(i.next().expect("grammar: branch status"));
                let explanation = match i.next() {
                    Some(s) => Some(parse_template(ctx, s)?),
                    None => None,
                };
                rule.branches.push(Branch {
                    cond,
                    status,
                    explanation,
                    span: bspan,
                });
            }
            r => unreachable!("{r:?} not supposed to get there (parse_rule)"),
        }
    }
    Ok(rule)
}

pub(super) fn parse_test(ctx: &Ctx, p: Pair<Rule>) -> TestBlock {
    let mut inner = p.into_inner();
    let n = inner.next().expect("grammar: test name");
    let name = if n.as_rule() == Rule::string {
        spanned_string(ctx, n)
    } else {
        ctx.ident(n)
    };
    let expects = inner
        .map(|e| {
            let span = ctx.span(&e);
            let mut i = e.into_inner();
            let indicator = ctx.ident(i.next().expect("grammar: expect indicator"));
            let status = ctx.ident(i.next().expect("grammar: expect status"));
            let mut ex = Expect {
                indicator,
                status,
                as_of: None,
                method: None,
                source: None,
                span,
            };
            for x in i {
                match x.as_rule() {
                    Rule::period => ex.as_of = Some(period(ctx, x)),
                    Rule::ident => ex.method = Some(ctx.ident(x)),
                    Rule::source => ex.source = Some(source(ctx, x)),
                    r => unreachable!("{r:?} not supposed to get there (parse_test)"),
                }
            }
            ex
        })
        .collect();
    TestBlock { name, expects }
}

/// Splits an explanation string into text and `{expr:.n}` parts.
fn parse_template(ctx: &Ctx, p: Pair<Rule>) -> PResult<Spanned<Template>> {
    let span = ctx.span(&p);
    let body = p.into_inner().next().expect("grammar: string body");
    let body_start = ctx.base + body.as_span().start();
    let raw = body.as_str();
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    let b = raw.as_bytes();
    while i < raw.len() {
        match b[i] {
            b'\\' => {
                let next = raw[i + 1..].chars().next();
                match next {
                    Some('n') => lit.push('\n'),
                    Some(c) => lit.push(c),
                    None => {}
                }
                i += 1 + next.map_or(0, char::len_utf8);
            }
            b'{' if b.get(i + 1) == Some(&b'{') => {
                lit.push('{');
                i += 2;
            }
            b'}' if b.get(i + 1) == Some(&b'}') => {
                lit.push('}');
                i += 2;
            }
            b'{' => {
                let Some(close) = raw[i..].find('}') else {
                    return Err(Diagnostic::error(
                        Span::new(ctx.file, body_start + i, body_start + i + 1),
                        "unclosed `{` in explanation",
                    )
                    .help("write `{{` for a literal brace"));
                };
                if !lit.is_empty() {
                    parts.push(TemplatePart::Text(std::mem::take(&mut lit)));
                }
                let inner = &raw[i + 1..i + close];
                let inner_ctx = Ctx {
                    file: ctx.file,
                    base: body_start + i + 1,
                };
                check_nesting(ctx.file, inner_ctx.base, inner)?;
                let mut pairs = cst(ctx.file, inner_ctx.base, inner, Rule::interpolation)?;
                let mut it = pairs.next().expect("grammar: interpolation").into_inner();
                let e = parse_expr(&inner_ctx, it.next().expect("grammar: interpolation expr"))?;
                let prec = it
                    .next()
                    .filter(|f| f.as_rule() == Rule::format_spec)
                    .map(|f| f.as_str()[1..].parse::<u8>().unwrap_or(u8::MAX).min(12));
                parts.push(TemplatePart::Expr(e, prec));
                i += close + 1;
            }
            _ => {
                let c = raw[i..].chars().next().expect("in bounds");
                lit.push(c);
                i += c.len_utf8();
            }
        }
    }
    if !lit.is_empty() {
        parts.push(TemplatePart::Text(lit));
    }
    Ok(Spanned::new(Template { parts }, span))
}
