//! The rule tests: every `expect 指标 is 状态 [as of P] [under M]` of the
//! rules, evaluated and compared. The library runs them; the CLI (`guihua
//! test`) and the desk only render the outcome.

use super::{evaluate, Evaluation};
use crate::model::{MethodId, Model, StatusId};
use crate::period::Period;
use std::collections::HashMap;
use std::fmt::Write as _;

/// The outcome of one `expect`.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Index of the test in `model.tests`.
    pub test: usize,
    /// The method it was judged under (the test's, else the plan's default).
    pub method: MethodId,
    /// The period it was judged at (the test's, else the latest data).
    pub as_of: Period,
    /// The status the rules gave.
    pub got: StatusId,
    /// The fired branch's explanation.
    pub explanation: String,
}

impl Outcome {
    /// Whether the rules gave the expected status.
    pub fn passed(&self, model: &Model) -> bool {
        model.tests[self.test].status == self.got
    }
}

/// Every test of a model, in file order.
#[derive(Debug, Clone, Default)]
pub struct TestRun {
    /// One outcome per `expect`.
    pub outcomes: Vec<Outcome>,
}

impl TestRun {
    /// How many passed.
    pub fn passed(&self, model: &Model) -> usize {
        self.outcomes.iter().filter(|o| o.passed(model)).count()
    }

    /// How many failed.
    pub fn failed(&self, model: &Model) -> usize {
        self.outcomes.len() - self.passed(model)
    }
}

/// Runs every `expect` of the model. Each (method, period) pair is
/// evaluated once, however many tests share it.
pub fn run_tests(model: &Model) -> TestRun {
    let mut cache: HashMap<(MethodId, Period), Evaluation> = HashMap::new();
    let latest = model.latest_period();
    let outcomes = model
        .tests
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let method = t.method.unwrap_or(model.plan.default_method);
            let as_of = t.as_of.unwrap_or(latest);
            let ev = cache
                .entry((method, as_of))
                .or_insert_with(|| evaluate(model, method, as_of));
            let v = &ev.verdicts[t.indicator];
            Outcome {
                test: i,
                method,
                as_of,
                got: v.status,
                explanation: v.explanation.clone(),
            }
        })
        .collect();
    TestRun { outcomes }
}

/// The run as text: `通过`/`未通过` per test (a failure with what the rules
/// gave and where the test is), then `N 项通过，N 项未通过`.
pub fn render_tests(model: &Model, run: &TestRun) -> String {
    let mut s = String::new();
    for o in &run.outcomes {
        let t = &model.tests[o.test];
        let label = format!(
            "{} · {} 在{}为 {}（方法：{}）",
            t.block,
            model.indicators[t.indicator].name,
            o.as_of.chinese(),
            model.statuses[t.status].name,
            model.methods[o.method].id
        );
        if o.passed(model) {
            let _ = writeln!(s, "通过    {label}");
        } else {
            let _ = writeln!(s, "未通过  {label}");
            let _ = writeln!(
                s,
                "        实际为 {}：{}",
                model.statuses[o.got].name, o.explanation
            );
            let _ = writeln!(s, "        位置：{}", model.sources.location(t.span));
        }
    }
    let _ = write!(
        s,
        "\n{} 项通过，{} 项未通过\n",
        run.passed(model),
        run.failed(model)
    );
    s
}
