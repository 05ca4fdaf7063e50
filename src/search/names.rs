//! Variants of the names a document's tables hold, learned against its
//! prose: an indicator table names `每千人口拥有执业（助理）医师数` where the
//! paragraphs write `执业医师数`; a project table `中科卧龙产业技术研究院`
//! where they write `产业技术研究院`.
//!
//! From each name (a table row's name cell) come its candidate forms: the
//! name without its brackets (`每千人口拥有执业医师数`), its tails at word
//! boundaries (`执业医师数`, a Chinese noun phrase ends with its head) and
//! the name with one word left out (`每千人口执业医师数`), each saying
//! enough to stand for the name (not `企业数量` of `高新技术企业数量`). The bracketless
//! form is always kept (a planner types no brackets); another candidate
//! when the documents' prose (not a table) holds it and it is not the
//! tail of another name as well (`增长率` of every growth indicator). The
//! name and its kept forms are then one group of alternatives
//! ([`Lexicon::learned`](super::Lexicon)), weighing less than the word as
//! typed.

use super::tokenizer::{is_cjk, Segmenter};
use std::collections::{BTreeMap, BTreeSet};

/// Longest name (in characters) whose variants are learned: longer cells
/// are sentences, not names.
const MAX_NAME: usize = 30;
/// Shortest variant of two words or more, in characters: shorter ones
/// (`企业数量` of `高新技术企业数量`, `投入增长` of `研发经费投入增长`) say
/// what many indicators say.
const MIN_PHRASE: usize = 5;
/// Shortest variant that is one dictionary word (`城镇化率`).
const MIN_WORD: usize = 4;

/// Whether `words` (a variant's words) say enough to stand for a name:
/// starting with a word of two characters or more (not a fragment the cut
/// left, `口注册护士数`), one word of [`MIN_WORD`] characters or words of
/// [`MIN_PHRASE`].
fn specific(words: &[&str]) -> bool {
    let chars: usize = words.iter().map(|w| w.chars().count()).sum();
    words.first().is_some_and(|w| w.chars().count() >= 2)
        && if words.len() == 1 {
            chars >= MIN_WORD
        } else {
            chars >= MIN_PHRASE
        }
}

/// A name's candidate forms: `(as the table writes it, without a trailing
/// bracket (a unit such as `（%）`), candidates)`; `None` for a cell that is
/// no name (too short, too long, a number).
pub(super) fn candidates(cell: &str, seg: &Segmenter) -> Option<(String, Vec<String>)> {
    let cell = cell.trim();
    if cell.chars().count() > MAX_NAME {
        return None;
    }
    let name = strip_trailing_bracket(cell);
    let clean = without_brackets(&name);
    if clean.chars().filter(|c| is_cjk(*c)).count() < 4 || !clean.chars().all(is_cjk) {
        return None;
    }
    let cut = seg.words(&clean);
    let words: Vec<&str> = cut.iter().map(|w| &clean[w.0..w.1]).collect();
    let mut out: Vec<String> = Vec::new();
    if clean != name {
        out.push(clean.clone());
    }
    let mut push = |parts: &[&str]| {
        let s: String = parts.concat();
        if specific(parts) && s != name && !out.contains(&s) {
            out.push(s);
        }
    };
    // Tails (a Chinese noun phrase ends with its head).
    for i in 1..words.len() {
        push(&words[i..]);
    }
    // One word left out, never the last (the head).
    if words.len() >= 3 {
        for i in 0..words.len() - 1 {
            let rest: Vec<&str> = [&words[..i], &words[i + 1..]].concat();
            push(&rest);
        }
    }
    Some((name, out))
}

/// `地区生产总值增长（%）` → `地区生产总值增长`.
fn strip_trailing_bracket(cell: &str) -> String {
    let mut s = cell.trim().to_string();
    while s.ends_with(['）', ')']) {
        match s.rfind(['（', '(']) {
            Some(at) if at > 0 => s = s[..at].trim_end().to_string(),
            _ => break,
        }
    }
    s
}

/// `执业（助理）医师数` → `执业医师数`.
fn without_brackets(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The groups `[name, variants…]` of `names`: the name without its
/// brackets, and the variants `in_prose` says the prose holds, a variant of
/// several names dropped.
pub(super) fn groups(
    names: &[(String, Vec<String>)],
    mut in_prose: impl FnMut(&str) -> bool,
) -> Vec<Vec<String>> {
    let mut owners: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (name, cands) in names {
        for c in cands {
            owners.entry(c).or_default().insert(name);
        }
    }
    let mut seen: BTreeMap<&str, bool> = BTreeMap::new();
    let mut out = Vec::new();
    for (name, cands) in names {
        let mut group = vec![name.clone()];
        let clean = without_brackets(name);
        for c in cands {
            if *c == clean {
                group.push(c.clone());
                continue;
            }
            // A name written as another name's variant is that name's own.
            if owners[c.as_str()].len() > 1 || names.iter().any(|(n, _)| n == c) {
                continue;
            }
            if *seen.entry(c).or_insert_with(|| in_prose(c)) {
                group.push(c.clone());
            }
        }
        if group.len() > 1 {
            out.push(group);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg() -> Segmenter {
        Segmenter::compact(std::iter::empty())
    }

    #[test]
    fn a_names_forms_are_its_bracketless_form_tails_and_words_left_out() {
        let (name, c) = candidates("每千人口拥有执业（助理）医师数（人）", &seg()).unwrap();
        assert_eq!(name, "每千人口拥有执业（助理）医师数");
        assert!(c.contains(&"每千人口拥有执业医师数".to_string()), "{c:?}");
        assert!(c.contains(&"执业医师数".to_string()), "{c:?}");
        assert!(c.contains(&"每千人口执业医师数".to_string()), "{c:?}");
        assert!(c.iter().all(|v| v.chars().count() >= MIN_WORD), "{c:?}");
        // 企业数量 says what many indicators say.
        let (_, c) = candidates("高新技术企业数量（家）", &seg()).unwrap();
        assert!(!c.contains(&"企业数量".to_string()), "{c:?}");
        for cell in ["卧龙区", "7.5", "2022年", &"长".repeat(40)] {
            assert!(candidates(cell, &seg()).is_none(), "{cell}");
        }
    }

    #[test]
    fn only_forms_the_prose_holds_and_no_form_of_two_names_are_kept() {
        let s = seg();
        let names: Vec<(String, Vec<String>)> =
            ["城镇居民人均可支配收入", "农村居民人均可支配收入"]
                .iter()
                .filter_map(|n| candidates(n, &s))
                .collect();
        let prose = "城镇居民收入稳步提高，人均可支配收入增长";
        let g = groups(&names, |v| prose.contains(v));
        // 人均可支配收入 is a tail of both names: it says neither.
        assert!(g.is_empty(), "{g:?}");
        let names: Vec<(String, Vec<String>)> = candidates("常住人口城镇化率（%）", &s)
            .into_iter()
            .collect();
        let g = groups(&names, |v| "城镇化率达到63%".contains(v));
        assert_eq!(
            g,
            vec![vec!["常住人口城镇化率".to_string(), "城镇化率".to_string()]]
        );
    }
}
