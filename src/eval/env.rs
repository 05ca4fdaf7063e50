//! What an expression sees while it is evaluated ([`Env`]): the model, the
//! indicator and period, the figures so far; and how each kind of
//! expression, built-in call and comparison is worked out, with its trace.

use super::series::Series;
use super::*;

/// What an expression sees while it is evaluated.
pub(super) struct Env<'a> {
    pub(super) model: &'a Model,
    pub(super) method: MethodId,
    pub(super) ind: IndicatorId,
    pub(super) as_of: Period,
    pub(super) figures: Vec<Value>,
    pub(super) decided: &'a [Option<StatusId>],
    /// Domain errors met so far, each once.
    pub(super) problems: RefCell<Vec<Problem>>,
}

impl Env<'_> {
    pub(super) fn eval(
        &self,
        e: &Expr,
        depth: usize,
        mut trace: Option<&mut Vec<TraceStep>>,
    ) -> Value {
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
                self.call(*f, &vals, ind, e.span)
            }
        };
        if let (Some(t), Some(i)) = (trace, slot) {
            t[i].value = v.clone();
        }
        v
    }

    /// Records a domain error of the call at `span`; its value is missing.
    pub(super) fn problem(&self, span: Span, msg: String) -> Value {
        let p = Problem {
            span,
            message: crate::messages::bilingual(&msg),
        };
        let mut ps = self.problems.borrow_mut();
        if !ps.contains(&p) {
            ps.push(p);
        }
        Value::Missing
    }

    /// A numeric function of the maths builtins: the result, or a recorded
    /// domain error when the arguments are outside its domain or the result
    /// is not finite. A missing argument gives a missing value silently
    /// (missing data spreads; it is not an error).
    pub(super) fn maths(&self, f: Builtin, args: &[Value], span: Span) -> Value {
        let Some(xs) = args.iter().map(Value::as_num).collect::<Option<Vec<f64>>>() else {
            return Value::Missing;
        };
        let name = crate::model::builtins::signature(f).name;
        let shown = |x: f64| fmt_num(crate::model::round_dp(x, 6));
        let r = match (f, xs.as_slice()) {
            (Builtin::Ln, [x]) if *x <= 0.0 => {
                return self.problem(
                    span,
                    format!("`ln` needs a positive number, not {}", shown(*x)),
                )
            }
            (Builtin::Ln, [x]) => x.ln(),
            (Builtin::Exp, [x]) => x.exp(),
            (Builtin::Pow, [x, y]) if *x < 0.0 && y.fract() != 0.0 => {
                return self.problem(
                    span,
                    format!(
                        "`pow` of a negative number ({}) needs a whole power, not {}",
                        shown(*x),
                        shown(*y)
                    ),
                )
            }
            (Builtin::Pow, [x, y]) if *x == 0.0 && *y < 0.0 => {
                return self.problem(
                    span,
                    format!("`pow` of 0 needs a power of at least 0, not {}", shown(*y)),
                )
            }
            (Builtin::Pow, [x, y]) => x.powf(*y),
            (Builtin::Geomean, _) if xs.iter().any(|x| *x <= 0.0) => {
                let bad = xs.iter().find(|x| **x <= 0.0).copied().unwrap_or(0.0);
                return self.problem(
                    span,
                    format!("`geomean` needs positive numbers, not {}", shown(bad)),
                );
            }
            (Builtin::Geomean, _) => {
                let n = xs.len() as f64;
                (xs.iter().map(|x| x.ln()).sum::<f64>() / n).exp()
            }
            _ => return Value::Missing,
        };
        if r.is_finite() {
            Value::Num(r)
        } else {
            self.problem(span, format!("`{name}` gives a number too large to use"))
        }
    }

    pub(super) fn call(&self, f: Builtin, args: &[Value], ind: IndicatorId, span: Span) -> Value {
        let s = Series::new(self.model, ind, self.as_of)
            .with_options(self.model.methods[self.method].options);
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
            Builtin::ElapsedCounted => num(s.elapsed_counted()),
            Builtin::Path => num(s.path()),
            Builtin::Gap => num(s.gap()),
            Builtin::AvgRate => num(s.avg_rate()),
            Builtin::AvgRateWithHalf => num(s.avg_rate_with_half()),
            Builtin::MeanRate => num(s.mean_rate()),
            Builtin::MeanRateWithHalf => num(s.mean_rate_with_half()),
            Builtin::Decline => num(s.decline()),
            Builtin::Average => num(s.average()),
            Builtin::Reduction => num(s.reduction()),
            Builtin::PeerAverage => num(s.peer_average(self.as_of)),
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
            Builtin::Pow | Builtin::Ln | Builtin::Exp | Builtin::Geomean => {
                self.maths(f, args, span)
            }
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
    pub(super) fn is(&self, got: Option<StatusId>, want: &Value) -> bool {
        match (got, want) {
            (Some(g), Value::Status(w)) => g == *w,
            (Some(g), Value::Class(c)) => self.model.statuses.get(g).is_some_and(|s| s.class == *c),
            _ => false,
        }
    }

    /// For a failed condition: the first comparison that failed, and how
    /// far its left side is from making it hold.
    pub(super) fn shortfall(&self, c: &Expr) -> Option<Shortfall> {
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

    pub(super) fn render(&self, parts: &[Part]) -> String {
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
