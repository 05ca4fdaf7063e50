//! `guihua explain INDICATOR`: the trace of one decision.

use super::{as_of, load_model, method, Ctx, Exit, Judge};
use clap::Args;
use guihua::{eval, report};

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Indicator id or name, e.g. `城镇化率` or `常住人口城镇化率`
    indicator: String,
    #[command(flatten)]
    judge: Judge,
}

pub fn run(a: ExplainArgs, ctx: &Ctx) -> Result<Exit, Exit> {
    let model = load_model(ctx)?;
    let m = method(&model, &a.judge)?;
    let p = as_of(&model, &a.judge)?;
    let k = model.resolve_indicator(&a.indicator).map_err(|e| {
        eprintln!("error: {e}");
        Exit::Usage
    })?;
    let ex = eval::explain(&model, m, k, p);
    print!("{}", report::explain(&model, &ex, m));
    Ok(Exit::Success)
}
