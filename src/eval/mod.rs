//! Evaluation: apply a method's rules to every indicator at a period.
//!
//! For each indicator the rule for its target form (or `parent`) computes
//! its figures in order, then tries its branches; the first that holds
//! decides the status. Sub-indicators are decided before their parent.
//! Nothing here knows a status word or a method: both come from the rules.

mod env;
mod expect;
pub mod series;
mod value;

pub use expect::{render_tests, run_tests, Outcome, TestRun};

pub use value::{fmt_value, Value};

use crate::model::builtins::Builtin;
use crate::model::{fmt_num, Expr, ExprKind, IndicatorId, MethodId, Model, Part, StatusId};
use crate::ops::{BinOp, UnOp};
use crate::period::Period;
use crate::span::Span;
use env::Env;
use std::cell::RefCell;

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
    /// Calculations the data made impossible (`ln` of a negative number…):
    /// their value is missing, and this says why.
    pub problems: Vec<Problem>,
}

/// A function given numbers outside its domain while a rule was evaluated:
/// the value is missing, never a silent NaN, and the reason is kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The call.
    pub span: Span,
    /// What went wrong, Chinese first with the English in parentheses.
    pub message: String,
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
    // A top-level indicator and the sub-indicators after it are decided
    // apart from the others: on a large set, runs of them in parallel.
    let threads = if n >= 4096 {
        std::thread::available_parallelism().map_or(1, |t| t.get())
    } else {
        1
    };
    let mut cuts = vec![0];
    for t in 1..threads {
        let mut c = (t * n / threads).max(cuts[cuts.len() - 1]);
        while c < n && model.indicators[c].parent.is_some() {
            c += 1;
        }
        cuts.push(c);
    }
    cuts.push(n);
    let verdicts = if threads <= 1 {
        decide(model, method, as_of, 0, n)
    } else {
        std::thread::scope(|sc| {
            let handles: Vec<_> = cuts
                .windows(2)
                .map(|w| {
                    let (from, to) = (w[0], w[1]);
                    sc.spawn(move || decide(model, method, as_of, from, to))
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("evaluation thread"))
                .collect()
        })
    };
    Evaluation {
        as_of,
        method,
        verdicts,
    }
}

/// The verdicts of indicators `from..to`, a run of whole top-level
/// indicators with their sub-indicators.
fn decide(model: &Model, method: MethodId, as_of: Period, from: usize, to: usize) -> Vec<Verdict> {
    let mut decided: Vec<Option<StatusId>> = vec![None; model.indicators.len()];
    let mut verdicts: Vec<Option<Verdict>> = vec![None; to - from];
    // Children follow their parent in table order: deciding from the end
    // decides every child before its parent.
    for k in (from..to).rev() {
        let v = evaluate_one(model, method, k, as_of, &decided, None);
        decided[k] = Some(v.status);
        verdicts[k - from] = Some(v);
    }
    verdicts
        .into_iter()
        .map(|v| v.expect("every indicator decided"))
        .collect()
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
        method,
        ind: k,
        as_of,
        figures: Vec::with_capacity(rule.figures.len()),
        decided,
        problems: RefCell::default(),
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
        problems: env.problems.into_inner(),
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
        method,
        ind: k,
        as_of: at,
        figures: Vec::new(),
        decided,
        problems: RefCell::default(),
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
