//! The second bundled example: the national outline's 20 main indicators,
//! each target in the form the outline prints, observations cited from the
//! NBS communiqués as external sources. It lints clean (no error, no
//! warning) and evaluates with the rules alone.

use crate::util::{guihua, root};
use guihua::corpus::Corpus;
use guihua::eval::{evaluate, run_tests};
use guihua::load::{load_texts, read_rules, Loaded};
use guihua::period::Period;

fn national() -> Loaded {
    let dir = root().join("rules/examples/national");
    let corpus = Corpus::load_dir(&dir).unwrap();
    load_texts(read_rules(&dir).unwrap(), Some(&corpus))
}

#[test]
fn the_national_example_lints_clean() {
    let l = national();
    assert!(
        l.diagnostics.is_empty(),
        "no error, no warning:\n{}",
        l.render_diagnostics()
    );
    let dir = root().join("rules/examples/national");
    let r = guihua(&["-C", dir.to_str().unwrap(), "lint"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("没有错误，0 个警告"), "{}", r.stdout);
}

#[test]
fn every_national_indicator_evaluates_and_its_expected_verdicts_hold() {
    let l = national();
    let m = l.model.unwrap();
    assert_eq!(m.indicators.len(), 20);
    let ev = evaluate(&m, m.plan.default_method, Period::year(2023));
    let status = |id: &str| {
        let k = m.indicators.iter().position(|i| i.id == id).unwrap();
        (
            m.statuses[ev.verdicts[k].status].name.as_str(),
            ev.verdicts[k].explanation.as_str(),
        )
    };
    // The forms of the outline, each decided by its rule.
    assert_eq!(status("GDP增长").0, "未评估");
    let (s, why) = status("劳动生产率增长");
    assert_eq!(s, "达到预期");
    assert!(why.contains("6.18%") && why.contains("5.41%"), "{why}");
    assert!(status("研发经费增长").1.contains("10.87%"));
    let (s, why) = status("能耗降低");
    assert_eq!(s, "低于预期");
    assert!(why.contains("累计降低2.31%"), "{why}");
    // 〔1〕 on life expectancy is 77.3 + 1.
    let life = m
        .indicators
        .iter()
        .find(|i| i.id == "人均预期寿命")
        .unwrap();
    assert!((life.target.as_ref().unwrap().value.unwrap() - 78.3).abs() < 1e-9);
    // Grain in 万吨 converted to 亿吨.
    assert!(status("粮食综合生产能力").1.contains("6.95"));
    // Every value cites a declared document outside the corpus.
    for i in &m.indicators {
        for o in &i.observations {
            let d = o.source.as_ref().and_then(|q| q.document);
            let d = &m.documents[d.unwrap_or_else(|| panic!("{} cites no document", i.id))];
            assert_eq!(d.publisher.as_deref(), Some("国家统计局"), "{}", i.id);
            assert!(d.file.is_none());
        }
    }
    // The example's own tests: the verdicts worked by hand.
    let t = run_tests(&m);
    assert_eq!(t.failed(&m), 0);
    assert_eq!(t.passed(&m), 16);
}

#[test]
fn explain_cites_the_external_document_of_each_value() {
    let dir = root().join("rules/examples/national");
    let r = guihua(&["-C", dir.to_str().unwrap(), "explain", "能耗降低"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "2022年：0.1%\n    来源：国家统计局《中华人民共和国2022年国民经济和社会发展统计公报》（2023）"
        ),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("“”"), "no empty quote: {}", r.stdout);
}

/// `check` agrees with lint: a value cited to a document the corpus does
/// not hold (`source in 统计公报2022`) stands on its citation, so the
/// national example, whose corpus holds none of its documents, has no
/// provenance finding; a quote the corpus should hold is still checked.
#[test]
fn check_takes_an_external_citation_as_lint_does() {
    let dir = root().join("rules/examples/national");
    let r = guihua(&["-C", dir.to_str().unwrap(), "check", "--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let v = crate::util::json(&r.stdout);
    let provenance: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "provenance")
        .collect();
    assert!(provenance.is_empty(), "{provenance:?}");

    // The same rules with one value quoted (no document named): the
    // corpus (this folder) does not hold the quote, and check says so.
    let tmp = tempfile::tempdir().unwrap();
    crate::util::copy_dir(&dir, tmp.path());
    let p = tmp.path().join("指标.guihua");
    let text = std::fs::read_to_string(&p).unwrap();
    let edited = text.replacen(
        "observed 2021: 8.1 source in 统计公报2021",
        "observed 2021: 8.1 source \"国内生产总值比上年增长8.1%\"",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&p, edited).unwrap();
    let r = guihua(&[
        "-C",
        tmp.path().to_str().unwrap(),
        "check",
        "--format",
        "json",
    ]);
    let v = crate::util::json(&r.stdout);
    let provenance = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "provenance")
        .count();
    assert_eq!(provenance, 1, "{v}");
}
