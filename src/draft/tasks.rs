//! The numbered items of a focus area's paragraph, drafted as tasks:
//! `一是…二是…` (found by the ingester), else `(1)…(2)…`, `（1）…`,
//! `①…②…` — each planner numbers them in one of these ways.

use crate::corpus::ingest::items;

/// (byte offset, label) of each task item in `text`.
pub(super) fn task_items(text: &str) -> Vec<(usize, String)> {
    let found = items(text);
    if !found.is_empty() {
        return found;
    }
    let mut out = Vec::new();
    let mut expect = 1u32;
    for (i, c) in text.char_indices() {
        // Only at the start of the paragraph or after a sentence break.
        let prev = text[..i].chars().next_back();
        if !matches!(prev, None | Some('。' | '；' | '：' | ' ')) {
            continue;
        }
        let rest = &text[i..];
        let body = if let Some(k) = "①②③④⑤⑥⑦⑧⑨⑩".chars().position(|x| x == c) {
            (k as u32 + 1 == expect).then(|| &rest[c.len_utf8()..])
        } else if matches!(c, '(' | '（') {
            let inner = &rest[c.len_utf8()..];
            let d = inner.find(|x: char| !x.is_ascii_digit()).unwrap_or(0);
            let close = inner[d..].chars().next();
            (d > 0 && matches!(close, Some(')' | '）')) && inner[..d].parse() == Ok(expect))
                .then(|| &inner[d + close.map_or(0, char::len_utf8)..])
        } else {
            None
        };
        let Some(body) = body else { continue };
        let at = text.len() - body.len();
        let end = body
            .find(['。', '；', '，', '：'])
            .map_or(text.len(), |e| at + e);
        let label: String = text[at..end].chars().take(30).collect();
        if label.is_empty() {
            continue;
        }
        out.push((i, label));
        expect += 1;
    }
    // One numbered item is not a list.
    if out.len() < 2 {
        out.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::task_items;

    #[test]
    fn tasks_numbered_in_each_style_are_found() {
        let labels = |t: &str| -> Vec<String> { task_items(t).into_iter().map(|x| x.1).collect() };
        assert_eq!(
            labels("(1)加快产业园建设，支持扩能；(2)推进项目达产；(3)新引进项目不少于15个。"),
            ["加快产业园建设", "推进项目达产", "新引进项目不少于15个"]
        );
        assert_eq!(
            labels("（1）建成科创中心；（2）建设中试基地。"),
            ["建成科创中心", "建设中试基地"]
        );
        assert_eq!(labels("①扩绿；②治水。"), ["扩绿", "治水"]);
        assert_eq!(labels("一是实施链长制；二是开展帮扶。").len(), 2);
        // A bracket that is not an item: (2022年), a lone (1).
        assert!(labels("总投资（2022年）增长；(1)仅此一项。").is_empty());
    }
}
