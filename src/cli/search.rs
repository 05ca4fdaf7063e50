//! `guihua search QUERY`: full-text search of the plan documents.

use super::{Ctx, Exit};
use clap::{Args, ValueEnum};
use guihua::search::tokenizer::Segmenter;
use guihua::search::{cache, store};
use guihua::search::{Lexicon, SearchIndex};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Arguments of `search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words (all must match), "phrases", OR, NOT/-word, (…), section:标题
    #[arg(allow_hyphen_values = true)]
    query: String,
    /// Most hits to show (1–1000)
    #[arg(long, default_value_t = 10, value_parser = limit)]
    limit: usize,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// A persistent index built by `guihua index` (default: index the corpus in memory)
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
}

fn limit(s: &str) -> Result<usize, String> {
    guihua::limits::parse_count(s, 1, guihua::limits::MAX_HITS)
}

pub fn run(a: SearchArgs, ctx: &Ctx) -> Result<Exit, Exit> {
    // A malformed query, an unreadable corpus or index: bad usage or
    // unreadable input, exit 2 (README: exit codes).
    let fail = |e: guihua::search::SearchError| {
        eprintln!("error: {e}");
        Exit::Usage
    };
    let r = match &a.index {
        Some(dir) => {
            // Rules given (or the workspace's) are read and checked, and
            // their synonyms serve the query; the index keeps the words it
            // was built with.
            let model = match ctx.rules_path(None) {
                Some(_) => Some(super::load_model_unchecked(ctx)?),
                None => None,
            };
            let mut differs = false;
            let r = store::open_and_search(dir, &a.query, a.limit, |index| {
                if let Some(m) = &model {
                    differs = index.use_rules(m);
                }
            });
            if differs {
                eprintln!(
                    "注意：这些规则的词语与建立索引时的不同，标题分词仍按索引；可用 `guihua index` 重建"
                );
            }
            r
        }
        None => {
            let (index, dir, keep) = one_shot(ctx)?;
            let r = match &dir {
                Some(dir) => store::search(&index, dir, &a.query, a.limit),
                None => index.search(&a.query, a.limit),
            };
            if let Ok(r) = &r {
                print(r, a.format);
            }
            // Kept for the next call once this one has answered; a cache
            // that cannot be written changes nothing.
            if let Some((root, key, docs, bytes)) = keep {
                let _ = cache::save(&root, &key, &index, docs, bytes);
            }
            return r.map(|_| Exit::Success).map_err(fail);
        }
    }
    .map_err(fail)?;
    print(&r, a.format);
    Ok(Exit::Success)
}

fn print(r: &guihua::search::SearchResults, format: Format) {
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(r).expect("results serialize")
        ),
        Format::Text => print!("{}", r.to_text()),
    }
}

/// What a one-shot search keeps in the cache after answering: the cache
/// folder, the key, and the documents and bytes indexed.
type Keep = (PathBuf, cache::Key, u64, u64);

/// The largest collection (bytes of text) a one-shot search indexes with
/// the compact segmenter rather than jieba's whole dictionary.
const COMPACT_MAX_BYTES: u64 = 4 << 20;

/// The index of the run's corpus with its rules' words: the cached one
/// when these rules, documents and binary were indexed before (with its
/// folder), else built in memory, with where to keep it when there is a
/// cache.
fn one_shot(ctx: &Ctx) -> Result<(SearchIndex, Option<PathBuf>, Option<Keep>), Exit> {
    let fail = |e: guihua::search::SearchError| {
        eprintln!("error: {e}");
        Exit::Usage
    };
    // The corpus, ingested once. The rules give words and synonyms only:
    // their quotes are `lint`'s business, so a folder of other documents
    // can be searched with any rules.
    let corpus = ctx.corpus()?;
    let jsonl = match ctx.corpus_path() {
        Some(dir) => store::jsonl_files(&dir).map_err(fail)?,
        None => Vec::new(),
    };
    let bytes: u64 = corpus.docs.iter().map(|d| d.text.len() as u64).sum::<u64>()
        + jsonl
            .iter()
            .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
            .sum::<u64>();
    let cached = match cache::root().filter(|_| bytes <= cache::MAX_BYTES) {
        Some(root) => {
            let mut key = cache::Key::new();
            for (name, text) in ctx.rule_files(None)? {
                key.add(name.as_bytes());
                key.add(text.as_bytes());
            }
            key.add(b"documents");
            for d in &corpus.docs {
                key.add(d.name.as_bytes());
                key.add(d.text.as_bytes());
                key.add(format!("{:?}", d.layout).as_bytes());
            }
            for p in &jsonl {
                key.add(p.to_string_lossy().as_bytes());
                // Unreadable: no key, the build says why.
                key.add(&std::fs::read(p).unwrap_or_default());
            }
            if let Some((index, dir)) = cache::open(&root, &key) {
                return Ok((index, Some(dir), None));
            }
            Some((root, key))
        }
        None => None,
    };
    // A small collection (a report or a few) is cut by the compact
    // segmenter, which reads only the dictionary words of each text it cuts
    // (the index cuts headings only): loading jieba's whole dictionary would
    // be most of the call. A larger one loads the dictionary while the rules
    // and documents are read.
    let loading = (bytes > COMPACT_MAX_BYTES).then(Segmenter::start_loading);
    let model = super::load_model_unchecked(ctx)?;
    let mut input = store::Input::corpus(corpus);
    input.jsonl = jsonl;
    let lexicon = Lexicon::new(Some(&model), &input.glossary);
    let terms = lexicon.terms.iter().map(String::as_str);
    let seg = match loading {
        Some(l) => l.with(terms),
        None => Segmenter::compact(terms),
    };
    let index =
        SearchIndex::build_with(input.units(), lexicon, seg, None, 1, &mut |_| {}).map_err(fail)?;
    let keep = cached.map(|(root, key)| (root, key, input.docs() as u64, bytes));
    Ok((index, None, keep))
}
