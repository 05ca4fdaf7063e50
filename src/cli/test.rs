//! `guihua test [PATH]`: check the `expect … is …` declarations.

use super::{load_model_from, Ctx, Exit};
use clap::Args;
use guihua::eval;
use guihua::messages::{Said, UsageMessage};
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
        eprintln!("error: {}", Said::from(UsageMessage::NoExpectations));
        return Ok(Exit::Failure);
    }
    let run = eval::run_tests(&model);
    print!("{}", eval::render_tests(&model, &run));
    Ok(if run.failed(&model) == 0 {
        Exit::Success
    } else {
        Exit::Failure
    })
}
