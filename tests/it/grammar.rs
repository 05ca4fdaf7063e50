//! One test per construct of the language, through the parser alone.

use guihua::dsl::ast::{BinOp, ExprKind, File, TemplatePart, UnOp};
use guihua::dsl::parse_file;
use guihua::period::Period;
use guihua::span::{SourceId, Sources};

#[track_caller]
fn parse(src: &str) -> File {
    match parse_file(SourceId(0), src) {
        Ok(f) => f,
        Err(d) => {
            let mut s = Sources::new();
            s.add("t", src);
            panic!("{}", d.iter().map(|d| s.render(d)).collect::<String>())
        }
    }
}

#[track_caller]
fn parse_err(src: &str) -> String {
    let mut s = Sources::new();
    s.add("t", src);
    let d = parse_file(SourceId(0), src).expect_err("should not parse");
    d.iter().map(|d| s.render(d)).collect()
}

fn cond(src_expr: &str) -> guihua::dsl::ast::Expr {
    let f = parse(&format!(
        "method m {{ rule r for reach {{ when {src_expr} => 甲 otherwise => 乙 }} }}"
    ));
    f.methods[0].rules[0].branches[0].cond.clone().unwrap()
}

#[test]
fn plan_with_period_baseline_vocabularies_and_statuses() {
    let f = parse("plan 十四五 \"纲要\" { period 2021..2025 baseline 2020 categories 经济发展, 民生福祉 attributes 预期性 default method 中期 statuses { 达到预期 on_track \"on schedule\" 低于预期 behind } }");
    let p = &f.plans[0];
    assert_eq!(p.id.node, "十四五");
    assert_eq!(p.title.as_ref().unwrap().node, "纲要");
    let (a, b) = p.period.as_ref().unwrap();
    assert_eq!((a.node.year, b.node.year), (2021, 2025));
    assert_eq!(p.baseline.as_ref().unwrap().node, Period::year(2020));
    assert_eq!(
        p.categories
            .iter()
            .map(|c| c.node.as_str())
            .collect::<Vec<_>>(),
        ["经济发展", "民生福祉"]
    );
    assert_eq!(p.default_method.as_ref().unwrap().node, "中期");
    assert_eq!(p.statuses.len(), 2);
    assert_eq!(p.statuses[0].class.node, "on_track");
    assert_eq!(p.statuses[0].gloss.as_ref().unwrap().node, "on schedule");
}

#[test]
fn indicator_entries() {
    let f = parse(
        r#"indicator 城镇化率 {
            seq 2
            name "常住人口城镇化率"
            category 经济发展
            attribute 预期性
            unit "%"
            kind stock
            note "年度指标"
        }"#,
    );
    let i = &f.indicators[0];
    assert_eq!(i.id.node, "城镇化率");
    assert_eq!(i.seq.as_ref().unwrap().node, "2");
    assert_eq!(i.name.as_ref().unwrap().node, "常住人口城镇化率");
    assert_eq!(i.category.as_ref().unwrap().node, "经济发展");
    assert_eq!(i.unit.as_ref().unwrap().node, "%");
    assert_eq!(i.kind.as_ref().unwrap().node, "stock");
    assert_eq!(i.notes[0].node, "年度指标");
}

#[test]
fn every_target_form() {
    let f = parse(
        r#"indicator a {
            target reach 70
            target rate 7.0 about 0.5 printed "7.0左右" source "x"
            target rate 11.0 左右 0.5
            target cumulative 3.5
            target below 5.5
            target above 95
            target floor 35
            target ceiling 10
            target increase 2.5
            target tied GDP增长
            target city
        }"#,
    );
    let t = &f.indicators[0].targets;
    let forms: Vec<&str> = t.iter().map(|t| t.form.node.as_str()).collect();
    assert_eq!(
        forms,
        [
            "reach",
            "rate",
            "rate",
            "cumulative",
            "below",
            "above",
            "floor",
            "ceiling",
            "increase",
            "tied",
            "city"
        ]
    );
    assert_eq!(t[1].tolerance.as_ref().unwrap().node.value, 0.5);
    assert_eq!(t[1].printed.as_ref().unwrap().node, "7.0左右");
    assert_eq!(t[1].source.as_ref().unwrap().node, "x");
    assert_eq!(t[2].tolerance.as_ref().unwrap().node.value, 0.5);
    assert_eq!(t[9].other.as_ref().unwrap().node, "GDP增长");
    assert!(t[10].value.is_none() && t[10].other.is_none());
}

#[test]
fn observations_with_units_halves_and_missing_values() {
    let f = parse("indicator a { baseline 2020: 0.7 observed 2021: 9259人, 2022: 0.7853 万人, 2023H1: /, 2023上半年: 63.99% source \"q\" }");
    let i = &f.indicators[0];
    assert_eq!(
        i.baselines[0].items[0].value.as_ref().unwrap().node.value,
        0.7
    );
    let o = &i.observed[0].items;
    assert_eq!(
        o[0].value
            .as_ref()
            .unwrap()
            .node
            .unit
            .as_ref()
            .unwrap()
            .node,
        "人"
    );
    assert_eq!(
        o[1].value
            .as_ref()
            .unwrap()
            .node
            .unit
            .as_ref()
            .unwrap()
            .node,
        "万人"
    );
    assert_eq!(
        o[2].period.node,
        Period {
            year: 2023,
            half: 1
        }
    );
    assert!(o[2].value.is_none());
    assert_eq!(
        o[3].period.node,
        Period {
            year: 2023,
            half: 1
        }
    );
    assert_eq!(i.observed[0].source.as_ref().unwrap().node, "q");
}

#[test]
fn stated_and_assessed_lines() {
    let f = parse("indicator a { stated 年均增长 = 6.6% as of 2022 source \"s\" assessed 2021: 完成市定目标, 2023H1: 达到预期 source \"t\" }");
    let i = &f.indicators[0];
    assert_eq!(i.stated[0].figure.node, "年均增长");
    assert_eq!(i.stated[0].value.node.decimals, 1);
    assert_eq!(i.stated[0].as_of.as_ref().unwrap().node, Period::year(2022));
    assert_eq!(i.assessed[0].items.len(), 2);
    assert_eq!(i.assessed[0].items[1].1.node, "达到预期");
}

#[test]
fn nested_sub_indicators() {
    let f = parse("indicator 城镇就业 { seq 8 indicator 新增 { unit \"万人\" } indicator 失业率 { unit \"%\" } }");
    let c = &f.indicators[0].children;
    assert_eq!(c.len(), 2);
    assert_eq!(c[1].id.node, "失业率");
}

#[test]
fn method_rule_figures_branches_otherwise() {
    let f = parse("method 中期 \"t\" { statuses { 已实现 ahead } rule 水平 for reach, parent { figures { 应达 = path() 差 = gap() } when latest() >= 应达 => 达到预期 \"ok\" otherwise => 低于预期 } }");
    let m = &f.methods[0];
    assert_eq!(m.statuses[0].name.node, "已实现");
    let r = &m.rules[0];
    assert_eq!(
        r.applies
            .iter()
            .map(|a| a.node.as_str())
            .collect::<Vec<_>>(),
        ["reach", "parent"]
    );
    assert_eq!(r.figures.len(), 2);
    assert_eq!(r.branches.len(), 2);
    assert!(r.branches[1].cond.is_none());
    assert_eq!(r.branches[1].status.node, "低于预期");
}

#[test]
fn explanation_interpolation_with_format_and_escapes() {
    let f = parse(
        r#"method m { rule r for reach { otherwise => 乙 "值{latest():.2}，{{字面}}，\"引\"" } }"#,
    );
    let parts = &f.methods[0].rules[0].branches[0]
        .explanation
        .as_ref()
        .unwrap()
        .node
        .parts;
    assert!(matches!(&parts[0], TemplatePart::Text(t) if t == "值"));
    assert!(
        matches!(&parts[1], TemplatePart::Expr(e, Some(2)) if matches!(&e.kind, ExprKind::Call(n, _) if n.node == "latest"))
    );
    assert!(matches!(&parts[2], TemplatePart::Text(t) if t == "，{字面}，\"引\""));
}

#[test]
fn test_blocks_with_as_of_under_and_source() {
    let f = parse("test 附件1 { expect GDP增长 is 低于预期 as of 2023H1 under sdg source \"q\" expect 甲 is 乙 }");
    let e = &f.tests[0].expects;
    assert_eq!(
        e[0].as_of.as_ref().unwrap().node,
        Period {
            year: 2023,
            half: 1
        }
    );
    assert_eq!(e[0].method.as_ref().unwrap().node, "sdg");
    assert!(e[1].as_of.is_none());
}

#[test]
fn arithmetic_precedence_and_left_associativity() {
    let e = cond("1 + 2 * 3 - 4 >= 0");
    let ExprKind::Binary(BinOp::Ge, l, _) = e.kind else {
        panic!()
    };
    let ExprKind::Binary(BinOp::Sub, l2, _) = l.kind else {
        panic!("{l:?}")
    };
    let ExprKind::Binary(BinOp::Add, _, r3) = l2.kind else {
        panic!()
    };
    assert!(matches!(r3.kind, ExprKind::Binary(BinOp::Mul, _, _)));
}

#[test]
fn not_binds_looser_than_comparison_and_tighter_than_and() {
    let e = cond("not a >= b and c");
    let ExprKind::Binary(BinOp::And, l, _) = e.kind else {
        panic!()
    };
    let ExprKind::Unary(UnOp::Not, inner) = l.kind else {
        panic!()
    };
    assert!(matches!(inner.kind, ExprKind::Binary(BinOp::Ge, _, _)));
}

#[test]
fn or_binds_looser_than_and_and_parentheses_group() {
    let e = cond("a or b and (c or d)");
    let ExprKind::Binary(BinOp::Or, _, r) = e.kind else {
        panic!()
    };
    let ExprKind::Binary(BinOp::And, _, rr) = r.kind else {
        panic!()
    };
    assert!(matches!(rr.kind, ExprKind::Binary(BinOp::Or, _, _)));
}

#[test]
fn negation_calls_with_indicator_and_period_literals() {
    let e = cond("-value(2023H1, GDP增长) < target(GDP增长) ≥ 1");
    let ExprKind::Binary(BinOp::Ge, l, _) = e.kind else {
        panic!()
    };
    let ExprKind::Binary(BinOp::Lt, neg, _) = l.kind else {
        panic!()
    };
    let ExprKind::Unary(UnOp::Neg, call) = neg.kind else {
        panic!()
    };
    let ExprKind::Call(name, args) = call.kind else {
        panic!()
    };
    assert_eq!(name.node, "value");
    assert!(matches!(
        args[0].kind,
        ExprKind::Period(Period {
            year: 2023,
            half: 1
        })
    ));
    assert!(matches!(&args[1].kind, ExprKind::Name(n) if n == "GDP增长"));
}

#[test]
fn comments_and_ideographic_space_are_whitespace() {
    let f = parse("// 注释\nindicator\u{3000}a { // 行尾注释\n seq 1 }");
    assert_eq!(f.indicators[0].id.node, "a");
}

#[test]
fn keywords_are_not_names_but_function_names_may_be() {
    let e = cond("target() >= baseline()");
    assert!(matches!(e.kind, ExprKind::Binary(BinOp::Ge, _, _)));
    let msg = parse_err("indicator source { }");
    assert!(msg.contains("t:1:11"), "{msg}");
}

#[test]
fn a_status_class_is_a_name_in_an_expression() {
    // `children_any(behind)`: the class word is resolved when lowering.
    let e = cond("children_any(behind) or latest_assessment() == on_track");
    let ExprKind::Binary(BinOp::Or, l, _) = e.kind else {
        panic!("{e:?}")
    };
    let ExprKind::Call(name, args) = l.kind else {
        panic!("{l:?}")
    };
    assert_eq!(name.node, "children_any");
    assert!(matches!(&args[0].kind, ExprKind::Name(n) if n == "behind"));
}

#[test]
fn syntax_errors_name_what_was_expected_in_words() {
    let msg = parse_err("plan p { period 2021 2025 }");
    assert!(msg.contains("t:1:22"), "{msg}");
    assert!(msg.contains("expected:"), "{msg}");
    assert!(!msg.contains("Rule::"), "{msg}");
    let msg = parse_err("method m { rule r for reach { when => 甲 } }");
    assert!(
        msg.contains("an expression") || msg.contains("a number"),
        "{msg}"
    );
}

#[test]
fn decline_qualitative_and_unread_targets() {
    let f = parse(
        r#"indicator a {
            target decline 13.5 printed "累计下降[13.5]" source "累计下降[13.5]"
            target qualitative printed "持续改善"
            target unread printed "力争逐年提升"
        }"#,
    );
    let t = &f.indicators[0].targets;
    let forms: Vec<&str> = t.iter().map(|t| t.form.node.as_str()).collect();
    assert_eq!(forms, ["decline", "qualitative", "unread"]);
    assert_eq!(t[0].value.as_ref().unwrap().node.value, 13.5);
    assert_eq!(t[0].printed.as_ref().unwrap().node, "累计下降[13.5]");
    assert!(t[1].value.is_none());
    assert_eq!(t[1].printed.as_ref().unwrap().node, "持续改善");
    assert_eq!(t[2].printed.as_ref().unwrap().node, "力争逐年提升");
}

#[test]
fn project_states_declare_words_with_their_class() {
    let f = parse("project_states {\n  已签约 planned\n  在建 under_way\n  已建成投产 done\n}");
    let got: Vec<(&str, &str)> = f
        .project_states
        .iter()
        .map(|(w, c)| (w.node.as_str(), c.node.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("已签约", "planned"),
            ("在建", "under_way"),
            ("已建成投产", "done")
        ]
    );
    // A word without its class is a syntax error that names the construct.
    let e = parse_err("project_states { 在建 }");
    assert!(e.contains("project_states") || e.contains("state"), "{e}");
}

#[test]
fn averaging_and_decline_functions_parse_as_calls() {
    for name in [
        "mean_rate",
        "avg_rate_with_half",
        "mean_rate_with_half",
        "decline",
        "算术年均增速",
        "含半年年均增速",
        "含半年算术年均增速",
        "累计降幅",
    ] {
        match cond(&format!("{name}() >= 1")).kind {
            ExprKind::Binary(BinOp::Ge, l, _) => {
                assert!(
                    matches!(l.kind, ExprKind::Call(ref n, _) if n.node == name),
                    "{name}"
                )
            }
            k => panic!("{name}: {k:?}"),
        }
    }
}
