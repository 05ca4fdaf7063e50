//! A target cell read into a target form of the language.

use crate::model::TargetForm;

/// What the drafter made of a target cell.
#[derive(Debug, Clone)]
pub struct Reading {
    /// The form.
    pub form: TargetForm,
    /// The number as printed (`13.5` of `累计下降[13.5]`).
    pub number: Option<String>,
    /// A 左右 tolerance.
    pub tolerance: Option<f64>,
    /// For `tied`: the words naming what it follows (`经济增长`).
    pub follows: Option<String>,
    /// Why this reading, when it is a guess (written as a comment).
    pub guess: Option<String>,
}

/// What the drafter knows of the row when reading its target.
#[derive(Debug, Clone, Copy)]
pub struct RowFacts {
    /// A growth rate in % (地区生产总值增长).
    pub is_rate: bool,
    /// A yearly fall in % (能耗降低, 能耗降幅): its values are each year's fall.
    pub is_fall: bool,
    /// An amount per period (新增就业, 粮食产量).
    pub is_flow: bool,
    /// The baseline value.
    pub baseline: Option<f64>,
    /// The largest whole-year value observed.
    pub max_annual: Option<f64>,
}

/// The first number in a string, as written (`-2.8`, `13.5`).
pub fn first_number(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = if i > 0 && b[i - 1] == b'-' { i - 1 } else { i };
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
                j += 1;
            }
            let t = s[start..j].trim_end_matches('.');
            return t.parse::<f64>().ok().map(|_| t.to_string());
        }
        i += 1;
    }
    None
}

/// A cell that is only a number (`7.0`, `-2.8`, `95.6%`).
pub fn plain_number(s: &str) -> Option<String> {
    let t = s.trim().trim_end_matches(['%', '％']);
    t.parse::<f64>().ok().map(|_| t.to_string())
}

/// Reads a target cell.
pub fn read(cell: &str, f: RowFacts) -> Reading {
    let t: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.as_str();
    let mut r = Reading {
        form: TargetForm::Unread,
        number: None,
        tolerance: None,
        follows: None,
        guess: None,
    };
    let num = first_number(t);
    if t.is_empty() || t == "/" || t == "—" {
        return r;
    }
    // Set by the city (or a higher level) each year.
    if t.contains("市下达") || t.contains("市定") || t.contains("上级下达") {
        r.form = TargetForm::City;
        return r;
    }
    // Grows with another indicator.
    if t.contains("同步") {
        let words = t
            .trim_start_matches("五年")
            .trim_start_matches("年均增长")
            .trim_start_matches("与")
            .split("同步")
            .next()
            .unwrap_or("")
            .trim_end_matches("基本")
            .trim_end_matches("保持");
        r.form = TargetForm::Tied;
        r.follows = Some(words.to_string());
        return r;
    }
    let Some(n) = num else {
        // Words only: 保持稳定, 持续改善, 保持在合理区间.
        r.form = TargetForm::Qualitative;
        return r;
    };
    r.number = Some(n.clone());
    let bracketed = t.contains('[') || t.contains('［') || t.contains('【');
    let value: f64 = n.parse().unwrap_or(0.0);
    if (t.contains("下降") || t.contains("降低")) && f.is_fall {
        // Each value is a year's fall: the five-year fall is their sum.
        r.form = TargetForm::Cumulative;
        r.guess = Some(format!(
            "各年数值为当年降幅，五年累计降幅{n}%按各年降幅之和计 (yearly falls: their sum)"
        ));
        return r;
    }
    if t.contains("下降") || t.contains("降低") {
        r.form = TargetForm::Decline;
        if !bracketed && !t.contains("累计") {
            r.guess = Some(format!(
                "“{t}”未注明累计，按规划期内累计下降{n}%理解 (read as a fall over the whole plan)"
            ));
        }
        return r;
    }
    // An average a year: `年均8`, `年均增长7%左右`, `五年年均提高1个百分点`,
    // `年均8以上`.
    if let Some(rest) = average_rest(t) {
        if let Some(read) = read_average(rest, f, r.clone()) {
            return read;
        }
    }
    let rest_is = |prefix: &str| t.strip_prefix(prefix).and_then(plain_number).is_some();
    // A bound on a growth rate bounds its average, not its latest half-year.
    let on_rate = |form: TargetForm| match (f.is_rate && !f.is_fall, form) {
        (true, TargetForm::Above | TargetForm::Floor) => TargetForm::AvgAbove,
        (true, TargetForm::Below | TargetForm::Ceiling) => TargetForm::AvgBelow,
        (_, form) => form,
    };
    for (p, form) in [
        ("＜", TargetForm::Below),
        ("<", TargetForm::Below),
        ("＞", TargetForm::Above),
        (">", TargetForm::Above),
        ("≥", TargetForm::Floor),
        (">=", TargetForm::Floor),
        ("≤", TargetForm::Ceiling),
        ("<=", TargetForm::Ceiling),
    ] {
        if rest_is(p) {
            r.form = on_rate(form);
            return r;
        }
    }
    if t.starts_with("不低于") || t.ends_with("以上") {
        r.form = on_rate(TargetForm::Floor);
        return r;
    }
    if t.starts_with("不高于") || t.ends_with("以下") || t.ends_with("以内") {
        r.form = on_rate(TargetForm::Ceiling);
        return r;
    }
    // `累计3.0`: a five-year total written in words instead of brackets.
    let bracketed = bracketed
        || t.strip_prefix("五年")
            .unwrap_or(t)
            .strip_prefix("累计")
            .and_then(plain_number)
            .is_some();
    if bracketed {
        if f.is_rate && !f.is_fall {
            r.form = TargetForm::Rate;
            r.guess = Some(format!(
                "“{t}”：方括号通常表示五年累计，但这是增速指标，按年均增速{n}%理解 (brackets on a growth rate: read as the average rate)"
            ));
        } else {
            r.form = TargetForm::Cumulative;
            if f.is_fall {
                r.guess = Some(format!(
                    "各年数值为当年降幅，五年累计降幅{n}%按各年降幅之和计 (yearly falls: their sum)"
                ));
            }
        }
        return r;
    }
    let about = t.ends_with("左右");
    let bare = plain_number(t.trim_end_matches("左右")).is_some();
    if !bare {
        return Reading {
            form: TargetForm::Unread,
            number: None,
            ..r
        };
    }
    if about {
        r.tolerance = Some(0.5);
        r.guess = Some("“左右”按上下0.5的容差理解 (左右 read as ±0.5)".to_string());
    }
    if f.is_rate {
        r.form = TargetForm::Rate;
        return r;
    }
    if f.is_flow && f.max_annual.is_some_and(|m| value > 2.0 * m) {
        r.form = TargetForm::Cumulative;
        r.guess = Some(format!(
            "流量指标的目标{n}远大于各年数值，按五年累计理解 (a flow whose target is several years' worth: read as a five-year total)"
        ));
        return r;
    }
    if f.baseline.is_some_and(|b| b >= value) && !about {
        r.form = TargetForm::Floor;
        r.guess = Some(format!(
            "基期值已不低于目标{n}，按保持在{n}以上的底线理解 (the baseline already meets it: read as a floor)"
        ));
        return r;
    }
    r.form = TargetForm::Reach;
    r
}

/// What follows an average-a-year phrase (`年均`, `五年年均增长`,
/// `年均提高`…) at the start of a cell, or inside it (`力争年均增长8`).
fn average_rest(t: &str) -> Option<&str> {
    let i = t.find("年均")?;
    let mut rest = &t[i + "年均".len()..];
    for verb in ["增长率", "增速", "增长", "提高", "增加", "提升"] {
        if let Some(x) = rest.strip_prefix(verb) {
            rest = x;
            break;
        }
    }
    Some(rest)
}

/// Reads what follows an average-a-year phrase: `8`, `7%左右`, `8以上`,
/// `1个百分点`, `不低于8`. `None` when it is something else.
fn read_average(rest: &str, f: RowFacts, mut r: Reading) -> Option<Reading> {
    let mut x = rest;
    let mut lower = false;
    let mut upper = false;
    for p in ["不低于", "≥", ">=", "＞", ">"] {
        if let Some(y) = x.strip_prefix(p) {
            x = y;
            lower = true;
        }
    }
    for p in ["不高于", "≤", "<=", "＜", "<"] {
        if let Some(y) = x.strip_prefix(p) {
            x = y;
            upper = true;
        }
    }
    let mut about = false;
    if let Some(y) = x.strip_suffix("左右") {
        x = y;
        about = true;
    }
    for (s, up) in [("以上", false), ("以下", true), ("以内", true)] {
        if let Some(y) = x.strip_suffix(s) {
            x = y;
            if up {
                upper = true;
            } else {
                lower = true;
            }
        }
    }
    for unit in ["个百分点", "百分点", "%", "％"] {
        if let Some(y) = x.strip_suffix(unit) {
            x = y;
            break;
        }
    }
    let n = plain_number(x)?;
    r.number = Some(n.clone());
    r.form = match (f.is_rate, lower, upper) {
        (true, false, false) => TargetForm::Rate,
        (true, true, false) => TargetForm::AvgAbove,
        (true, false, true) => TargetForm::AvgBelow,
        (false, false, false) => TargetForm::Increase,
        (false, true, false) => {
            r.guess = Some(format!(
                "年均增加{n}以上：按年均增加量不低于{n}理解 (at least {n} a year)"
            ));
            TargetForm::Increase
        }
        _ => return None,
    };
    if about && !lower && !upper {
        r.tolerance = Some(0.5);
        r.guess = Some("“左右”按上下0.5的容差理解 (左右 read as ±0.5)".to_string());
    }
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: RowFacts = RowFacts {
        is_rate: true,
        is_fall: false,
        is_flow: false,
        baseline: Some(3.0),
        max_annual: Some(9.0),
    };
    const FALL: RowFacts = RowFacts {
        is_fall: true,
        ..RATE
    };
    const LEVEL: RowFacts = RowFacts {
        is_rate: false,
        is_fall: false,
        is_flow: false,
        baseline: Some(52.4),
        max_annual: Some(54.1),
    };
    const FLOW: RowFacts = RowFacts {
        is_flow: true,
        baseline: Some(0.62),
        max_annual: Some(0.68),
        ..LEVEL
    };
    const GRAIN: RowFacts = RowFacts {
        is_flow: true,
        baseline: Some(35.2),
        max_annual: Some(36.0),
        ..LEVEL
    };

    /// Every planner's way of writing a target cell, from the bundled, the
    /// qinglan and the tangxi tables and their variants: (cell, row) →
    /// (form, number, tolerance).
    #[test]
    fn target_cells_of_every_phrasing_read_into_a_form() {
        type Case<'a> = (&'a str, RowFacts, &'a str, Option<&'a str>, Option<f64>);
        let cases: &[Case] = &[
            // Growth rates: an average a year.
            ("7.5", RATE, "rate", Some("7.5"), None),
            ("7.0左右", RATE, "rate", Some("7.0"), Some(0.5)),
            ("年均增长8", RATE, "rate", Some("8"), None),
            ("年均增长7%左右", RATE, "rate", Some("7"), Some(0.5)),
            ("年均7左右", RATE, "rate", Some("7"), Some(0.5)),
            ("年均9", RATE, "rate", Some("9"), None),
            ("年均8", RATE, "rate", Some("8"), None),
            ("年均增速8%", RATE, "rate", Some("8"), None),
            ("五年年均增长6.5", RATE, "rate", Some("6.5"), None),
            ("[12]", RATE, "rate", Some("12"), None),
            // Bounds on a growth rate bound its average.
            ("年均8以上", RATE, "avg_above", Some("8"), None),
            ("年均增长8%以上", RATE, "avg_above", Some("8"), None),
            ("年均不低于6", RATE, "avg_above", Some("6"), None),
            ("8以上", RATE, "avg_above", Some("8"), None),
            ("＞7", RATE, "avg_above", Some("7"), None),
            ("≥7", RATE, "avg_above", Some("7"), None),
            ("不低于7", RATE, "avg_above", Some("7"), None),
            ("＜3", RATE, "avg_below", Some("3"), None),
            ("年均3以内", RATE, "avg_below", Some("3"), None),
            // Ties.
            ("与经济增长同步", RATE, "tied", None, None),
            ("五年年均增长与经济增长基本同步", RATE, "tied", None, None),
            // Falls.
            ("累计下降13.5", FALL, "cumulative", Some("13.5"), None),
            ("[13.5]", FALL, "cumulative", Some("13.5"), None),
            ("累计下降[13.5]", LEVEL, "decline", Some("13.5"), None),
            // Levels.
            ("58", LEVEL, "reach", Some("58"), None),
            ("11.0左右", LEVEL, "reach", Some("11.0"), Some(0.5)),
            ("＜5.5", LEVEL, "below", Some("5.5"), None),
            ("＞95", LEVEL, "above", Some("95"), None),
            ("≥95", LEVEL, "floor", Some("95"), None),
            ("30以上", LEVEL, "floor", Some("30"), None),
            ("不低于87", LEVEL, "floor", Some("87"), None),
            ("控制在5.5以内", LEVEL, "ceiling", Some("5.5"), None),
            ("五年年均增长2.5", LEVEL, "increase", Some("2.5"), None),
            ("年均提高1个百分点", LEVEL, "increase", Some("1"), None),
            ("35", GRAIN, "floor", Some("35"), None),
            // Five-year totals of a flow.
            ("3.5", FLOW, "cumulative", Some("3.5"), None),
            ("[3.5]", FLOW, "cumulative", Some("3.5"), None),
            ("累计3.0", FLOW, "cumulative", Some("3.0"), None),
            ("五年累计3.0", FLOW, "cumulative", Some("3.0"), None),
            // Words.
            ("按市下达目标", LEVEL, "city", None, None),
            ("完成市定目标", LEVEL, "city", None, None),
            ("持续改善", LEVEL, "qualitative", None, None),
            ("保持在合理区间", RATE, "qualitative", None, None),
            // Not read: left to the planner.
            ("力争8左右逐年提升", RATE, "unread", None, None),
        ];
        let mut wrong = Vec::new();
        for (cell, facts, form, number, tol) in cases {
            let r = read(cell, *facts);
            let got = (r.form.word(), r.number.as_deref(), r.tolerance);
            if got != (*form, *number, *tol) {
                wrong.push(format!("{cell}: {got:?}, want {:?}", (form, number, tol)));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
