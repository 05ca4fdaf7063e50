//! Variants the documents teach: a short form written in brackets right
//! after its long form, as plan documents introduce them:
//! - `规模以上工业（规上工业）`: a bracket of 2–6 Chinese characters, each
//!   found in order in the words just before it, the first and last
//!   matching (the long form is the shortest such tail, at most
//!   [`MAX_LONG`] characters);
//! - `《…纲要》（以下简称《纲要》）`, `“…”（简称“…”）`: the quoted or
//!   titled name before the bracket and the name after 简称.
//!
//! A query word then also finds its other form, weighing less than the
//! word as typed and than the planners' own synonyms (`rules/`).

use super::tokenizer::is_cjk;

/// Longest long form learned from a bracket without 简称.
const MAX_LONG: usize = 12;
/// Longest name learned from 简称 (a longer one is a title, not a word a
/// query would replace).
const MAX_NAMED: usize = 24;

/// The (short, long) pairs introduced in `text`.
pub fn learn(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (at, open) in text.match_indices(['（', '(']) {
        let rest = &text[at + open.len()..];
        let Some((len, _)) = rest
            .char_indices()
            .take(40)
            .find(|(_, c)| matches!(c, '）' | ')'))
        else {
            continue;
        };
        let inner = &rest[..len];
        // Only the characters just before the bracket matter.
        let mut before: Vec<char> = text[..at].chars().rev().take(MAX_NAMED + 2).collect();
        before.reverse();
        if let Some(pair) = named(inner, &before).or_else(|| contracted(inner, &before)) {
            if pair.0 != pair.1 && !out.contains(&pair) {
                out.push(pair);
            }
        }
    }
    out
}

/// Strips quotes and title marks.
fn bare(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '“' | '”' | '"' | '《' | '》' | '「' | '」'))
        .collect::<String>()
        .trim()
        .to_string()
}

/// `（以下简称X）` after a quoted or titled name.
fn named(inner: &str, before: &[char]) -> Option<(String, String)> {
    let at = inner.find("简称")?;
    let short = bare(&inner[at + "简称".len()..]);
    let close = *before.last()?;
    let open = match close {
        '》' => '《',
        '”' => '“',
        '」' => '「',
        _ => return None,
    };
    let start = before.iter().rposition(|c| *c == open)?;
    let long: String = before[start + 1..before.len() - 1].iter().collect();
    let ok = |s: &str| {
        let n = s.chars().count();
        (2..=MAX_NAMED).contains(&n) && s.chars().any(is_cjk)
    };
    (ok(&short) && ok(&long)).then_some((short, long))
}

/// `规模以上工业（规上工业）`: the bracket contracts the words before it.
fn contracted(inner: &str, before: &[char]) -> Option<(String, String)> {
    let short: Vec<char> = inner.chars().collect();
    if !(2..=6).contains(&short.len()) || !short.iter().all(|c| is_cjk(*c)) {
        return None;
    }
    // The Chinese characters right before the bracket.
    let run = before
        .iter()
        .rev()
        .take_while(|c| is_cjk(**c))
        .count()
        .min(MAX_LONG);
    let run = &before[before.len() - run..];
    if run.last() != short.last() {
        return None;
    }
    // The shortest tail starting with the short form's first character
    // that holds all of it in order, longer than it.
    (0..run.len())
        .rev()
        .filter(|&s| run[s] == short[0] && run.len() - s > short.len())
        .find(|&s| subsequence(&short, &run[s..]))
        .map(|s| (short.iter().collect(), run[s..].iter().collect()))
}

fn subsequence(short: &[char], long: &[char]) -> bool {
    let mut it = long.iter();
    short.iter().all(|c| it.any(|l| l == c))
}

#[cfg(test)]
mod tests {
    use super::learn;

    fn pairs(text: &str) -> Vec<(String, String)> {
        learn(text)
    }

    #[test]
    fn contractions_and_named_short_forms_are_learned() {
        assert_eq!(
            pairs("推动规模以上工业（规上工业）增加值增长"),
            vec![("规上工业".to_string(), "规模以上工业".to_string())]
        );
        assert_eq!(
            pairs("《某区国民经济和社会发展规划纲要》（以下简称《纲要》）"),
            vec![(
                "纲要".to_string(),
                "某区国民经济和社会发展规划纲要".to_string()
            )]
        );
        assert_eq!(
            pairs("实施“乡村振兴示范带”（简称“示范带”）建设"),
            vec![("示范带".to_string(), "乡村振兴示范带".to_string())]
        );
    }

    #[test]
    fn brackets_that_are_not_short_forms_teach_nothing() {
        for text in [
            "每千人口拥有执业（助理）医师数",
            "全区已成功创建省级法治村（社区）",
            "南水北调中线工程总干渠（卧龙区段）",
            "经济首位度（GDP占比）",
            "常住人口城镇化率（%）",
            "（",
            "（规上",
            "规上）",
        ] {
            assert!(pairs(text).is_empty(), "{text}: {:?}", pairs(text));
        }
    }
}
