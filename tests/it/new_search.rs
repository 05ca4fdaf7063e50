//! Search in a workspace drafted by `guihua new`: it is given the planning
//! vocabulary (`rules/search.guihua`), so a planner's GDP增长 and 医生数量
//! find 地区生产总值 and 执业（助理）医师 on a report the engine has never
//! seen, and removing a group takes the expansion away.

use crate::util::{drafted, guihua, json, root, s};
use std::path::Path;

/// The hits' texts and how many hits matched every word of the query.
fn hits(ws: &Path, query: &str) -> (Vec<String>, u64) {
    let r = guihua(&["-C", &s(ws), "search", query, "--format", "json"]);
    assert_eq!(r.code, 0, "{query}: {}", r.stderr);
    let v = json(&r.stdout);
    let texts = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["text"].as_str().unwrap().to_string())
        .collect();
    (texts, v["strict_total"].as_u64().unwrap())
}

#[test]
fn a_drafted_workspace_searches_with_the_planning_vocabulary() {
    let report = root().join("tests/fixtures/qinglan/qinglan-midterm-2024.docx");
    let (_tmp, ws) = drafted(&report);
    let vocab = std::fs::read_to_string(ws.join("rules/search.guihua")).unwrap();
    assert!(vocab.contains("GDP = 地区生产总值"), "{vocab}");
    let lint = guihua(&["-C", &s(&ws), "lint"]);
    assert_eq!(lint.code, 0, "{}{}", lint.stdout, lint.stderr);

    // Every word of the query is found: GDP as 地区生产总值.
    let (gdp, strict) = hits(&ws, "GDP增长");
    assert!(strict > 0, "{gdp:?}");
    assert!(gdp[0].contains("地区生产总值"), "{gdp:?}");
    let (doctors, _) = hits(&ws, "医生数量");
    assert!(
        doctors.iter().take(3).any(|t| t.contains("医师")),
        "{doctors:?}"
    );

    // The planner removes the group: GDP is searched as typed, and only
    // a relaxed match (增长 alone) answers.
    std::fs::write(
        ws.join("rules/search.guihua"),
        vocab.replace("  GDP = 地区生产总值\n", ""),
    )
    .unwrap();
    let (gdp, strict) = hits(&ws, "GDP增长");
    assert_eq!(strict, 0, "{gdp:?}");
}
