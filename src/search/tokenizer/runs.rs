//! Text as runs of Chinese characters, numbers and Latin words, and the
//! character field's tokens and query terms made from them.

use super::{norm_index, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    /// Chinese characters.
    Cjk,
    /// Digits with an optional decimal part.
    Number,
    /// Latin letters (lowercased) and digits glued to them: `gdp`, `s103`.
    Latin,
}

/// A run of characters of one kind, with its normalized text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Kind.
    pub kind: RunKind,
    /// Byte start in the original text.
    pub start: usize,
    /// Byte end in the original text.
    pub end: usize,
    /// Normalized text (half-width, lowercase); empty for a Chinese run.
    pub norm: String,
}

/// Full-width ASCII forms read as ASCII; ASCII letters lowercased.
pub fn normalize_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Whether a character is a Chinese character.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Splits a text into runs of Chinese characters, numbers and Latin words;
/// everything else (punctuation, space, `%`) separates runs.
pub fn runs(text: &str) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let n = normalize_char(c);
        let kind = if is_cjk(c) {
            RunKind::Cjk
        } else if n.is_ascii_digit() {
            RunKind::Number
        } else if n.is_ascii_alphabetic() {
            RunKind::Latin
        } else {
            i += 1;
            continue;
        };
        let mut norm = String::new();
        let mut j = i;
        while j < chars.len() {
            let c = chars[j].1;
            let n = normalize_char(c);
            let ok = match kind {
                RunKind::Cjk => is_cjk(c),
                // A decimal point belongs to a number when a digit follows.
                RunKind::Number => {
                    n.is_ascii_digit()
                        || (n == '.'
                            && chars
                                .get(j + 1)
                                .is_some_and(|x| normalize_char(x.1).is_ascii_digit())
                            && !norm.contains('.'))
                }
                RunKind::Latin => n.is_ascii_alphanumeric(),
            };
            if !ok {
                break;
            }
            if kind != RunKind::Cjk {
                norm.push(n);
            }
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |x| x.0);
        out.push(Run {
            kind,
            start,
            end,
            norm,
        });
        i = j;
    }
    out
}

/// Tokens of the `CHARS` analyzer, as the index sees them:
/// (position, byte start, byte end, text).
pub fn char_tokens(text: &str) -> Vec<(usize, usize, usize, String)> {
    let mut spans = Vec::new();
    let mut norms = Vec::new();
    char_spans(text, &mut spans, &mut norms);
    spans
        .iter()
        .map(|s| {
            let t = if s.norm == u32::MAX {
                text[s.from as usize..s.to as usize].to_string()
            } else {
                norms[s.norm as usize].clone()
            };
            (s.position as usize, s.from as usize, s.to as usize, t)
        })
        .collect()
}

pub(super) fn char_spans(text: &str, spans: &mut Vec<Span>, norms: &mut Vec<String>) {
    let mut position = 0u32;
    for run in runs(text) {
        // A number with the character right after it (`2022年`, `6.57万`) is
        // also one token: years and amounts are searched that way, and the
        // bare number and character are each too common to intersect fast.
        if run.kind == RunKind::Number {
            if let Some(c) = text[run.end..].chars().next().filter(|c| is_cjk(*c)) {
                norms.push(format!("{}{c}", run.norm));
                spans.push(Span {
                    position,
                    from: run.start as u32,
                    to: (run.end + c.len_utf8()) as u32,
                    norm: (norms.len() - 1) as u32,
                });
            }
        }
        match run.kind {
            RunKind::Cjk => {
                let mut it = text[run.start..run.end].char_indices().peekable();
                let mut first = true;
                while let Some((o, c)) = it.next() {
                    let from = (run.start + o) as u32;
                    let end1 = from + c.len_utf8() as u32;
                    let to = it
                        .peek()
                        .map_or(end1, |&(_, c2)| end1 + c2.len_utf8() as u32);
                    // The first character of a run is also a unigram, so a
                    // query's lone character after a number (`2022年`) is exact.
                    if first && to != end1 {
                        spans.push(Span {
                            position,
                            from,
                            to: end1,
                            norm: u32::MAX,
                        });
                    }
                    first = false;
                    spans.push(Span {
                        position,
                        from,
                        to,
                        norm: u32::MAX,
                    });
                    position += 1;
                }
            }
            RunKind::Number | RunKind::Latin => {
                let norm = norm_index(text, &run, norms);
                spans.push(Span {
                    position,
                    from: run.start as u32,
                    to: run.end as u32,
                    norm,
                });
                position += 1;
            }
        }
    }
}

/// One term of a query phrase on the `CHARS` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// Offset in the phrase.
    pub position: usize,
    /// The term (a bigram, a character, a number or a Latin word).
    pub text: String,
    /// A lone character: it matches any token that starts with it.
    pub prefix: bool,
}

/// The terms that find `text` as a substring: for each Chinese run, the
/// bigrams that cover it; numbers and Latin words as they are. A lone
/// character next to anything else starts or ends its run in the document
/// too, where the index has it as a unigram; a query of one character alone
/// is a prefix of every token that starts with it.
pub fn query_terms(text: &str) -> Vec<QueryTerm> {
    let mut out = Vec::new();
    let mut pos = 0;
    let alone = text.trim().chars().count() == 1;
    let all = runs(text);
    let mut glued = false;
    for (ri, run) in all.iter().enumerate() {
        // `2022年`: the number and its next character are one token.
        let next_cjk = all
            .get(ri + 1)
            .filter(|n| n.kind == RunKind::Cjk && n.start == run.end);
        if run.kind == RunKind::Number {
            if let Some(n) = next_cjk {
                let c = text[n.start..].chars().next().expect("non-empty run");
                out.push(QueryTerm {
                    position: pos,
                    text: format!("{}{c}", run.norm),
                    prefix: false,
                });
                pos += 1;
                glued = true;
                continue;
            }
        }
        let skip_lone = std::mem::take(&mut glued);
        match run.kind {
            RunKind::Cjk => {
                let cs: Vec<char> = text[run.start..run.end].chars().collect();
                let n = cs.len();
                if n == 1 && skip_lone {
                    // Covered by the number before it.
                } else if n == 1 {
                    out.push(QueryTerm {
                        position: pos,
                        text: cs[0].to_string(),
                        prefix: alone,
                    });
                } else {
                    let mut starts: Vec<usize> = (0..n - 1).step_by(2).collect();
                    if n % 2 == 1 {
                        starts.push(n - 2);
                    }
                    for k in starts {
                        out.push(QueryTerm {
                            position: pos + k,
                            text: format!("{}{}", cs[k], cs[k + 1]),
                            prefix: false,
                        });
                    }
                }
                pos += n;
            }
            RunKind::Number | RunKind::Latin => {
                out.push(QueryTerm {
                    position: pos,
                    text: run.norm.clone(),
                    prefix: false,
                });
                pos += 1;
            }
        }
    }
    out
}
