//! Values of expressions and the operators on them.
//!
//! A missing value (no data, division by zero, an overflow) is `Missing`,
//! and it spreads: arithmetic and comparisons with it are `Missing`, and a
//! condition that is `Missing` does not hold. `and`/`or` follow Kleene's
//! three-valued logic, so `false and missing` is `false`.

use crate::model::{fmt_num, Model, StatusClass, StatusId};
use crate::ops::BinOp;
use crate::period::Period;

/// The value of an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A finite number.
    Num(f64),
    /// True or false.
    Bool(bool),
    /// A status.
    Status(StatusId),
    /// A status class: every status of the class.
    Class(StatusClass),
    /// A period.
    Period(Period),
    /// No value: no data, or an undefined operation.
    Missing,
}

impl Value {
    /// A number, or `Missing` when it is not finite.
    pub fn num(v: f64) -> Value {
        if v.is_finite() {
            Value::Num(v)
        } else {
            Value::Missing
        }
    }

    /// The number, if this is one.
    pub fn as_num(&self) -> Option<f64> {
        match self {
            Value::Num(v) => Some(*v),
            _ => None,
        }
    }
}

/// Applies an infix operator.
pub fn binary(op: BinOp, a: &Value, b: &Value) -> Value {
    use Value::*;
    match op {
        BinOp::And => match (a, b) {
            (Bool(false), _) | (_, Bool(false)) => Bool(false),
            (Bool(true), Bool(true)) => Bool(true),
            _ => Missing,
        },
        BinOp::Or => match (a, b) {
            (Bool(true), _) | (_, Bool(true)) => Bool(true),
            (Bool(false), Bool(false)) => Bool(false),
            _ => Missing,
        },
        BinOp::Eq | BinOp::Ne => {
            if *a == Missing || *b == Missing {
                return Missing;
            }
            let eq = a == b;
            Bool(if op == BinOp::Eq { eq } else { !eq })
        }
        _ => {
            let (Some(x), Some(y)) = (a.as_num(), b.as_num()) else {
                return Missing;
            };
            match op {
                BinOp::Add => Value::num(x + y),
                BinOp::Sub => Value::num(x - y),
                BinOp::Mul => Value::num(x * y),
                BinOp::Div if y == 0.0 => Missing,
                BinOp::Div => Value::num(x / y),
                BinOp::Ge => Bool(x >= y),
                BinOp::Le => Bool(x <= y),
                BinOp::Gt => Bool(x > y),
                BinOp::Lt => Bool(x < y),
                _ => unreachable!("{op:?} handled above"),
            }
        }
    }
}

/// Formats a value for an explanation or a table: numbers with `prec`
/// decimals (default: up to 2, trailing zeros dropped), statuses by name,
/// periods in Chinese, missing as `—`.
pub fn fmt_value(model: &Model, v: &Value, prec: Option<u8>) -> String {
    match v {
        Value::Num(x) => match prec {
            Some(p) => format!("{:.*}", p as usize, x),
            None => fmt_num(crate::model::round_dp(*x, 2)),
        },
        Value::Bool(true) => "是".to_string(),
        Value::Bool(false) => "否".to_string(),
        Value::Status(s) => model
            .statuses
            .get(*s)
            .map_or("?".to_string(), |s| s.name.clone()),
        Value::Class(c) => c.word().to_string(),
        Value::Period(p) => p.chinese(),
        Value::Missing => "—".to_string(),
    }
}
