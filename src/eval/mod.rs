//! Evaluation: apply a method's rules to every indicator at a period.
//!
//! For each indicator the rule for its target form (or `parent`) computes
//! its figures in order, then tries its branches; the first that holds
//! decides the status. Sub-indicators are decided before their parent.
//! Nothing here knows a status word or a method: both come from the rules.

mod expect;
pub mod series;
mod value;

pub use expect::{render_tests, run_tests, Outcome, TestRun};

pub use value::{fmt_value, Value};

use crate::model::builtins::Builtin;
use crate::model::{Expr, ExprKind, IndicatorId, MethodId, Model, Part, StatusId};
use crate::ops::{BinOp, UnOp};
use crate::period::Period;
use crate::span::Span;
use series::Series;

/// The outcome for one indicator.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// The indicator.
    pub indicator: IndicatorId,
    /// The decided status.
    pub status: StatusId,
    /// Index of the rule in its method.
    pub rule: usize,
    /// Index of the branch that fired.
    pub branch: usize,
    /// The rule's figures, in order.
    pub figures: Vec<(String, Value)>,
    /// The fired branch's explanation, interpolated.
    pub explanation: String,
    /// Figures the document states, beside the engine's value.
    pub stated: Vec<StatedCheck>,
}

/// A figure the document states, compared with the engine's.
#[derive(Debug, Clone)]
pub struct StatedCheck {
    /// Figure name.
    pub figure: String,
    /// What the document says.
    pub stated: f64,
    /// The rounding the stated value allows.
    pub rounding: f64,
    /// What the engine computes from the declared data at the same period.
    pub computed: Option<f64>,
    /// The period compared at.
    pub as_of: Period,
    /// The quote.
    pub source: Option<String>,
}

impl StatedCheck {
    /// The stated value with the decimals the document wrote.
    pub fn stated_text(&self) -> String {
        let d = if self.rounding > 0.0 {
            (-(2.0 * self.rounding).log10()).round().clamp(0.0, 12.0) as usize
        } else {
            0
        };
        format!("{:.*}", d, self.stated)
    }

    /// Whether the two differ beyond the rounding of the stated value.
    pub fn differs(&self) -> bool {
        match self.computed {
            None => true,
            Some(c) => (c - self.stated).abs() > self.rounding + 1e-9,
        }
    }
}

/// All verdicts of one run.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The period judged.
    pub as_of: Period,
    /// The method applied.
    pub method: MethodId,
    /// One verdict per indicator, in table order.
    pub verdicts: Vec<Verdict>,
}

/// Evaluates every indicator with `method` as of `as_of`.
pub fn evaluate(model: &Model, method: MethodId, as_of: Period) -> Evaluation {
    let n = model.indicators.len();
    let mut decided: Vec<Option<StatusId>> = vec![None; n];
    let mut verdicts: Vec<Option<Verdict>> = vec![None; n];
    // Children follow their parent in table order: deciding from the end
    // decides every child before its parent.
    for k in (0..n).rev() {
        let v = evaluate_one(model, method, k, as_of, &decided, None);
        decided[k] = Some(v.status);
        verdicts[k] = Some(v);
    }
    Evaluation {
        as_of,
        method,
        verdicts: verdicts
            .into_iter()
            .map(|v| v.expect("every indicator decided"))
            .collect(),
    }
}

/// A step of an explanation: one sub-expression and its value.
#[derive(Debug, Clone)]
pub struct TraceStep {
    /// Nesting depth (0 for the whole condition).
    pub depth: usize,
    /// Where the sub-expression is written.
    pub span: Span,
    /// Its value.
    pub value: Value,
}

/// How one branch fared, for `explain`.
#[derive(Debug, Clone)]
pub struct BranchTrace {
    /// Branch index.
    pub branch: usize,
    /// Whether its condition held (`otherwise` always does).
    pub matched: bool,
    /// Every sub-expression of the condition.
    pub steps: Vec<TraceStep>,
    /// For a comparison that failed: how far it was from holding.
    pub shortfall: Option<Shortfall>,
}

/// How far a failed comparison was from holding.
#[derive(Debug, Clone)]
pub struct Shortfall {
    /// The comparison.
    pub span: Span,
    /// Left value.
    pub left: f64,
    /// Right value.
    pub right: f64,
    /// How much the left side must move (positive: up).
    pub needed: f64,
}

/// The full trace of one indicator's decision.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// The verdict.
    pub verdict: Verdict,
    /// Every figure with the trace of its computation.
    pub figure_steps: Vec<Vec<TraceStep>>,
    /// Every branch, in order.
    pub branches: Vec<BranchTrace>,
}

/// Evaluates one indicator with every branch traced.
pub fn explain(model: &Model, method: MethodId, ind: IndicatorId, as_of: Period) -> Explanation {
    let eval = evaluate(model, method, as_of);
    let decided: Vec<Option<StatusId>> = eval.verdicts.iter().map(|v| Some(v.status)).collect();
    let mut traces = Traces::default();
    let verdict = evaluate_one(model, method, ind, as_of, &decided, Some(&mut traces));
    Explanation {
        verdict,
        figure_steps: traces.figures,
        branches: traces.branches,
    }
}

#[derive(Default)]
struct Traces {
    figures: Vec<Vec<TraceStep>>,
    branches: Vec<BranchTrace>,
}

fn evaluate_one(
    model: &Model,
    method: MethodId,
    k: IndicatorId,
    as_of: Period,
    decided: &[Option<StatusId>],
    mut traces: Option<&mut Traces>,
) -> Verdict {
    let ri = model
        .rule_for(method, k)
        .expect("INVARIANT: lowering checked that every indicator has a rule in every method");
    let rule = &model.methods[method].rules[ri];
    let mut env = Env {
        model,
        ind: k,
        as_of,
        figures: Vec::with_capacity(rule.figures.len()),
        decided,
    };
    for f in &rule.figures {
        let mut steps = traces.as_ref().map(|_| Vec::new());
        let v = env.eval(&f.expr, 0, steps.as_mut());
        if let (Some(t), Some(s)) = (traces.as_deref_mut(), steps) {
            t.figures.push(s);
        }
        env.figures.push(v);
    }
    let mut fired = None;
    for (bi, b) in rule.branches.iter().enumerate() {
        let tracing = traces.is_some();
        if fired.is_some() && !tracing {
            break;
        }
        let mut steps = tracing.then(Vec::new);
        let matched = match &b.cond {
            None => true,
            Some(c) => env.eval(c, 0, steps.as_mut()) == Value::Bool(true),
        };
        if let Some(t) = traces.as_deref_mut() {
            let shortfall = match (&b.cond, matched) {
                (Some(c), false) => env.shortfall(c),
                _ => None,
            };
            t.branches.push(BranchTrace {
                branch: bi,
                matched,
                steps: steps.unwrap_or_default(),
                shortfall,
            });
        }
        if matched && fired.is_none() {
            fired = Some(bi);
        }
    }
    let bi = fired.expect("INVARIANT: lowering checked that every rule ends with `otherwise`");
    let branch = &rule.branches[bi];
    let explanation = env.render(&branch.explanation);
    let figures: Vec<(String, Value)> = rule
        .figures
        .iter()
        .map(|f| f.name.clone())
        .zip(env.figures.iter().cloned())
        .collect();
    let stated = stated_checks(model, method, k, as_of, decided, &figures);
    Verdict {
        indicator: k,
        status: branch.status,
        rule: ri,
        branch: bi,
        figures,
        explanation,
        stated,
    }
}

fn stated_checks(
    model: &Model,
    method: MethodId,
    k: IndicatorId,
    as_of: Period,
    decided: &[Option<StatusId>],
    figures: &[(String, Value)],
) -> Vec<StatedCheck> {
    let ind = &model.indicators[k];
    // Only figures this method's rule computes can be compared.
    ind.stated
        .iter()
        .filter(|s| figures.iter().any(|(n, _)| *n == s.figure))
        .map(|s| {
            let at = s.as_of.unwrap_or(as_of);
            let computed = if at == as_of {
                figures
                    .iter()
                    .find(|(n, _)| *n == s.figure)
                    .and_then(|(_, v)| v.as_num())
            } else {
                figure_at(model, method, k, at, decided, &s.figure)
            };
            StatedCheck {
                figure: s.figure.clone(),
                stated: s.value,
                rounding: s.rounding,
                computed,
                as_of: at,
                source: s.source.as_ref().map(|q| q.text.to_string()),
            }
        })
        .collect()
}

fn figure_at(
    model: &Model,
    method: MethodId,
    k: IndicatorId,
    at: Period,
    decided: &[Option<StatusId>],
    name: &str,
) -> Option<f64> {
    let rule = &model.methods[method].rules[model.rule_for(method, k)?];
    let mut env = Env {
        model,
        ind: k,
        as_of: at,
        figures: Vec::new(),
        decided,
    };
    for f in &rule.figures {
        let v = env.eval(&f.expr, 0, None);
        if f.name == name {
            return v.as_num();
        }
        env.figures.push(v);
    }
    None
}

/// What an expression sees while it is evaluated.
struct Env<'a> {
    model: &'a Model,
    ind: IndicatorId,
    as_of: Period,
    figures: Vec<Value>,
    decided: &'a [Option<StatusId>],
}

impl Env<'_> {
    fn eval(&self, e: &Expr, depth: usize, mut trace: Option<&mut Vec<TraceStep>>) -> Value {
        let slot = trace.as_deref_mut().map(|t| {
            t.push(TraceStep {
                depth,
                span: e.span,
                value: Value::Missing,
            });
            t.len() - 1
        });
        let v = match &e.kind {
            ExprKind::Number(x) => Value::num(*x),
            ExprKind::Period(p) => Value::Period(*p),
            ExprKind::Status(s) => Value::Status(*s),
            ExprKind::Class(c) => Value::Class(*c),
            ExprKind::Figure(i) => self.figures.get(*i).cloned().unwrap_or(Value::Missing),
            ExprKind::Indicator(_) => Value::Missing,
            ExprKind::Unary(op, x) => {
                let x = self.eval(x, depth + 1, trace.as_deref_mut());
                match op {
                    UnOp::Neg => x.as_num().map_or(Value::Missing, |v| Value::num(-v)),
                    UnOp::Not => match x {
                        Value::Bool(b) => Value::Bool(!b),
                        _ => Value::Missing,
                    },
                }
            }
            ExprKind::Binary(op, a, b) => {
                let a = self.eval(a, depth + 1, trace.as_deref_mut());
                let b = self.eval(b, depth + 1, trace.as_deref_mut());
                match (op, &a, &b) {
                    // A status against a class: whether it is of the class.
                    (BinOp::Eq | BinOp::Ne, Value::Status(s), Value::Class(c))
                    | (BinOp::Eq | BinOp::Ne, Value::Class(c), Value::Status(s)) => {
                        Value::Bool(self.is(Some(*s), &Value::Class(*c)) == (*op == BinOp::Eq))
                    }
                    _ => value::binary(*op, &a, &b),
                }
            }
            ExprKind::Call(f, args) => {
                let mut vals = Vec::with_capacity(args.len());
                let mut ind = self.ind;
                for a in args {
                    match a.kind {
                        ExprKind::Indicator(i) => ind = i,
                        _ => vals.push(self.eval(a, depth + 1, trace.as_deref_mut())),
                    }
                }
                self.call(*f, &vals, ind)
            }
        };
        if let (Some(t), Some(i)) = (trace, slot) {
            t[i].value = v.clone();
        }
        v
    }

    fn call(&self, f: Builtin, args: &[Value], ind: IndicatorId) -> Value {
        let s = Series::new(self.model, ind, self.as_of);
        let num = |o: Option<f64>| o.map_or(Value::Missing, Value::num);
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Missing);
        let assessments = || {
            let base = self.model.plan.base_year;
            let now = self.as_of.end_time(base);
            self.model.indicators[ind]
                .assessments
                .iter()
                .filter(move |a| a.period.end_time(base) <= now + 1e-9)
        };
        let children = || {
            self.model.indicators[ind]
                .children
                .iter()
                .map(|&c| self.decided[c])
        };
        match f {
            Builtin::Latest => num(s.latest().map(|o| o.2)),
            Builtin::LatestAnnual => num(s.latest_annual().map(|o| o.2)),
            Builtin::LatestPeriod => s.latest().map_or(Value::Missing, |o| Value::Period(o.0)),
            Builtin::Value => match arg(0) {
                Value::Period(p) => num(s.value(p)),
                _ => Value::Missing,
            },
            Builtin::Baseline => num(s.baseline()),
            Builtin::Anchor => num(s.anchor().map(|a| a.1)),
            Builtin::Target => num(s.target()),
            Builtin::Tolerance => Value::num(s.tolerance()),
            Builtin::Elapsed => Value::num(s.elapsed()),
            Builtin::ElapsedData => num(s.elapsed_data()),
            Builtin::Path => num(s.path()),
            Builtin::Gap => num(s.gap()),
            Builtin::AvgRate => num(s.avg_rate()),
            Builtin::AvgRateWithHalf => num(s.avg_rate_with_half()),
            Builtin::MeanRate => num(s.mean_rate()),
            Builtin::MeanRateWithHalf => num(s.mean_rate_with_half()),
            Builtin::Decline => num(s.decline()),
            Builtin::CumGrowth => num(s.cum_growth()),
            Builtin::CumSum => num(s.cum_sum()),
            Builtin::ShareDone => num(s.share_done()),
            Builtin::RequiredRate => num(s.required_rate()),
            Builtin::AvgIncrease => num(s.avg_increase()),
            Builtin::Cagr => num(s.cagr()),
            Builtin::Projected => num(s.projected()),
            Builtin::HasData => Value::Bool(!s.obs.is_empty()),
            Builtin::Count => Value::num(s.obs.len() as f64),
            Builtin::IsFlow => Value::Bool(s.is_flow()),
            Builtin::YearsLeft => Value::num(s.years_left()),
            Builtin::Known => Value::Bool(arg(0) != Value::Missing),
            Builtin::Abs => num(arg(0).as_num().map(f64::abs)),
            Builtin::Min => num(arg(0).as_num().zip(arg(1).as_num()).map(|(a, b)| a.min(b))),
            Builtin::Max => num(arg(0).as_num().zip(arg(1).as_num()).map(|(a, b)| a.max(b))),
            Builtin::Round => num(arg(0).as_num().zip(arg(1).as_num()).map(|(x, n)| {
                let p = 10f64.powi(n.clamp(0.0, 12.0) as i32);
                (x * p).round() / p
            })),
            Builtin::If => match arg(0) {
                Value::Bool(true) => arg(1),
                Value::Bool(false) => arg(2),
                _ => Value::Missing,
            },
            Builtin::Assessed => match arg(0) {
                v @ (Value::Status(_) | Value::Class(_)) => {
                    let mut any = false;
                    let all = assessments().all(|a| {
                        any = true;
                        self.is(Some(a.status), &v)
                    });
                    Value::Bool(any && all)
                }
                _ => Value::Missing,
            },
            Builtin::LatestAssessment => assessments()
                .max_by(|a, b| a.period.end_time(0).total_cmp(&b.period.end_time(0)))
                .map_or(Value::Missing, |a| Value::Status(a.status)),
            Builtin::ChildrenAll => match arg(0) {
                v @ (Value::Status(_) | Value::Class(_)) => {
                    let mut c = children().peekable();
                    Value::Bool(c.peek().is_some() && c.all(|d| self.is(d, &v)))
                }
                _ => Value::Missing,
            },
            Builtin::ChildrenAny => match arg(0) {
                v @ (Value::Status(_) | Value::Class(_)) => {
                    Value::Bool(children().any(|d| self.is(d, &v)))
                }
                _ => Value::Missing,
            },
        }
    }

    /// Whether a decided status is `want`: that status, or one of that class.
    fn is(&self, got: Option<StatusId>, want: &Value) -> bool {
        match (got, want) {
            (Some(g), Value::Status(w)) => g == *w,
            (Some(g), Value::Class(c)) => self.model.statuses.get(g).is_some_and(|s| s.class == *c),
            _ => false,
        }
    }

    /// For a failed condition: the first comparison that failed, and how
    /// far its left side is from making it hold.
    fn shortfall(&self, c: &Expr) -> Option<Shortfall> {
        match &c.kind {
            ExprKind::Binary(BinOp::And, a, b) => {
                if self.eval(a, 0, None) != Value::Bool(true) {
                    self.shortfall(a)
                } else {
                    self.shortfall(b)
                }
            }
            ExprKind::Binary(op @ (BinOp::Ge | BinOp::Gt | BinOp::Le | BinOp::Lt), a, b) => {
                let l = self.eval(a, 0, None).as_num()?;
                let r = self.eval(b, 0, None).as_num()?;
                let _ = op;
                let needed = r - l;
                Some(Shortfall {
                    span: c.span,
                    left: l,
                    right: r,
                    needed,
                })
            }
            _ => None,
        }
    }

    fn render(&self, parts: &[Part]) -> String {
        let mut out = String::new();
        for p in parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Expr(e, prec) => {
                    out.push_str(&fmt_value(self.model, &self.eval(e, 0, None), *prec))
                }
            }
        }
        out
    }
}
