//! Workspaces (guihua.toml found upward, or `-C DIR`) and the global flags.

use crate::util::{guihua, guihua_in, json, root};
use std::path::Path;

/// A workspace made by hand: a copy of the bundled rules in `my-rules/`
/// and the bundled report under another name in `docs/`.
fn workspace() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("guihua.toml"),
        "name = \"试验区\"\ntitle = \"试验区规划纲要\"\nrules = \"my-rules\"\ncorpus = \"docs\"\n",
    )
    .unwrap();
    copy(&root().join("rules"), &d.path().join("my-rules"));
    let docs = d.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let report = std::fs::read_dir(root().join("corpus"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::copy(report, docs.join("本区报告.txt")).unwrap();
    std::fs::create_dir_all(d.path().join("sub/deeper")).unwrap();
    d
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

#[test]
fn outside_a_workspace_the_bundled_example_is_said_once() {
    let r = guihua(&["eval"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let n = r.notice.expect("the notice");
    assert!(
        n.contains("内置示例") && !n.contains("bundled example"),
        "{n}"
    );
    // Both given: nothing bundled, nothing said.
    let r = guihua(&[
        "eval",
        "--rules",
        root().join("rules").to_str().unwrap(),
        "--corpus",
        root().join("corpus").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.notice.is_none(), "{:?}", r.notice);
}

#[test]
fn a_workspace_is_found_from_a_subfolder_and_with_dash_c() {
    let ws = workspace();
    let sub = ws.path().join("sub/deeper");
    for (dir, args) in [
        (sub.clone(), vec!["search", "月季", "--format", "json"]),
        (
            std::env::temp_dir(),
            vec![
                "-C",
                sub.to_str().unwrap(),
                "search",
                "月季",
                "--format",
                "json",
            ],
        ),
        (
            std::env::temp_dir(),
            vec![
                "search",
                "月季",
                "--format",
                "json",
                "-C",
                ws.path().to_str().unwrap(),
            ],
        ),
    ] {
        let r = guihua_in(&dir, &args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(r.notice.is_none(), "{args:?}: {:?}", r.notice);
        let v = json(&r.stdout);
        assert_eq!(v["hits"][0]["doc"], "本区报告.txt", "{args:?}");
    }
    // Every command runs on the workspace.
    for args in [
        vec!["eval"],
        vec!["explain", "城镇化率"],
        vec!["lint"],
        vec!["test"],
        vec!["graph", "supports", "创新中心"],
        vec!["show", "创新中心"],
    ] {
        let r = guihua_in(&sub, &args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(r.notice.is_none(), "{args:?}: {:?}", r.notice);
    }
    // lint says which corpus it searched: the workspace's.
    let r = guihua_in(&sub, &["lint"]);
    assert!(
        r.stdout.contains("docs") && r.stdout.contains("1 个文档"),
        "{}",
        r.stdout
    );
    // show places a source in the workspace's document.
    let r = guihua_in(&sub, &["show", "创新中心"]);
    assert!(r.stdout.contains("本区报告.txt:"), "{}", r.stdout);
    // check reads the workspace's documents.
    let r = guihua_in(&sub, &["check", "--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("本区报告.txt"),
        "check runs on the workspace corpus"
    );
    // index defaults to the workspace's corpus.
    let out = ws.path().join("idx");
    let r = guihua_in(&sub, &["index", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = guihua_in(
        &sub,
        &[
            "search",
            "月季",
            "--index",
            out.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json(&r.stdout)["hits"][0]["doc"], "本区报告.txt");
}

#[test]
fn the_workspace_rules_are_the_ones_used() {
    let ws = workspace();
    // Break the workspace's rules: every command must say so, none may
    // fall back to the bundled ones.
    let f = ws.path().join("my-rules/indicators.guihua");
    let t = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, t + "\nindicator 坏 {\n").unwrap();
    for args in [
        vec!["eval"],
        vec!["lint"],
        vec!["test"],
        vec!["graph", "supports", "创新中心"],
    ] {
        let r = guihua_in(ws.path(), &args);
        assert_ne!(r.code, 0, "{args:?}");
        assert!(
            r.stderr.contains("my-rules/indicators.guihua"),
            "{args:?}: {}",
            r.stderr
        );
    }
    // A quote that is not in the workspace's corpus is an error, though it
    // is in the bundled one.
    let ws = workspace();
    std::fs::write(ws.path().join("docs/本区报告.txt"), "另一份报告。\n").unwrap();
    let r = guihua_in(ws.path(), &["lint"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("出处引文在语料中找不到"), "{}", r.stderr);
    assert!(
        r.stderr.contains("docs"),
        "lint names the corpus it searched: {}",
        r.stderr
    );
}

#[test]
fn global_flags_are_accepted_after_the_subcommand() {
    let rules = root().join("rules");
    let corpus = root().join("corpus");
    let r = guihua(&[
        "graph",
        "supports",
        "创新中心",
        "--rules",
        rules.to_str().unwrap(),
        "--corpus",
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("创新创业示范基地"), "{}", r.stdout);
    assert!(r.notice.is_none());
    // Before the subcommand too.
    let r = guihua(&[
        "--rules",
        rules.to_str().unwrap(),
        "eval",
        "--corpus",
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn search_with_an_index_does_not_ignore_rules() {
    let d = tempfile::tempdir().unwrap();
    let corpus = d.path().join("c");
    copy(&root().join("corpus"), &corpus);
    let out = d.path().join("idx");
    let r = guihua(&[
        "index",
        "--corpus",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bad = d.path().join("bad.guihua");
    std::fs::write(&bad, "plan {\n").unwrap();
    let r = guihua(&[
        "search",
        "月季",
        "--index",
        out.to_str().unwrap(),
        "--rules",
        bad.to_str().unwrap(),
    ]);
    assert_ne!(r.code, 0, "a broken rules file is an error: {}", r.stdout);
    assert!(r.stderr.contains("bad.guihua"), "{}", r.stderr);
    let r = guihua(&[
        "search",
        "月季",
        "--index",
        out.to_str().unwrap(),
        "--rules",
        root().join("rules").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_broken_workspace_file_is_an_error_with_its_line() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("guihua.toml"), "name = \"x\"\nrules = [\n").unwrap();
    let r = guihua_in(d.path(), &["eval"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("guihua.toml:"), "{}", r.stderr);
    assert!(r.stderr.contains("不是有效的工作区文件"), "{}", r.stderr);
    let r = guihua(&["-C", d.path().join("nope").to_str().unwrap(), "eval"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn indexing_another_corpus_uses_no_bundled_words() {
    let d = tempfile::tempdir().unwrap();
    let corpus = d.path().join("c");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/qinglan/qinglan-midterm-2024.docx"),
        corpus.join("q.docx"),
    )
    .unwrap();
    let out = d.path().join("idx");
    let r = guihua(&[
        "index",
        "--corpus",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.notice.is_none(),
        "nothing bundled is used: {:?}",
        r.notice
    );
    // The manifest of the current generation (`OUT/CURRENT` names it).
    let current = std::fs::read_to_string(out.join("CURRENT")).unwrap();
    let manifest = out
        .join(".generations")
        .join(current.trim())
        .join("guihua-index.json");
    let m = json(&std::fs::read_to_string(manifest).unwrap());
    let terms: Vec<&str> = m["lexicon"]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    // The report's own glossary terms, none of the bundled rules' words.
    assert!(terms.contains(&"岚上智造"), "{terms:?}");
    let bundled = std::fs::read_to_string(root().join("rules/search.guihua")).unwrap();
    assert!(!terms.contains(&"中科卧龙产业技术研究院"), "{terms:?}");
    let words: Vec<&str> = bundled.split_whitespace().collect();
    assert!(terms.iter().all(|t| !words.contains(t)), "{terms:?}");
    assert!(m["lexicon"]["synonyms"].as_array().unwrap().is_empty());
}

/// A workspace on the public report's .docx, with a small rule set written
/// by hand whose quotes come from the Word document's table and prose.
const QINGLAN_RULES: &str = r#"plan 青岚区 {
  period 2021..2025
  baseline 2020
  categories 城乡融合
  attributes 预期性
  statuses { 超出预期 ahead 达到预期 on_track 低于预期 behind 暂无数据 no_data }
}

method 中期 {
  rule 水平 for reach {
    figures { 应达水平 = path() }
    when not has_data() => 暂无数据 "暂无数据"
    when latest() >= target() => 超出预期 "已达目标"
    when latest() >= 应达水平 => 达到预期 "不低于应达水平{应达水平:.2}"
    otherwise => 低于预期 "低于应达水平{应达水平:.2}"
  }
}

indicator 城镇化率 {
  seq 20
  name "常住人口城镇化率"
  category 城乡融合
  attribute 预期性
  unit "%"
  kind stock
  target reach 66 source "常住人口城镇化率 % 预期性 58.40 66"
  baseline 2020: 58.40 source "常住人口城镇化率 % 预期性 58.40 66"
  observed 2021: 59.32%, 2022: 60.15%, 2023: 61.02% source "2021年、2022年、2023年分别为59.32%、60.15%、61.02%"
}

test 附件2 {
  expect 城镇化率 is 低于预期 as of 2023 source "常住人口城镇化率 % 预期性 58.40 66 59.32 60.15 61.02 / 低于预期"
}
"#;

#[test]
fn a_workspace_on_the_public_docx_runs_every_command() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("guihua.toml"),
        "name = \"青岚区\"\ntitle = \"青岚区国民经济和社会发展第十四个五年规划纲要\"\nrules = \"rules\"\ncorpus = \"corpus\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.path().join("rules")).unwrap();
    std::fs::create_dir_all(d.path().join("corpus")).unwrap();
    std::fs::create_dir_all(d.path().join("notes")).unwrap();
    std::fs::write(d.path().join("rules/plan.guihua"), QINGLAN_RULES).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/qinglan/qinglan-midterm-2024.docx"),
        d.path().join("corpus/qinglan-midterm-2024.docx"),
    )
    .unwrap();
    let sub = d.path().join("notes");
    let r = guihua_in(&sub, &["lint"]);
    assert_eq!(r.code, 0, "quotes are found in the .docx: {}", r.stderr);
    assert!(r.stdout.contains("1 个文档"), "{}", r.stdout);
    let r = guihua_in(&sub, &["test"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("1 项通过，0 项未通过"), "{}", r.stdout);
    let r = guihua_in(&sub, &["eval", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("低于预期"), "{}", r.stdout);
    let r = guihua_in(&sub, &["search", "岚上智造", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        json(&r.stdout)["hits"][0]["doc"],
        "qinglan-midterm-2024.docx"
    );
    let r = guihua_in(&sub, &["check", "--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    json(&r.stdout);
    for r in [
        guihua_in(&sub, &["explain", "城镇化率"]),
        guihua_in(&sub, &["graph", "export", "--format", "json"]),
    ] {
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.notice.is_none());
    }
}
