//! `guihua test [PATH]`: check the `expect … is …` declarations.

use super::{load_model_from, Ctx, Exit};
use clap::Args;
use guihua::eval;
use std::collections::HashMap;
use std::path::PathBuf;

/// Arguments of `test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Rule file or folder (default: --rules, the workspace's, else the bundled rules/)
    path: Option<PathBuf>,
}

pub fn run(a: TestArgs, ctx: &Ctx) -> Result<Exit, Exit> {
    let model = load_model_from(ctx, a.path.as_deref())?;
    if model.tests.is_empty() {
        eprintln!(
            "error: {}",
            guihua::messages::bilingual("no `expect` declarations found")
        );
        return Ok(Exit::Failure);
    }
    let mut cache = HashMap::new();
    let (mut passed, mut failed) = (0, 0);
    for t in &model.tests {
        let m = t.method.unwrap_or(model.plan.default_method);
        let p = t.as_of.unwrap_or_else(|| model.latest_period());
        let ev = cache
            .entry((m, p))
            .or_insert_with(|| eval::evaluate(&model, m, p));
        let v = &ev.verdicts[t.indicator];
        let ind = &model.indicators[t.indicator];
        let want = &model.statuses[t.status].name;
        let label = format!(
            "{} · {} is {} as of {} under {}",
            t.block, ind.name, want, p, model.methods[m].id
        );
        if v.status == t.status {
            passed += 1;
            println!("ok    {label}");
        } else {
            failed += 1;
            println!("FAIL  {label}");
            println!(
                "      got {}: {}",
                model.statuses[v.status].name, v.explanation
            );
            println!("      at {}", model.sources.location(t.span));
        }
    }
    println!("\n{passed} passed, {failed} failed");
    Ok(if failed == 0 {
        Exit::Success
    } else {
        Exit::Failure
    })
}
