//! Throughput of `guihua check` on a large generated corpus.
//!
//! The records of a JSONL corpus (as `make_corpus.py` writes it) become
//! paragraphs of documents of about 1 MB each; every check runs over them
//! with the bundled rules. Also times the bundled report alone.
//!
//! usage: cargo bench --bench check -- --corpus FILE.jsonl [--mb 50] [--dump FILE]
//!
//! `--dump FILE` writes the generated corpus's findings, one JSON line each,
//! sorted: two runs' dumps diff to the findings that differ.

use guihua::corpus::{Corpus, Document};
mod util;

use std::io::BufRead;
use std::time::Instant;

fn main() {
    let opt = util::opt;
    let loaded = guihua::load::load_texts(guihua::load::bundled_rules(), None);
    let model = loaded.model.expect("bundled rules load");

    let bundled = Corpus::bundled();
    let mut times = Vec::new();
    let mut n = 0;
    for _ in 0..20 {
        let t = Instant::now();
        n = guihua::check::check(&model, &bundled, &[]).len();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "bundled report ({} KB): median {:.1} ms, {n} findings",
        bundled.docs[0].text.len() / 1000,
        times[times.len() / 2]
    );

    let Some(path) = opt("--corpus") else { return };
    let mb: usize = opt("--mb").and_then(|v| v.parse().ok()).unwrap_or(50);
    let file = std::fs::File::open(&path).expect("open corpus");
    let mut docs = Vec::new();
    let mut cur = String::new();
    let mut total = 0;
    for line in std::io::BufReader::new(file).lines() {
        let v: serde_json::Value = serde_json::from_str(&line.expect("read")).expect("JSONL");
        let text = v["text"].as_str().unwrap_or("");
        total += text.len();
        cur.push_str(text);
        cur.push('\n');
        if cur.len() > 1_000_000 {
            docs.push(Document::new(
                format!("d{}.txt", docs.len()),
                std::mem::take(&mut cur),
            ));
        }
        if total >= mb * 1_000_000 {
            break;
        }
    }
    if !cur.is_empty() {
        docs.push(Document::new(format!("d{}.txt", docs.len()), cur));
    }
    let corpus = Corpus::new(docs);
    let t = Instant::now();
    let f = guihua::check::check(&model, &corpus, &[]);
    let s = t.elapsed().as_secs_f64();
    println!(
        "generated corpus: {:.1} MB in {} documents: {:.2} s, {:.1} MB/s, {} findings",
        total as f64 / 1e6,
        corpus.docs.len(),
        s,
        total as f64 / 1e6 / s,
        f.len()
    );
    if let Some(dump) = opt("--dump") {
        let mut lines: Vec<String> = f
            .iter()
            .map(|x| serde_json::to_string(x).expect("finding as JSON"))
            .collect();
        lines.sort();
        std::fs::write(&dump, lines.join("\n") + "\n").expect("write the dump");
    }
}
