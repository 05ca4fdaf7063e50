//! The catalogue of diagnostics: each English template with its Chinese.

/// English template → Chinese. More specific templates come first.
pub(super) const CATALOGUE: &[(&str, &str)] = &[
    // Evaluation: functions given numbers outside their domain.
    (
        "`ln` needs a positive number, not {}",
        "`ln`（自然对数）的参数须为正数，而这里是 {0}",
    ),
    (
        "`pow` of a negative number ({}) needs a whole power, not {}",
        "`pow`（幂）的底数为负数（{0}）时指数须为整数，而这里是 {1}",
    ),
    (
        "`pow` of 0 needs a power of at least 0, not {}",
        "`pow`（幂）的底数为 0 时指数不能为负，而这里是 {0}",
    ),
    (
        "`geomean` needs positive numbers, not {}",
        "`geomean`（几何平均）的参数须为正数，而这里有 {0}",
    ),
    ("`{}` gives a number too large to use", "`{0}` 的结果过大，无法使用"),
    // Plan, statuses, methods.
    ("duplicate method `{}`", "方法 `{0}` 重复定义"),
    ("unknown method `{}`", "没有名为 `{0}` 的方法"),
    ("the plan names no default method", "规划没有指定默认方法"),
    (
        "no `method` declared: nothing decides a status",
        "没有声明 `method`：无法判定任何状态",
    ),
    (
        "`左右` without a tolerance, and the plan sets none",
        "`左右` 后没有写容差，规划也没有设定默认容差",
    ),
    ("a tolerance such as `左右 0.5`", "容差，如 `左右 0.5`"),
    (
        "or set one for the whole plan: `default 左右 0.5` in `plan`",
        "或在 `plan` 中为整个规划设定：`default 左右 0.5`",
    ),
    // Indicators and their data.
    ("duplicate indicator id `{}`", "指标编号 `{0}` 重复"),
    (
        "duplicate seq `{}`: `{}` has it too",
        "序号 `{0}` 重复：`{1}` 也用了这个序号",
    ),
    (
        "each top-level indicator has its own 序号 (`{}` has `{}` at {}); the next free one is `{}`",
        "每个顶层指标有自己的序号，表格按序号排列（`{0}` 的序号 `{1}` 在 {2}）；下一个未用的序号是 `{3}`",
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
        "unexpected `{}`: only a `tied`, `exceeds` or `matches` target names another indicator",
        "多余的 `{0}`：只有 `tied`、`exceeds` 或 `matches` 目标才写另一个指标",
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
    // Target forms checked against the indicator's kind (model::forms).
    (
        "a `{}` target does not fit a `{}` indicator: {}",
        "`{0}` 目标不适用于 `{1}` 类指标：{2}",
    ),
    (
        "a growth rate is not a level to reach",
        "增速不是要达到的水平",
    ),
    (
        "`rate` averages the yearly growth rates an indicator observes in %",
        "`rate` 是对指标逐年观测的增速（%）求年均",
    ),
    (
        "only yearly flows add up to a total",
        "只有逐年的流量才能累加成总量",
    ),
    (
        "a bound on a growth rate would be read on its latest half-year, not on its average",
        "增速的上下限会按最近一期（可能是半年）判断，而不是按年均增速",
    ),
    (
        "a growth rate does not rise by a fixed amount a year",
        "增速不是每年增加固定数量的指标",
    ),
    ("a tie compares average growth rates", "同步目标比较的是年均增速"),
    (
        "`reduce` adds up yearly falls observed in %",
        "`reduce` 累计的是以 % 观测的逐年降幅",
    ),
    (
        "a bound on the average applies to a growth rate",
        "对年均值的上下限只适用于增速指标",
    ),
    (
        "`exceeds` and `matches` compare average growth rates",
        "`exceeds` 和 `matches` 比较的是年均增速",
    ),
    (
        "`decline` measures how far a level falls from its baseline",
        "`decline` 衡量水平值较基期下降的幅度",
    ),
    (
        "write {} (forms for a `{}` indicator: {})",
        "应写作 {0}（`{1}` 类指标可用的目标形式：{2}）",
    ),
    (
        "forms for a `{}` indicator: {}",
        "`{0}` 类指标可用的目标形式：{1}",
    ),
    (
        "`{}` follows `{}`, a parent indicator with no target of its own",
        "`{0}` 跟随的 `{1}` 是父指标，自身没有目标",
    ),
    (
        "`{}` follows `{}`, whose target is not an average growth rate (`{}`)",
        "`{0}` 跟随的 `{1}` 的目标不是年均增速（`{2}`）",
    ),
    (
        "tie to an indicator with a `rate` target, or give the number: `target rate 7.5`",
        "请改为跟随有 `rate` 目标的指标，或直接写出数值：`target rate 7.5`",
    ),
    (
        "a target relative to the baseline needs the baseline of `{}`",
        "相对基期的目标需要 `{0}` 的基期值",
    ),
    (
        "only a `reach` target is relative to the baseline, not `{}`",
        "只有 `reach` 目标可以相对基期，`{0}` 不行",
    ),
    (
        "a `{}` target names another indicator",
        "`{0}` 目标要写出它对照的另一个指标",
    ),
    ("`baseline {}: <value>`", "`baseline {0}: <基期值>`"),
    // Methods' options.
    ("option `{}` is set twice", "选项 `{0}` 设置了两次"),
    ("unknown option `{}`", "未知的选项 `{0}`"),
    ("`{}` is not a value of `{}`", "`{0}` 不是选项 `{1}` 的取值"),
    // Documents and external sources.
    ("duplicate document `{}`", "文献 `{0}` 重复声明"),
    ("unknown document `{}`", "没有名为 `{0}` 的文献"),
    ("`{}` is not a year", "`{0}` 不是年份"),
    ("a year such as `2023`", "年份，如 `2023`"),
    (
        "a `document` declared in the rules, or a document of the corpus by its file name",
        "规则中声明的 `document`，或语料中的文档（按文件名，不含扩展名）",
    ),
    (
        "source quote not found in `{}`",
        "出处引文在 `{0}` 中找不到",
    ),
    (
        "the quote is in `{}` (line {}), not in the document named",
        "这段引文在 `{0}`（第 {1} 行），不在所注明的文献中",
    ),
    (
        "the quote must be copied verbatim from the document it names",
        "引文须从所注明的文献中逐字照录",
    ),
    // Rules and expressions.
    ("unknown status `{}`", "未知的状态 `{0}`"),
    ("unknown function `{}`", "未知的函数 `{0}`"),
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
    // Help and what would be valid.
    ("first declared at {}", "首次声明于 {0}"),
    (
        "add `default method <name>` to the plan",
        "在 plan 中加上 `default method <名称>`",
    ),
    (
        "declare `method <name> { rule … }`",
        "声明 `method <名称> { rule … }`",
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
        "a target such as `target reach 70`; forms: {}",
        "目标，如 `target reach 70`；形式：{0}",
    ),
    (
        "a figure defined earlier in this rule, a status or a status class (`behind`), or a function call such as `latest()`",
        "本规则中先定义的数值、状态或状态类别（如 `behind`），或函数调用如 `latest()`",
    ),
    // Coverage of statuses.
    (
        "status `{}` is declared but no rule gives it",
        "状态 `{0}` 已声明，但没有任何规则会给出它",
    ),
    (
        "end a branch with `=> {}`, or remove the declaration",
        "在某条分支末尾写 `=> {0}`，或删去这条声明",
    ),
    (
        "rule `{}` does not handle `{}`, which sub-indicator `{}` can get: it falls to `{}`",
        "规则 `{0}` 没有处理子指标 `{2}` 可能得到的 `{1}`：它会落到 `{3}`",
    ),
    (
        "add a branch such as `when children_any({}) => …`, or name its class: `children_any({})`",
        "加一条分支，如 `when children_any({0}) => …`，或写出其类别：`children_any({1})`",
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
    // Generic forms last.
    ("{} has no `source`", "缺少出处 `source`：{0}"),
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
    (
        "the text refers to attachment {}, which the document does not have (it has {})",
        "正文提到附件{0}，但文档中没有附件{0}（只有{1}）",
    ),
];
