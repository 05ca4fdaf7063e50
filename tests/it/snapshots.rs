//! Rendered output compared with files under tests/snapshots/. Run with
//! `UPDATE_SNAPSHOTS=1 cargo test` to accept new output, then review the diff.

use crate::util::{guihua, root};

#[track_caller]
fn check(name: &str, actual: &str) {
    let path = root().join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {name}; run with UPDATE_SNAPSHOTS=1"));
    if want != actual {
        let diff: Vec<String> = want
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .take(5)
            .map(|(i, (a, b))| format!("line {}:\n- {a}\n+ {b}", i + 1))
            .collect();
        panic!(
            "snapshot {name} differs ({} vs {} lines):\n{}",
            want.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}

#[test]
fn eval_table() {
    check("eval_table.txt", &guihua(&["eval"]).stdout);
}

#[test]
fn eval_markdown() {
    check("eval_md.md", &guihua(&["eval", "--format", "md"]).stdout);
}

#[test]
fn eval_sdg_table() {
    check(
        "eval_sdg_table.txt",
        &guihua(&["eval", "--method", "sdg"]).stdout,
    );
}

#[test]
fn explain_urbanization() {
    check(
        "explain_城镇化率.txt",
        &guihua(&["explain", "城镇化率"]).stdout,
    );
}

#[test]
fn explain_gdp() {
    check(
        "explain_GDP增长.txt",
        &guihua(&["explain", "GDP增长"]).stdout,
    );
}

#[test]
fn lint_unknown_category() {
    // Paths are made relative so the snapshot does not depend on the checkout.
    let r = guihua(&[
        "lint",
        root()
            .join("tests/fixtures/malformed/unknown_category.guihua")
            .to_str()
            .unwrap(),
    ]);
    let text = r.stderr.replace(&format!("{}/", root().display()), "");
    check("lint_unknown_category.txt", &text);
}

#[test]
fn check_report() {
    check("check.txt", &guihua(&["check"]).stdout);
}

#[test]
fn graph_supports_innovation() {
    check(
        "graph_supports_创新中心.txt",
        &guihua(&["graph", "supports", "创新中心", "--kind", "project"]).stdout,
    );
}

#[test]
fn graph_at_risk() {
    check("graph_at_risk.txt", &guihua(&["graph", "at-risk"]).stdout);
}

#[test]
fn search_yueji() {
    check(
        "search_月季.txt",
        &guihua(&["search", "月季", "--limit", "5"]).stdout,
    );
}
