//! Structure: the document against itself, apart from its figures.
//!
//! - the attachments as the 目录 lists them, as the body's list after the
//!   last chapter (`附件：` then `1.…`) numbers them, and as their own labels
//!   (`附件3：`) name them: a title numbered differently, or a different
//!   number of attachments;
//! - a heading the 目录 numbers one way and the body another;
//! - numbering that skips or repeats: `（一）（三）` in the 目录, `1.`
//!   `3.` at the head of paragraphs, `一是` `三是` inside one;
//! - an attachment the list or the prose refers to that the document does
//!   not have, with or without a 目录;
//! - a `表n` or `图n` the prose refers to that no caption carries.

use super::text::similarity;
use super::{Finding, FindingKind, QuoteRef};
use crate::corpus::ingest::{self, Ingested, UnitKind};
use crate::corpus::Document;
use serde_json::json;

/// One numbered entry of a list: number, title, line.
#[derive(Debug, Clone)]
struct Entry {
    no: u32,
    title: String,
    line: usize,
    text: String,
}

/// The value of a Chinese numeral up to 99: `三` 3, `十二` 12, `二十` 20.
fn cn_value(s: &str) -> Option<u32> {
    const D: &str = "零一二三四五六七八九";
    let digit = |c: char| D.chars().position(|d| d == c).map(|k| k as u32);
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => digit(*a).filter(|&v| v > 0),
        ['十', b] => digit(*b).map(|v| 10 + v),
        [a, '十'] => digit(*a).map(|v| v * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

/// The leading number of a heading: (style, number, rest). Styles: 1 for
/// `一、`, 2 for `（一）`.
fn heading_number(s: &str) -> Option<(u8, u32, &str)> {
    const CN: &str = "一二三四五六七八九十";
    if let Some(r) = s.strip_prefix('（') {
        let k = r.find('）')?;
        let n = cn_value(&r[..k]).filter(|_| r[..k].chars().all(|c| CN.contains(c)))?;
        return Some((2, n, &r[k + '）'.len_utf8()..]));
    }
    let k = s.find('、')?;
    if !s[..k].chars().all(|c| CN.contains(c)) {
        return None;
    }
    Some((1, cn_value(&s[..k])?, &s[k + '、'.len_utf8()..]))
}

/// `附件3：title` or `附件3` → (3, title).
fn attachment(s: &str) -> Option<(u32, &str)> {
    let r = s.strip_prefix("附件")?;
    let d = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
    let no: u32 = r[..d].parse().ok()?;
    let rest = r[d..].trim_start_matches(['：', ':', ' ', '\u{3000}']);
    Some((no, rest.trim()))
}

/// `3.名词解释`, `3．…`, `3、…` → (3, title); not `2.5万亩`.
fn lead_number(s: &str) -> Option<(u32, &str)> {
    let d = s.find(|c: char| !c.is_ascii_digit())?;
    if d == 0 || d > 2 {
        return None;
    }
    let rest = &s[d..];
    let sep = ['.', '．', '、']
        .into_iter()
        .find(|c| rest.starts_with(*c))?;
    let rest = &rest[sep.len_utf8()..];
    if rest.starts_with(|c: char| c.is_ascii_digit()) || rest.is_empty() {
        return None;
    }
    Some((s[..d].parse().ok()?, rest))
}

/// A title for comparing: no quotes, spaces or page number.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !"“”\"‘’《》：:".contains(*c))
        .collect()
}

fn same_title(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && !b.is_empty() && (a == b || similarity(&a, &b) >= 0.8)
}

/// The document's lines without markers, and where its 目录 ends: the
/// 目录's entries (`heading<TAB>page`) with their lines.
struct Lines {
    clean: Vec<String>,
    toc: Vec<(usize, String)>,
    body_start: usize,
}

fn read_lines(doc: &Document) -> Lines {
    let clean: Vec<String> = doc.text.lines().map(ingest::strip_markers).collect();
    let (toc, body_start) = ingest::toc_entries(&clean).unwrap_or_default();
    Lines {
        clean,
        toc,
        body_start,
    }
}

/// Runs the structure checks on one document.
pub(super) fn structure(doc: &Document, ing: &Ingested, out: &mut Vec<Finding>) {
    let lines = read_lines(doc);
    attachments(doc, &lines, out);
    attachment_references(doc, &lines, out);
    toc_against_body(doc, &lines, out);
    numbering(doc, &lines, ing, out);
    references(doc, &lines, ing, out);
}

fn quote(doc: &Document, line: usize, text: &str) -> QuoteRef {
    QuoteRef {
        text: text.chars().take(120).collect(),
        file: doc.name.clone(),
        line,
    }
}

/// The attachments as the 目录, the body's list and their labels give them.
fn attachments(doc: &Document, lines: &Lines, out: &mut Vec<Finding>) {
    let toc: Vec<Entry> = lines
        .toc
        .iter()
        .filter_map(|(l, h)| {
            attachment(h).map(|(no, title)| Entry {
                no,
                title: title.to_string(),
                line: *l,
                text: h.clone(),
            })
        })
        .collect();
    let (list, labels) = body_attachments(lines);
    let sources: Vec<(&str, Vec<Entry>)> = [
        ("the table of contents", toc),
        ("the attachment list", list),
        ("the attachment labels", labels),
    ]
    .into_iter()
    .filter(|(_, e)| !e.is_empty())
    .collect();
    if sources.len() < 2 {
        return;
    }
    // Where two sources disagree: titles numbered differently, or numbers
    // one has and the other lacks (labels may lack one: a missing heading).
    let differ = |a: &[Entry], b: &[Entry]| -> Vec<(Entry, Entry)> {
        let mut d = Vec::new();
        for x in a {
            if let Some(y) = b.iter().find(|y| same_title(&x.title, &y.title)) {
                if x.no != y.no {
                    d.push((x.clone(), y.clone()));
                }
            }
        }
        d
    };
    let count = |e: &[Entry]| e.iter().map(|x| x.no).max().unwrap_or(0);
    let disagree = |i: usize, j: usize| -> bool {
        let (a, b) = (&sources[i].1, &sources[j].1);
        let labels =
            sources[i].0 == "the attachment labels" || sources[j].0 == "the attachment labels";
        // Labels may be missing (a heading lost in the export): counts only
        // between the 目录 and the list.
        !differ(a, b).is_empty() || (!labels && count(a) != count(b))
    };
    let n = sources.len();
    // The source that disagrees with every other while those agree.
    let odd = (0..n).find(|&i| {
        (0..n).filter(|&j| j != i).all(|j| disagree(i, j))
            && (0..n).filter(|&j| j != i).all(|j| {
                (0..n)
                    .filter(|&k| k != i && k != j)
                    .all(|k| !disagree(j, k))
            })
    });
    let (odd, others): (usize, Vec<usize>) = match odd {
        Some(i) => (i, (0..n).filter(|&j| j != i).collect()),
        None => match (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .find(|&(i, j)| disagree(i, j))
        {
            Some((i, j)) => (j, vec![i]),
            None => return,
        },
    };
    let show = |e: &[Entry]| {
        e.iter()
            .map(|x| format!("{}.{}", x.no, x.title))
            .collect::<Vec<_>>()
            .join("、")
    };
    let reference = &sources[others[0]].1;
    let found = &sources[odd].1;
    let pairs = differ(found, reference);
    let (said, want): (Vec<Entry>, Vec<Entry>) = if pairs.is_empty() {
        (found.clone(), reference.clone())
    } else {
        pairs.into_iter().unzip()
    };
    let mut quotes: Vec<QuoteRef> = Vec::new();
    for i in std::iter::once(odd).chain(others.iter().copied()) {
        for e in &sources[i].1 {
            let involved = said
                .iter()
                .chain(&want)
                .any(|x| same_title(&x.title, &e.title))
                || count(&sources[i].1) != count(reference);
            if involved && !quotes.iter().any(|q| q.line == e.line) {
                quotes.push(quote(doc, e.line, &e.text));
            }
        }
    }
    let others_names: Vec<&str> = others.iter().map(|&i| sources[i].0).collect();
    out.push(Finding {
        kind: FindingKind::Structure,
        indicator: None,
        period: None,
        expected: json!(show(&want)),
        found: json!(show(&said)),
        quotes,
        message: crate::messages::in_chinese(&format!(
            "attachments: {} gives {} ({}), {} give {} ({})",
            sources[odd].0,
            count(found),
            show(&said),
            others_names.join(" and "),
            count(reference),
            show(&want)
        )),
    });
}

/// The body's attachments after the 目录: its list (`附件：` then `1.…`
/// lines, or `附件：1.…` on the line) and the attachments' own labels
/// (`附件3：` alone, its title on the next line, or with its title).
fn body_attachments(lines: &Lines) -> (Vec<Entry>, Vec<Entry>) {
    let clean = &lines.clean;
    let mut list = Vec::new();
    let mut labels = Vec::new();
    let mut i = lines.body_start;
    while i < clean.len() {
        let l = clean[i].trim();
        if l == "附件：" || l == "附件:" || l.starts_with("附件：1") || l.starts_with("附件:1")
        {
            let first = l.trim_start_matches("附件").trim_start_matches(['：', ':']);
            if let Some((no, title)) = lead_number(first) {
                list.push(Entry {
                    no,
                    title: title.to_string(),
                    line: i + 1,
                    text: l.to_string(),
                });
            }
            let mut j = i + 1;
            while let Some((no, title)) = clean.get(j).and_then(|n| lead_number(n.trim())) {
                list.push(Entry {
                    no,
                    title: title.to_string(),
                    line: j + 1,
                    text: clean[j].trim().to_string(),
                });
                j += 1;
            }
            i = j;
            continue;
        }
        // A label: `附件3：` alone (title on the next line) or with its title.
        if let Some((no, title)) =
            attachment(l).filter(|_| l.chars().count() <= 50 && !l.contains('。'))
        {
            let title = if title.is_empty() {
                clean[i + 1..]
                    .iter()
                    .map(|n| n.trim())
                    .find(|n| !n.is_empty())
                    .unwrap_or("")
                    .to_string()
            } else {
                title.to_string()
            };
            labels.push(Entry {
                no,
                title,
                line: i + 1,
                text: l.to_string(),
            });
        }
        i += 1;
    }
    (list, labels)
}

/// An attachment the body's list or the prose refers to (`详见附件3`,
/// `见附件3`) that the document does not have: numbered past its last
/// attachment label and absent from the 目录 (a label lost in the export
/// lies between others, or the 目录 still lists it). Found with or without
/// a 目录; a document whose attachments are all kept apart (no label, no
/// 目录 entry) is left alone. With a 目录 that lists attachments, its list
/// is already compared with the 目录 (`attachments`): only the prose is read.
fn attachment_references(doc: &Document, lines: &Lines, out: &mut Vec<Finding>) {
    let (list, labels) = body_attachments(lines);
    let in_toc: Vec<u32> = lines
        .toc
        .iter()
        .filter_map(|(_, h)| attachment(h).map(|(no, _)| no))
        .collect();
    let mut have: Vec<u32> = labels
        .iter()
        .map(|e| e.no)
        .chain(in_toc.iter().copied())
        .collect();
    have.sort_unstable();
    have.dedup();
    let Some(&last) = have.last() else {
        return;
    };
    // (number, line, text) of each reference past the last attachment.
    let mut refs: Vec<(u32, usize, String)> = Vec::new();
    if in_toc.is_empty() {
        for e in list.iter().filter(|e| e.no > last) {
            refs.push((e.no, e.line, e.text.clone()));
        }
    }
    for (i, l) in lines.clean.iter().enumerate().skip(lines.body_start) {
        for (k, _) in l.match_indices("附件") {
            let r = &l[k + "附件".len()..];
            let d = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
            let Some(no) = r[..d].parse::<u32>().ok().filter(|_| d <= 2) else {
                continue;
            };
            let referring = matches!(
                l[..k].chars().next_back(),
                Some('见' | '如' | '据' | '（' | '(' | '、' | '和' | '与' | '及')
            );
            if referring && no > last {
                let (s, e) = super::text::sentence_around(l, k);
                refs.push((no, i + 1, l[s..e].trim().to_string()));
            }
        }
    }
    let has = have
        .iter()
        .map(|n| format!("附件{n}"))
        .collect::<Vec<_>>()
        .join("、");
    let mut seen = Vec::new();
    for (no, line, text) in refs {
        if seen.contains(&no) {
            continue;
        }
        seen.push(no);
        out.push(Finding {
            kind: FindingKind::Structure,
            indicator: None,
            period: None,
            expected: json!(has),
            found: json!(format!("附件{no}")),
            quotes: vec![quote(doc, line, &text)],
            message: crate::messages::in_chinese(&format!(
                "the text refers to attachment {no}, which the document does not have (it has {has})"
            )),
        });
    }
}

/// A heading the 目录 numbers one way and the body another.
fn toc_against_body(doc: &Document, lines: &Lines, out: &mut Vec<Finding>) {
    let toc: Vec<(usize, u8, u32, String, &str)> = lines
        .toc
        .iter()
        .filter_map(|(l, h)| heading_number(h).map(|(s, n, t)| (*l, s, n, norm(t), h.as_str())))
        .collect();
    for (k, l) in lines.clean.iter().enumerate().skip(lines.body_start) {
        let l = l.trim();
        if l.chars().count() > 40 || l.contains('。') {
            continue;
        }
        let Some((style, no, title)) = heading_number(l) else {
            continue;
        };
        let title = norm(title);
        if title.chars().count() < 4 {
            continue;
        }
        let Some(t) = toc.iter().find(|t| t.1 == style && t.3 == title) else {
            continue;
        };
        if t.2 != no
            && !toc
                .iter()
                .any(|o| o.1 == style && o.2 == no && o.3 == title)
        {
            out.push(Finding {
                kind: FindingKind::Structure,
                indicator: None,
                period: None,
                expected: json!(t.4),
                found: json!(l),
                quotes: vec![quote(doc, k + 1, l), quote(doc, t.0, t.4)],
                message: crate::messages::in_chinese(&format!(
                    "heading numbers: the body has {}, the table of contents {}",
                    l, t.4
                )),
            });
        }
    }
}

/// A numbering that skips or repeats.
fn numbering(doc: &Document, lines: &Lines, ing: &Ingested, out: &mut Vec<Finding>) {
    let mut gap = |prev: (usize, &str), next: (usize, &str), what: &str| {
        out.push(Finding {
            kind: FindingKind::Structure,
            indicator: None,
            period: None,
            expected: json!(what),
            found: json!(next.1),
            quotes: vec![quote(doc, prev.0, prev.1), quote(doc, next.0, next.1)],
            message: crate::messages::in_chinese(&format!(
                "numbering: {} follows {}",
                first_words(next.1),
                first_words(prev.1)
            )),
        });
    };
    // The 目录: chapters, and sections within each chapter.
    let mut last: [Option<(u32, usize, String)>; 3] = [None, None, None];
    for (l, h) in &lines.toc {
        let Some((style, no, _)) = heading_number(h) else {
            if attachment(h).is_some() {
                last[2] = None;
            }
            continue;
        };
        let s = style as usize;
        if let Some((p, pl, ph)) = &last[s] {
            if no != p + 1 && no != 1 {
                gap((*pl, ph), (*l, h), "");
            }
        }
        last[s] = Some((no, *l, h.clone()));
        if style == 1 {
            last[2] = None;
        }
    }
    // Paragraphs that start `1.` `2.` …: each next is one more, or a new 1.
    let mut prev: Option<(u32, usize, &str)> = None;
    for u in ing
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::Paragraph || u.kind == UnitKind::Glossary)
    {
        let Some((no, _)) = lead_number(&u.text) else {
            continue;
        };
        if let Some((p, pl, pt)) = prev {
            if no != p + 1 && no != 1 {
                gap((pl, pt), (u.line, &u.text), "");
            }
        }
        prev = Some((no, u.line, &u.text));
    }
    // `一是` `二是` inside a paragraph.
    for u in ing.units.iter().filter(|u| u.kind == UnitKind::Paragraph) {
        let items = ingest::items(&u.text);
        let mut p: Option<(u32, &str)> = None;
        for (_, label) in &items {
            let Some(no) = label.find('是').and_then(|k| cn_value(&label[..k])) else {
                continue;
            };
            if let Some((q, ql)) = p {
                if no != q + 1 {
                    gap((u.line, ql), (u.line, label), "");
                }
            }
            p = Some((no, label));
        }
    }
}

/// The first words of a line, for a message.
fn first_words(s: &str) -> String {
    s.chars().take(16).collect()
}

/// A `表n` or `图n` the prose refers to that no caption carries.
fn references(doc: &Document, lines: &Lines, ing: &Ingested, out: &mut Vec<Finding>) {
    // Captions: lines that start `表n` or `图n`.
    let mut captions: Vec<(char, u32)> = Vec::new();
    for l in &lines.clean {
        let l = l.trim();
        for kind in ['表', '图'] {
            if let Some(r) = l.strip_prefix(kind) {
                let d = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
                if d > 0 && r[d..].starts_with(|c: char| c.is_whitespace() || c == '：' || c == ':')
                {
                    if let Ok(n) = r[..d].parse() {
                        captions.push((kind, n));
                    }
                }
            }
        }
    }
    let mut seen = Vec::new();
    for u in ing.units.iter().filter(|u| u.kind == UnitKind::Paragraph) {
        let t = &u.text;
        for kind in ['表', '图'] {
            for (k, _) in t.match_indices(kind) {
                let r = &t[k + kind.len_utf8()..];
                let d = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
                if d == 0 || d > 2 {
                    continue;
                }
                let Ok(n) = r[..d].parse::<u32>() else {
                    continue;
                };
                // A reference: `见表2`, `如图1所示`, `（表3）`.
                let before = t[..k].chars().next_back();
                let after = &r[d..];
                let referring = matches!(
                    before,
                    Some('见' | '如' | '据' | '（' | '(' | '、' | '和' | '与' | '及')
                ) || after.starts_with("所示")
                    || after.starts_with("显示");
                if !referring || captions.contains(&(kind, n)) || seen.contains(&(kind, n)) {
                    continue;
                }
                seen.push((kind, n));
                let (s, e) = super::text::sentence_around(t, k);
                out.push(Finding {
                    kind: FindingKind::Structure,
                    indicator: None,
                    period: None,
                    expected: json!(null),
                    found: json!(format!("{kind}{n}")),
                    quotes: vec![quote(doc, u.line, &t[s..e])],
                    message: crate::messages::in_chinese(&format!(
                        "the text refers to {kind}{n}, which no caption carries"
                    )),
                });
            }
        }
    }
}
