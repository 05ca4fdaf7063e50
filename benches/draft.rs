//! Time of `guihua new` on the public report: ingest, draft, and the lint
//! of the drafted rules against the new corpus (what the command does
//! before it writes), in the library; the command adds the file writes.
//!
//! usage: cargo bench --bench draft

use guihua::corpus::{Corpus, Document};
use std::time::Instant;

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (label, path) in [
        (
            "qinglan (public report)",
            root.join("tests/fixtures/qinglan/qinglan-midterm-2024.txt"),
        ),
        (
            "卧龙区 (bundled report)",
            root.join("corpus/卧龙区十四五规划纲要实施情况中期评估报告.txt"),
        ),
    ] {
        let text = std::fs::read_to_string(&path).expect("report");
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let mut times = Vec::new();
        let mut files = 0;
        for _ in 0..30 {
            let t = Instant::now();
            let corpus = Corpus::new(vec![Document::new(name.clone(), text.clone())]);
            let d = guihua::draft::draft(&corpus.ingested()[0], &name).expect("drafts");
            let loaded = guihua::load::load_texts(d.files.clone(), Some(&corpus));
            assert!(!loaded.has_errors(), "drafted rules lint clean");
            files = d.files.len();
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        println!(
            "{label} ({} KB): ingest + draft + lint {files} files: median {median:.1} ms, max {:.1} ms",
            text.len() / 1000,
            times[times.len() - 1]
        );
        assert!(median < 1000.0, "guihua new must stay under 1 s");
    }
}
