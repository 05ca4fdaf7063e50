//! `guihua eval`: the mid-term table.

use super::{as_of, load_model, method, Ctx, Exit, Judge};
use clap::{Args, ValueEnum};
use guihua::{eval, report};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
    Md,
}

/// Arguments of `eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    judge: Judge,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub fn run(a: EvalArgs, ctx: &Ctx) -> Result<Exit, Exit> {
    let model = load_model(ctx)?;
    let m = method(&model, &a.judge)?;
    let p = as_of(&model, &a.judge)?;
    let ev = eval::evaluate(&model, m, p);
    let r = report::build(&model, &ev);
    let out = match a.format {
        Format::Table => report::table(&r),
        Format::Json => serde_json::to_string_pretty(&r).expect("report serializes") + "\n",
        Format::Csv => report::csv(&r),
        Format::Md => report::markdown(&r),
    };
    print!("{out}");
    Ok(Exit::Success)
}
