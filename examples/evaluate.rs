//! Evaluate a rule set from the library, without the CLI.
//!
//! ```text
//! cargo run --example evaluate                 # the bundled 卧龙区 rules and report
//! cargo run --example evaluate -- RULES CORPUS # your own rules and documents
//! ```
//!
//! The data flows one way: rule files → `load::load_texts` (parse, lower,
//! check every `source` quote against the corpus) → `Model` →
//! `eval::evaluate` (one verdict per indicator) → `report::build` (the
//! typed table the CLI prints as text, JSON, CSV or Markdown).

use guihua::corpus::Corpus;
use guihua::{eval, load, report};
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();

    // 1. The rules and the documents their quotes come from. Without
    //    arguments, the example bundled in the binary.
    let (rules, corpus) = match args.as_slice() {
        [] => (load::bundled_rules(), Corpus::bundled()),
        [rules, corpus] => {
            let rules = match load::read_rules(Path::new(rules)) {
                Ok(r) => r,
                Err(e) => return fail(&e),
            };
            match Corpus::load_dir(Path::new(corpus)) {
                Ok(c) => (rules, c),
                Err(e) => return fail(&e),
            }
        }
        _ => return fail("usage: evaluate [RULES CORPUS]"),
    };

    // 2. Parse and lower. Every error comes with its file:line:col; a rule
    //    set with errors gives no model, so nothing is judged on bad rules.
    let loaded = load::load_texts(rules, Some(&corpus));
    if !loaded.diagnostics.is_empty() {
        eprintln!("{}", loaded.render_diagnostics());
    }
    let Some(model) = loaded.model else {
        return fail("the rules have errors; nothing was evaluated");
    };

    // 3. Judge every indicator with the plan's default method at the latest
    //    period that has data: the same call `guihua eval` makes.
    let method = model.plan.default_method;
    let as_of = model.latest_period();
    let evaluation = eval::evaluate(&model, method, as_of);

    // 4. Each verdict names its status (a word from the rules, not from
    //    Rust) and the figures behind it.
    for v in &evaluation.verdicts {
        let indicator = &model.indicators[v.indicator];
        let status = &model.statuses[v.status].name;
        println!("{} — {status}: {}", indicator.name, v.explanation);
        for (name, value) in &v.figures {
            println!("    {name} = {}", eval::fmt_value(&model, value, None));
        }
    }

    // 5. The typed report is what every output format is rendered from.
    let report = report::build(&model, &evaluation);
    println!("\n{}", report::summary_line(&report));
    ExitCode::SUCCESS
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}
