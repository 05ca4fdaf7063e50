//! Drafting around what does not check: a drafted line the rule checker
//! rejects is replaced by what a planner can finish by hand, so that a
//! report always gives a workspace. A target becomes `target unread` with
//! a comment naming the cell, why it was set aside and the forms that fit
//! the indicator's kind; any other fact (an observation, a stated figure,
//! an expectation) is kept as a comment. Only a line of the structure
//! itself (a block's head or end) cannot be drafted around.

use super::lit;
use crate::model::{Kind, TargetForm};

/// A drafted target cell: what `around` needs to rewrite its line.
#[derive(Debug, Clone)]
pub struct DraftedTarget {
    /// The indicator's identifier.
    pub id: String,
    /// Its name as printed.
    pub name: String,
    /// The target cell as printed.
    pub printed: String,
    /// The quote of the table row up to the target cell.
    pub quote: String,
    /// The indicator's kind (`stock`, `flow`, `rate`).
    pub kind: &'static str,
    /// The form drafted (`unread` when the cell was not read).
    pub form: TargetForm,
}

/// A cell set aside for the planner.
#[derive(Debug, Clone, PartialEq)]
pub struct SetAside {
    /// The rule file (`rules/indicators.guihua`).
    pub file: String,
    /// The indicator, when the line sits in one.
    pub indicator: Option<String>,
    /// What was drafted (the line, trimmed).
    pub drafted: String,
    /// Why it did not check.
    pub why: String,
}

/// The forms that fit a kind, as the help lists them.
pub(super) fn forms_for(kind: &str) -> String {
    let k = match kind {
        "flow" => Kind::Flow,
        "rate" => Kind::Rate,
        _ => Kind::Stock,
    };
    TargetForm::for_kind(k)
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join("、")
}

/// The line that opens the block around line `at` (0-based): its head.
fn enclosing_indicator(lines: &[String], at: usize) -> Option<String> {
    let mut depth = 0i32;
    for l in lines[..at].iter().rev() {
        let t = l.trim();
        if t.starts_with("//") {
            continue;
        }
        depth += t.matches('}').count() as i32;
        depth -= t.matches('{').count() as i32;
        if depth < 0 {
            if let Some(rest) = t.strip_prefix("indicator ") {
                return rest.split_whitespace().next().map(str::to_string);
            }
            depth = 0;
        }
    }
    None
}

/// Rewrites `files` (path, text) so that the lines `errors` point at
/// (path, 1-based line, message) no longer hold what failed. Returns the
/// cells set aside and the errors that cannot be drafted around.
pub fn draft_around(
    files: &mut [(String, String)],
    errors: &[(String, usize, String)],
    targets: &[DraftedTarget],
) -> (Vec<SetAside>, Vec<(String, usize, String)>) {
    let mut set_aside = Vec::new();
    let mut blocked = Vec::new();
    for (path, text) in files.iter_mut() {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut mine: Vec<&(String, usize, String)> =
            errors.iter().filter(|e| &e.0 == path).collect();
        // Bottom up, so that inserted comments do not move the lines still to do.
        mine.sort_by_key(|e| std::cmp::Reverse(e.1));
        mine.dedup_by_key(|e| e.1);
        for e in mine {
            let Some(mut at) = e.1.checked_sub(1).filter(|&k| k < lines.len()) else {
                blocked.push(e.clone());
                continue;
            };
            // A `source` continuation belongs to the statement above it.
            while at > 0 && lines[at].trim_start().starts_with("source ") {
                at -= 1;
            }
            let t = lines[at].trim().to_string();
            let pad: String = lines[at]
                .chars()
                .take_while(|c| c.is_whitespace())
                .collect();
            let why = e.2.replace('\n', " ");
            let ind = enclosing_indicator(&lines, at);
            let structural = t.is_empty()
                || t.starts_with("//")
                || t.contains('{')
                || t.contains('}')
                || t.starts_with("indicator ")
                || t.starts_with("seq ")
                || t.starts_with("name ")
                || t.starts_with("kind ")
                || t.starts_with("unit ");
            if structural {
                blocked.push(e.clone());
                continue;
            }
            if t.starts_with("target ") {
                let Some(dt) = ind
                    .as_ref()
                    .and_then(|id| targets.iter().find(|d| &d.id == id))
                else {
                    blocked.push(e.clone());
                    continue;
                };
                let comment = format!(
                    "{pad}// 需人工补写：起草的“{t_short}”未通过检查（{why}）。\n{pad}// 表中目标“{cell}”：请改写为适用于 {kind} 类指标的形式之一：{forms}",
                    t_short = t.split(" source ").next().unwrap_or(&t),
                    cell = dt.printed,
                    kind = dt.kind,
                    forms = forms_for(dt.kind),
                );
                lines[at] = format!(
                    "{comment}\n{pad}target unread printed {} source {}",
                    lit(&dt.printed),
                    lit(&dt.quote)
                );
                set_aside.push(SetAside {
                    file: path.clone(),
                    indicator: Some(dt.name.clone()),
                    drafted: format!("目标“{}”", dt.printed),
                    why,
                });
                continue;
            }
            // Any other fact: kept as a comment, with the lines of its source.
            let mut end = at + 1;
            while end < lines.len() && lines[end].trim_start().starts_with("source ") {
                end += 1;
            }
            let mut kept =
                format!("{pad}// 需人工核对：下列起草内容未通过检查（{why}），已改为注释");
            for l in &lines[at..end] {
                kept.push_str(&format!("\n{pad}// {}", l.trim()));
            }
            lines.splice(at..end, [kept]);
            set_aside.push(SetAside {
                file: path.clone(),
                indicator: ind,
                drafted: t.chars().take(40).collect(),
                why,
            });
        }
        let mut out = lines.join("\n");
        if text.ends_with('\n') {
            out.push('\n');
        }
        *text = out;
    }
    set_aside.reverse();
    (set_aside, blocked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_that_does_not_check_becomes_unread_and_a_fact_a_comment() {
        let text = "indicator 甲 {\n  seq 1\n  kind rate\n  target floor 8 printed \"8以上\" source \"甲 8以上\"\n  observed 2021: 9\n    source \"甲 9\"\n}\n";
        let mut files = vec![("rules/indicators.guihua".to_string(), text.to_string())];
        let targets = vec![DraftedTarget {
            id: "甲".into(),
            name: "甲增长".into(),
            printed: "8以上".into(),
            quote: "甲 8以上".into(),
            kind: "rate",
            form: TargetForm::Floor,
        }];
        let errors = vec![
            (
                "rules/indicators.guihua".to_string(),
                4,
                "不适用".to_string(),
            ),
            (
                "rules/indicators.guihua".to_string(),
                6,
                "引文找不到".to_string(),
            ),
            ("rules/indicators.guihua".to_string(), 1, "结构".to_string()),
        ];
        let (aside, blocked) = draft_around(&mut files, &errors, &targets);
        let out = &files[0].1;
        assert!(
            out.contains("  target unread printed \"8以上\" source \"甲 8以上\""),
            "{out}"
        );
        assert!(out.contains("`avg_above`"), "{out}");
        assert!(
            out.contains("  // observed 2021: 9\n  // source \"甲 9\""),
            "{out}"
        );
        assert_eq!(aside.len(), 2);
        assert_eq!(aside[0].indicator.as_deref(), Some("甲增长"));
        assert_eq!(blocked.len(), 1);
    }
}
