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
//!
//! Stages are moving to typed messages (`typed.rs`): `model::lower`'s
//! `LowerMessage` (the plan, statuses, the graph, the vocabulary, tests) and
//! [`UsageMessage`] (what the command line asks for) write their Chinese and
//! English themselves; the rest still go through the catalogue.

mod catalogue;
mod typed;
use catalogue::CATALOGUE;
pub use typed::{Message, Said, UsageMessage};

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
    // The templates a message may fit, by its first byte: those whose words
    // before the first `{}` start with that byte, and those that start
    // with `{}`, in catalogue order. A message starts with a template's
    // first words or does not fit it.
    static BY_FIRST_BYTE: std::sync::OnceLock<Vec<Vec<usize>>> = std::sync::OnceLock::new();
    let by_first = BY_FIRST_BYTE.get_or_init(|| {
        let mut by = vec![Vec::new(); 257];
        for (k, (en, _)) in CATALOGUE.iter().enumerate() {
            let head = en.split("{}").next().unwrap_or(en);
            match head.bytes().next() {
                Some(b) => by[usize::from(b)].push(k),
                None => by.iter_mut().for_each(|v| v.push(k)),
            }
        }
        by
    });
    let first = msg.bytes().next().map_or(256, usize::from);
    by_first[first].iter().find_map(|&k| {
        let (en, zh) = CATALOGUE[k];
        let parts = fit(en, msg)?;
        let mut out = zh.to_string();
        for (i, (p, quoted)) in parts.into_iter().enumerate() {
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

/// The Chinese alone of a known message (what a finding says about the
/// user's data, which is no error of theirs); the English otherwise.
pub fn in_chinese(msg: &str) -> String {
    echo_quoted(&chinese(msg).unwrap_or_else(|| msg.to_string()))
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
            chinese("unknown status `达标`").as_deref(),
            Some("未知的状态 `达标`")
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
    fn typed_messages_say_chinese_then_english() {
        let m = UsageMessage::OutsidePlan {
            period: "2019".into(),
            start: 2021,
            end: 2025,
        };
        assert_eq!(
            Said::from(m).0,
            "`2019` 不在规划期 2021–2025 内 (`2019` is outside the plan period 2021–2025)"
        );
        // What the user wrote is cut to a line and escaped in both.
        let said = Said::from(UsageMessage::NotAPeriod("20\n23".into())).0;
        assert!(!said.contains('\n'), "{said}");
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
