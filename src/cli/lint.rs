//! `guihua lint [PATH]`: parse and validate only.

use super::{load_loaded, Ctx, Exit};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Rule file or folder (default: --rules, the workspace's, else the bundled rules/)
    path: Option<PathBuf>,
}

pub fn run(a: LintArgs, ctx: &Ctx) -> Result<Exit, Exit> {
    let loaded = load_loaded(ctx, a.path.as_deref())?;
    let corpus = ctx.corpus()?;
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded.diagnostics.len() - errors;
    if !loaded.diagnostics.is_empty() {
        eprint!("{}", loaded.render_diagnostics());
    }
    let files = loaded.sources.files().count();
    let n = corpus.docs.len();
    let (zh, en) = ctx.corpus_label();
    let searched = format!("出处引文已在{zh}（{n} 个文档）中核对");
    if errors > 0 {
        eprintln!("检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告 ({files} file(s) checked: {errors} error(s), {warnings} warning(s))");
        eprintln!("{searched} (source quotes checked against {en}, {n} document(s))");
        Ok(Exit::Failure)
    } else {
        println!("检查了 {files} 个文件：没有错误，{warnings} 个警告");
        println!("{searched}");
        Ok(Exit::Success)
    }
}
