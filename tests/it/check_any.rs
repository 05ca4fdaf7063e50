//! `guihua check` on reports it was not written for: a workspace drafted
//! with `guihua new` from the public qinglan report (its seven planted
//! contradictions found, its agreeing statements silent), and from a small
//! report of another district whose every statement agrees until one
//! contradiction of each kind is planted in it.

use crate::util::{drafted, guihua, json, root, s};
use std::path::Path;

fn findings(dir: &Path) -> Vec<serde_json::Value> {
    let r = guihua(&["-C", &s(dir), "check", "--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}{}", r.stdout, r.stderr);
    json(&r.stdout)["findings"].as_array().unwrap().clone()
}

fn lines(f: &serde_json::Value) -> Vec<u64> {
    f["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["line"].as_u64().unwrap())
        .collect()
}

#[test]
fn qinglan_every_planted_contradiction_and_nothing_else() {
    let (_tmp, dir) = drafted(&root().join("tests/fixtures/qinglan/qinglan-midterm-2024.txt"));
    let f = findings(&dir);
    let one = |kind: &str, pred: &dyn Fn(&serde_json::Value) -> bool, what: &str| {
        let hits: Vec<_> = f.iter().filter(|x| x["kind"] == kind && pred(x)).collect();
        assert!(!hits.is_empty(), "{what} not found: {f:#?}");
        hits[0].clone()
    };
    let msg = |x: &serde_json::Value| x["message"].as_str().unwrap().to_string();
    // (a) 专利 2022: 3.53 in the prose, 3.35 in 附件2; the name is the
    // sentence before the numbers.
    let a = one(
        "stated_value",
        &|x| x["indicator"] == "每万人口高价值发明专利拥有量",
        "(a)",
    );
    assert_eq!(a["period"], "2022");
    assert_eq!(a["expected"], 3.35);
    assert_eq!(a["found"], 3.53);
    assert!(lines(&a).contains(&56));
    // (b) one swap of 2022 and 2023, read from 「2021年至2023年」.
    let b = one(
        "stated_value",
        &|x| x["indicator"] == "规模以上工业增加值增长",
        "(b)",
    );
    assert_eq!(b["period"], "2022,2023");
    // Said in Chinese alone: the finding is about the document.
    assert!(
        msg(&b).contains("互换") && !msg(&b).contains("swapped"),
        "{b}"
    );
    assert!(lines(&b).contains(&55));
    // (c) 同比 of a series that is no indicator.
    let c = one(
        "derived_value",
        &|x| x["period"] == "2023" && x["indicator"].is_null(),
        "(c)",
    );
    assert_eq!(c["found"], 29.6);
    assert!(msg(&c).contains("同比应为33.7%"), "{c}");
    assert!(lines(&c).contains(&64));
    // (d) the share of the cumulative target.
    let d = one(
        "derived_value",
        &|x| x["indicator"] == "城镇新增就业人数",
        "(d)",
    );
    assert_eq!(d["found"], 78.3);
    assert!(msg(&d).contains("73.3%"), "{d}");
    assert_eq!(d["period"], "2021-2024H1");
    // (e) the summary's counts.
    one(
        "summary",
        &|x| msg(x).contains("正文为12项，按各指标评估为11项"),
        "(e) 12",
    );
    one(
        "summary",
        &|x| msg(x).contains("正文为15项，按各指标评估为14项"),
        "(e) 15",
    );
    // (f) the chart's 18320 against 表2's 18230.
    let t = one("table_chart", &|x| x["period"] == "2021", "(f)");
    assert_eq!(t["found"], 18320.0);
    // (g) the body's attachment list swaps 3 and 4.
    let g = one("structure", &|_| true, "(g)");
    let gl = lines(&g);
    for l in [44, 45, 163, 164] {
        assert!(gl.contains(&l), "(g) line {l}: {g}");
    }
    // Nothing else: every agreeing statement is silent (the summary's one
    // paragraph gives two findings, one per miscount).
    assert_eq!(f.len(), 8, "{f:#?}");
}

/// The other district's report, each statement agreeing with its table.
fn chengxi() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/check_any/report.txt")).unwrap()
}

#[test]
fn another_district_agreeing_statements_are_silent() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("chengxi.txt");
    std::fs::write(&report, chengxi()).unwrap();
    let (_t, dir) = drafted(&report);
    let f = findings(&dir);
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn another_district_each_planted_contradiction_is_one_finding() {
    // (what is planted: from → to, the kind, words of its message)
    let planted: [(&str, &str, &str, &str); 12] = [
        // A subject carried from the sentence before.
        (
            "2.61人、2.87人、3.05人",
            "2.61人、2.78人、3.05人",
            "stated_value",
            "每千人口执业（助理）医师数2022年：正文为2.78人",
        ),
        // 同比 after a series that is no indicator.
        (
            "2022年同比增长31.7%",
            "2022年同比增长18.5%",
            "derived_value",
            "同比应为31.7%",
        ),
        // 年均 over “十四五”前两年, from the table.
        (
            "网络零售额年均增长14.2%",
            "网络零售额年均增长12.3%",
            "derived_value",
            "平均为14.2",
        ),
        // A mean right after its values.
        (
            "两年平均增长6.0%",
            "两年平均增长6.6%",
            "derived_value",
            "正文为6.6",
        ),
        // Two years traded places: one finding.
        (
            "森林覆盖率2021年、2022年分别为40.6%、41.2%",
            "森林覆盖率2021年、2022年分别为41.2%、40.6%",
            "stated_value",
            "两期数值互换",
        ),
        // The share of the cumulative target.
        ("52.5%", "57.5%", "derived_value", "比例应为52.5%"),
        // A total with the half-year stated before it.
        ("累计2.10万人", "累计2.20万人", "derived_value", "合计为2.1"),
        // A count by attribute against the table's 属性.
        (
            "约束性指标2项",
            "约束性指标3项",
            "summary",
            "正文为3项，按各指标评估为2项",
        ),
        // The attachment list against the 目录 and the labels.
        (
            "1.主要指标实施进度表\n2.部分指标低于预期的原因分析",
            "1.部分指标低于预期的原因分析\n2.主要指标实施进度表",
            "structure",
            "附件",
        ),
        // A list item skipped.
        (
            "三是强化技能培训",
            "四是强化技能培训",
            "structure",
            "序号不连续",
        ),
        // A heading numbered otherwise than in the 目录.
        (
            "（二）分领域情况\n1.",
            "（三）分领域情况\n1.",
            "structure",
            "标题序号",
        ),
        // A table referred to that is not there.
        ("为时点，", "为时点（见表3），", "structure", "表3"),
    ];
    let base = chengxi();
    for (from, to, kind, words) in planted {
        assert!(base.contains(from), "{from}");
        let tmp = tempfile::tempdir().unwrap();
        let report = tmp.path().join("chengxi.txt");
        std::fs::write(&report, base.replacen(from, to, 1)).unwrap();
        let (_t, dir) = drafted(&report);
        let f = findings(&dir);
        assert_eq!(f.len(), 1, "{to}: {f:#?}");
        assert_eq!(f[0]["kind"], kind, "{to}: {f:#?}");
        let m = f[0]["message"].as_str().unwrap();
        assert!(m.contains(words), "{to}: {m}");
        // A finding is about the user's document, not an error of
        // theirs: said in Chinese alone.
        assert!(!m.contains(" ("), "{m}");
    }
}

#[test]
fn targets_and_requirements_are_not_claims() {
    // A figure followed by 规划目标 or preceded by 需/力争 is what should
    // be, not what is: no finding whatever its value.
    let base = chengxi();
    let text = base
        .replacen(
            "低于五年年均增长7%的规划目标",
            "低于五年年均增长15%的规划目标",
            1,
        )
        .replacen("低于年均增长7%的规划要求", "低于年均增长9%的规划要求", 1)
        .replacen(
            "力争2025年地区生产总值年均增长7%左右",
            "力争2025年地区生产总值年均增长8.5%左右",
            1,
        );
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("chengxi.txt");
    std::fs::write(&report, text).unwrap();
    let (_t, dir) = drafted(&report);
    let f = findings(&dir);
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn status_words_are_the_reports_own() {
    // A report whose table says 进度超前/符合进度/进度滞后 and whose summary
    // paraphrases them (`进展滞后`, `符合或超前于进度`): the drafted rules
    // carry its words, and check counts by them.
    let base =
        std::fs::read_to_string(root().join("tests/fixtures/check_any/other_words.txt")).unwrap();
    let run = |text: &str| {
        let tmp = tempfile::tempdir().unwrap();
        let report = tmp.path().join("report.txt");
        std::fs::write(&report, text).unwrap();
        let (_t, dir) = drafted(&report);
        let plan = std::fs::read_to_string(dir.join("rules/plan.guihua")).unwrap();
        assert!(plan.contains("进度滞后 behind"), "{plan}");
        findings(&dir)
    };
    let f = run(&base);
    assert!(f.is_empty(), "{f:#?}");
    for (from, to, words) in [
        (
            "其中1项进度超前",
            "其中2项进度超前",
            "进度超前的指标：正文为2项，按各指标评估为1项",
        ),
        ("占比16.7%", "占比18.7%", "进度滞后的指标占比"),
        (
            "5项指标符合或超前于进度",
            "4项指标符合或超前于进度",
            "正文为4项，按各指标评估为5项",
        ),
        ("占比83.3%", "占比88.3%", "符合或超前于进度的指标占比"),
    ] {
        assert!(base.contains(from), "{from}");
        let f = run(&base.replacen(from, to, 1));
        let summary: Vec<_> = f.iter().filter(|x| x["kind"] == "summary").collect();
        assert!(
            summary
                .iter()
                .any(|x| x["message"].as_str().unwrap().contains(words)),
            "{to}: {f:#?}"
        );
        if from.starts_with("占比") || from.starts_with("其中") {
            assert_eq!(f.len(), 1, "{to}: {f:#?}");
        }
    }
}

#[test]
fn other_phrasings_of_the_same_kinds() {
    // (from → to, the kind, words of its message): one finding each.
    let planted: [(&str, &str, &str, &str); 6] = [
        // Two years traded, each year with its own 为: one swap.
        (
            "森林覆盖率2021年、2022年分别为40.6%、41.2%",
            "森林覆盖率2021年为41.2%、2022年为40.6%",
            "stated_value",
            "两期数值互换",
        ),
        // 比上年 rather than 同比.
        (
            "2022年同比增长31.7%",
            "2022年比上年增长18.5%",
            "derived_value",
            "同比应为31.7%",
        ),
        // 依次为 rather than 分别为, two years traded.
        (
            "森林覆盖率2021年、2022年分别为40.6%、41.2%",
            "森林覆盖率2021年、2022年依次为41.2%、40.6%",
            "stated_value",
            "两期数值互换",
        ),
        // Each year with its own 为: the other year's value is not read as this one's.
        (
            "森林覆盖率2021年、2022年分别为40.6%、41.2%",
            "森林覆盖率2021年为40.6%、2022年为41.9%",
            "stated_value",
            "森林覆盖率2022年：正文为41.9%",
        ),
        // The 目录 lists an attachment the body does not.
        (
            "附件2：部分指标低于预期的原因分析\t5\n",
            "附件2：部分指标低于预期的原因分析\t5\n附件3：名词解释\t6\n",
            "structure",
            "附件",
        ),
        // A list item numbered twice.
        (
            "三是强化技能培训",
            "二是强化技能培训",
            "structure",
            "序号不连续",
        ),
    ];
    let base = chengxi();
    for (from, to, kind, words) in planted {
        assert!(base.contains(from), "{from}");
        let tmp = tempfile::tempdir().unwrap();
        let report = tmp.path().join("chengxi.txt");
        std::fs::write(&report, base.replacen(from, to, 1)).unwrap();
        let (_t, dir) = drafted(&report);
        let f = findings(&dir);
        assert_eq!(f.len(), 1, "{to}: {f:#?}");
        assert_eq!(f[0]["kind"], kind, "{to}: {f:#?}");
        let m = f[0]["message"].as_str().unwrap();
        assert!(m.contains(words), "{to}: {m}");
    }
    // The same, agreeing: silent.
    let text = base.replacen(
        "森林覆盖率2021年、2022年分别为40.6%、41.2%",
        "森林覆盖率2021年为40.6%、2022年为41.2%",
        1,
    );
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("chengxi.txt");
    std::fs::write(&report, text).unwrap();
    let (_t, dir) = drafted(&report);
    let f = findings(&dir);
    assert!(f.is_empty(), "{f:#?}");
}

/// The chengxi report without its 目录.
fn chengxi_without_toc() -> String {
    let base = chengxi();
    let start = base.find("目 录").unwrap();
    let end = base.find("一、主要指标进展情况\n（一）").unwrap();
    format!("{}{}", &base[..start], &base[end..])
}

/// An attachment the list or the prose refers to that the document does
/// not have is found with or without a 目录; references that agree are
/// silent. Said in Chinese, with the attachments the document has.
#[test]
fn a_missing_attachment_is_found_with_or_without_a_toc() {
    let run = |text: &str| {
        let tmp = tempfile::tempdir().unwrap();
        let report = tmp.path().join("chengxi.txt");
        std::fs::write(&report, text).unwrap();
        let (_t, dir) = drafted(&report);
        let f = findings(&dir);
        let r = guihua(&["-C", &s(&dir), "check", "--only", "structure"]);
        (f, r.stdout)
    };
    let bare = chengxi_without_toc();
    assert!(!bare.contains("目 录"));
    // Agreeing: 附件1 and 附件2 listed, labelled and referred to.
    let (f, _) = run(&bare);
    assert!(f.is_empty(), "{f:#?}");
    let listed = "2.部分指标低于预期的原因分析\n";
    let third = "2.部分指标低于预期的原因分析\n3.主要指标测算方法说明（详见附件3）\n";
    let in_prose = (
        "各指标实施进度见附件1。",
        "各指标实施进度见附件1，测算方法见附件3。",
    );
    for (text, line) in [
        (
            bare.replacen(listed, third, 1),
            "3.主要指标测算方法说明（详见附件3）",
        ),
        (bare.replacen(in_prose.0, in_prose.1, 1), "测算方法见附件3"),
        (
            chengxi().replacen(in_prose.0, in_prose.1, 1),
            "测算方法见附件3",
        ),
    ] {
        let (f, out) = run(&text);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0]["kind"], "structure");
        assert_eq!(f[0]["found"], "附件3");
        assert!(
            f[0]["quotes"][0]["text"].as_str().unwrap().contains(line),
            "{f:#?}"
        );
        assert!(
            out.contains("[文档结构] 正文提到附件3，但文档中没有附件3（只有附件1、附件2）"),
            "{out}"
        );
    }
    // A table referred to that no caption carries, without a 目录.
    let (f, out) = run(&bare.replacen("为时点，", "为时点（见表3），", 1));
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(
        out.contains("[文档结构] 正文提到表3，但没有表3的标题"),
        "{out}"
    );
}
