//! Typed messages: an enum per stage whose variants write their Chinese and
//! English side by side ([`Message`]), so nothing is matched back against a
//! template (as jaq annotates each error variant with the input that
//! triggers it). [`Said`] is what a diagnostic shows, made from a typed
//! message or, for the stages not yet typed, from an English string through
//! the catalogue.

use super::{bilingual, echo_quoted};

/// A message whose words are written by its type: each variant of a
/// stage's enum gives its Chinese and its English.
pub trait Message {
    /// The Chinese, user input in backticks.
    fn zh(&self) -> String;
    /// The English, user input in backticks: what scripts and tests look for.
    fn en(&self) -> String;
}

/// What a diagnostic says, Chinese first and the English in parentheses:
/// `节点编号 `x` 重复 (duplicate node id `x`)`. Made from a typed
/// [`Message`], or from an English string through the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said(pub String);

impl<M: Message> From<M> for Said {
    fn from(m: M) -> Said {
        Said(format!(
            "{} ({})",
            echo_quoted(&m.zh()),
            echo_quoted(&m.en())
        ))
    }
}

impl From<String> for Said {
    fn from(s: String) -> Said {
        Said(bilingual(&s))
    }
}

impl From<&String> for Said {
    fn from(s: &String) -> Said {
        Said(bilingual(s))
    }
}

impl From<&str> for Said {
    fn from(s: &str) -> Said {
        Said(bilingual(s))
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the command line asks for that the rules cannot give: an unknown
/// method, a period outside the plan, an unknown check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageMessage {
    /// `guihua eval --method 中期` when the rules declare `中期评估` and `sdg`.
    UnknownMethod {
        /// What was asked for.
        asked: String,
        /// The methods the rules declare.
        known: Vec<String>,
    },
    /// `guihua eval --as-of 2019` on a 2021–2025 plan.
    OutsidePlan {
        /// The period asked for.
        period: String,
        /// The plan's first year.
        start: i32,
        /// The plan's last year.
        end: i32,
    },
    /// `guihua eval --as-of 2023年中`.
    NotAPeriod(String),
    /// `guihua check --only typo`.
    UnknownCheck {
        /// What was asked for.
        asked: String,
        /// The checks there are.
        known: Vec<&'static str>,
    },
    /// `guihua test` on rules without a `tests` block.
    NoExpectations,
    /// `guihua eval` on rule files with errors (they are listed before).
    RulesHaveErrors(usize),
    /// `guihua graph deps 某任务` where `depends_on` edges form a cycle.
    DependencyCycle(Vec<String>),
    /// `guihua graph impact 某项目`: impact starts from an indicator.
    NotAnIndicator {
        /// The node as asked for.
        asked: String,
        /// Its kind in Chinese (`项目`).
        kind_zh: &'static str,
        /// Its kind in English (`project`).
        kind_en: &'static str,
    },
}

impl Message for UsageMessage {
    fn zh(&self) -> String {
        match self {
            UsageMessage::UnknownMethod { asked, known } => {
                format!("没有名为 `{asked}` 的方法，可选：{}", known.join(", "))
            }
            UsageMessage::OutsidePlan { period, start, end } => {
                format!("`{period}` 不在规划期 {start}–{end} 内")
            }
            UsageMessage::NotAPeriod(s) => {
                format!("`{s}` 不是时期：应为年份如 `2022` 或半年如 `2023H1`")
            }
            UsageMessage::UnknownCheck { asked, known } => {
                format!("未知的检查 `{asked}`：可选 {}", known.join("、"))
            }
            UsageMessage::NoExpectations => "没有找到 `expect` 声明".to_string(),
            UsageMessage::RulesHaveErrors(n) => format!("规则中有 {n} 个错误，未做评估"),
            UsageMessage::DependencyCycle(nodes) => format!("依赖关系成环：{}", nodes.join(" → ")),
            UsageMessage::NotAnIndicator { asked, kind_zh, .. } => {
                format!("`{asked}` 是{kind_zh}，不是指标")
            }
        }
    }

    fn en(&self) -> String {
        match self {
            UsageMessage::UnknownMethod { asked, known } => {
                format!("unknown method `{asked}`; expected one of {}", known.join(", "))
            }
            UsageMessage::OutsidePlan { period, start, end } => {
                format!("`{period}` is outside the plan period {start}–{end}")
            }
            UsageMessage::NotAPeriod(s) => format!(
                "`{s}` is not a period; expected a year such as `2022` or a half-year such as `2023H1`"
            ),
            UsageMessage::UnknownCheck { asked, known } => {
                let (last, rest) = known.split_last().map_or(("", &[][..]), |(l, r)| (*l, r));
                format!("unknown check `{asked}`; expected {} or {last}", rest.join(", "))
            }
            UsageMessage::NoExpectations => "no `expect` declarations found".to_string(),
            UsageMessage::RulesHaveErrors(n) => {
                format!("the rules have {n} error(s); nothing was evaluated")
            }
            UsageMessage::DependencyCycle(nodes) => {
                format!("dependency cycle: {}", nodes.join(" → "))
            }
            UsageMessage::NotAnIndicator { asked, kind_en, .. } => {
                format!("`{asked}` is a {kind_en}, not an indicator")
            }
        }
    }
}
