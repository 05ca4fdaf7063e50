//! Search a folder of plan documents in Chinese.
//!
//! ```text
//! cargo run --example search -- 养老设施               # the bundled report
//! cargo run --example search -- GDP增速 path/to/folder  # your own .txt/.md/.docx
//! ```
//!
//! A `Corpus` reads the documents (Word files included) and ingests them
//! once: outline, paragraphs, table rows, glossary. `SearchIndex::in_memory`
//! indexes that with tantivy and a jieba-based tokenizer; a query without
//! spaces is segmented, and when the strict reading finds too little the
//! match relaxes step by step (the result says which step answered).

use guihua::corpus::Corpus;
use guihua::search::SearchIndex;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(query) = args.next() else {
        eprintln!("usage: search QUERY [FOLDER]");
        return ExitCode::from(2);
    };
    let corpus = match args.next() {
        Some(dir) => match Corpus::load_dir(Path::new(&dir)) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => Corpus::bundled(),
    };

    // No rules are needed to search; with a model, indicator names and the
    // rules' synonyms join the dictionary.
    let index = match SearchIndex::in_memory(&corpus, None) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };

    // A bad query (unbalanced quotes, too long…) is an error, never a panic.
    let results = match index.search(&query, 5) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "{} 条结果 (hits), answered at step {:?}; {} match every word as typed",
        results.total, results.step, results.strict_total
    );
    for hit in &results.hits {
        // Where it is: the document's outline down to the 一是/二是 item.
        println!("\n{}:{}  {}", hit.doc, hit.line, hit.section.join(" › "));
        println!("  {}", hit.snippet);
    }
    ExitCode::SUCCESS
}
