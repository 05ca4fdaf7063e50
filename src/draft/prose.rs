//! What the report's prose says about an indicator: the status it states
//! (for city-set and qualitative targets, and parents), and the average
//! growth it states (which reveals how the report averages).

use crate::corpus::ingest::{Ingested, UnitKind};
use crate::model::StatusClass;

/// Short forms the whole genre writes without introducing them (a rule of
/// the language of plans, not of one report): (short, long).
const GENRE_SHORT: &[(&str, &str)] = &[
    ("规上", "规模以上"),
    ("限上", "限额以上"),
    ("社零", "社会消费品零售总额"),
    ("固投", "固定资产投资"),
    ("研发", "研究与试验发展"),
    ("GDP", "地区生产总值"),
];

/// The (short, long) forms a document teaches (`规模以上工业（规上工业）`,
/// `（以下简称…）`), then the genre's own.
pub fn learned_forms(doc: &Ingested) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for u in &doc.units {
        for p in crate::search::variants::learn(&u.text) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    for (a, b) in GENRE_SHORT {
        let p = (a.to_string(), b.to_string());
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The ways prose names an indicator: its name, then the name with each
/// learned short form (规模以上工业增加值增长 → 规上工业增加值增长), then
/// those with 增速 for 增长.
pub fn name_forms(name: &str, learned: &[(String, String)]) -> Vec<String> {
    let mut out = vec![name.to_string()];
    for (short, long) in learned {
        if long.chars().count() >= 2 && name.contains(long.as_str()) {
            let f = name.replacen(long.as_str(), short, 1);
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    for f in out.clone() {
        if let Some(stem) = f.strip_suffix("增长") {
            let v = format!("{stem}增速");
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// The paragraphs of a document, in order.
pub fn paragraphs(doc: &Ingested) -> Vec<&str> {
    doc.units
        .iter()
        .filter(|u| u.kind == UnitKind::Paragraph)
        .map(|u| u.text.as_str())
        .collect()
}

/// Where the prose speaks of an indicator: from an occurrence of its name
/// to the next other indicator's name (or the paragraph's end). Sentences
/// that are the name alone (`城镇就业。…`) come first.
pub fn segments<'a>(paras: &[&'a str], name: &str, others: &[&str]) -> Vec<&'a str> {
    let mut first = Vec::new();
    let mut rest = Vec::new();
    if name.is_empty() {
        return first;
    }
    for p in paras {
        let mut from = 0;
        while let Some(i) = p[from..].find(name).map(|i| i + from) {
            let after = i + name.len();
            let end = others
                .iter()
                .filter(|o| !o.is_empty() && !o.contains(name) && !name.contains(*o))
                .filter_map(|o| p[after..].find(*o).map(|j| after + j))
                .min()
                .unwrap_or(p.len());
            let seg = &p[i..end];
            if p[after..].starts_with('。') {
                first.push(seg);
            } else {
                rest.push(seg);
            }
            from = after;
        }
    }
    first.extend(rest);
    first
}

/// A stated verdict: its class, whether it is the city's target being met,
/// and the sentence that says it.
#[derive(Debug, Clone)]
pub struct Stated {
    /// Behind, on track, ahead or no data.
    pub class: StatusClass,
    /// About the city's target (`完成市下达…`, `未完成市定目标`).
    pub city: bool,
    /// A status word of the vocabulary found verbatim, if any.
    pub word: Option<String>,
    /// The sentence, verbatim.
    pub quote: String,
}

/// The sentence of `seg` around byte `i`.
fn sentence(seg: &str, i: usize) -> &str {
    let start = seg[..i].rfind('。').map_or(0, |k| k + '。'.len_utf8());
    let end = seg[i..]
        .find('。')
        .map_or(seg.len(), |k| i + k + '。'.len_utf8());
    seg[start..end].trim()
}

/// Phrases of the genre that state progress, with the class they state.
const PHRASES: &[(&str, StatusClass)] = &[
    ("超出预期", StatusClass::Ahead),
    ("超过预期", StatusClass::Ahead),
    ("快于预期", StatusClass::Ahead),
    ("提前完成", StatusClass::Ahead),
    ("提前实现", StatusClass::Ahead),
    ("未达到预期", StatusClass::Behind),
    ("低于预期", StatusClass::Behind),
    ("慢于预期", StatusClass::Behind),
    ("滞后于", StatusClass::Behind),
    ("达到预期", StatusClass::OnTrack),
    ("符合预期", StatusClass::OnTrack),
    ("暂无数据", StatusClass::NoData),
];

/// The verdict a prose segment states, if any: a behind phrase (or a city
/// target missed) wins; else a city target met; else the last phrase.
pub fn stated_status(seg: &str, vocabulary: &[String]) -> Option<Stated> {
    let mut found: Vec<(usize, StatusClass, Option<String>)> = Vec::new();
    for (p, class) in PHRASES {
        for (i, _) in seg.match_indices(p) {
            // `未达到预期` is found again as `达到预期`: keep the longer.
            if found
                .iter()
                .any(|(j, c, _)| *j < i && i < j + 12 && *c == StatusClass::Behind)
            {
                continue;
            }
            found.push((i, *class, None));
        }
    }
    for w in vocabulary {
        for (i, _) in seg.match_indices(w.as_str()) {
            found.retain(|(j, _, _)| *j < i || *j >= i + w.len());
            found.push((i, class_of_word(w), Some(w.clone())));
        }
    }
    found.sort_by_key(|f| f.0);
    // The decisive statements: a behind phrase, a city target met
    // (`均完成市定目标`) or missed (`未完成市下达的…目标`); the last of them
    // says how the period ended. Without any, the last phrase.
    let mut decisive: Vec<(usize, StatusClass, bool, Option<String>)> = found
        .iter()
        .filter(|f| f.1 == StatusClass::Behind)
        .map(|f| (f.0, f.1, false, f.2.clone()))
        .collect();
    for (i, _) in seg.match_indices("完成市") {
        let missed = seg[..i].ends_with('未');
        let class = if missed {
            StatusClass::Behind
        } else {
            StatusClass::OnTrack
        };
        decisive.push((i, class, true, None));
    }
    decisive.sort_by_key(|d| d.0);
    if let Some((i, class, city, word)) = decisive.pop() {
        return Some(Stated {
            class,
            city,
            word,
            quote: sentence(seg, i).to_string(),
        });
    }
    found.last().map(|(i, class, word)| Stated {
        class: *class,
        city: false,
        word: word.clone(),
        quote: sentence(seg, *i).to_string(),
    })
}

/// The class of a status word of the report's vocabulary.
pub fn class_of_word(w: &str) -> StatusClass {
    if w.contains("暂无") || w.contains("无数据") {
        StatusClass::NoData
    } else if w.contains("低于") || w.contains('未') || w.contains("滞后") || w.contains("慢于")
    {
        StatusClass::Behind
    } else if w.contains("超") || w.contains("提前") || w.contains("快于") {
        StatusClass::Ahead
    } else {
        StatusClass::OnTrack
    }
}

/// An average growth the prose states: `三年平均增长6.2%`, `年均增长10.85%`.
#[derive(Debug, Clone)]
pub struct StatedAverage {
    /// The number as written.
    pub written: String,
    /// Its value.
    pub value: f64,
    /// Decimals written.
    pub decimals: usize,
    /// The phrase, verbatim (`三年平均增长6.2%`).
    pub quote: String,
}

/// Words that make a clause a target or a requirement, not a claim.
const TARGET_WORDS: &[&str] = &[
    "目标", "力争", "争取", "确保", "需要", "需", "要求", "应达", "预期", "计划", "预计",
];

/// The first average growth stated in a segment.
pub fn stated_average(seg: &str) -> Option<StatedAverage> {
    for key in ["平均增长", "年均增长"] {
        for (i, _) in seg.match_indices(key) {
            let after = &seg[i + key.len()..];
            let after = after.strip_prefix('率').unwrap_or(after);
            let n: String = after
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if n.is_empty() || !after[n.len()..].starts_with('%') {
                continue;
            }
            // A target or a requirement, not an achieved average:
            // `低于年均增长7%的规划目标`, `需年均增长8.2%`.
            let tail = &after[n.len() + 1..];
            let before: String = seg[..i]
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            // The clause before it: 规划目标为…, 力争…, 需…, 要…, 确保….
            let clause_start = seg[..i]
                .rfind(['，', '。', '；', '：'])
                .map_or(0, |k| k + '，'.len_utf8());
            let clause = &seg[clause_start..i];
            if tail.starts_with('的')
                || tail.starts_with("左右")
                || tail.starts_with("以上")
                || tail.starts_with("目标")
                || tail.starts_with("的目标")
                || ["需", "要", "于", "到", "现", "标", "为"]
                    .iter()
                    .any(|w| before.ends_with(w))
                || TARGET_WORDS.iter().any(|w| clause.contains(w))
            {
                continue;
            }
            let Ok(value) = n.parse::<f64>() else {
                continue;
            };
            // The phrase from the start of its clause.
            let start = seg[..i]
                .rfind(['，', '。', '；', '、'])
                .map_or(0, |k| k + '，'.len_utf8());
            let end = i + key.len() + (seg[i + key.len()..].len() - after.len()) + n.len() + 1;
            return Some(StatedAverage {
                decimals: n.split('.').nth(1).map_or(0, str::len),
                written: n,
                value,
                quote: seg[start..end].to_string(),
            });
        }
    }
    None
}

/// The genre writes each indicator's prose as `名称。figures…`: a sentence
/// that is a name alone (no digits, no commas) heads the segment that runs
/// to the next such sentence. Returns (name, segment) pairs.
pub fn named_segments<'a>(paras: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    for p in paras {
        let mut heads: Vec<(usize, usize)> = Vec::new();
        let mut start = 0;
        for (i, _) in p.match_indices('。') {
            let s = &p[start..i];
            let n = s.chars().count();
            if (2..=30).contains(&n)
                && !s
                    .chars()
                    .any(|c| c.is_ascii_digit() || "，、：；,".contains(c))
            {
                heads.push((start, i));
            }
            start = i + '。'.len_utf8();
        }
        for (k, (a, b)) in heads.iter().enumerate() {
            let end = heads.get(k + 1).map_or(p.len(), |n| n.0);
            out.push((&p[*a..*b], &p[*a..end]));
        }
    }
    out
}

/// The segment whose name is most like `name` (the prose may name an
/// indicator a little differently from the table), if any is close.
pub fn similar_segment<'a>(named: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    named
        .iter()
        .map(|(n, seg)| (crate::check::text::similarity(n, name), *seg))
        .filter(|(s, _)| *s >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, seg)| seg)
}

#[cfg(test)]
mod tests {
    use super::stated_average;

    #[test]
    fn a_target_or_a_requirement_is_not_a_stated_average() {
        for (seg, want) in [
            (
                "规划目标为年均增长9%。2021年增长12.4%，2021—2022年年均增长5.2%，评估为低于预期。",
                Some("5.2"),
            ),
            (
                "2021年、2022年分别增长8.2%、4.6%，两年年均增长6.4%，与7%左右的目标仍有差距",
                Some("6.4"),
            ),
            ("年均增长9.2%，高于年均增长8%以上的目标要求", Some("9.2")),
            ("力争规上工业增加值年均增长8%以上。", None),
            ("后三年需年均增长8.2%。", None),
            ("确保年均增长7%，三年平均增长6.2%。", Some("6.2")),
            ("距年均增长8%的目标差距较大", None),
        ] {
            assert_eq!(
                stated_average(seg).map(|s| s.written).as_deref(),
                want,
                "{seg}"
            );
        }
    }
}
