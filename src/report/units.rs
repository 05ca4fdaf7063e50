//! What each sub-expression of a rule measures, so that `explain` shows
//! values with their units (64.54%, 3年, 5.46个百分点).

use crate::eval::{fmt_value, Value};
use crate::model::dims::{self, Dim};
use crate::model::{fmt_num, Expr, ExprKind, Figure, Model, Rule};
use crate::span::Span;

/// The dimension of each sub-expression of one rule, by where it is
/// written, for one indicator's unit.
pub(super) struct Units {
    unit: String,
    dims: Vec<(Span, Dim)>,
}

impl Units {
    pub(super) fn of_rule(rule: &Rule, unit: &str) -> Units {
        fn walk(e: &Expr, figures: &[Figure], out: &mut Vec<(Span, Dim)>) {
            if let Some(d) = dims::of_expr(e, figures) {
                out.push((e.span, d));
            }
            match &e.kind {
                ExprKind::Call(_, args) => args.iter().for_each(|a| walk(a, figures, out)),
                ExprKind::Unary(_, x) => walk(x, figures, out),
                ExprKind::Binary(_, a, b) => {
                    walk(a, figures, out);
                    walk(b, figures, out);
                }
                _ => {}
            }
        }
        let mut dims = Vec::new();
        for f in &rule.figures {
            walk(&f.expr, &rule.figures, &mut dims);
        }
        for b in &rule.branches {
            if let Some(c) = &b.cond {
                walk(c, &rule.figures, &mut dims);
            }
        }
        Units {
            unit: unit.to_string(),
            dims,
        }
    }

    fn dim(&self, span: Span) -> Option<Dim> {
        self.dims.iter().find(|(s, _)| *s == span).map(|(_, d)| *d)
    }

    /// A value with its unit when it is a number whose unit is known.
    pub(super) fn show(&self, model: &Model, span: Span, v: &Value) -> String {
        let text = fmt_value(model, v, None);
        match (
            v,
            self.dim(span).and_then(|d| dims::unit_text(d, &self.unit)),
        ) {
            (Value::Num(_), Some(u)) => format!("{text}{u}"),
            _ => text,
        }
    }

    /// A number measured like the expression at `span`, with its unit.
    pub(super) fn number(&self, span: Span, x: f64) -> String {
        let u = self
            .dim(span)
            .and_then(|d| dims::unit_text(d, &self.unit))
            .unwrap_or_default();
        format!("{}{u}", fmt_num(round2(x)))
    }

    /// A difference of two such numbers, with its unit (个百分点 for %).
    pub(super) fn difference(&self, span: Span, x: f64) -> String {
        let u = self
            .dim(span)
            .and_then(|d| dims::difference_text(d, &self.unit))
            .unwrap_or_default();
        format!("{}{u}", fmt_num(round2(x)))
    }
}

fn round2(x: f64) -> f64 {
    crate::model::round_dp(x, 2)
}
