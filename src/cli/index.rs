//! `guihua index --corpus DIR --out DIR`: a persistent index for large collections.

use super::{Ctx, Exit};
use clap::Args;
use guihua::search::{store, Lexicon};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `index`. The documents are `--corpus` (a folder of
/// `.txt`, `.md`, `.docx` and `.jsonl` files) or the workspace's; the words
/// of `--rules` (or the workspace's rules) shape the index, and no rules
/// at all when neither is given.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Folder the index goes in (created if missing; an index already there is replaced atomically)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Indexing threads, 1–64 (default: every core)
    #[arg(long, value_parser = threads)]
    threads: Option<usize>,
}

fn threads(s: &str) -> Result<usize, String> {
    guihua::limits::parse_count(s, 1, guihua::limits::MAX_THREADS)
}

pub fn run(a: IndexArgs, ctx: &Ctx) -> Result<Exit, Exit> {
    // Unreadable input, an unusable --out, a second writer: all exit 2.
    let fail = |e: guihua::search::SearchError| {
        eprintln!("error: {e}");
        Exit::Usage
    };
    // A --out that cannot hold an index is said before the corpus is read.
    store::check_out(&a.out).map_err(fail)?;
    if ctx.rules_path(None).is_none() {
        ctx.without_rules();
    }
    let input = match ctx.corpus_path() {
        Some(dir) => store::Input::read(&dir).map_err(fail)?,
        None => store::Input::corpus(ctx.corpus()?),
    };
    let model = match ctx.rules_path(None) {
        Some(_) => Some(super::load_model_unchecked(ctx)?),
        None => None,
    };
    let lexicon = Lexicon::new(model.as_ref(), &input.glossary);
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let bar = ProgressBar::new(input.bytes);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} 索引 {bytes}/{total_bytes} [{bar:30}] {bytes_per_sec} 剩余 {eta}",
        )
        .expect("template")
        .progress_chars("=> "),
    );
    let t = Instant::now();
    let m = store::build(&input, lexicon, &a.out, threads, &mut |b| bar.inc(b)).map_err(fail)?;
    bar.finish_and_clear();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "已索引 {} 个段落/表格行，来自 {} 个文档，{:.1} MB，用时 {:.1} 秒（{:.1} MB/s，{} 个线程）→ {}",
        m.units,
        m.docs,
        m.bytes as f64 / 1e6,
        secs,
        m.bytes as f64 / 1e6 / secs,
        threads,
        a.out.display()
    );
    Ok(Exit::Success)
}
