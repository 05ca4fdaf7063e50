//! External sources: `source "…" in 文献` checked against the named
//! document when the corpus holds it; a declared document the corpus does
//! not hold stands on its citation, with no missing-source warning.

use guihua::corpus::{Corpus, Document};
use guihua::load::{bundled_rules, load_texts, Loaded};

const DOCS: &str = r#"
document 统计公报2022 "中华人民共和国2022年国民经济和社会发展统计公报" {
  publisher "国家统计局"
  year 2023
}
"#;

fn load(indicator_body: &str, corpus: Option<&Corpus>) -> Loaded {
    let mut files: Vec<(String, String)> = bundled_rules()
        .into_iter()
        .filter(|(n, _)| n.ends_with("plan.guihua") || n.ends_with("mid_term.guihua"))
        .collect();
    files.push(("docs.guihua".into(), DOCS.into()));
    files.push((
        "t.guihua".into(),
        format!(
            "indicator GDP增长 {{ seq 1 name \"国内生产总值增长\" category 经济发展 attribute 预期性 unit \"%\" kind rate
               target rate 5 source in 统计公报2022
               {indicator_body} }}"
        ),
    ));
    load_texts(files, corpus)
}

fn corpus() -> Corpus {
    Corpus::new(vec![
        Document::new(
            "corpus/统计公报2023.txt",
            "全年国内生产总值1260582亿元，比上年增长5.2%。",
        ),
        Document::new("corpus/区报告.txt", "全区地区生产总值增长4.0%。"),
    ])
}

#[test]
fn a_declared_document_outside_the_corpus_is_cited_without_a_warning() {
    let l = load(
        "observed 2022: 3.0 source \"比上年增长3.0%\" in 统计公报2022",
        Some(&corpus()),
    );
    let d = l.render_diagnostics();
    assert!(!l.has_errors(), "{d}");
    assert!(!d.contains("source"), "no warning about sources: {d}");
    let m = l.model.unwrap();
    let doc = &m.documents[m.indicators[0].observations[0]
        .source
        .as_ref()
        .unwrap()
        .document
        .unwrap()];
    assert_eq!(
        doc.citation(),
        "国家统计局《中华人民共和国2022年国民经济和社会发展统计公报》（2023）"
    );
}

#[test]
fn a_quote_in_a_corpus_document_is_checked_against_that_document() {
    // The corpus holds 统计公报2023 (by its file name): the quote is found.
    let ok = load(
        "observed 2023: 5.2 source \"比上年增长5.2%\" in 统计公报2023",
        Some(&corpus()),
    );
    assert!(!ok.has_errors(), "{}", ok.render_diagnostics());
    // A quote that is in another document of the corpus is an error that says where.
    let wrong = load(
        "observed 2023: 4.0 source \"全区地区生产总值增长4.0%\" in 统计公报2023",
        Some(&corpus()),
    );
    let d = wrong.render_diagnostics();
    assert!(wrong.has_errors());
    assert!(
        d.contains("source quote not found in `corpus/统计公报2023.txt`"),
        "{d}"
    );
    assert!(d.contains("区报告.txt"), "{d}");
}

#[test]
fn an_unknown_document_is_an_error_with_did_you_mean() {
    let l = load("observed 2022: 3.0 source in 统计公报2021", Some(&corpus()));
    let d = l.render_diagnostics();
    assert!(l.has_errors());
    assert!(d.contains("unknown document `统计公报2021`"), "{d}");
    assert!(d.contains("统计公报2022"), "{d}");
}
