//! Expressions: pest's Pratt parser folds a flat operator sequence into a
//! tree (precedence lives here, not in the grammar), within the limits of
//! [`crate::limits`].

use super::ast::*;
use super::build::{parse_number, parse_period_str, Ctx, PResult};
use super::grammar::Rule;
use crate::limits::{MAX_OPERATORS, MAX_PREFIX_RUN};
use crate::span::Diagnostic;
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::sync::OnceLock;

fn pratt() -> &'static PrattParser<Rule> {
    static P: OnceLock<PrattParser<Rule>> = OnceLock::new();
    P.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::or, Assoc::Left))
            .op(Op::infix(Rule::and, Assoc::Left))
            .op(Op::prefix(Rule::not))
            .op(Op::infix(Rule::ge, Assoc::Left)
                | Op::infix(Rule::le, Assoc::Left)
                | Op::infix(Rule::gt, Assoc::Left)
                | Op::infix(Rule::lt, Assoc::Left)
                | Op::infix(Rule::eq, Assoc::Left)
                | Op::infix(Rule::ne, Assoc::Left))
            .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
            .op(Op::infix(Rule::mul, Assoc::Left) | Op::infix(Rule::div, Assoc::Left))
            .op(Op::prefix(Rule::neg))
    })
}

/// Folds a flat `expr` pair into a tree, refusing expressions too long or
/// too deep to build and drop safely: [`MAX_OPERATORS`] counts every
/// operator of the expression, inside its parentheses and calls too, so the
/// tree is never deeper than that plus [`MAX_NESTING`].
pub(super) fn parse_expr(ctx: &Ctx, p: Pair<Rule>) -> PResult<Expr> {
    check_prefix_runs(ctx, &p)?;
    let ops = p
        .clone()
        .into_inner()
        .flatten()
        .filter(|x| is_operator(x.as_rule()))
        .count();
    if ops > MAX_OPERATORS {
        return Err(Diagnostic::error(
            ctx.span(&p),
            format!("expression has more than {MAX_OPERATORS} operators"),
        )
        .help("split it into named figures"));
    }
    parse_subexpr(ctx, p)
}

/// Refuses more than [`MAX_PREFIX_RUN`] prefix operators in a row at this
/// level of an expression.
fn check_prefix_runs(ctx: &Ctx, p: &Pair<Rule>) -> PResult<()> {
    let mut run = 0usize;
    for x in p.clone().into_inner() {
        if matches!(x.as_rule(), Rule::neg | Rule::not) {
            run += 1;
            if run > MAX_PREFIX_RUN {
                return Err(Diagnostic::error(
                    ctx.span(&x),
                    format!("more than {MAX_PREFIX_RUN} prefix operators in a row"),
                ));
            }
        } else {
            run = 0;
        }
    }
    Ok(())
}

fn is_operator(r: Rule) -> bool {
    matches!(
        r,
        Rule::neg
            | Rule::not
            | Rule::add
            | Rule::sub
            | Rule::mul
            | Rule::div
            | Rule::ge
            | Rule::le
            | Rule::gt
            | Rule::lt
            | Rule::eq
            | Rule::ne
            | Rule::and
            | Rule::or
    )
}

/// A part of an expression whose operators [`parse_expr`] has counted.
fn parse_subexpr(ctx: &Ctx, p: Pair<Rule>) -> PResult<Expr> {
    check_prefix_runs(ctx, &p)?;
    pratt()
        .map_primary(|x| parse_primary(ctx, x))
        .map_prefix(|op, rhs| {
            let rhs = rhs?;
            let s = ctx.span(&op).to(rhs.span);
            let o = match op.as_rule() {
                Rule::neg => UnOp::Neg,
                Rule::not => UnOp::Not,
                r => unreachable!("{r:?} not supposed to get there (prefix)"),
            };
            Ok(Expr {
                kind: ExprKind::Unary(o, Box::new(rhs)),
                span: s,
            })
        })
        .map_infix(|lhs, op, rhs| {
            let (lhs, rhs) = (lhs?, rhs?);
            let o = match op.as_rule() {
                Rule::add => BinOp::Add,
                Rule::sub => BinOp::Sub,
                Rule::mul => BinOp::Mul,
                Rule::div => BinOp::Div,
                Rule::ge => BinOp::Ge,
                Rule::le => BinOp::Le,
                Rule::gt => BinOp::Gt,
                Rule::lt => BinOp::Lt,
                Rule::eq => BinOp::Eq,
                Rule::ne => BinOp::Ne,
                Rule::and => BinOp::And,
                Rule::or => BinOp::Or,
                r => unreachable!("{r:?} not supposed to get there (infix)"),
            };
            let s = lhs.span.to(rhs.span);
            Ok(Expr {
                kind: ExprKind::Binary(o, Box::new(lhs), Box::new(rhs)),
                span: s,
            })
        })
        .parse(p.into_inner())
}

fn parse_primary(ctx: &Ctx, x: Pair<Rule>) -> PResult<Expr> {
    let span = ctx.span(&x);
    let kind = match x.as_rule() {
        Rule::number => ExprKind::Number(parse_number(ctx, &x)?),
        Rule::period_lit => ExprKind::Period(parse_period_str(x.as_str())),
        Rule::ident => ExprKind::Name(x.as_str().to_string()),
        Rule::paren => {
            // The span keeps its parentheses, so any sub-expression shown
            // (explain) is balanced: `(预测值 - anchor()) / (target() - anchor())`.
            let mut e = parse_subexpr(ctx, x.into_inner().next().expect("grammar: paren expr"))?;
            e.span = span;
            return Ok(e);
        }
        Rule::call => {
            let mut i = x.into_inner();
            let name = ctx.ident(i.next().expect("grammar: call name"));
            let args = i
                .map(|a| parse_subexpr(ctx, a))
                .collect::<PResult<Vec<_>>>()?;
            ExprKind::Call(name, args)
        }
        r => unreachable!("{r:?} not supposed to get there (parse_primary)"),
    };
    Ok(Expr { kind, span })
}
