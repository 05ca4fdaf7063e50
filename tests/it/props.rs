//! Property tests of the expression evaluator (no panic on any input,
//! arithmetic identities hold, division by zero and missing data give
//! defined results), of `check` and the parser on any text, and of search
//! on any query.

use guihua::eval::{evaluate, Value};
use guihua::load::load_texts;
use guihua::period::Period;
use proptest::prelude::*;

const PLAN: &str = r#"
plan p { period 2021..2025 baseline 2020 categories 甲类 attributes 预期性
  statuses { 达 on_track 未达 behind } }
indicator 甲 { seq 1 category 甲类 attribute 预期性 unit "%" kind stock target reach 70
  baseline 2020: 62.97 observed 2021: 63.99, 2022: 64.54, 2023H1: 65 }
indicator 空 { seq 2 category 甲类 attribute 预期性 unit "%" kind rate target rate 7.5 }
"#;

/// Evaluates `figures` (name = expr lines) and a condition for indicator 甲;
/// returns the figures and whether the condition held.
fn run(figures: &str, cond: &str) -> Result<(Vec<(String, Value)>, bool), String> {
    let rules = format!("method m {{ rule r for reach, rate {{ figures {{ {figures} }} when {cond} => 达 \"\" otherwise => 未达 \"\" }} }}");
    let loaded = load_texts(vec![("p".into(), PLAN.into()), ("r".into(), rules)], None);
    let Some(model) = loaded.model else {
        return Err(loaded.render_diagnostics());
    };
    let ev = evaluate(&model, 0, Period::parse("2023H1").unwrap());
    let v = &ev.verdicts[0];
    Ok((v.figures.clone(), model.statuses[v.status].name == "达"))
}

/// Like [`run`], with the problems (domain errors) the verdict records.
fn run_problems(figures: &str) -> (Vec<(String, Value)>, Vec<String>) {
    let rules = format!("method m {{ rule r for reach, rate {{ figures {{ {figures} }} otherwise => 未达 \"\" }} }}");
    let loaded = load_texts(vec![("p".into(), PLAN.into()), ("r".into(), rules)], None);
    let Some(model) = loaded.model else {
        panic!("{}", loaded.render_diagnostics());
    };
    let ev = evaluate(&model, 0, Period::parse("2023H1").unwrap());
    let v = &ev.verdicts[0];
    (
        v.figures.clone(),
        v.problems.iter().map(|p| p.message.clone()).collect(),
    )
}

#[test]
fn maths_outside_its_domain_is_missing_and_says_why() {
    let (f, problems) = run_problems(
        "a = ln(0 - 3)\n b = pow(0 - 8, 0.5)\n c = pow(0, 0 - 1)\n d = geomean(4, 0 - 1)\n e = exp(1000)\n f = ln(latest(空))\n g = 几何平均(4, 9)\n h = 幂(8, 1 / 3)",
    );
    for (name, v) in &f[..6] {
        assert_eq!(*v, Value::Missing, "{name}");
    }
    assert_eq!(f[6].1, Value::Num(6.0));
    assert!(matches!(f[7].1, Value::Num(x) if (x - 2.0).abs() < 1e-12));
    // Five domain errors, each named in Chinese first; missing data (`f`)
    // is not one.
    assert_eq!(problems.len(), 5, "{problems:#?}");
    assert!(
        problems[0].starts_with("`ln`（自然对数）的参数须为正数，而这里是 -3"),
        "{}",
        problems[0]
    );
    assert!(
        problems[1].contains("须为整数")
            && problems[1]
                .contains("(`pow` of a negative number (-8) needs a whole power, not 0.5)"),
        "{}",
        problems[1]
    );
    assert!(problems[2].contains("底数为 0"), "{}", problems[2]);
    assert!(
        problems[3].contains("几何平均") && problems[3].contains("-1"),
        "{}",
        problems[3]
    );
    assert!(problems[4].contains("`exp` 的结果过大"), "{}", problems[4]);
}

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        (-1.0e6f64..1.0e6).prop_map(|x| format!("{x:.3}")),
        Just("0".to_string()),
        Just("latest()".to_string()),
        Just("target()".to_string()),
        Just("baseline()".to_string()),
        Just("path()".to_string()),
        Just("gap()".to_string()),
        Just("elapsed()".to_string()),
        Just("cagr()".to_string()),
        Just("projected()".to_string()),
        Just("share_done()".to_string()),
        Just("latest(空)".to_string()),
        Just("avg_rate(空)".to_string()),
        Just("required_rate(空)".to_string()),
    ]
}

fn expr() -> impl Strategy<Value = String> {
    leaf().prop_recursive(5, 48, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop_oneof![Just("+"), Just("-"), Just("*"), Just("/")],
                inner.clone()
            )
                .prop_map(|(a, o, b)| format!("({a} {o} {b})")),
            inner.clone().prop_map(|a| format!("-({a})")),
            inner.clone().prop_map(|a| format!("abs({a})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("max({a}, {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("round({a}, {b})")),
            (inner.clone(), inner.clone(), inner)
                .prop_map(|(a, b, c)| format!("if({a} > {b}, {a}, {c})")),
        ]
    })
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs()),
        _ => a == b,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn identities_hold_for_any_expression(e in expr()) {
        let figs = format!("x = {e}\n y = x + 0\n z = x * 1\n w = x - x\n d = x / 0\n n = latest(空) + x");
        let (f, _) = run(&figs, "known(x)").map_err(TestCaseError::fail)?;
        let x = &f[0].1;
        // A number is always finite; anything else is missing.
        prop_assert!(matches!(x, Value::Num(v) if v.is_finite()) || *x == Value::Missing);
        prop_assert!(same(&f[1].1, x));
        prop_assert!(same(&f[2].1, x));
        match x {
            Value::Num(_) => prop_assert_eq!(&f[3].1, &Value::Num(0.0)),
            _ => prop_assert_eq!(&f[3].1, &Value::Missing),
        }
        prop_assert_eq!(&f[4].1, &Value::Missing);
        prop_assert_eq!(&f[5].1, &Value::Missing);
    }

    #[test]
    fn maths_functions_invert_each_other(x in -50.0f64..50.0, y in 0.001f64..1.0e6, n in 1u32..8) {
        let figs = format!(
            "e = ln(exp({x:.6}))\n l = exp(ln({y:.6}))\n r = pow(pow({y:.6}, {n}), 1 / {n})\n g = geomean({y:.6}, {y:.6})\n m = 几何平均({y:.6}, 1) * 几何平均({y:.6}, 1) - {y:.6}\n w = 自然对数(指数(1))"
        );
        let (f, problems) = run_problems(&figs);
        prop_assert!(problems.is_empty(), "{:?}", problems);
        let close = |v: &Value, want: f64| matches!(v, Value::Num(a) if (a - want).abs() <= 1e-9 * want.abs().max(1.0));
        let x: f64 = format!("{x:.6}").parse().unwrap();
        let y: f64 = format!("{y:.6}").parse().unwrap();
        prop_assert!(close(&f[0].1, x), "{:?}", f[0]);
        prop_assert!(close(&f[1].1, y), "{:?}", f[1]);
        prop_assert!(close(&f[2].1, y), "{:?}", f[2]);
        prop_assert!(close(&f[3].1, y), "{:?}", f[3]);
        prop_assert!(close(&f[4].1, 0.0), "{:?}", f[4]);
        prop_assert!(close(&f[5].1, 1.0), "{:?}", f[5]);
    }

    #[test]
    fn maths_on_any_expression_is_a_number_or_missing(e in expr()) {
        // Whatever the arguments, a maths function gives a finite number or
        // a missing value; a missing value from a known argument says why.
        let figs = format!("x = {e}\n a = ln(x)\n b = exp(x)\n c = pow(x, 0.5)\n d = geomean(x, 2)");
        let (f, problems) = run_problems(&figs);
        for (_, v) in &f {
            prop_assert!(matches!(v, Value::Num(v) if v.is_finite()) || *v == Value::Missing);
        }
        if f[0].1 != Value::Missing {
            let silent = f[1..].iter().filter(|(_, v)| *v == Value::Missing).count();
            prop_assert!(problems.len() >= silent.min(1), "{:?} {:?}", f, problems);
        }
    }

    #[test]
    fn addition_and_multiplication_commute(a in expr(), b in expr()) {
        let figs = format!("s1 = ({a}) + ({b})\n s2 = ({b}) + ({a})\n p1 = ({a}) * ({b})\n p2 = ({b}) * ({a})");
        let (f, _) = run(&figs, "1 > 0").map_err(TestCaseError::fail)?;
        prop_assert_eq!(&f[0].1, &f[1].1);
        prop_assert_eq!(&f[2].1, &f[3].1);
    }

    #[test]
    fn comparisons_are_consistent(a in expr(), b in expr()) {
        let figs = format!("l = {a}\n r = {b}");
        let (f, ge) = run(&figs, "l >= r").map_err(TestCaseError::fail)?;
        let (_, lt) = run(&figs, "l < r").map_err(TestCaseError::fail)?;
        match (&f[0].1, &f[1].1) {
            // Exactly one of `>=` and `<` holds between two numbers.
            (Value::Num(_), Value::Num(_)) => prop_assert!(ge != lt),
            // With a missing side neither holds: the rule falls through.
            _ => prop_assert!(!ge && !lt),
        }
    }

    #[test]
    fn check_never_panics_on_report_like_text(s in "((20[12][0-9]年(上半年)?[、，和]?)|分别为|为|达到|同比增长|同比|占|的|年均增长|累计|较上年提升|项指标|占比|低于预期|[0-9]{1,3}(\\.[0-9]{1,2})?(%|万人|人|亿元|亿|个百分点|项)?|[、，。；]|城镇化率|地区生产总值增长率|外贸进出口|\t|\n){0,80}") {
        let corpus = guihua::corpus::Corpus::new(vec![guihua::corpus::Document::new("f.txt", s)]);
        let loaded = load_texts(guihua::load::bundled_rules(), None);
        let model = loaded.model.expect("bundled rules");
        let _ = guihua::check::check(&model, &corpus, &[]);
    }

    #[test]
    fn any_query_is_answered_or_refused_cleanly(q in "(月季|园|城镇化率|GDP|六宜|63\\.99%?|2022年|“|”|\"|\\(|\\)|OR|NOT|-|\\+|section:|附件3|2\\+3\\+N|医生数量|人均收入增长|聚焦创新中心|[a-zA-Z0-9]{1,3}|\\PC| ){0,12}") {
        // Every query either answers, each snippet's marks balanced and
        // every hit carrying its place, or is a query error at a column of
        // the query; never a panic. Unspaced words and words with symbols
        // glued to Chinese go through the relaxed steps.
        match search_index().search(&q, 5) {
            Ok(r) => {
                prop_assert!(r.hits.len() <= 5 && r.hits.len() <= r.total, "{} hits of {}", r.hits.len(), r.total);
                prop_assert!(r.strict_total <= r.total, "strict {} of {}", r.strict_total, r.total);
                for h in &r.hits {
                    prop_assert_eq!(h.snippet.matches("<b>").count(), h.snippet.matches("</b>").count());
                    prop_assert!(!h.section.is_empty() && h.line > 0, "{:?}", h);
                }
            }
            Err(guihua::search::SearchError::Query(e)) => {
                prop_assert!(e.column >= 1 && e.column <= q.chars().count() + 1, "{} in {:?}", e, q);
            }
            Err(e) => prop_assert!(false, "{}", e),
        }
    }

    #[test]
    fn ingesting_any_report_like_text_places_every_unit(lines in proptest::collection::vec("(目录|一、总体|二、问题|（一）主要指标|（二）任务|1\\.经济|2\\.民生|一是月季|二是艾草|附件[1-5]：[表名]{0,3}|表[1-4]  对比|图[1-4]  对比|\\[bookmark: _Toc1\\]|\\[image: a\\.png\\]|\t[0-9]{1,2}|\t指标|\t[0-9.]{1,4}|[月季艾草城镇化率。，]{0,12}|[0-9]{1,2}\\.“[六宜]{1,2}”。[宜业居]{0,4}|\\PC{0,6}|)", 0..40)) {
        // Whatever the lines (headings out of order, a 目录 with nothing
        // after it, tables with no rows, markers alone), ingestion neither
        // panics nor places a unit outside the document or without text.
        let text = lines.join("\n");
        let n = text.lines().count();
        let ing = guihua::corpus::ingest::ingest(&guihua::corpus::Document::new("r.txt", text));
        for u in &ing.units {
            prop_assert!(u.line >= 1 && u.line <= n.max(1), "{:?} of {} lines", u, n);
            prop_assert!(!u.text.trim().is_empty() || !u.cells.is_empty(), "{:?}", u);
        }
    }

    #[test]
    fn character_tokens_stay_on_character_boundaries(s in "\\PC{0,120}") {
        let toks = guihua::search::tokenizer::char_tokens(&s);
        for w in toks.windows(2) {
            prop_assert!(w[0].0 <= w[1].0 && w[0].1 <= w[1].1, "{:?}", toks);
        }
        for t in &toks {
            prop_assert!(t.1 < t.2 && s.is_char_boundary(t.1) && s.is_char_boundary(t.2), "{:?}", t);
        }
    }

    #[test]
    fn the_parser_never_panics(s in "\\PC{0,200}") {
        let _ = guihua::dsl::parse_file(guihua::span::SourceId(0), &s);
    }

    #[test]
    fn the_parser_never_panics_on_rule_like_text(s in "(plan|indicator|method|rule|when|otherwise|=>|\\{|\\}|\\(|\\)|[a-z]{1,3}|[0-9.]{1,4}|\"[^\"]{0,5}\"|:|,|not|and|-| ){0,60}") {
        let loaded = load_texts(vec![("f".into(), s)], None);
        prop_assert!(loaded.model.is_some() || !loaded.diagnostics.is_empty());
    }
}

/// The in-memory index of the bundled corpus, built once for the tests.
fn search_index() -> &'static guihua::search::SearchIndex {
    static INDEX: std::sync::OnceLock<guihua::search::SearchIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let model = load_texts(guihua::load::bundled_rules(), None)
            .model
            .expect("bundled rules");
        guihua::search::SearchIndex::in_memory(&guihua::corpus::Corpus::bundled(), Some(&model))
            .expect("index")
    })
}

#[test]
fn missing_data_never_decides_a_status() {
    // Neither the condition nor its negation holds when data are missing.
    assert!(!run("", "latest(空) > 0").unwrap().1);
    assert!(!run("", "not (latest(空) > 0)").unwrap().1);
    // Kleene logic: false and missing is false, true or missing is true.
    assert!(run("", "(1 > 0) or (latest(空) > 0)").unwrap().1);
    assert!(!run("", "(1 < 0) and (latest(空) > 0)").unwrap().1);
}

#[test]
fn division_by_zero_is_missing_not_infinite() {
    let (f, _) = run(
        "a = 1 / 0\n b = 0 / 0\n c = latest() / (latest() - latest())",
        "1 > 0",
    )
    .unwrap();
    assert!(f.iter().all(|(_, v)| *v == Value::Missing), "{f:?}");
}
