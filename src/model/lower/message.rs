//! What lowering says about the plan, its statuses, the graph, the search
//! vocabulary and rule tests: one variant per message, its Chinese and its
//! English written side by side. Each variant's doc is a rule that
//! produces it.

use crate::messages::Message;
use crate::model::graph::NodeKind;

/// A declared list a name must belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Named {
    /// `categories 经济发展 创新驱动`.
    Category,
    /// `attributes 约束性 预期性`.
    Attribute,
}

impl Named {
    fn zh(self) -> &'static str {
        match self {
            Named::Category => "类别",
            Named::Attribute => "属性",
        }
    }

    /// The English word (`category`), also the rule files' keyword.
    pub(crate) fn en(self) -> &'static str {
        match self {
            Named::Category => "category",
            Named::Attribute => "attribute",
        }
    }
}

/// Names in backticks, comma-separated: `` `a`, `b` ``.
fn ticked(words: &[String], sep: &str) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(sep)
}

/// What lowering says (errors, warnings, their help and what is valid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LowerMessage {
    /// A second `plan 区规划 { … }` in the rule files.
    MorePlans,
    /// Help beside [`LowerMessage::MorePlans`]: where the first one is.
    PlanDeclaredAt(String),
    /// Rule files with indicators but no `plan`.
    NoPlan,
    /// Help beside [`LowerMessage::NoPlan`].
    DeclarePlan,
    /// `period 2021H1..2025`.
    PeriodNotWholeYears,
    /// `period 2025..2021`.
    PeriodBackwards {
        /// The year written first.
        start: i32,
        /// The year written last.
        end: i32,
    },
    /// A `plan` without `period 2021..2025`.
    NoPeriod,
    /// What a plan period looks like: `period 2021..2025`.
    PeriodExample,
    /// `baseline 2022` in a plan starting in 2021.
    BaselineNotBefore {
        /// The plan's first year.
        start: i32,
    },
    /// `categories 经济 经济`.
    Duplicate(Named, String),
    /// `category 经济` when the plan declares `经济发展`.
    Unknown(Named, String),
    /// `达到预期 fine "…"` in a `statuses` list (classes are fixed words).
    UnknownStatusClass(String),
    /// `classes { ahead "已实现" ahead "提前完成" }`: a class worded twice.
    ClassNamedTwice(String),
    /// Help beside [`LowerMessage::ClassNamedTwice`].
    FirstNamedAt(String),
    /// `达到预期` declared twice where both are visible.
    DuplicateStatus(String),
    /// What would be valid: one of the listed words.
    OneOf(Vec<String>),
    /// `project_states { 在建 under_way 在建 done }`.
    DuplicateProjectState(String),
    /// `project_states { 在建 building }`.
    UnknownProjectStateClass(String),
    /// `state 施工中` when the states declared are 在建, 已完工.
    UnknownProjectState(String),
    /// What would be valid when no project state is declared.
    DeclareProjectStates,
    /// Two nodes `project 产业园` (or a node named like an indicator id).
    DuplicateNode(String),
    /// Help: where a name was first declared.
    FirstDeclaredAt(String),
    /// `investment 8.9公里`.
    InvestmentNotMoney,
    /// What an investment looks like.
    InvestmentExample,
    /// `year 二〇二三`.
    NotAYear(String),
    /// `task 招商 { supports 招商 }`.
    EdgeToItself {
        /// The node.
        node: String,
        /// The edge word (`supports`).
        edge: &'static str,
    },
    /// `project 园区 { part_of 某指标 }`: the edge cannot join these kinds.
    EdgeKinds {
        /// The kind of the node the edge starts from.
        from: NodeKind,
        /// The edge word.
        edge: &'static str,
        /// The kind of the node it points to.
        to: NodeKind,
        /// The node it points to, as written.
        node: String,
    },
    /// `depends_on` edges that lead back to where they started.
    DependencyCycle(Vec<String>),
    /// Help beside [`LowerMessage::DependencyCycle`].
    CycleHasNoOrder,
    /// `supports 不存在的任务`.
    UndefinedNode(String),
    /// `synonyms { "养老" "" }`.
    EmptySynonym,
    /// `synonyms { "养老" "养老" }` (a warning).
    TwiceInSynonymGroup(String),
    /// `terms { "" }`.
    EmptyTerm,
    /// `expect GDP增长 is 低于预期 under 中期` when no method `中期` exists.
    UnknownMethod(String),
    /// `expect GDP增长 is 低于预期 as of 2019` on a 2021–2025 plan.
    OutsidePlan {
        /// The period as written.
        period: String,
        /// The plan's first year.
        start: i32,
        /// The plan's last year.
        end: i32,
    },
}

impl Message for LowerMessage {
    fn zh(&self) -> String {
        use LowerMessage::*;
        match self {
            MorePlans => "声明了不止一个 `plan`".into(),
            PlanDeclaredAt(at) => format!("plan 已在 {at} 声明"),
            NoPlan => "没有声明 `plan`".into(),
            DeclarePlan => {
                "声明 `plan <编号> { period 2021..2025 baseline 2020 categories … }`".into()
            }
            PeriodNotWholeYears => "规划期必须是整年".into(),
            PeriodBackwards { start, end } => {
                format!("规划期的结束年（{end}）早于开始年（{start}）")
            }
            NoPeriod => "规划缺少 `period`".into(),
            PeriodExample => "`period 2021..2025`".into(),
            BaselineNotBefore { start } => format!("基期必须是 {start} 之前的整年"),
            Duplicate(what, name) => format!("{} `{name}` 重复", what.zh()),
            Unknown(what, name) => format!("未知的{} `{name}`", what.zh()),
            UnknownStatusClass(c) => format!("未知的状态类别 `{c}`"),
            ClassNamedTwice(c) => format!("类别 `{c}` 写了两次"),
            FirstNamedAt(at) => format!("首次写于 {at}"),
            DuplicateStatus(s) => format!("状态 `{s}` 重复"),
            OneOf(words) => format!("以下之一：{}", ticked(words, ", ")),
            DuplicateProjectState(s) => format!("项目状态 `{s}` 重复声明"),
            UnknownProjectStateClass(c) => format!("未知的项目状态类别 `{c}`"),
            UnknownProjectState(s) => format!("未知的项目状态 `{s}`"),
            DeclareProjectStates => {
                "在 `project_states { <用语> planned|under_way|done … }` 中声明的状态".into()
            }
            DuplicateNode(id) => format!("节点编号 `{id}` 重复"),
            FirstDeclaredAt(at) => format!("首次声明于 {at}"),
            InvestmentNotMoney => "投资额必须是金额".into(),
            InvestmentExample => "`investment 8.9亿元` 或 `investment 7936万元`".into(),
            NotAYear(y) => format!("`{y}` 不是年份"),
            EdgeToItself { node, edge } => format!("`{node}` 不能 `{edge}` 自己"),
            EdgeKinds {
                from,
                edge,
                to,
                node,
            } => format!(
                "{} 不能 `{edge}` {}（`{node}`）",
                from.chinese(),
                to.chinese()
            ),
            DependencyCycle(nodes) => format!("依赖关系成环：{}", ticked(nodes, " → ")),
            CycleHasNoOrder => "成环的依赖排不出先后：请删去环上的一条 `depends_on` 边".into(),
            UndefinedNode(n) => format!("未定义的节点 `{n}`"),
            EmptySynonym => "空的同义词".into(),
            TwiceInSynonymGroup(w) => format!("`{w}` 在这组同义词中出现了两次"),
            EmptyTerm => "空的专有名词".into(),
            UnknownMethod(m) => format!("没有名为 `{m}` 的方法"),
            OutsidePlan { period, start, end } => {
                format!("{period} 不在规划期 {start}–{end} 内")
            }
        }
    }

    fn en(&self) -> String {
        use LowerMessage::*;
        match self {
            MorePlans => "more than one `plan` declared".into(),
            PlanDeclaredAt(at) => format!("the plan is declared at {at}"),
            NoPlan => "no `plan` declared".into(),
            DeclarePlan => {
                "declare `plan <id> { period 2021..2025 baseline 2020 categories … }`".into()
            }
            PeriodNotWholeYears => "a plan period is whole years".into(),
            PeriodBackwards { start, end } => {
                format!("the plan period ends ({end}) before it starts ({start})")
            }
            NoPeriod => "the plan has no `period`".into(),
            PeriodExample => "`period 2021..2025`".into(),
            BaselineNotBefore { start } => {
                format!("the baseline year must be a whole year before {start}")
            }
            Duplicate(what, name) => format!("duplicate {} `{name}`", what.en()),
            Unknown(what, name) => format!("unknown {} `{name}`", what.en()),
            UnknownStatusClass(c) => format!("unknown status class `{c}`"),
            ClassNamedTwice(c) => format!("class `{c}` named twice"),
            FirstNamedAt(at) => format!("first named at {at}"),
            DuplicateStatus(s) => format!("duplicate status `{s}`"),
            OneOf(words) => format!("one of {}", ticked(words, ", ")),
            DuplicateProjectState(s) => format!("duplicate project state `{s}`"),
            UnknownProjectStateClass(c) => format!("unknown project state class `{c}`"),
            UnknownProjectState(s) => format!("unknown project state `{s}`"),
            DeclareProjectStates => {
                "a state declared in `project_states { <word> planned|under_way|done … }`".into()
            }
            DuplicateNode(id) => format!("duplicate node id `{id}`"),
            FirstDeclaredAt(at) => format!("first declared at {at}"),
            InvestmentNotMoney => "an investment is an amount of money".into(),
            InvestmentExample => "`investment 8.9亿元` or `investment 7936万元`".into(),
            NotAYear(y) => format!("`{y}` is not a year"),
            EdgeToItself { node, edge } => format!("`{node}` cannot `{edge}` itself"),
            EdgeKinds {
                from,
                edge,
                to,
                node,
            } => format!(
                "a {} cannot `{edge}` a {} (`{node}`)",
                from.word(),
                to.word()
            ),
            DependencyCycle(nodes) => format!("dependency cycle: {}", ticked(nodes, " → ")),
            CycleHasNoOrder => {
                "a dependency cycle has no order to follow; remove one of its `depends_on` edges"
                    .into()
            }
            UndefinedNode(n) => format!("undefined node `{n}`"),
            EmptySynonym => "an empty synonym".into(),
            TwiceInSynonymGroup(w) => format!("`{w}` appears twice in this synonym group"),
            EmptyTerm => "an empty term".into(),
            UnknownMethod(m) => format!("unknown method `{m}`"),
            OutsidePlan { period, start, end } => {
                format!("{period} is outside the plan period {start}–{end}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::Said;

    #[test]
    fn each_variant_says_its_parts_in_both_languages() {
        let m = LowerMessage::PeriodBackwards {
            start: 2025,
            end: 2020,
        };
        assert_eq!(
            Said::from(m).0,
            "规划期的结束年（2020）早于开始年（2025） (the plan period ends (2020) before it starts (2025))"
        );
        let m = LowerMessage::EdgeKinds {
            from: NodeKind::Project,
            edge: "part_of",
            to: NodeKind::Indicator,
            node: "城镇化率".into(),
        };
        assert_eq!(
            Said::from(m).0,
            "项目 不能 `part_of` 指标（`城镇化率`） (a project cannot `part_of` a indicator (`城镇化率`))"
        );
        let m = LowerMessage::Duplicate(Named::Category, "经济".into());
        assert_eq!(
            Said::from(m).0,
            "类别 `经济` 重复 (duplicate category `经济`)"
        );
    }
}
