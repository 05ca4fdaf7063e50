//! `guihua explain INDICATOR`: the trace of one decision.

use super::{as_of, load_model, method, Ctx, Exit, Judge};
use clap::Args;
use guihua::span::did_you_mean;
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
    let k = match model.lookup_indicator(&a.indicator) {
        Ok(k) => k,
        Err(c) if c.is_empty() => {
            let hint = did_you_mean(&a.indicator, model.indicator_names())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            eprintln!(
                "error: {}",
                guihua::messages::bilingual(&format!("no indicator `{}`{hint}", a.indicator))
            );
            return Err(Exit::Usage);
        }
        Err(c) => {
            let names: Vec<String> = c
                .iter()
                .map(|&k| {
                    format!(
                        "`{}`（{}）",
                        model.indicators[k].id, model.indicators[k].name
                    )
                })
                .collect();
            eprintln!(
                "error: `{0}` 符合 {1} 个指标，请写得更具体 (`{0}` matches several indicators): {2}",
                a.indicator,
                names.len(),
                names.join(", ")
            );
            return Err(Exit::Usage);
        }
    };
    let ex = eval::explain(&model, m, k, p);
    print!("{}", report::explain(&model, &ex, m));
    Ok(Exit::Success)
}
