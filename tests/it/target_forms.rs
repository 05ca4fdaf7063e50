//! The target forms of a national plan, each judged by the bundled method's
//! rules on data no report has: qualitative, reductions (compounded or
//! summed), relative to the baseline, bounds on the average, inequalities
//! with another indicator's actual growth; and the method's options.

use guihua::eval::evaluate;
use guihua::load::{bundled_rules, load_texts, Loaded};
use guihua::period::Period;

/// The bundled plan and method with `indicators` instead of 附件1's; the
/// method's `options` replaced when `options` is given.
fn load(indicators: &str, options: Option<&str>) -> Loaded {
    let mut files: Vec<(String, String)> = bundled_rules()
        .into_iter()
        .filter(|(n, _)| n.ends_with("plan.guihua") || n.ends_with("mid_term.guihua"))
        .collect();
    if let Some(o) = options {
        for (n, t) in files.iter_mut() {
            if n.ends_with("mid_term.guihua") {
                let start = t.find("  options {").unwrap();
                let end = start + t[start..].find('}').unwrap() + 1;
                t.replace_range(start..end, &format!("  options {{ {o} }}"));
            }
        }
    }
    files.push(("t.guihua".into(), indicators.into()));
    load_texts(files, None)
}

/// (status, explanation) of indicator `id` at `at`.
fn verdict_with(indicators: &str, options: Option<&str>, id: &str, at: &str) -> (String, String) {
    let l = load(indicators, options);
    let m = l
        .model
        .as_ref()
        .unwrap_or_else(|| panic!("{}", l.render_diagnostics()));
    assert!(!l.has_errors(), "{}", l.render_diagnostics());
    let ev = evaluate(m, m.plan.default_method, Period::parse(at).unwrap());
    let k = m.indicators.iter().position(|i| i.id == id).unwrap();
    let v = &ev.verdicts[k];
    (m.statuses[v.status].name.clone(), v.explanation.clone())
}

fn verdict(indicators: &str, id: &str, at: &str) -> (String, String) {
    verdict_with(indicators, None, id, at)
}

fn ind(id: &str, seq: u32, kind: &str, body: &str) -> String {
    format!(
        "indicator {id} {{ seq {seq} name \"{id}\" category 经济发展 attribute 预期性 unit \"%\" kind {kind} {body} }}\n"
    )
}

#[test]
fn a_qualitative_target_takes_the_assessed_status_or_is_not_assessed() {
    let assessed = ind(
        "GDP增长",
        1,
        "rate",
        "target qualitative printed \"保持在合理区间\" observed 2021: 8.1, 2022: 3.0 assessed 2022: 达到预期",
    );
    assert_eq!(verdict(&assessed, "GDP增长", "2022").0, "达到预期");
    let silent = ind(
        "GDP增长",
        1,
        "rate",
        "target qualitative printed \"保持在合理区间\" observed 2021: 8.1, 2022: 3.0",
    );
    let (s, why) = verdict(&silent, "GDP增长", "2022");
    assert_eq!(s, "未评估", "never a guess from the numbers");
    assert!(why.contains("未作评定"), "{why}");
}

// Yearly falls 2.7, 0.1, 0.5 (%) against 〔13.5〕 at 2023 (60% elapsed).
const ENERGY: &str = "target reduce 13.5 observed 2021: 2.7, 2022: 0.1, 2023: 0.5";

#[test]
fn a_reduction_compounds_the_yearly_falls_and_is_judged_against_the_elapsed_share() {
    let (s, why) = verdict(&ind("能耗", 1, "rate", ENERGY), "能耗", "2023");
    // 1 − 0.973 × 0.999 × 0.995 = 3.28%: 24.3% of 13.5, behind 60%.
    assert_eq!(s, "低于预期");
    assert!(why.contains("累计降低3.28%"), "{why}");
    assert!(why.contains("后2年需年均降低5.43%"), "{why}");
    // Falls that keep pace: 3, 3, 3 → 8.73%, 64.7% of 13.5 ≥ 60%.
    let on = ind(
        "能耗",
        1,
        "rate",
        "target reduce 13.5 observed 2021: 3, 2022: 3, 2023: 3",
    );
    assert_eq!(verdict(&on, "能耗", "2023").0, "达到预期");
    // Already past the five-year fall.
    let done = ind(
        "能耗",
        1,
        "rate",
        "target reduce 5 observed 2021: 3, 2022: 3",
    );
    assert_eq!(verdict(&done, "能耗", "2022").0, "超出预期");
}

#[test]
fn a_reduction_without_its_half_year_is_judged_at_the_whole_years_it_counts() {
    // Falls of 3% in 2021 and 2022, 1.4% in 2023上半年, under the bundled
    // `half_year excluded`: the fall counts 2021 and 2022 only,
    // 1 − 0.97² = 5.91%, 43.8% of 13.5. The schedule of those two years
    // is 40%: on track (five falls of 3% compound to 14.1% ≥ 13.5).
    let x = ind(
        "能耗",
        1,
        "rate",
        "target reduce 13.5 observed 2021: 3, 2022: 3, 2023H1: 1.4",
    );
    let (s, why) = verdict(&x, "能耗", "2023H1");
    assert_eq!(s, "达到预期", "{why}");
    assert!(why.contains("累计降低5.91%"), "{why}");
    assert!(why.contains("不低于时序进度40%"), "{why}");
    // Before: the schedule was read at the half-year (50%), which the
    // fall leaves out, and the same data was 低于预期.
    let mut files: Vec<(String, String)> = bundled_rules()
        .into_iter()
        .filter(|(n, _)| n.ends_with("plan.guihua") || n.ends_with("mid_term.guihua"))
        .collect();
    for (n, t) in files.iter_mut() {
        if n.ends_with("mid_term.guihua") {
            let at = t.find("rule 累计降低目标").unwrap();
            let old = t[at..].replacen("elapsed_counted()", "elapsed_data()", 1);
            t.replace_range(at.., &old);
        }
    }
    files.push(("t.guihua".into(), x.clone()));
    let l = load_texts(files, None);
    let m = l.model.as_ref().unwrap();
    let ev = evaluate(m, m.plan.default_method, Period::parse("2023H1").unwrap());
    let before = &ev.verdicts[m.indicators.iter().position(|i| i.id == "能耗").unwrap()];
    assert_eq!(m.statuses[before.status].name, "低于预期");
    assert!(
        before.explanation.contains("低于时序进度50%"),
        "{}",
        before.explanation
    );
    // Counting the half-year: 1 − 0.97² × 0.986 = 7.23%, 53.6% ≥ 50%.
    let (s, why) = verdict_with(
        &x,
        Some("average geometric half_year included reductions compounded"),
        "能耗",
        "2023H1",
    );
    assert_eq!(s, "达到预期", "{why}");
    assert!(why.contains("不低于时序进度50%"), "{why}");
}

#[test]
fn summed_reductions_are_an_option_of_the_method() {
    // 8 + 8 = 16 summed (≥ 15: ahead); compounded 1 − 0.92² = 15.36 too, so
    // choose falls where the readings part: 7.6 + 7.6 = 15.2 ≥ 15, but
    // 1 − 0.924² = 14.62 < 15.
    let x = ind(
        "能耗",
        1,
        "rate",
        "target reduce 15 observed 2021: 7.6, 2022: 7.6",
    );
    assert_eq!(verdict(&x, "能耗", "2022").0, "达到预期");
    let summed = verdict_with(&x, Some("reductions summed"), "能耗", "2022");
    assert_eq!(summed.0, "超出预期", "{}", summed.1);
    assert!(summed.1.contains("累计降低15.20%"), "{}", summed.1);
}

#[test]
fn a_target_relative_to_the_baseline_is_the_baseline_moved() {
    // 人均预期寿命 〔1〕: 77.3 + 1 = 78.3 by 2025.
    let life = "indicator 寿命 { seq 1 name \"人均预期寿命\" category 民生福祉 attribute 预期性 unit \"岁\" kind stock target reach baseline + 1 baseline 2020: 77.3 observed 2021: 78.2 }";
    let (s, why) = verdict(life, "寿命", "2021");
    assert_eq!(s, "达到预期", "{why}");
    let l = load(life, None);
    let m = l.model.unwrap();
    let t = m.indicators[0].target.as_ref().unwrap();
    assert!((t.value.unwrap() - 78.3).abs() < 1e-9);
    assert_eq!(t.printed, "〔1〕");
    // Reached early: 78.4 ≥ 78.3.
    let early = life.replace("2021: 78.2", "2021: 78.4");
    assert_eq!(verdict(&early, "寿命", "2021").0, "超出预期");
}

#[test]
fn a_relative_target_without_a_baseline_is_an_error() {
    let l = load(
        "indicator 寿命 { seq 1 name \"人均预期寿命\" category 民生福祉 attribute 预期性 unit \"岁\" kind stock target reach baseline + 1 observed 2021: 78.2 }",
        None,
    );
    let d = l.render_diagnostics();
    assert!(d.contains("baseline of `寿命`"), "{d}");
}

#[test]
fn a_bound_on_the_average_judges_the_average_not_the_latest_year() {
    // R&D growth 14.2, 10.4, 8.1 — then a year of 6: latest below 7, average above.
    let rd = ind(
        "研发",
        1,
        "rate",
        "target avg_above 7 observed 2021: 14.2, 2022: 10.4, 2023: 6.0",
    );
    let (s, why) = verdict(&rd, "研发", "2023");
    assert_eq!(s, "达到预期", "{why}");
    assert!(why.contains("年均增长10.15%"), "{why}");
    let low = ind(
        "研发",
        1,
        "rate",
        "target avg_above 7 observed 2021: 5, 2022: 6",
    );
    assert_eq!(verdict(&low, "研发", "2022").0, "低于预期");
    let cap = ind(
        "物价",
        1,
        "rate",
        "target avg_below 3 observed 2021: 0.9, 2022: 2.0",
    );
    assert_eq!(verdict(&cap, "物价", "2022").0, "达到预期");
}

#[test]
fn whether_a_half_year_counts_in_the_average_is_an_option_of_the_method() {
    let rd = ind(
        "研发",
        1,
        "rate",
        "target avg_above 7 observed 2021: 8, 2022: 7.5, 2023H1: 2",
    );
    // Whole years: (1.08 × 1.075)^½ − 1 = 7.75% > 7.
    assert_eq!(verdict(&rd, "研发", "2023H1").0, "达到预期");
    // With the half-year: (1.08 × 1.075 × 1.02)^⅓ − 1 = 5.80% ≤ 7.
    let (s, why) = verdict_with(
        &rd,
        Some("average geometric half_year included"),
        "研发",
        "2023H1",
    );
    assert_eq!(s, "低于预期", "{why}");
    assert!(why.contains("5.80%"), "{why}");
    // Arithmetic: (8 + 7.5) / 2 = 7.75.
    let (_, why) = verdict_with(&rd, Some("average arithmetic"), "研发", "2023H1");
    assert!(why.contains("7.75%"), "{why}");
}

fn pair(target: &str, productivity: &str) -> String {
    ind(
        "GDP增长",
        1,
        "rate",
        "target qualitative printed \"保持在合理区间\" observed 2021: 8.1, 2022: 3.0, 2023: 5.2",
    ) + &ind(
        "劳动生产率",
        2,
        "rate",
        &format!("target {target} observed {productivity}"),
    )
}

#[test]
fn an_inequality_with_another_indicator_compares_actual_averages() {
    // Productivity 8.7, 4.2, 5.7 (avg 6.18) vs GDP 8.1, 3.0, 5.2 (avg 5.41).
    let x = pair("exceeds GDP增长", "2021: 8.7, 2022: 4.2, 2023: 5.7");
    let (s, why) = verdict(&x, "劳动生产率", "2023");
    assert_eq!(s, "达到预期", "{why}");
    assert!(why.contains("6.18%") && why.contains("5.41%"), "{why}");
    let slower = pair("exceeds GDP增长", "2021: 8.0, 2022: 3.0, 2023: 5.0");
    assert_eq!(verdict(&slower, "劳动生产率", "2023").0, "低于预期");
    // Income 8.1, 2.9, 6.1 (avg 5.67) keeps pace with GDP (5.41).
    let income = pair(
        "matches GDP增长 about 0.5",
        "2021: 8.1, 2022: 2.9, 2023: 6.1",
    );
    assert_eq!(verdict(&income, "劳动生产率", "2023").0, "达到预期");
    // 4.8 < 5.41 − 0.5.
    let lag = pair(
        "matches GDP增长 about 0.5",
        "2021: 4.8, 2022: 4.8, 2023: 4.8",
    );
    assert_eq!(verdict(&lag, "劳动生产率", "2023").0, "低于预期");
}

#[test]
fn a_comparison_form_must_name_its_other_indicator() {
    let l = load(
        &ind("劳动生产率", 1, "rate", "target exceeds observed 2021: 8.7"),
        None,
    );
    assert!(
        l.render_diagnostics()
            .contains("target names another indicator"),
        "{}",
        l.render_diagnostics()
    );
}

#[test]
fn an_unknown_option_or_value_is_an_error_with_did_you_mean() {
    let x = ind("研发", 1, "rate", "target avg_above 7 observed 2021: 8");
    let d = load(&x, Some("averge geometric")).render_diagnostics();
    assert!(
        d.contains("unknown option `averge`") && d.contains("average"),
        "{d}"
    );
    let d = load(&x, Some("reductions compouned")).render_diagnostics();
    assert!(
        d.contains("not a value of `reductions`") && d.contains("compounded"),
        "{d}"
    );
}
