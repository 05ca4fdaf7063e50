//! Every input under fuzz/corpus/ and fuzz/regressions/ (crashes a fuzz
//! target once found, kept) replayed through what its fuzz target runs:
//! `cargo test` guards them without libFuzzer.

use crate::util::root;
use std::path::Path;

fn inputs(target: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["fuzz/corpus", "fuzz/regressions"] {
        let d = root().join(dir).join(target);
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd {
            let p = e.unwrap().path();
            if p.file_name().is_some_and(|n| n == ".gitkeep") {
                continue;
            }
            // libFuzzer's `&str` targets skip inputs that are not UTF-8.
            if let Ok(t) = String::from_utf8(std::fs::read(&p).unwrap()) {
                out.push((name(&p), t));
            }
        }
    }
    assert!(!out.is_empty(), "no inputs for {target}");
    out
}

fn name(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

#[test]
fn rule_inputs_load_or_give_diagnostics() {
    for (name, text) in inputs("rules") {
        let loaded = guihua::load::load_texts(vec![(name.clone(), text)], None);
        let rendered = loaded.render_diagnostics();
        match loaded.model {
            Some(model) => {
                for m in 0..model.methods.len() {
                    let ev = guihua::eval::evaluate(&model, m, model.latest_period());
                    assert_eq!(ev.verdicts.len(), model.indicators.len(), "{name}");
                }
            }
            None => assert!(rendered.contains("error"), "{name}: no model and no error"),
        }
    }
}

#[test]
fn query_inputs_answer_or_are_query_errors() {
    let index = guihua::search::SearchIndex::in_memory(&guihua::corpus::Corpus::bundled(), None)
        .expect("bundled index");
    for (name, q) in inputs("query") {
        match index.search(&q, 10) {
            Ok(r) => assert!(r.hits.len() <= 10, "{name}"),
            Err(e) => assert!(
                matches!(e, guihua::search::SearchError::Query(_)),
                "{name}: {e}"
            ),
        }
    }
}

#[test]
fn ingest_inputs_place_every_unit() {
    for (name, text) in inputs("ingest") {
        for file in ["fuzz.txt", "fuzz.md"] {
            let ing =
                guihua::corpus::ingest::ingest(&guihua::corpus::Document::new(file, text.as_str()));
            let lines = text.lines().count().max(1);
            for u in &ing.units {
                assert!(
                    u.line >= 1 && u.line <= lines,
                    "{name}: unit at line {} of {lines}",
                    u.line
                );
            }
        }
    }
}

#[test]
fn docx_inputs_read_or_are_clear_errors() {
    for dir in ["fuzz/corpus/docx", "fuzz/regressions/docx"] {
        let Ok(rd) = std::fs::read_dir(root().join(dir)) else {
            continue;
        };
        for e in rd {
            let p = e.unwrap().path();
            if p.file_name().is_some_and(|n| n == ".gitkeep") {
                continue;
            }
            let bytes = std::fs::read(&p).unwrap();
            match guihua::corpus::docx::from_bytes(&bytes) {
                Ok(w) => {
                    let doc = guihua::corpus::Document::new("fuzz.docx", w.text);
                    let ing = guihua::corpus::ingest::ingest(&doc);
                    assert!(!ing.units.is_empty(), "{}", name(&p));
                }
                Err(e) => assert!(!e.to_string().is_empty(), "{}", name(&p)),
            }
        }
    }
}
