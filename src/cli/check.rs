//! `guihua check`: where the documents disagree with themselves or the data.

use super::{load_model_unchecked, Ctx, Exit};
use clap::{Args, ValueEnum};
use guihua::check::{self, FindingKind};
use guihua::messages::UsageMessage;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Only these kinds: provenance, stated_value, derived_value, summary, table_chart, structure
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(a: CheckArgs, ctx: &Ctx) -> Result<Exit, Exit> {
    let mut only = Vec::new();
    for o in &a.only {
        match FindingKind::parse(o) {
            Some(k) => only.push(k),
            None => {
                return Err(super::usage(UsageMessage::UnknownCheck {
                    asked: o.clone(),
                    known: FindingKind::WORDS.to_vec(),
                }));
            }
        }
    }
    let corpus = ctx.corpus()?;
    // Quotes are checked by the provenance check itself, not by loading.
    let model = load_model_unchecked(ctx)?;
    let findings = check::check(&model, corpus, &only);
    match a.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "findings": findings }))
                .expect("serializes")
        ),
        Format::Text => print!("{}", check::render(&findings)),
    }
    Ok(if findings.is_empty() {
        Exit::Success
    } else {
        Exit::Failure
    })
}
