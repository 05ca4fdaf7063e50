//! `guihua lint [PATH]`: parse and validate only.

use super::{load_loaded, Exit, Input};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Rule file or folder (default: the bundled rules/)
    path: Option<PathBuf>,
    /// Corpus folder that `source` quotes are checked against (default: the bundled corpus/)
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
}

pub fn run(a: LintArgs) -> Result<Exit, Exit> {
    let input = Input {
        rules: a.path,
        corpus: a.corpus,
    };
    let loaded = load_loaded(&input)?;
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded.diagnostics.len() - errors;
    if !loaded.diagnostics.is_empty() {
        eprint!("{}", loaded.render_diagnostics());
    }
    let files = loaded.sources.files().count();
    if errors > 0 {
        eprintln!("检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告 ({files} file(s) checked: {errors} error(s), {warnings} warning(s))");
        Ok(Exit::Failure)
    } else {
        println!("检查了 {files} 个文件：没有错误，{warnings} 个警告 ({files} file(s) checked: no errors, {warnings} warning(s))");
        Ok(Exit::Success)
    }
}
