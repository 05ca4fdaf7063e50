//! `guihua check`: the real contradictions of the bundled report, and a
//! fixture per check kind and template variant: an agreeing text gives
//! nothing, one changed figure gives exactly one finding.

use crate::util::{guihua, json, root};

fn findings(args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut a = vec!["check", "--format", "json"];
    a.extend_from_slice(args);
    let r = guihua(&a);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let v = json(&r.stdout);
    (r.code, v["findings"].as_array().unwrap().clone())
}

#[test]
fn the_bundled_report_contradicts_itself_in_several_ways() {
    let (code, f) = findings(&[]);
    assert_eq!(code, 1);
    let has = |kind: &str, needle: &str| {
        f.iter()
            .any(|x| x["kind"] == kind && x["message"].as_str().unwrap().contains(needle))
    };
    // Prose against 附件1.
    assert!(has(
        "stated_value",
        "社会消费品零售总额增长2022年：正文为1.7%"
    ));
    assert!(has("stated_value", "城市空气优良天数比率2021年：正文为71%"));
    assert!(has("stated_value", "地区生产总值增长2022年：正文为4.2%"));
    // Prose against 表1: 2022年为11.1% where the table has 11.2.
    assert!(has(
        "stated_value",
        "卧龙区2022年：正文为11.1%，表1中为11.2"
    ));
    // Figures their own values do not give.
    assert!(has("derived_value", "同比应为134.5%，正文为52%"));
    assert!(has("derived_value", "比例应为71.4%，正文为70%"));
    assert!(has("derived_value", "累计增长（2022年）：报告为2.67"));
    assert!(has("derived_value", "低于预期1.24个百分点，正文为5.46"));
    // The summary.
    assert!(has("summary", "正文为63.1%"));
    assert!(has("summary", "正文为3项，按各指标评估为4项"));
    // 表2 against its chart data.
    assert!(has("table_chart", "表中为11.2，图表数据为11.1"));
    // 图3 follows 表3 but carries 表2's title.
    assert!(has(
        "table_chart",
        "图3：图题与其前面的表3不符，却与表2相同"
    ));
    // Every source quote of the bundled rules holds.
    assert!(!f.iter().any(|x| x["kind"] == "provenance"));
    for x in &f {
        for key in [
            "kind",
            "indicator",
            "period",
            "expected",
            "found",
            "quotes",
            "message",
        ] {
            assert!(x.get(key).is_some(), "{key} missing in {x}");
        }
        for q in x["quotes"].as_array().unwrap() {
            assert!(q["line"].as_u64().unwrap() > 0 && q["file"].as_str().is_some());
        }
    }
    // Statements that agree are not findings: 城镇化率 2021/2022, 就业 20582人, 二产占比.
    assert!(!has("stated_value", "常住人口城镇化率2021年"));
    assert!(!f
        .iter()
        .any(|x| x["message"].as_str().unwrap().contains("20582")));
}

#[test]
fn each_kind_and_variant_finds_exactly_the_changed_figure() {
    let dir = root().join("tests/fixtures/check");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let kind = match name.split('_').next().unwrap() {
            "stated" => "stated_value",
            "derived" => "derived_value",
            "summary" => "summary",
            "table" => "table_chart",
            other => panic!("fixture {other}"),
        };
        let (code, f) = findings(&["--corpus", path.to_str().unwrap(), "--only", kind]);
        let want = if name.ends_with("_agree") { 0 } else { 1 };
        assert_eq!(f.len(), want, "{name}: {f:#?}");
        assert_eq!(code, want as i32, "{name}: exit code");
        if want == 1 {
            assert_eq!(f[0]["kind"], kind, "{name}");
            assert!(f[0]["quotes"][0]["file"] == "doc.txt", "{name}: {}", f[0]);
        }
        n += 1;
    }
    assert!(n >= 20, "{n} fixtures");
}

#[test]
fn a_quote_without_its_figure_is_a_provenance_finding() {
    let d = tempfile::tempdir().unwrap();
    let rules = d.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    for f in ["plan.guihua", "mid_term.guihua"] {
        std::fs::copy(root().join("rules").join(f), rules.join(f)).unwrap();
    }
    let ind = std::fs::read_to_string(root().join("rules/indicators.guihua")).unwrap();
    // 9.9 is not in its quote; the quote of 2022 is not in the corpus at all.
    let ind = ind.replace(
        "observed 2021: 9.1%, 2022: 4.0%, 2023H1: 4.0%",
        "observed 2021: 9.9%, 2022: 4.0%, 2023H1: 4.0%",
    );
    let ind = ind.replace("source \"两年年均增长6.6%\"", "source \"两年年均增长6.9%\"");
    std::fs::write(rules.join("indicators.guihua"), ind).unwrap();
    let (code, f) = findings(&["--rules", rules.to_str().unwrap(), "--only", "provenance"]);
    assert_eq!(code, 1);
    assert_eq!(f.len(), 2, "{f:#?}");
    assert!(f.iter().any(|x| x["message"]
        .as_str()
        .unwrap()
        .contains("does not contain 9.9")));
    assert!(f.iter().any(|x| x["message"]
        .as_str()
        .unwrap()
        .contains("is not in the corpus")));
}

#[test]
fn clean_input_exits_0_and_bad_usage_2() {
    let dir = root().join("tests/fixtures/check/stated_agree");
    let r = guihua(&[
        "check",
        "--corpus",
        dir.to_str().unwrap(),
        "--only",
        "stated_value",
    ]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("未发现不一致"));
    let r = guihua(&["check", "--only", "spelling"]);
    assert_eq!(r.code, 2);
    let r = guihua(&["check", "--corpus", "/nonexistent"]);
    assert_eq!(r.code, 2);
}
