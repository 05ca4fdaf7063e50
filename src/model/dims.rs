//! What an expression's number measures, for showing it with a unit:
//! `latest()` is in the indicator's unit (64.54%, 3.7人), `avg_rate()` in
//! %, `elapsed()` a share of the plan. Only explanations use this; no
//! decision depends on it.

use super::builtins::Builtin;
use super::{Expr, ExprKind, Figure};
use crate::ops::{BinOp, UnOp};

/// What a number measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dim {
    /// In the indicator's own unit (a level, a target, a total).
    Level,
    /// A difference of two levels (a gap, a tolerance, a yearly
    /// increase): 个百分点 when the unit is %.
    Change,
    /// A percentage: a growth rate, a share of the target, a fall.
    Percent,
    /// A share of the plan period, 0..1.
    Share,
    /// A number of years.
    Years,
}

/// What a built-in function's number measures (`None`: a count, a
/// condition, a period, or whatever its arguments measure).
pub fn of_builtin(b: Builtin) -> Option<Dim> {
    use Builtin::*;
    Some(match b {
        Latest | LatestAnnual | Value | Baseline | Anchor | Target | Path | CumSum | Projected => {
            Dim::Level
        }
        Gap | Tolerance | AvgIncrease => Dim::Change,
        AvgRate | AvgRateWithHalf | MeanRate | MeanRateWithHalf | Decline | CumGrowth
        | ShareDone | RequiredRate | Cagr | Average | Reduction | PeerAverage => Dim::Percent,
        Elapsed | ElapsedData | ElapsedCounted => Dim::Share,
        YearsLeft => Dim::Years,
        _ => return None,
    })
}

/// What `e` measures, the rule's earlier `figures` resolved.
pub fn of_expr(e: &Expr, figures: &[Figure]) -> Option<Dim> {
    of(e, figures, 0)
}

fn of(e: &Expr, figures: &[Figure], depth: usize) -> Option<Dim> {
    // Figures refer only to earlier ones; the bound keeps this finite
    // whatever the model holds.
    if depth > 64 {
        return None;
    }
    let num = |x: &Expr| match x.kind {
        ExprKind::Number(v) => Some(v),
        _ => None,
    };
    match &e.kind {
        ExprKind::Figure(i) => figures
            .get(*i)
            .and_then(|f| of(&f.expr, figures, depth + 1)),
        ExprKind::Call(b, args) => of_builtin(*b).or_else(|| match b {
            Builtin::Abs | Builtin::Min | Builtin::Max | Builtin::Round => {
                args.iter().find_map(|a| of(a, figures, depth + 1))
            }
            Builtin::If => args[1..].iter().find_map(|a| of(a, figures, depth + 1)),
            _ => None,
        }),
        ExprKind::Unary(UnOp::Neg, x) => of(x, figures, depth + 1),
        ExprKind::Binary(op @ (BinOp::Add | BinOp::Sub), a, b) => {
            match (of(a, figures, depth + 1), of(b, figures, depth + 1)) {
                // Two levels apart: a change.
                (Some(Dim::Level), Some(Dim::Level)) if *op == BinOp::Sub => Some(Dim::Change),
                // A level moved by a change is a level.
                (Some(Dim::Level), _) | (_, Some(Dim::Level)) => Some(Dim::Level),
                (x, y) => x.or(y),
            }
        }
        ExprKind::Binary(BinOp::Mul, a, b) => {
            let (da, db) = (of(a, figures, depth + 1), of(b, figures, depth + 1));
            match (da, db, num(a), num(b)) {
                // `elapsed() * 100`: a share in %.
                (Some(Dim::Share), None, _, Some(n)) | (None, Some(Dim::Share), Some(n), _)
                    if n == 100.0 =>
                {
                    Some(Dim::Percent)
                }
                (Some(d), None, _, Some(_)) | (None, Some(d), Some(_), _) => Some(d),
                _ => None,
            }
        }
        ExprKind::Binary(BinOp::Div, a, b) => num(b).and_then(|_| of(a, figures, depth + 1)),
        ExprKind::Binary(BinOp::Ge | BinOp::Gt | BinOp::Le | BinOp::Lt, a, b) => {
            of(a, figures, depth + 1).or_else(|| of(b, figures, depth + 1))
        }
        _ => None,
    }
}

/// The unit to print after a number that measures `d`, for an indicator
/// whose unit is `unit` (`None`: print the number alone).
pub fn unit_text(d: Dim, unit: &str) -> Option<String> {
    match d {
        Dim::Level if !unit.is_empty() => Some(unit.to_string()),
        Dim::Change => difference_text(Dim::Level, unit),
        Dim::Level | Dim::Share => None,
        Dim::Percent => Some("%".to_string()),
        Dim::Years => Some("年".to_string()),
    }
}

/// The unit of a difference between two numbers that measure `d`:
/// percentages differ by 个百分点.
pub fn difference_text(d: Dim, unit: &str) -> Option<String> {
    let d = if d == Dim::Change { Dim::Level } else { d };
    match unit_text(d, unit)?.as_str() {
        "%" => Some("个百分点".to_string()),
        "‰" => Some("个千分点".to_string()),
        u => Some(u.to_string()),
    }
}
