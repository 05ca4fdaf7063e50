//! The built-in functions of the rule language: names, aliases and
//! signatures. Their meaning lives in `eval::builtins`.

/// A built-in function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builtin {
    /// `latest()`: the latest observed value.
    Latest,
    /// `latest_annual()`: the latest whole-year value.
    LatestAnnual,
    /// `value(2022)`: the value observed for a period.
    Value,
    /// `latest_period()`: the period of the latest observed value.
    LatestPeriod,
    /// `baseline()`: the baseline-year value.
    Baseline,
    /// `anchor()`: the baseline, or the first observation when there is none.
    Anchor,
    /// `target()`: the target's number (a tied target's is the other indicator's).
    Target,
    /// `tolerance()`: the 左右 tolerance, 0 when none.
    Tolerance,
    /// `elapsed()`: share of the plan period elapsed at the evaluation time.
    Elapsed,
    /// `elapsed_data()`: share elapsed at the latest observation.
    ElapsedData,
    /// `elapsed_counted()`: share elapsed at the latest observation the
    /// method's `half_year` option counts.
    ElapsedCounted,
    /// `path()`: the value on the straight path from anchor to target at the latest observation.
    Path,
    /// `gap()`: target minus latest value.
    Gap,
    /// `avg_rate()`: geometric average of the whole-year growth rates so far.
    AvgRate,
    /// `avg_rate_with_half()`: geometric average of the yearly growth rates
    /// so far, a half-year counting when its whole year is not known.
    AvgRateWithHalf,
    /// `mean_rate()`: arithmetic mean of the whole-year growth rates so far.
    MeanRate,
    /// `mean_rate_with_half()`: arithmetic mean of the growth rates so far,
    /// a half-year counting when its whole year is not known.
    MeanRateWithHalf,
    /// `decline()`: how far a level has fallen from its anchor, in %.
    Decline,
    /// `average()`: the average yearly growth as the method's options read it.
    Average,
    /// `reduction()`: the total of yearly falls so far, compounded or summed
    /// as the method's options say.
    Reduction,
    /// `peer_average()`: `average()` of the indicator the target names.
    PeerAverage,
    /// `cum_growth()`: compound growth over the whole years so far, in %.
    CumGrowth,
    /// `cum_sum()`: total of the observed flows so far.
    CumSum,
    /// `share_done()`: share of the target done so far, in %.
    ShareDone,
    /// `required_rate()`: the average yearly rate needed in the remaining years.
    RequiredRate,
    /// `avg_increase()`: average yearly increase since the anchor.
    AvgIncrease,
    /// `cagr()`: compound annual growth rate of the level since the anchor, in %.
    Cagr,
    /// `projected()`: the latest value carried to the end year at `cagr()`.
    Projected,
    /// `has_data()`: any observation so far.
    HasData,
    /// `count()`: number of observations so far.
    Count,
    /// `is_flow()`: whether the indicator is a flow.
    IsFlow,
    /// `years_left()`: plan years after the latest whole-year observation.
    YearsLeft,
    /// `known(x)`: whether `x` has a value.
    Known,
    /// `abs(x)`
    Abs,
    /// `min(a, b)`
    Min,
    /// `max(a, b)`
    Max,
    /// `round(x, n)`
    Round,
    /// `pow(x, y)`: x to the power y (a root when y is a fraction).
    Pow,
    /// `ln(x)`: natural logarithm.
    Ln,
    /// `exp(x)`: e to the power x.
    Exp,
    /// `geomean(a, b, …)`: geometric mean of positive numbers.
    Geomean,
    /// `if(c, a, b)`
    If,
    /// `assessed(完成市定目标)`: every stated verdict so far is this status.
    Assessed,
    /// `latest_assessment()`: the latest stated verdict.
    LatestAssessment,
    /// `children_all(超出预期)`: every sub-indicator has this status.
    ChildrenAll,
    /// `children_any(低于预期)`: some sub-indicator has this status.
    ChildrenAny,
}

/// Types of expression values, checked before evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// A number.
    Num,
    /// True or false.
    Bool,
    /// A status word.
    Status,
    /// A period.
    Period,
    /// Same as another argument (`if`).
    Any,
}

impl Ty {
    /// The word used in messages.
    pub fn word(self) -> &'static str {
        match self {
            Ty::Num => "a number",
            Ty::Bool => "a condition",
            Ty::Status => "a status",
            Ty::Period => "a period",
            Ty::Any => "a value",
        }
    }
}

/// A function's name, Chinese alias, parameters and result.
#[derive(Debug)]
pub struct Signature {
    /// English name.
    pub name: &'static str,
    /// Chinese alias.
    pub alias: &'static str,
    /// The function.
    pub builtin: Builtin,
    /// Required parameters.
    pub params: &'static [Ty],
    /// Whether an indicator may follow as the last argument.
    pub takes_indicator: bool,
    /// Result type (`Any`: the type of the second argument).
    pub returns: Ty,
    /// One line of documentation.
    pub doc: &'static str,
}

macro_rules! sig {
    ($name:literal, $alias:literal, $b:ident, [$($p:ident),*], $ind:literal, $ret:ident, $doc:literal) => {
        Signature { name: $name, alias: $alias, builtin: Builtin::$b, params: &[$(Ty::$p),*], takes_indicator: $ind, returns: Ty::$ret, doc: $doc }
    };
}

/// Every built-in function.
pub static SIGNATURES: &[Signature] = &[
    sig!(
        "latest",
        "最新值",
        Latest,
        [],
        true,
        Num,
        "latest observed value up to the evaluation period"
    ),
    sig!(
        "latest_annual",
        "最新年度值",
        LatestAnnual,
        [],
        true,
        Num,
        "latest whole-year value (skips half-year figures)"
    ),
    sig!(
        "latest_period",
        "最新时期",
        LatestPeriod,
        [],
        true,
        Period,
        "period of the latest observed value"
    ),
    sig!(
        "value",
        "取值",
        Value,
        [Period],
        true,
        Num,
        "value observed for a period"
    ),
    sig!(
        "baseline",
        "基期值",
        Baseline,
        [],
        true,
        Num,
        "value in the baseline year"
    ),
    sig!(
        "anchor",
        "起点值",
        Anchor,
        [],
        true,
        Num,
        "baseline, or the first observation when there is none"
    ),
    sig!(
        "target",
        "目标值",
        Target,
        [],
        true,
        Num,
        "the target's number; a tied target's is the other indicator's"
    ),
    sig!(
        "tolerance",
        "容差",
        Tolerance,
        [],
        true,
        Num,
        "tolerance of a 左右 target, 0 when none"
    ),
    sig!(
        "elapsed",
        "评估期进度",
        Elapsed,
        [],
        false,
        Num,
        "share of the plan period elapsed at the evaluation period (0..1)"
    ),
    sig!(
        "elapsed_data",
        "时序进度",
        ElapsedData,
        [],
        true,
        Num,
        "share of the plan period elapsed at the latest observation (0..1)"
    ),
    sig!(
        "elapsed_counted",
        "计入时序进度",
        ElapsedCounted,
        [],
        true,
        Num,
        "share of the plan period elapsed at the latest observation the method counts: the latest whole year under `half_year excluded`, as `elapsed_data()` under `included` (0..1)"
    ),
    sig!(
        "path",
        "应达值",
        Path,
        [],
        true,
        Num,
        "value on the straight path from anchor to target at the latest observation"
    ),
    sig!(
        "gap",
        "差距",
        Gap,
        [],
        true,
        Num,
        "target minus latest value"
    ),
    sig!(
        "avg_rate",
        "年均增速",
        AvgRate,
        [],
        true,
        Num,
        "geometric average of whole-year growth rates so far, in %"
    ),
    sig!(
        "avg_rate_with_half",
        "含半年年均增速",
        AvgRateWithHalf,
        [],
        true,
        Num,
        "geometric average of the growth rates so far, a half-year counting when its year is not known, in %"
    ),
    sig!(
        "mean_rate",
        "算术年均增速",
        MeanRate,
        [],
        true,
        Num,
        "arithmetic mean of whole-year growth rates so far, in %"
    ),
    sig!(
        "mean_rate_with_half",
        "含半年算术年均增速",
        MeanRateWithHalf,
        [],
        true,
        Num,
        "arithmetic mean of the growth rates so far, a half-year counting when its year is not known, in %"
    ),
    sig!(
        "decline",
        "累计降幅",
        Decline,
        [],
        true,
        Num,
        "fall of the latest value from the anchor, in % of the anchor"
    ),
    sig!(
        "average",
        "年均增长",
        Average,
        [],
        true,
        Num,
        "average yearly growth so far as the method's options read it (geometric or arithmetic, with or without a half-year), in %"
    ),
    sig!(
        "reduction",
        "累计降低",
        Reduction,
        [],
        true,
        Num,
        "total of the yearly falls so far, compounded 1 − Π(1 − r) or summed Σ r as the method's options say, in %"
    ),
    sig!(
        "peer_average",
        "对标年均增长",
        PeerAverage,
        [],
        true,
        Num,
        "average() of the indicator an `exceeds`, `matches` or `tied` target names, in %"
    ),
    sig!(
        "cum_growth",
        "累计增长",
        CumGrowth,
        [],
        true,
        Num,
        "compound growth over the whole years so far, in %"
    ),
    sig!(
        "cum_sum",
        "累计值",
        CumSum,
        [],
        true,
        Num,
        "total of the flows observed so far (half-years count unless the whole year is known)"
    ),
    sig!(
        "share_done",
        "完成比例",
        ShareDone,
        [],
        true,
        Num,
        "share of the target done so far, in %"
    ),
    sig!(
        "required_rate",
        "所需增速",
        RequiredRate,
        [],
        true,
        Num,
        "average yearly rate needed in the remaining years to reach the target, in %"
    ),
    sig!(
        "avg_increase",
        "年均增量",
        AvgIncrease,
        [],
        true,
        Num,
        "average yearly increase of whole-year values since the anchor"
    ),
    sig!(
        "cagr",
        "复合增长率",
        Cagr,
        [],
        true,
        Num,
        "compound annual growth of the level since the anchor, in %"
    ),
    sig!(
        "projected",
        "预测值",
        Projected,
        [],
        true,
        Num,
        "latest value carried to the end year at cagr()"
    ),
    sig!(
        "has_data",
        "有数据",
        HasData,
        [],
        true,
        Bool,
        "whether any value has been observed so far"
    ),
    sig!(
        "count",
        "观测数",
        Count,
        [],
        true,
        Num,
        "number of values observed so far"
    ),
    sig!(
        "is_flow",
        "是流量",
        IsFlow,
        [],
        true,
        Bool,
        "whether the indicator is a flow"
    ),
    sig!(
        "years_left",
        "剩余年数",
        YearsLeft,
        [],
        true,
        Num,
        "plan years after the latest whole-year observation"
    ),
    sig!(
        "known",
        "已知",
        Known,
        [Any],
        false,
        Bool,
        "whether a value is known (not missing)"
    ),
    sig!("abs", "绝对值", Abs, [Num], false, Num, "absolute value"),
    sig!(
        "min",
        "最小值",
        Min,
        [Num, Num],
        false,
        Num,
        "smaller of two numbers"
    ),
    sig!(
        "max",
        "最大值",
        Max,
        [Num, Num],
        false,
        Num,
        "larger of two numbers"
    ),
    sig!(
        "round",
        "舍入",
        Round,
        [Num, Num],
        false,
        Num,
        "round to n decimals"
    ),
    sig!(
        "pow",
        "幂",
        Pow,
        [Num, Num],
        false,
        Num,
        "x to the power y; pow(x, 1 / n) is the n-th root (a negative x needs a whole y)"
    ),
    sig!(
        "ln",
        "自然对数",
        Ln,
        [Num],
        false,
        Num,
        "natural logarithm of a positive number"
    ),
    sig!("exp", "指数", Exp, [Num], false, Num, "e to the power x"),
    Signature {
        name: "geomean",
        alias: "几何平均",
        builtin: Builtin::Geomean,
        params: &[Ty::Num, Ty::Num],
        takes_indicator: false,
        returns: Ty::Num,
        doc: "geometric mean of two or more positive numbers",
    },
    sig!(
        "if",
        "如果",
        If,
        [Bool, Any, Any],
        false,
        Any,
        "the second argument when the first holds, else the third"
    ),
    sig!(
        "assessed",
        "均评定为",
        Assessed,
        [Status],
        true,
        Bool,
        "every verdict stated so far is this status (and there is one)"
    ),
    sig!(
        "latest_assessment",
        "最新评定",
        LatestAssessment,
        [],
        true,
        Status,
        "latest verdict stated by the document"
    ),
    sig!(
        "children_all",
        "子指标均为",
        ChildrenAll,
        [Status],
        false,
        Bool,
        "every sub-indicator has this status"
    ),
    sig!(
        "children_any",
        "子指标有",
        ChildrenAny,
        [Status],
        false,
        Bool,
        "some sub-indicator has this status"
    ),
];

/// Looks a function up by name or alias.
pub fn lookup(name: &str) -> Option<&'static Signature> {
    SIGNATURES
        .iter()
        .find(|s| s.name == name || s.alias == name)
}

/// The signature of a built-in.
pub fn signature(b: Builtin) -> &'static Signature {
    SIGNATURES
        .iter()
        .find(|s| s.builtin == b)
        .expect("every builtin has a signature")
}
