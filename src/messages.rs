//! Diagnostics in Chinese, with the English alongside.
//!
//! Rule files are written by planners; what is wrong with them is said in
//! their language first. Diagnostics are built in English (the code's
//! language, and what scripts and tests look for); [`bilingual`] puts the
//! Chinese of a known message before it: `指标编号 `城镇化率` 重复 (duplicate
//! indicator id `城镇化率`)`. The catalogue below pairs an English template,
//! `{}` standing for what varies, with its Chinese, `{0}`, `{1}`… naming
//! those parts in their English order. A message not in the catalogue is
//! left in English; a test checks that every malformed fixture's message is
//! found.

/// English template → Chinese. More specific templates come first.
const CATALOGUE: &[(&str, &str)] = &[
    // Plan, statuses, methods.
    ("duplicate method `{}`", "方法 `{0}` 重复定义"),
    ("unknown method `{}`", "没有名为 `{0}` 的方法"),
    ("the plan names no default method", "规划没有指定默认方法"),
    (
        "no `method` declared: nothing decides a status",
        "没有声明 `method`：无法判定任何状态",
    ),
    ("more than one `plan` declared", "声明了不止一个 `plan`"),
    ("no `plan` declared", "没有声明 `plan`"),
    ("a plan period is whole years", "规划期必须是整年"),
    (
        "the plan period ends ({}) before it starts ({})",
        "规划期的结束年（{0}）早于开始年（{1}）",
    ),
    ("the plan has no `period`", "规划缺少 `period`"),
    (
        "the baseline year must be a whole year before {}",
        "基期必须是 {0} 之前的整年",
    ),
    ("unknown status class `{}`", "未知的状态类别 `{0}`"),
    ("duplicate status `{}`", "状态 `{0}` 重复"),
    // Indicators and their data.
    ("duplicate indicator id `{}`", "指标编号 `{0}` 重复"),
    (
        "duplicate seq `{}`: `{}` has it too",
        "序号 `{0}` 重复：`{1}` 也用了这个序号",
    ),
    (
        "each top-level indicator has its own 序号; the table is sorted by it",
        "每个顶层指标有自己的序号，表格按序号排列",
    ),
    (
        "source quote not found in the corpus",
        "出处引文在语料中找不到",
    ),
    (
        "indicator `{}` has more than one target",
        "指标 `{0}` 有不止一个目标",
    ),
    ("indicator `{}` has no `{}`", "指标 `{0}` 缺少 `{1}`"),
    (
        "indicator `{}` cannot stand alone in an expression",
        "指标 `{0}` 不能单独出现在表达式中",
    ),
    (
        "a parent indicator has no target of its own",
        "父指标自身不设目标",
    ),
    ("unknown kind `{}`", "未知的指标类型 `{0}`"),
    ("more than one `baseline`", "有不止一个 `baseline`"),
    (
        "the baseline is for the plan's baseline year {}, not {}",
        "基期值应为规划基期 {0} 年的，而不是 {1} 年",
    ),
    (
        "observation {} is outside the plan period {}–{}",
        "观测期 {0} 不在规划期 {1}–{2} 内",
    ),
    (
        "assessment {} is outside the plan period {}–{}",
        "评估期 {0} 不在规划期 {1}–{2} 内",
    ),
    ("{} is observed twice", "{0} 有两个观测值"),
    (
        "unit `{}` does not match the indicator's unit `{}`",
        "单位 `{0}` 与指标的单位 `{1}` 不一致",
    ),
    // Targets.
    ("unknown target form `{}`", "未知的目标形式 `{0}`"),
    (
        "a `tied` target names the indicator it follows",
        "`tied` 目标要写出它跟随的指标",
    ),
    (
        "a `city` target has no number: the city sets it each year",
        "`city` 目标不写数字：由市里每年下达",
    ),
    (
        "a `qualitative` target has no number: its status is stated in words",
        "`qualitative` 目标不写数字：其完成情况由报告文字给出",
    ),
    (
        "a `qualitative` target needs its words",
        "`qualitative` 目标要用 `printed` 写出其表述",
    ),
    ("target not understood: `{}`", "未能识别的目标 `{0}`"),
    ("a `{}` target needs a number", "`{0}` 目标需要一个数字"),
    (
        "unexpected `{}`: only a `tied` target names another indicator",
        "多余的 `{0}`：只有 `tied` 目标才写另一个指标",
    ),
    ("a tolerance cannot be negative", "容差不能为负"),
    ("impossible target: {}", "目标不可能达到：{0}"),
    (
        "a growth rate cannot fall 100% or more a year",
        "增长率不可能每年下降 100% 或更多",
    ),
    ("a cumulative total must be positive", "累计总量必须为正"),
    ("a level cannot fall by {}%", "水平值不可能累计下降 {0}%"),
    ("no share can stay below {}%", "比例不可能低于 {0}%"),
    ("no share can stay above {}%", "比例不可能高于 {0}%"),
    ("a share cannot reach {}%", "比例不可能达到 {0}%"),
    ("tied targets form a cycle: {}", "`tied` 目标构成循环：{0}"),
    // Rules and expressions.
    ("unknown status `{}`", "未知的状态 `{0}`"),
    ("unknown function `{}`", "未知的函数 `{0}`"),
    ("unknown project state `{}`", "未知的项目状态 `{0}`"),
    (
        "unknown project state class `{}`",
        "未知的项目状态类别 `{0}`",
    ),
    ("duplicate project state `{}`", "项目状态 `{0}` 重复声明"),
    ("figure `{}` is defined twice", "数值 `{0}` 定义了两次"),
    (
        "a figure is a number, but this is {}",
        "数值（figure）应当是数字，这里却是{0}",
    ),
    (
        "this branch can never fire: it comes after `otherwise`",
        "这一分支永远不会生效：它在 `otherwise` 之后",
    ),
    (
        "this branch can never fire: an earlier branch has the same condition",
        "这一分支永远不会生效：前面的分支条件相同",
    ),
    (
        "this branch can never fire: its condition is always false",
        "这一分支永远不会生效：条件恒为假",
    ),
    (
        "a condition must be true or false, but this is {}",
        "条件必须是真或假，这里却是{0}",
    ),
    ("rule `{}` has no fallback", "规则 `{0}` 没有兜底分支"),
    ("undefined indicator `{}`", "未定义的指标 `{0}`"),
    ("undefined name `{}`", "未定义的名称 `{0}`"),
    ("undefined node `{}`", "未定义的节点 `{0}`"),
    ("cannot compare {} with {}", "不能比较{0}与{1}"),
    (
        "`{}` takes {} argument(s), not {}",
        "`{0}` 需要 {1} 个参数，而不是 {2} 个",
    ),
    (
        "the last argument of `{}` names an indicator",
        "`{0}` 的最后一个参数应是指标名",
    ),
    (
        "an earlier rule of method `{}` already decides `{}`: this one is never used for it",
        "方法 `{0}` 中更早的规则已经判定 `{1}`：这条规则对它不会被用到",
    ),
    (
        "method `{}` has no rule for `{}` (needed by {})",
        "方法 `{0}` 没有适用于 `{1}` 的规则（{2} 需要）",
    ),
    (
        "{} expects {} here, but this is {}",
        "{0} 这里需要 {1}，这里却是 {2}",
    ),
    // The plan graph and the search vocabulary.
    ("duplicate node id `{}`", "节点编号 `{0}` 重复"),
    ("an investment is an amount of money", "投资额必须是金额"),
    ("`{}` is not a year", "`{0}` 不是年份"),
    ("`{}` cannot `{}` itself", "`{0}` 不能 `{1}` 自己"),
    (
        "a {} cannot `{}` a {} (`{}`)",
        "{0} 不能 `{1}` {2}（`{3}`）",
    ),
    ("dependency cycle: {}", "依赖关系成环：{0}"),
    ("an empty synonym", "空的同义词"),
    (
        "`{}` appears twice in this synonym group",
        "`{0}` 在这组同义词中出现了两次",
    ),
    ("an empty term", "空的专有名词"),
    // Help and what would be valid.
    ("first declared at {}", "首次声明于 {0}"),
    ("the plan is declared at {}", "plan 已在 {0} 声明"),
    (
        "add `default method <name>` to the plan",
        "在 plan 中加上 `default method <名称>`",
    ),
    (
        "declare `method <name> { rule … }`",
        "声明 `method <名称> { rule … }`",
    ),
    (
        "declare `plan <id> { period 2021..2025 baseline 2020 categories … }`",
        "声明 `plan <编号> { period 2021..2025 baseline 2020 categories … }`",
    ),
    (
        "add `source \"…\"` with a sentence quoted verbatim from the corpus",
        "加上 `source \"…\"`，逐字引用语料中的句子",
    ),
    (
        "the quote must be copied verbatim from a document in the corpus",
        "引文必须逐字摘自语料中的文档",
    ),
    (
        "the corpus has the first {} characters verbatim; it differs from `{}`",
        "语料中只有前 {0} 个字一致，从 `{1}` 起不同",
    ),
    (
        "give its 序号 in the table: `seq 1`",
        "写出它在表中的序号：`seq 1`",
    ),
    (
        "its status follows from its sub-indicators through a `for parent` rule",
        "它的状态由子指标通过 `for parent` 规则得出",
    ),
    (
        "write `unit \"%\"` (or `\"万人\"`, `\"年\"` …)",
        "写 `unit \"%\"`（或 `\"万人\"`、`\"年\"` …）",
    ),
    (
        "a baseline-year value goes in `baseline`",
        "基期年的数值写在 `baseline` 中",
    ),
    (
        "write the value in `{}` (or a scaled form of `{}` such as `万{}`)",
        "用 `{0}` 写数值（或 `{1}` 的倍数单位，如 `万{2}`）",
    ),
    (
        "a tied target must end at an indicator with a target of its own",
        "`tied` 目标最终必须落在有自身目标的指标上",
    ),
    (
        "`otherwise` at {} always matches first",
        "{0} 处的 `otherwise` 总是先匹配",
    ),
    (
        "compare it: `latest() >= target()`",
        "请写成比较：`latest() >= target()`",
    ),
    (
        "end it with `otherwise => <status> \"…\"` so every indicator gets a status",
        "以 `otherwise => <状态> \"…\"` 结尾，使每个指标都有状态",
    ),
    (
        "pass it to a function: `latest({})`, `target({})`",
        "把它作为函数的参数：`latest({0})`、`target({1})`",
    ),
    (
        "add `rule <name> for {} { … }`",
        "加上 `rule <名称> for {0} { … }`",
    ),
    (
        "a dependency cycle has no order to follow; remove one of its `depends_on` edges",
        "成环的依赖排不出先后：请删去环上的一条 `depends_on` 边",
    ),
    (
        "split the expression into named figures",
        "把表达式拆成几个命名的数值（figures）",
    ),
    (
        "split it into named figures",
        "把它拆成几个命名的数值（figures）",
    ),
    (
        "close it with `\"` (write `\\\"` for a quote inside it)",
        "用 `\"` 结束（字符串内的引号写作 `\\\"`）",
    ),
    ("write `{{` for a literal brace", "字面的大括号写作 `{{`"),
    ("did you mean `{}`?", "是不是 `{0}`？"),
    ("one of {}", "以下之一：{0}"),
    (
        "read the target and write its form by hand: one of {}",
        "请核对该目标并手写其形式：以下之一：{0}",
    ),
    (
        "write the words with `printed \"…\"` and the stated verdict with `assessed`",
        "用 `printed \"…\"` 写出其表述，用 `assessed` 写出报告的评定",
    ),
    (
        "a state declared in `project_states { <word> planned|under_way|done … }`",
        "在 `project_states { <用语> planned|under_way|done … }` 中声明的状态",
    ),
    (
        "a target such as `target reach 70`; forms: {}",
        "目标，如 `target reach 70`；形式：{0}",
    ),
    (
        "a figure defined earlier in this rule, a status, or a function call such as `latest()`",
        "本规则中先定义的数值、状态，或函数调用如 `latest()`",
    ),
    (
        "`investment 8.9亿元` or `investment 7936万元`",
        "`investment 8.9亿元` 或 `investment 7936万元`",
    ),
    (
        "observations run from the first to the last year of the plan",
        "观测期从规划期的第一年到最后一年",
    ),
    ("a period such as `2022` or `2023H1`", "时期，如 `2022` 或 `2023H1`"),
    (
        "`part_of` joins a task to a goal or task, a goal to a goal, a project to a project, a measure to a measure",
        "`part_of` 连接：任务到目标或任务，目标到目标，项目到项目，举措到举措",
    ),
    (
        "`supports` goes from a project, measure or task to a goal or task",
        "`supports` 从项目、举措或任务指向目标或任务",
    ),
    (
        "`implements` goes from a project or task to a measure",
        "`implements` 从项目或任务指向举措",
    ),
    (
        "`depends_on` joins tasks, projects and measures",
        "`depends_on` 只连接任务、项目和举措",
    ),
    (
        "`measured_by` goes from a goal or task to an indicator",
        "`measured_by` 从目标或任务指向指标",
    ),
    (
        "`defines` goes from a glossary term to the words and nodes it stands for",
        "`defines` 从名词解释指向它所指的词语和节点",
    ),
    // The command line.
    (
        "the rules have {} error(s); nothing was evaluated",
        "规则中有 {0} 个错误，未做评估",
    ),
    ("no `expect` declarations found", "没有找到 `expect` 声明"),
    ("`{}` is a {}, not an indicator", "`{0}` 是{1}，不是指标"),
    (
        "unknown method `{}`; expected one of {}",
        "没有名为 `{0}` 的方法，可选：{1}",
    ),
    (
        "`{}` is not a period; expected a year such as `2022` or a half-year such as `2023H1`",
        "`{0}` 不是时期：应为年份如 `2022` 或半年如 `2023H1`",
    ),
    (
        "unknown check `{}`; expected provenance, stated_value, derived_value, summary, table_chart or structure",
        "未知的检查 `{0}`：可选 provenance、stated_value、derived_value、summary、table_chart、structure",
    ),
    // Generic forms last.
    ("duplicate {} `{}`", "{0} `{1}` 重复"),
    ("unknown {} `{}`", "未知的{0} `{1}`"),
    ("{} has no `source`", "缺少出处 `source`：{0}"),
    (
        "{} is outside the plan period {}–{}",
        "{0} 不在规划期 {1}–{2} 内",
    ),
    // Syntax.
    ("brackets nested more than {} deep", "括号嵌套超过 {0} 层"),
    ("syntax error", "语法错误"),
    ("unterminated string", "字符串缺少结束引号"),
    ("unexpected end of input", "输入意外结束"),
    ("unexpected `{}`", "这里不应出现 `{0}`"),
    ("`{}` is not a usable number", "`{0}` 不是可用的数字"),
    ("unclosed `{` in explanation", "说明文字中的 `{` 没有闭合"),
    (
        "more than {} prefix operators in a row",
        "连续的前缀运算符超过 {0} 个",
    ),
    (
        "expression has more than {} operators",
        "表达式的运算符超过 {0} 个",
    ),
    // check: findings about the documents.
    (
        "{}: the values of {} and {} are swapped: the text says {} and {}, the data {} and {}",
        "{0}{1}：正文为{3}，数据为{5}；{2}：正文为{4}，数据为{6}：两期数值互换",
    ),
    (
        "{}: {} {} and {} {}, the change is {}%, the text says {}%",
        "{0}：{1}年{2}、{3}年{4}，同比应为{5}%，正文为{6}%",
    ),
    (
        "{}: {} of the target {} is {}%, the text says {}%",
        "{0}：{1}占目标{2}的比例应为{3}%，正文为{4}%",
    ),
    (
        "attachments: {} gives {} ({}), {} give {} ({})",
        "附件：{0}共{1}个（{2}），{3}共{4}个（{5}）",
    ),
    (
        "heading numbers: the body has {}, the table of contents {}",
        "标题序号：正文为“{0}”，目录为“{1}”",
    ),
    ("numbering: {} follows {}", "序号不连续：“{1}”之后是“{0}”"),
    (
        "the text refers to {}, which no caption carries",
        "正文提到{0}，但没有{0}的标题",
    ),
];

/// English words that stand in a message's varying parts, in Chinese.
const WORDS: &[(&str, &str)] = &[
    ("category", "类别"),
    ("attribute", "属性"),
    ("the target", "目标"),
    ("the baseline", "基期值"),
    ("the observation", "观测值"),
    ("the stated figure", "报告所述数值"),
    ("the assessment", "评估结论"),
    ("the edge", "这条边"),
    ("the expectation", "预期结论"),
    ("a number", "数字"),
    ("a condition", "条件（真或假）"),
    ("a status", "状态"),
    ("a period", "时期"),
    ("a value", "值"),
    ("goal", "目标"),
    ("task", "任务"),
    ("project", "项目"),
    ("measure", "举措"),
    ("term", "名词"),
    ("the table of contents", "目录"),
    ("the attachment list", "正文的附件列表"),
    ("the attachment labels", "各附件的标题"),
    (
        "the table of contents and the attachment labels",
        "目录和各附件的标题",
    ),
    (
        "the table of contents and the attachment list",
        "目录和正文的附件列表",
    ),
    (
        "the attachment list and the attachment labels",
        "正文的附件列表和各附件的标题",
    ),
    ("indicator", "指标"),
];

/// A varying part in Chinese: a known word, a known message (the reason
/// after `impossible target:`), `0 or 1`, or `the project `x`` as 项目 `x`.
fn word(part: &str) -> String {
    if let Some((_, zh)) = WORDS.iter().find(|(en, _)| *en == part) {
        return (*zh).to_string();
    }
    if let Some(zh) = chinese(part) {
        return zh;
    }
    if part.contains(" or ")
        && part
            .chars()
            .all(|c| c.is_ascii_digit() || " or".contains(c))
    {
        return part.replace(" or ", " 或 ");
    }
    // `the project `id``, `the measure `id``…
    if let Some(rest) = part.strip_prefix("the ") {
        if let Some((kind, name)) = rest.split_once(' ') {
            if let Some((_, zh)) = WORDS.iter().find(|(en, _)| *en == kind) {
                return format!("{zh} {name}");
            }
        }
    }
    part.to_string()
}

/// The parts of `msg` that `{}` stand for in `template`, if it fits, each
/// with whether it is quoted in backticks (input the user wrote).
fn fit<'a>(template: &str, msg: &'a str) -> Option<Vec<(&'a str, bool)>> {
    // `unclosed `{` …` has a literal brace: only `{}` is a placeholder.
    let pieces: Vec<&str> = template.split("{}").collect();
    let (first, rest) = pieces.split_first()?;
    let mut at = msg.strip_prefix(first).map(|_| first.len())?;
    let mut parts = Vec::new();
    let mut before = *first;
    for (i, piece) in rest.iter().enumerate() {
        let quoted = before.ends_with('`') && piece.starts_with('`');
        if i + 1 == rest.len() {
            let end = msg.len().checked_sub(piece.len())?;
            if end < at || !msg.ends_with(piece) {
                return None;
            }
            parts.push((&msg[at..end], quoted));
            at = msg.len();
        } else {
            let found = msg[at..].find(piece)?;
            parts.push((&msg[at..at + found], quoted));
            at += found + piece.len();
        }
        before = piece;
    }
    (at == msg.len()).then_some(parts)
}

/// The Chinese of an English message, if the catalogue has it.
pub fn chinese(msg: &str) -> Option<String> {
    CATALOGUE.iter().find_map(|(en, zh)| {
        let mut out = (*zh).to_string();
        for (i, (p, quoted)) in fit(en, msg)?.into_iter().enumerate() {
            // What the user wrote (in backticks) stays as written.
            let p = if quoted { p.to_string() } else { word(p) };
            out = out.replace(&format!("{{{i}}}"), &p);
        }
        Some(out)
    })
}

/// `中文 (English)` for a known message; the English alone otherwise.
pub fn bilingual(msg: &str) -> String {
    match chinese(msg) {
        Some(zh) => format!("{} ({})", echo_quoted(&zh), echo_quoted(msg)),
        None => echo_quoted(msg),
    }
}

/// What the user wrote (in backticks) cut to a line and with control
/// characters escaped ([`crate::limits::echo`]), the rest as it is.
pub fn echo_quoted(msg: &str) -> String {
    msg.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                crate::limits::echo(part)
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fit_with_their_parts_in_order() {
        assert_eq!(
            chinese("duplicate indicator id `城镇化率`").as_deref(),
            Some("指标编号 `城镇化率` 重复")
        );
        assert_eq!(
            chinese("observation 2019 is outside the plan period 2021–2025").as_deref(),
            Some("观测期 2019 不在规划期 2021–2025 内")
        );
        assert_eq!(
            chinese("the plan period ends (2020) before it starts (2025)").as_deref(),
            Some("规划期的结束年（2020）早于开始年（2025）")
        );
        // A specific template wins over the generic one after it.
        assert_eq!(
            chinese("unknown status `达标`").as_deref(),
            Some("未知的状态 `达标`")
        );
        assert_eq!(
            chinese("unknown category `经济`").as_deref(),
            Some("未知的类别 `经济`")
        );
        // Words and reasons standing in a message's parts are said in
        // Chinese too.
        assert_eq!(
            chinese("impossible target: a share cannot reach 120%").as_deref(),
            Some("目标不可能达到：比例不可能达到 120%")
        );
        assert_eq!(
            chinese("`path` takes 0 or 1 argument(s), not 2").as_deref(),
            Some("`path` 需要 0 或 1 个参数，而不是 2 个")
        );
        assert_eq!(
            chinese("the project `伏榕产业园` has no `source`").as_deref(),
            Some("缺少出处 `source`：项目 `伏榕产业园`")
        );
        assert_eq!(
            chinese("a figure is a number, but this is a status").as_deref(),
            Some("数值（figure）应当是数字，这里却是状态")
        );
        assert_eq!(
            chinese("unclosed `{` in explanation").as_deref(),
            Some("说明文字中的 `{` 没有闭合")
        );
        // Input in backticks is never translated.
        assert_eq!(
            chinese("unknown function `term`").as_deref(),
            Some("未知的函数 `term`")
        );
        assert_eq!(chinese("something new"), None);
        assert_eq!(bilingual("something new"), "something new");
        assert_eq!(bilingual("syntax error"), "语法错误 (syntax error)");
    }

    #[test]
    fn every_chinese_template_uses_each_part_it_is_given() {
        for (en, zh) in CATALOGUE {
            let n = en.matches("{}").count();
            for i in 0..n {
                assert!(zh.contains(&format!("{{{i}}}")), "{zh} lacks {{{i}}}");
            }
            assert!(
                !zh.contains(&format!("{{{n}}}")),
                "{zh} names a part {en} lacks"
            );
        }
    }
}
