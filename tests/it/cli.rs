use crate::util::{edited_rules, guihua, json};
use unicode_width::UnicodeWidthStr;

#[test]
fn eval_prints_all_23_rows_in_table_order_with_the_reports_verdicts() {
    let r = guihua(&["eval", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    assert_eq!(v["as_of"], "2023H1");
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 23);
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["seq"].as_str().unwrap(),
                r["name"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    // 附件1's 中期完成情况 column, row by row.
    let want = [
        ("1", "地区生产总值增长", "低于预期"),
        ("2", "常住人口城镇化率", "低于预期"),
        ("3", "社会消费品零售总额增长", "达到预期"),
        ("4", "研发经费投入增长", "低于预期"),
        ("5", "每万人发明专利拥有量", "暂无数据"),
        ("6", "数字经济核心产业增加值占地区生产总值比重", "暂无数据"),
        ("7", "城乡居民人均可支配收入增长率", "低于预期"),
        ("8", "城镇就业", "达到预期"),
        ("8", "城镇新增就业人数", "达到预期"),
        ("8", "城镇调查失业率", "达到预期"),
        ("9", "劳动年龄人口平均受教育年限", "达到预期"),
        ("10", "每千人口卫生技术人员数", "超出预期"),
        ("10", "每千人口拥有执业（助理）医师数", "超出预期"),
        ("10", "每千人口注册护士数", "超出预期"),
        ("11", "基本养老保险参保率", "达到预期"),
        ("12", "每千人拥有3岁以下儿童托位数", "达到预期"),
        ("13", "人均预期寿命", "达到预期"),
        ("14", "单位生产总值能源消耗降幅", "达到预期"),
        ("15", "单位生产总值二氧化碳排放降低", "暂无数据"),
        ("16", "城市空气优良天数比率", "完成市定目标"),
        ("17", "达到或好于Ⅲ类水体比例", "完成市定目标"),
        ("18", "森林覆盖率", "达到预期"),
        ("19", "粮食综合生产能力", "达到预期"),
    ];
    assert_eq!(got, want);
    assert_eq!(rows[8]["parent"], "城镇就业");
    assert_eq!(rows[7]["parent"], serde_json::Value::Null);
    for key in [
        "seq",
        "name",
        "parent",
        "category",
        "attribute",
        "status",
        "figures",
        "explanation",
    ] {
        assert!(rows[0].get(key).is_some(), "row lacks `{key}`");
    }
}

#[test]
fn summary_matches_the_count_in_the_report() {
    // 一（一）: 12 on or ahead of schedule, 4 behind, 3 without data; 6 binding, 13 expected.
    let v = json(&guihua(&["eval", "--format", "json"]).stdout);
    let s = &v["summary"];
    assert_eq!(
        (
            s["超出预期"].as_u64(),
            s["达到预期"].as_u64(),
            s["完成市定目标"].as_u64()
        ),
        (Some(1), Some(9), Some(2))
    );
    assert_eq!(
        (s["低于预期"].as_u64(), s["暂无数据"].as_u64()),
        (Some(4), Some(3))
    );
    let t = &v["totals"];
    assert_eq!(t["indicators"], 19);
    assert_eq!(
        (
            t["by_attribute"]["约束性"].as_u64(),
            t["by_attribute"]["预期性"].as_u64()
        ),
        (Some(6), Some(13))
    );
    assert_eq!(
        t["by_class"]["ahead"].as_u64().unwrap() + t["by_class"]["on_track"].as_u64().unwrap(),
        12
    );
}

#[test]
fn table_is_cjk_aligned_and_ends_with_the_summary() {
    let r = guihua(&["eval"]);
    assert_eq!(r.code, 0);
    let lines: Vec<&str> = r.stdout.lines().collect();
    let header = lines.iter().position(|l| l.starts_with("序号")).unwrap();
    let rows = &lines[header + 2..header + 25];
    // The status (last cell) starts at the same display column on every row.
    let status_col: Vec<usize> = rows
        .iter()
        .map(|l| {
            let status = l.split_whitespace().last().unwrap();
            l.width() - status.width()
        })
        .collect();
    assert!(
        status_col.windows(2).all(|w| w[0] == w[1]),
        "status column not aligned: {status_col:?}"
    );
    assert!(r.stdout.contains("共19项指标（预期性13项，约束性6项）"));
    assert!(r.stdout.contains("进展良好（达到或超过进度）12项"));
}

#[test]
fn csv_and_markdown_have_a_row_per_indicator() {
    let csv = guihua(&["eval", "--format", "csv"]).stdout;
    assert_eq!(csv.lines().count(), 24);
    assert!(csv.lines().next().unwrap().starts_with("序号,类别,指标"));
    let md = guihua(&["eval", "--format", "md"]).stdout;
    assert_eq!(md.lines().filter(|l| l.starts_with("| ")).count(), 24);
}

#[test]
fn as_of_2022_uses_only_the_data_known_then() {
    let v = json(&guihua(&["eval", "--as-of", "2022", "--format", "json"]).stdout);
    assert_eq!(v["as_of"], "2022");
    let row = |n: &str| {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == n)
            .unwrap()
            .clone()
    };
    // 9 years in 2022 is below the straight path (9.8 − 0.5).
    assert_eq!(row("劳动年龄人口平均受教育年限")["status"], "低于预期");
    // No 2023H1 column.
    assert!(row("森林覆盖率")["observations"].get("2023H1").is_none());
    // Jobs: 1.7112 of 3.5 is 48.9%, ahead of 40% elapsed.
    let jobs = row("城镇新增就业人数");
    assert!((jobs["figures"]["完成比例"].as_f64().unwrap() - 48.89).abs() < 0.01);
}

#[test]
fn method_sdg_is_selected_by_name() {
    let v = json(&guihua(&["eval", "--method", "sdg", "--format", "json"]).stdout);
    assert_eq!(v["method"], "sdg");
    let s = &v["summary"];
    assert_eq!(s["已实现"].as_u64(), Some(5));
    assert_eq!(s["需加快"].as_u64(), Some(4));
    // The summary counts classes in the method's own words (issue #11).
    let groups = v["totals"]["class_groups"].as_array().unwrap();
    assert_eq!(groups[2]["words"], "需加快或停滞倒退");
    assert_eq!(groups[2]["count"].as_u64(), Some(4));
    let t = guihua(&["eval", "--method", "sdg"]).stdout;
    assert!(
        t.contains("已实现5项，占26.3%；符合进度7项，占36.8%；已实现、符合进度合计12项，占63.2%；需加快或停滞倒退4项"),
        "{t}"
    );
    assert!(!t.contains("进展良好"), "{t}");
    let r = guihua(&["eval", "--method", "sgd"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown method `sgd`"));
}

#[test]
fn explain_shows_rule_branches_figures_sources_and_distance() {
    let r = guihua(&["explain", "城镇化率"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let o = &r.stdout;
    assert!(o.starts_with("常住人口城镇化率（城镇化率，序号2）：低于预期"));
    assert!(o.contains("规则 `水平目标`"));
    // Built-in functions by their Chinese names (path() is 应达值()).
    assert!(o.contains("应达值() = 65.78"));
    assert!(o.contains("→ 命中: otherwise => 低于预期"));
    assert!(o.contains("来源：“2021年、2022年全区城镇常住人口城镇化率分别为63.99%、64.54%”"));
    // Only better statuses, the next better one first.
    let better = o.find("距「达到预期」").expect("distance to 达到预期");
    assert!(better < o.find("距「超出预期」").expect("distance to 超出预期"));
    assert!(o.contains("还差1.24"));
}

#[test]
fn explain_reports_other_branches_that_also_matched() {
    // 医师 3.7 ≥ 3.2 is ahead; the on-schedule branch holds too.
    let o = guihua(&["explain", "执业医师"]).stdout;
    assert!(o.contains("→ 命中: when 最新值() >= 目标值() => 超出预期"));
    assert!(o.contains("也成立: when 最新值() >= 应达水平 - 容差() => 达到预期"));
}

#[test]
fn explain_finds_indicators_by_unique_part_and_lists_ambiguous_ones() {
    assert_eq!(guihua(&["explain", "森林"]).code, 0);
    let r = guihua(&["explain", "就业"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("several indicators match"));
    let r = guihua(&["explain", "城镇化律"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean `城镇化率`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn test_command_runs_the_bundled_expectations() {
    let r = guihua(&["test"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("35 项通过，0 项未通过"));
}

#[test]
fn lint_of_the_bundled_rules_is_clean() {
    let root = crate::util::root();
    let r = guihua(&["lint", root.join("rules").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("没有错误，0 个警告"), "{}", r.stdout);
}

#[test]
fn bad_period_and_missing_path_are_usage_errors() {
    let r = guihua(&["eval", "--as-of", "2023Q3"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not a period"));
    let r = guihua(&["eval", "--as-of", "2030"]);
    assert_eq!(r.code, 2);
    let r = guihua(&["lint", "/nonexistent/rules"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read"));
}

#[test]
fn every_builtin_is_documented_in_the_language_reference() {
    let doc = std::fs::read_to_string(crate::util::root().join("docs/language.md")).unwrap();
    for s in guihua::model::builtins::SIGNATURES {
        assert!(
            doc.contains(&format!("`{}(", s.name)),
            "docs/language.md lacks `{}`",
            s.name
        );
        assert!(
            doc.contains(s.alias),
            "docs/language.md lacks the alias {}",
            s.alias
        );
    }
}

#[test]
fn a_function_outside_its_domain_says_why_in_eval_and_explain() {
    // 城镇化率 is about 64.5: ln of a negative number has no value, and
    // the planner is told which call and why, not shown a silent —.
    let dir = edited_rules("mid_term.guihua", |t| {
        t.replacen(
            "      完成比例 = share_done()\n",
            "      完成比例 = share_done()\n      对数 = 自然对数(latest() - 100)\n",
            1,
        )
    });
    let rules = dir.path().to_str().unwrap();
    let r = guihua(&["eval", "--rules", rules]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("无法计算的数值")
            && r.stdout.contains(
                "城镇化率：`ln`（自然对数）的参数须为正数，而这里是 -35.46 (`ln` needs a positive number, not -35.46)"
            ),
        "{}",
        r.stdout
    );
    let o = guihua(&["explain", "城镇化率", "--rules", rules]).stdout;
    assert!(o.contains("无法计算："), "{o}");
    assert!(o.contains("自然对数(最新值() - 100)（"), "{o}");
    assert!(o.contains("mid_term.guihua:"), "{o}");
    let j = json(&guihua(&["eval", "--rules", rules, "--format", "json"]).stdout);
    let row = j["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "常住人口城镇化率")
        .unwrap();
    assert_eq!(row["figures"]["对数"], serde_json::Value::Null);
    assert_eq!(row["problems"].as_array().map(Vec::len), Some(1));
}
