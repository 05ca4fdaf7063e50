//! Reading single lines: markers, heading numbers (一、 （一） 附件3),
//! 一是/二是 items, numbered sub-headings, glossary entries.

use super::GlossaryEntry;

/// Removes `[bookmark: …]` and `[image: …]` markers.
pub fn strip_markers(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("[bookmark:") || tail.starts_with("[image:") {
            match tail.find(']') {
                Some(j) => rest = &tail[j + 1..],
                None => {
                    rest = "";
                }
            }
        } else {
            out.push('[');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

pub(super) const CN_DIGITS: &str = "一二三四五六七八九十";

/// One of [`CN_DIGITS`].
fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// The 目录 written as text: the `heading<TAB>page` lines after the first
/// line reading 目录, each with its 1-based line number, and the first
/// line of the body after them. `None` without a 目录 title line.
pub fn toc_entries<S: AsRef<str>>(clean: &[S]) -> Option<(Vec<(usize, String)>, usize)> {
    let t = clean.iter().position(|l| is_toc_title(l.as_ref()))?;
    let mut toc: Vec<(usize, String)> = Vec::new();
    let mut i = t + 1;
    while i < clean.len() {
        let l = clean[i].as_ref().trim_end();
        if l.is_empty() {
            i += 1;
            if !toc.is_empty() && clean.get(i).is_some_and(|n| !n.as_ref().contains('\t')) {
                break;
            }
            continue;
        }
        let Some((h, page)) = l.rsplit_once('\t') else {
            break;
        };
        if !page.trim().chars().all(|c| c.is_ascii_digit()) {
            break;
        }
        toc.push((i + 1, h.trim().to_string()));
        i += 1;
    }
    Some((toc, i))
}

/// A line that reads `目录`, spaces aside (`目  录`).
pub fn is_toc_title(line: &str) -> bool {
    line.trim()
        .chars()
        .filter(|&c| c != ' ' && c != '\u{3000}')
        .eq("目录".chars())
}

pub(super) fn is_chapter(s: &str) -> bool {
    let n = s.chars().take_while(|c| CN_DIGITS.contains(*c)).count();
    n > 0 && s.chars().nth(n) == Some('、')
}

pub(super) fn is_section(s: &str) -> bool {
    s.starts_with('（') && {
        let inner: String = s
            .chars()
            .skip(1)
            .take_while(|c| CN_DIGITS.contains(*c))
            .collect();
        !inner.is_empty() && s.chars().nth(1 + inner.chars().count()) == Some('）')
    }
}

/// `附件3` of `附件3：…`, if the text starts an attachment.
pub(super) fn attachment_no(s: &str) -> Option<&str> {
    let rest = s.strip_prefix("附件")?;
    let n = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    (n > 0).then(|| &s[..6 + n])
}

pub(super) fn heading_level(s: &str) -> Option<u8> {
    if is_chapter(s) || attachment_no(s).is_some() {
        Some(1)
    } else if is_section(s) {
        Some(2)
    } else {
        None
    }
}

/// A line that looks like a heading on its own (short, no sentence end).
pub(super) fn looks_like_heading(s: &str) -> Option<u8> {
    let n = s.chars().count();
    if n > 40 || s.contains('。') {
        return None;
    }
    heading_level(s)
}

/// `一是`, `二是` … inside a paragraph: (byte offset, label up to the first
/// sentence break).
pub fn items(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    // Each `是` after a Chinese digit, found by the `是` (a fast search).
    for (j, _) in text.match_indices('是') {
        let Some(c) = text[..j].chars().next_back() else {
            continue;
        };
        if !is_cn_digit(c) {
            continue;
        }
        let i = j - c.len_utf8();
        // Only at the start of the paragraph or after a sentence break.
        let prev = text[..i].chars().next_back();
        if !matches!(prev, None | Some('。' | '；' | '：' | ' ')) {
            continue;
        }
        let end = text[i..]
            .find(['。', '；', '，', '：'])
            .map_or(text.len(), |e| i + e);
        let label: String = text[i..end].chars().take(30).collect();
        out.push((i, label));
    }
    out
}

/// The numbered sub-heading a paragraph starts with: `1.经济发展稳中有进`.
pub(super) fn lead_heading(text: &str) -> Option<String> {
    let digits = text.find(|c: char| !c.is_ascii_digit())?;
    if digits == 0 || !text[digits..].starts_with(['.', '．']) {
        return None;
    }
    let end = text.find('。')?;
    let h = &text[..end];
    (h.chars().count() <= 24).then(|| h.to_string())
}

/// A line that starts `1.` or `12．`.
pub(super) fn lead_number(text: &str) -> bool {
    let d = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
    d > 0 && text[d..].starts_with(['.', '．'])
}

pub(super) fn is_number(s: &str) -> bool {
    let t = s.trim().trim_end_matches('%');
    !t.is_empty() && t.parse::<f64>().is_ok()
}

/// `14.“六宜”现代化城区。宜业、宜居、宜学、宜游、宜创、宜养现代化城区。`
pub(super) fn glossary_entry(text: &str, line: usize) -> Option<GlossaryEntry> {
    let digits = text.find(|c: char| !c.is_ascii_digit())?;
    if digits == 0 {
        return None;
    }
    let rest = text[digits..].trim_start_matches(['.', '．', ' ']);
    let open = rest.find('“')?;
    let close = rest[open..].find('”')? + open;
    let term = rest[open + '“'.len_utf8()..close].to_string();
    if term.is_empty() {
        return None;
    }
    let after = &rest[close + '”'.len_utf8()..];
    // `“六宜”现代化城区。…`: the words after the quotes belong to the term.
    let (suffix, expansion) = match after.find(['。', '．']) {
        Some(p) if p > 0 => (
            &after[..p],
            after[p..].trim_start_matches(['。', '．']).to_string(),
        ),
        Some(p) => ("", after[p..].trim_start_matches(['。', '．']).to_string()),
        None => ("", after.to_string()),
    };
    let exp = expansion.trim_start_matches(['“', '”']).to_string();
    let exp = exp
        .strip_prefix(&format!("{term}："))
        .map(str::to_string)
        .unwrap_or(exp);
    let words = exp
        .split(['、', '，', '；', '：', '。', ',', ';'])
        .map(|w| {
            w.trim()
                .trim_end_matches(suffix)
                .trim_start_matches(['即', '“'])
                .trim_end_matches('”')
                .to_string()
        })
        .filter(|w| (2..=12).contains(&w.chars().count()))
        .collect();
    Some(GlossaryEntry {
        term,
        expansion: expansion.trim().to_string(),
        words,
        line,
    })
}
