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
    let rest_is = |prefix: &str| t.strip_prefix(prefix).and_then(plain_number).is_some();
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
            r.form = form;
            return r;
        }
    }
    if t.starts_with("不低于") || t.ends_with("以上") {
        r.form = TargetForm::Floor;
        return r;
    }
    if t.starts_with("不高于") || t.ends_with("以下") || t.ends_with("以内") {
        r.form = TargetForm::Ceiling;
        return r;
    }
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
    if t.contains("年均增长") || t.contains("年均提高") || t.contains("年均增加") {
        if f.is_rate {
            r.form = TargetForm::Rate;
        } else {
            r.form = TargetForm::Increase;
        }
        if t.ends_with("左右") {
            r.tolerance = Some(0.5);
            r.guess = Some("“左右”按上下0.5的容差理解 (左右 read as ±0.5)".to_string());
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
