//! Issue #9: inputs that used to crash, hang or silently mislead. Each test
//! is named after what it guards.

use crate::util::guihua;

const PLAN: &str = "plan 测试 {\n  period 2021..2025\n  baseline 2020\n  categories 经济发展\n  attributes 预期性\n  statuses { 达到预期 on_track 低于预期 behind 暂无数据 no_data }\n}\n";

fn indicator(id: &str, seq: usize, target: &str) -> String {
    // The kind the target form applies to (issue #11: a form on the wrong
    // kind is an error): growth targets on a rate, the others on a level.
    let kind = if target.starts_with("rate") || target.starts_with("tied") {
        "rate"
    } else {
        "stock"
    };
    format!(
        "indicator {id} {{\n  seq {seq}\n  name \"{id}\"\n  category 经济发展\n  attribute 预期性\n  unit \"%\"\n  kind {kind}\n  target {target}\n  baseline 2020: 5\n  observed 2021: 6%, 2022: 7%\n}}\n"
    )
}

fn method(reason_expr: &str, cond: &str) -> String {
    format!(
        "method 简单 {{\n  rule 水平 for reach, rate, tied {{\n    when {cond} => 达到预期 \"{{{reason_expr}}}\"\n    otherwise => 低于预期\n  }}\n}}\n"
    )
}

fn lint_text(text: &str) -> crate::util::Run {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("rules.guihua");
    std::fs::write(&p, text).unwrap();
    guihua(&["lint", p.to_str().unwrap()])
}

fn assert_no_crash(r: &crate::util::Run) {
    assert!(
        !r.stderr.contains("panicked")
            && !r.stderr.contains("overflow")
            && r.code != 101
            && r.code != 134
            && r.code >= 0,
        "crashed with {}:\n{}",
        r.code,
        &r.stderr[..r.stderr.len().min(2000)]
    );
}

#[test]
fn parentheses_inside_an_interpolation_count_against_the_nesting_bound() {
    let deep = format!("{}latest(){}", "(".repeat(7000), ")".repeat(7000));
    let text = format!(
        "{PLAN}{}{}",
        method(&deep, "latest() > 1"),
        indicator("甲", 1, "reach 70")
    );
    let r = lint_text(&text);
    assert_no_crash(&r);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("nested more than 48 deep"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("rules.guihua:"), "located: {}", r.stderr);
}

#[test]
fn operators_are_counted_over_the_whole_expression_not_per_parenthesis() {
    // 43 levels each holding 255 `+`: every level passes a per-level count.
    let mut e = String::from("1");
    for _ in 0..43 {
        let mut level = String::from("(");
        level.push_str(&e);
        for _ in 0..255 {
            level.push_str(" + 1");
        }
        level.push(')');
        e = level;
    }
    let text = format!(
        "{PLAN}{}{}",
        method("latest()", &format!("{e} > 1")),
        indicator("甲", 1, "reach 70")
    );
    let r = lint_text(&text);
    assert_no_crash(&r);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("more than 256 operators"), "{}", r.stderr);
}

#[test]
fn a_long_chain_of_tied_targets_lints_in_linear_time() {
    // Used to take 69 s for 12,000 (cubic); the test only needs to finish.
    let n = 20_000;
    let mut text = format!("{PLAN}{}", method("latest()", "latest() > 1"));
    text.push_str(&indicator("i0", 1, "rate 7"));
    for k in 1..n {
        text.push_str(&indicator(
            &format!("i{k}"),
            k + 1,
            &format!("tied i{}", k - 1),
        ));
    }
    let r = lint_text(&text);
    assert_no_crash(&r);
    assert_eq!(r.code, 0, "{}", &r.stderr[..r.stderr.len().min(2000)]);
}

#[test]
fn a_tied_cycle_is_reported_once_with_every_member() {
    let mut text = format!("{PLAN}{}", method("latest()", "latest() > 1"));
    text.push_str(&indicator("甲", 1, "tied 乙"));
    text.push_str(&indicator("乙", 2, "tied 丙"));
    text.push_str(&indicator("丙", 3, "tied 甲"));
    text.push_str(&indicator("丁", 4, "tied 甲"));
    let r = lint_text(&text);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr.matches("form a cycle").count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("`甲` → `乙` → `丙` → `甲`"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_chain_of_dashes_or_nots_in_a_query_is_an_error_not_a_stack_overflow() {
    let dashes = format!("月季 {}", "-".repeat(1000));
    let nots = format!("月季 {}园", "NOT ".repeat(1000));
    let glued = format!("月季 {}园", "-".repeat(30));
    for q in [dashes.as_str(), nots.as_str(), glued.as_str()] {
        let r = guihua(&["search", q]);
        assert_no_crash(&r);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("检索式有误"), "{}", r.stderr);
    }
    // Two negations cancel; a short run is still a query.
    let r = guihua(&["search", "月季 NOT NOT 园", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_query_too_long_names_the_limit() {
    let q = "月季".repeat(600);
    let r = guihua(&["search", &q]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("1000"), "{}", r.stderr);
    // The query is not echoed whole.
    assert!(r.stderr.len() < 2000, "{} bytes", r.stderr.len());
}

#[test]
fn limit_and_threads_outside_their_range_are_usage_errors() {
    for l in ["0", "10000000000", "18446744073709551615", "-3", "ten"] {
        let r = guihua(&["search", "月季", &format!("--limit={l}")]);
        assert_no_crash(&r);
        assert_eq!(r.code, 2, "--limit {l}: {}", r.stderr);
        assert!(r.stderr.contains("1 到 1000"), "--limit {l}: {}", r.stderr);
    }
    let r = guihua(&["search", "月季", "--limit", "1000", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join("a.txt"), "月季园建设\n").unwrap();
    let out = dir.path().join("idx");
    for t in ["0", "100000", "1000"] {
        let r = guihua(&[
            "index",
            "--corpus",
            corpus.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--threads",
            t,
        ]);
        assert_no_crash(&r);
        assert_eq!(r.code, 2, "--threads {t}: {}", r.stderr);
        assert!(r.stderr.contains("1 到 64"), "--threads {t}: {}", r.stderr);
    }
    assert!(!out.exists(), "nothing is written on a usage error");
}

fn search_corpus(files: &[(&str, &str)], q: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let r = guihua(&[
        "search",
        q,
        "--corpus",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    crate::util::json(&r.stdout)
}

#[test]
fn lines_with_tabs_are_text_unless_they_are_chart_data() {
    // A Markdown table written with tabs, and prose with a tab in it.
    let md = "# 养老服务\n\n\n指标\t2021年\t2022年\n养老床位\t1200\t1350\n";
    let v = search_corpus(&[("a.md", md)], "养老床位");
    assert_eq!(v["strict_total"], 1, "{v}");
    assert!(
        v["hits"][0]["text"].as_str().unwrap().contains("1350"),
        "{v}"
    );
    let long = format!(
        "{}\t{}\n",
        "城乡居民收入稳步增长".repeat(50),
        "月季产业链条不断延伸".repeat(50)
    );
    let v = search_corpus(&[("b.txt", &long)], "月季产业");
    assert_eq!(v["strict_total"], 1, "{v}");
}

#[test]
fn a_unit_with_a_word_hundreds_of_thousands_of_times_answers_with_a_bounded_hit() {
    // Snippets used to be quadratic in matches (41 s for 320k) and JSON
    // printed the whole text of the hit.
    let text = format!("{}\n", "的".repeat(300_000));
    let v = search_corpus(&[("a.txt", &text)], "的");
    let hit = &v["hits"][0];
    let shown = hit["text"].as_str().unwrap();
    assert!(
        shown.chars().count() < 20_100,
        "{} characters",
        shown.chars().count()
    );
    assert!(
        shown.contains("280000 more characters"),
        "{}",
        &shown[shown.len() - 80..]
    );
    assert!(hit["snippet"].as_str().unwrap().contains("<b>的"));
}

fn eval_text(text: &str, format: &str) -> crate::util::Run {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("rules.guihua");
    std::fs::write(&p, text).unwrap();
    guihua(&["eval", "--rules", p.to_str().unwrap(), "--format", format])
}

#[test]
fn a_tied_target_without_printed_is_a_row_with_its_figures_not_a_parent() {
    let mut text = format!("{PLAN}{}", method("latest()", "latest() > 1"));
    text.push_str(&indicator("GDP增长", 1, "rate 7.5"));
    text.push_str(&indicator("收入增长", 2, "tied GDP增长"));
    for format in ["table", "csv", "md"] {
        let r = eval_text(&text, format);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let line = r
            .stdout
            .lines()
            .find(|l| l.contains("收入增长"))
            .expect("row");
        assert!(line.contains("与GDP增长同步"), "{format}: {line}");
        assert!(
            line.contains('6') && line.contains('7'),
            "{format}: observations blank: {line}"
        );
    }
}

#[test]
fn a_very_large_finite_number_prints_as_a_number_not_inf_or_null() {
    let big = format!("1{}", "0".repeat(306));
    let text = format!(
        "{PLAN}{}indicator 甲 {{\n  seq 1\n  name \"甲\"\n  category 经济发展\n  attribute 预期性\n  unit \"%\"\n  kind stock\n  target reach 70\n  baseline 2020: 5\n  observed 2021: {big}, 2022: 7\n}}\n",
        method("latest()", "latest() > 1")
    );
    let r = eval_text(&text, "json");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = crate::util::json(&r.stdout);
    let obs = &v["rows"][0]["observations"]["2021"];
    assert!(obs.as_f64().is_some_and(|x| x > 9e305), "{obs}");
    let r = eval_text(&text, "table");
    assert!(!r.stdout.contains("inf"), "{}", r.stdout);
    assert!(r.stdout.contains("1e306"), "{}", r.stdout);
}

#[test]
fn a_query_word_with_a_symbol_matches_as_a_substring_or_not_at_all() {
    // `月季😀` used to return the hits of `月季`.
    for q in ["月季😀", "\"月季😀\""] {
        let r = guihua(&["search", q, "--format", "json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(crate::util::json(&r.stdout)["total"], 0, "{q}");
    }
    // A symbol the document has is found with it.
    let v = search_corpus(
        &[("a.txt", "城镇化率达到63.99%。\n城镇化率为64%以上。\n")],
        "63.99%",
    );
    assert_eq!(v["total"], 1, "{v}");
    let v = search_corpus(&[("a.txt", "月季😀花开\n月季园\n")], "月季😀");
    assert_eq!(v["total"], 1, "{v}");
    // Excluding a word with a symbol keeps the units without it.
    let v = search_corpus(&[("a.txt", "月季😀花开\n月季园\n")], "月季 -月季😀");
    assert_eq!(v["total"], 1, "{v}");
    assert!(
        v["hits"][0]["text"].as_str().unwrap().contains("月季园"),
        "{v}"
    );
}

#[test]
fn one_exit_code_contract_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join("empty.txt"), "").unwrap();
    let c = corpus.to_str().unwrap();
    let out = dir.path().join("idx");
    // Unreadable input: 2, whichever command reads it.
    for args in [
        vec!["index", "--corpus", c, "--out", out.to_str().unwrap()],
        vec!["check", "--corpus", c],
        vec!["search", "月季", "--corpus", c],
        vec!["lint", "/nonexistent/rules.guihua"],
        vec!["eval", "--rules", "/nonexistent/rules.guihua"],
    ] {
        let r = guihua(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{args:?}: Chinese first: {}",
            r.stderr
        );
    }
    // Findings or a failed check: 1.
    let bad = dir.path().join("bad.guihua");
    std::fs::write(&bad, format!("{PLAN}indicator 甲 {{ seq 1 }}\n")).unwrap();
    for args in [
        vec!["lint", bad.to_str().unwrap()],
        vec!["check", "--rules", bad.to_str().unwrap()],
    ] {
        let r = guihua(&args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
    }
}

#[test]
fn long_user_input_is_cut_and_control_characters_escaped_in_messages() {
    let name = format!("\u{1b}[31m{}", "未知指标".repeat(5_000));
    let r = guihua(&["explain", &name]);
    assert_eq!(r.code, 2, "{}", &r.stderr[..r.stderr.len().min(500)]);
    assert!(r.stderr.len() < 4_000, "{} bytes echoed", r.stderr.len());
    assert!(
        !r.stderr.contains('\u{1b}'),
        "raw control character reached the terminal"
    );
}

#[test]
fn many_quotes_are_found_in_one_pass_over_the_corpus() {
    // 200,000 quotes against a 2 MB corpus: one scan per quote took minutes.
    let n = 200_000;
    let sentence = |k: usize| format!("第{k}号项目已于二〇二二年建成投产，");
    let mut text = String::new();
    for k in (0..n).rev() {
        text.push_str(&sentence(k));
        if k % 40 == 0 {
            text.push('\n');
        }
    }
    let corpus = guihua::corpus::Corpus::new(vec![guihua::corpus::Document::new("公报.txt", text)]);
    let mut quotes: Vec<String> = (0..n).map(sentence).collect();
    quotes.push("第1号项目已于二〇二三年建成投产".to_string()); // not in the corpus
    quotes.push("第7号".to_string()); // shorter than the hash key
    let refs: Vec<&str> = quotes.iter().map(String::as_str).collect();
    let found = corpus.locate_all(&refs);
    assert!(found[..n].iter().all(Option::is_some));
    assert!(found[n].is_none());
    let last = found[n + 1].as_ref().expect("short quote found");
    assert_eq!(Some(last), corpus.locate("第7号").as_ref());
    // The line is where the quote starts.
    assert_eq!(found[0].as_ref().unwrap().line, n / 40);
}

#[test]
fn every_syntax_error_of_a_file_is_reported_and_the_rest_validated() {
    // Issue #11: one syntax error used to hide every other error.
    let mut text = format!("{PLAN}{}", method("latest()", "latest() > 1"));
    text.push_str(&indicator("甲", 1, "reach 70"));
    text.push_str("indicator 乙 {\n  seq 2\n  name \"乙\"\n  category 经济发展\n  attribute 预期性\n  unit \"%\"\n  kind stock\n  target reach 70\n  baseline 2020 5\n}\n");
    text.push_str(&indicator("丙", 3, "reach 70").replace("category 经济发展", "category 经济发"));
    text.push_str("indicator 丁 {\n  seq 4\n  name \"丁\"\n  observed 2021 = 6\n}\n");
    let r = lint_text(&text);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // Both syntax errors, each at its own line, and the validation error of 丙.
    let located: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("rules.guihua:"))
        .collect();
    assert!(located.len() >= 3, "{}", r.stderr);
    assert!(r.stderr.contains("经济发"), "{}", r.stderr);
    let line_of = |needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    for needle in ["baseline 2020 5", "observed 2021 = 6"] {
        let at = format!("rules.guihua:{}:", line_of(needle));
        assert!(r.stderr.contains(&at), "no error at {at}:\n{}", r.stderr);
    }
}

/// Issue #11: inside one item too, a typo on one line hides no typo on
/// another; each misspelt keyword gets its did-you-mean.
#[test]
fn every_syntax_error_inside_an_item_is_reported_with_did_you_mean() {
    let mut text = format!("{PLAN}{}", method("latest()", "latest() > 1"));
    text.push_str(
        &indicator("甲", 1, "reach 70")
            .replace("  category ", "  categroy ")
            .replace("  unit ", "  unti ")
            .replace("  target ", "  targte "),
    );
    text.push_str(&indicator("乙", 2, "reach 70").replace("category 经济发展", "category 经济发"));
    let r = lint_text(&text);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let line_of = |needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    for (typo, keyword) in [
        ("categroy", "category"),
        ("unti", "unit"),
        ("targte", "target"),
    ] {
        let at = format!("rules.guihua:{}:3", line_of(typo));
        assert!(r.stderr.contains(&at), "no error at {at}:\n{}", r.stderr);
        assert!(
            r.stderr.contains(&format!("unexpected `{typo}`")),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains(&format!("did you mean `{keyword}`?")),
            "{}",
            r.stderr
        );
    }
    // The item that parsed is still validated.
    assert!(r.stderr.contains("经济发"), "{}", r.stderr);
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(all.contains("4 error(s)"), "{all}");
}

/// Issue #11: a bad line that opens a block is skipped with its block, and
/// one that closes a block keeps its `}`: recovery goes on past both.
#[test]
fn recovery_goes_on_past_a_bad_line_that_opens_or_closes_a_block() {
    let text = format!(
        "{PLAN}method 简单 {{\n  rul 甲 for reach {{\n    otherwise => 低于预期\n  }}\n  rule 乙 for rate {{\n    otherwse => 低于预期 }}\n  rule 丙 for tied {{\n    otherwise => 低于预期 \"x\"\n    whn latest() > 1 => 达到预期\n  }}\n}}\n{}",
        indicator("甲", 1, "reach 70")
    );
    let r = lint_text(&text);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_no_crash(&r);
    let line_of = |needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    for (typo, col) in [("rul 甲", 3), ("otherwse", 5), ("whn", 5)] {
        let at = format!("rules.guihua:{}:{col}", line_of(typo));
        assert!(r.stderr.contains(&at), "no error at {at}:\n{}", r.stderr);
    }
}

#[test]
fn the_table_follows_seq_and_a_duplicate_seq_is_an_error() {
    let mut text = format!("{PLAN}{}", method("latest()", "latest() > 1"));
    text.push_str(&indicator("第十", 10, "reach 70"));
    text.push_str(&indicator("第二", 2, "reach 70"));
    let r = eval_text(&text, "csv");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let second = r.stdout.find("第二").unwrap();
    let tenth = r.stdout.find("第十").unwrap();
    assert!(second < tenth, "{}", r.stdout);
    text.push_str(&indicator("又一个第二", 2, "reach 70"));
    let r = lint_text(&text);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("序号 `2` 重复") && r.stderr.contains("`第二`"),
        "{}",
        r.stderr
    );
    // Where it is, where the first one is, and a 序号 that would be valid.
    let line_of = |needle: &str| text[..text.rfind(needle).unwrap()].matches('\n').count() + 1;
    let first = text[..text.find("seq 2").unwrap()].matches('\n').count() + 1;
    assert!(
        r.stderr
            .contains(&format!("rules.guihua:{}:3", line_of("seq 2")))
            && r.stderr.contains(&format!("rules.guihua:{first}:3"))
            && r.stderr.contains("下一个未用的序号是 `11`"),
        "{}",
        r.stderr
    );
}

#[test]
fn excluding_a_phrase_that_runs_out_of_matches_answers() {
    // Found by the query fuzz target: a debug assertion inside tantivy.
    for q in ["高新 NOT 企N", "(高新 OR 技术) NOT 企N"] {
        let r = guihua(&["search", q, "--format", "json"]);
        assert_eq!(r.code, 0, "{q}: {}", r.stderr);
    }
}
