//! What the commands print for a planner is in Chinese: rule tests,
//! lint's summary, check's kinds and labels, graph and search footers. The
//! JSON keeps its keys; error messages may keep their English in brackets.

use crate::util::{edited_rules, guihua, json, s};

/// English words in human output: runs of ASCII letters with a lowercase
/// one (acronyms such as GDP pass), outside `code`, file names and paths.
fn english(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for line in text.lines() {
        // What the rules say in code (`reach`) is left as written.
        let prose: String = line
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, p)| p)
            .collect::<Vec<_>>()
            .join(" ");
        for token in prose.split_whitespace() {
            if token.contains('/')
                || [".txt", ".guihua", ".toml"]
                    .iter()
                    .any(|e| token.contains(e))
            {
                continue;
            }
            for w in token.split(|c: char| !c.is_ascii_alphabetic()) {
                // The program's own name is no English.
                if w.len() >= 2 && w != "guihua" && w.chars().any(|c| c.is_ascii_lowercase()) {
                    words.push(format!("{w} in: {line}"));
                }
            }
        }
    }
    words
}

#[test]
fn rule_tests_are_reported_in_chinese() {
    let r = guihua(&["test"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let first = r.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("通过    ")
            && first.contains("在2023年上半年为 ")
            && first.contains("（方法："),
        "{first}"
    );
    assert!(
        r.stdout.ends_with("\n35 项通过，0 项未通过\n"),
        "{}",
        r.stdout
    );
    // `sdg` is the id the rules give a method: their word, not ours.
    assert_eq!(
        english(&r.stdout.replace("方法：sdg", "")),
        Vec::<String>::new()
    );
    // A failing test says what the rules gave and where the test is.
    let dir = edited_rules("tests/附件1.guihua", |t| {
        t.replacen(" is 低于预期", " is 超出预期", 1)
    });
    let r = guihua(&["test", &s(dir.path())]);
    assert_eq!(r.code, 1);
    let fail = r
        .stdout
        .lines()
        .position(|l| l.starts_with("未通过  "))
        .expect(&r.stdout);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[fail].contains("为 超出预期（方法："), "{}", r.stdout);
    assert!(
        lines[fail + 1].starts_with("        实际为 低于预期："),
        "{}",
        r.stdout
    );
    assert!(
        lines[fail + 2].starts_with("        位置："),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("34 项通过，1 项未通过"), "{}", r.stdout);
}

/// The human output of every command on the bundled example has no
/// English sentence or label.
#[test]
fn human_output_has_no_english() {
    for args in [
        &["eval"][..],
        &["lint"],
        &["check"],
        &["graph", "at-risk"],
        &["graph", "supports", "创新中心"],
        &["graph", "impact", "城镇化率"],
        &["graph", "deps", "创新中心"],
        &["show", "城镇化率"],
        &["search", "研发投入下降原因"],
    ] {
        let r = guihua(args);
        assert!(r.code == 0 || r.code == 1, "{args:?}: {}", r.stderr);
        assert!(!r.stdout.is_empty(), "{args:?}");
        assert_eq!(english(&r.stdout), Vec::<String>::new(), "{args:?}");
        // The notice that the bundled example is used, too.
        let notice = r.notice.unwrap_or_default();
        assert_eq!(english(&notice), Vec::<String>::new(), "{args:?}");
    }
}

/// Check names its kinds in Chinese; the JSON keeps its keys.
#[test]
fn check_kinds_in_chinese_and_json_keys_kept() {
    let text = guihua(&["check"]).stdout;
    for kind in [
        "[汇总统计]",
        "[推算数值]",
        "[文中数值]",
        "[图表数据]",
        "[文档结构]",
    ] {
        assert!(text.contains(kind), "{kind}: {text}");
    }
    assert!(
        text.starts_with("发现") && !text.contains("findings"),
        "{text}"
    );
    assert!(
        !text.contains("[summary]") && !text.contains("expected"),
        "{text}"
    );
    let j = json(&guihua(&["check", "--format", "json"]).stdout);
    let kinds: Vec<&str> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"summary") && kinds.contains(&"structure"),
        "{kinds:?}"
    );
}

/// When the method counts the ahead and the on-track classes apart, the
/// summary also gives them together (at or above schedule), in the rules'
/// words; when it names them alike, once.
#[test]
fn summary_counts_at_or_above_schedule() {
    let plain = guihua(&["eval"]).stdout;
    assert!(!plain.contains("合计"), "{plain}");
    // Without a `classes` block each class is named by its statuses.
    let dir = edited_rules("plan.guihua", |t| {
        let a = t.find("  // 汇总用语").unwrap();
        let b = a + t[a..].find("  }\n").unwrap() + 4;
        format!("{}{}", &t[..a], &t[b..])
    });
    let rules = s(dir.path());
    let out = guihua(&["eval", "--rules", &rules]).stdout;
    let j = json(&guihua(&["eval", "--rules", &rules, "--format", "json"]).stdout);
    let c = &j["totals"]["by_class"];
    let (ahead, on) = (
        c["ahead"].as_u64().unwrap(),
        c["on_track"].as_u64().unwrap(),
    );
    let n = j["totals"]["indicators"].as_u64().unwrap();
    let both = format!(
        "超出预期、达到预期或完成市定目标合计{}项，占{:.1}%",
        ahead + on,
        (ahead + on) as f64 * 100.0 / n as f64
    );
    assert!(out.contains(&both), "{both}\n{out}");
    // After the on-track group, before the behind one.
    let at = out.find(&both).unwrap();
    assert!(
        out[..at].contains(&format!("达到预期或完成市定目标{on}项")),
        "{out}"
    );
    assert!(j["totals"].get("at_or_above").is_none(), "JSON unchanged");
}

/// A table row under a caption written above the table: its breadcrumb is
/// the headings then the caption, no heading twice; hits show no score
/// (their order is by match step and coverage first).
#[test]
fn a_table_row_breadcrumb_names_its_caption_once() {
    let tmp = tempfile::tempdir().unwrap();
    let doc = "二、主要指标实施情况\n（一）经济发展类指标\n\
        1.地区生产总值增长。2022年增长4.6%，评估为低于预期。\n\
        （二）安全保障类指标\n粮食综合生产能力。稳定在30万吨以上。\n\
        表1  主要指标中期完成情况表\n\
        \t序号\n\t指标名称\n\t2022年\n\t评估结论\n\n\
        \t一、经济发展（1项）\n\n\
        \t1\n\t地区生产总值增长\n\t4.6\n\t低于预期\n\n\
        \t二、安全保障（1项）\n\n\
        \t2\n\t粮食综合生产能力\n\t31.9\n\t达到预期\n\n\
        三、下一步工作\n稳定粮食生产。\n";
    std::fs::write(tmp.path().join("报告.txt"), doc).unwrap();
    let r = guihua(&["search", "粮食综合生产能力", "--corpus", &s(tmp.path())]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    let row = lines
        .iter()
        .position(|l| l.contains("[表格行]"))
        .expect(&r.stdout);
    let crumb = lines[row - 1];
    assert!(
        crumb
            .ends_with("二、主要指标实施情况 › （二）安全保障类指标 › 表1  主要指标中期完成情况表"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("得分"), "{}", r.stdout);
}
