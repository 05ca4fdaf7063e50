//! The parsing pipeline of one file: split it into chunks of whole items
//! ([`chunk`](super::chunk)), read each into pest pairs ([`cst`](super::cst)),
//! fold the pairs into the syntax tree ([`build`](super::build)); a chunk that
//! fails is parsed again item by item so every syntax error is reported.

use super::ast::*;
use super::build::{self, Ctx};
use super::chunk::chunk_bounds;
use super::cst;
use super::grammar::Rule;
use super::recover;
use crate::span::{Diagnostic, SourceId};

/// Bytes of text handed to pest at a time. Parsing a large file in chunks
/// of whole top-level items keeps pest's token queue (several times the
/// input) small, and lets the chunks be parsed on several cores.
const CHUNK: usize = 64 * 1024;

/// Parses one file. On syntax errors, returns the located diagnostics: one
/// for each top-level item that does not parse.
pub fn parse_file(file: SourceId, text: &str) -> Result<File, Vec<Diagnostic>> {
    let (f, errors) = parse_file_recovering(file, text);
    if errors.is_empty() {
        Ok(f)
    } else {
        Err(errors)
    }
}

/// Parses one file as far as it can: the items that parse, and a located
/// diagnostic for each top-level item that does not (parsing starts again
/// after the `}` that closes it), so one typo hides no other error and the
/// items around it can still be validated.
pub fn parse_file_recovering(file: SourceId, text: &str) -> (File, Vec<Diagnostic>) {
    let bounds = match chunk_bounds(file, text, CHUNK) {
        Ok(b) => b,
        Err(d) => return (File::default(), vec![d]),
    };
    let chunks: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let threads = if text.len() > 4 * CHUNK {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(chunks.len())
    } else {
        1
    };
    let results: Vec<(File, Vec<Diagnostic>)> = if threads <= 1 {
        chunks
            .iter()
            .map(|&(a, b)| parse_chunk_recovering(file, a, &text[a..b]))
            .collect()
    } else {
        // Contiguous runs of chunks per thread, joined back in order.
        let per = chunks.len().div_ceil(threads);
        std::thread::scope(|sc| {
            let handles: Vec<_> = chunks
                .chunks(per)
                .map(|run| {
                    sc.spawn(move || {
                        run.iter()
                            .map(|&(a, b)| parse_chunk_recovering(file, a, &text[a..b]))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("parser thread"))
                .collect()
        })
    };
    let mut out = File::default();
    let mut errors = Vec::new();
    for (f, e) in results {
        append(&mut out, f);
        errors.extend(e);
    }
    (out, errors)
}

fn append(out: &mut File, f: File) {
    out.plans.extend(f.plans);
    out.indicators.extend(f.indicators);
    out.methods.extend(f.methods);
    out.tests.extend(f.tests);
    out.synonyms.extend(f.synonyms);
    out.not_synonyms.extend(f.not_synonyms);
    out.terms.extend(f.terms);
    out.nodes.extend(f.nodes);
    out.project_states.extend(f.project_states);
    out.documents.extend(f.documents);
}

/// A chunk of items; when it does not parse whole, each of its top-level
/// items on its own.
fn parse_chunk_recovering(file: SourceId, base: usize, text: &str) -> (File, Vec<Diagnostic>) {
    match parse_chunk(file, base, text) {
        Ok(f) => (f, vec![]),
        Err(first) => {
            let Ok(bounds) = chunk_bounds(file, text, 1) else {
                return (File::default(), first);
            };
            if bounds.len() <= 2 {
                return (File::default(), every_error(file, base, text, first));
            }
            let mut out = File::default();
            let mut errors = Vec::new();
            for w in bounds.windows(2) {
                let item = &text[w[0]..w[1]];
                match parse_chunk(file, base + w[0], item) {
                    Ok(f) => append(&mut out, f),
                    Err(e) => errors.extend(every_error(file, base + w[0], item, e)),
                }
            }
            if errors.is_empty() {
                // Items that parse alone but not together: say what the
                // whole chunk said.
                errors = first;
            }
            (out, errors)
        }
    }
}

/// An item's first syntax error and those after it on other lines.
fn every_error(file: SourceId, base: usize, text: &str, first: Vec<Diagnostic>) -> Vec<Diagnostic> {
    match <[Diagnostic; 1]>::try_from(first) {
        Ok([d]) => recover::item_errors(file, base, text, d),
        Err(v) => v,
    }
}

/// One chunk through the stages: text → pest pairs → syntax tree.
fn parse_chunk(file: SourceId, base: usize, text: &str) -> Result<File, Vec<Diagnostic>> {
    let mut pairs = cst::cst(file, base, text, Rule::file).map_err(|d| vec![d])?;
    let root = pairs.next().expect("grammar: file always yields one pair");
    build::file(&Ctx { file, base }, root)
}
