//! Chinese tokenizers for tantivy.
//!
//! Two analyzers, registered once under the names [`WORDS`] and [`CHARS`]:
//! - `WORDS`: jieba-rs words (without the HMM, which glues unknown names to
//!   their neighbours), with a user dictionary of the entity names and
//!   glossary terms of `rules/`, so 卧龙岗文化园 and 乐凯华光 stay whole;
//!   the index uses it for headings (and the query side for their terms);
//! - `CHARS`: at every Chinese character, the bigram it starts (the last
//!   character of a run, which starts none, as a unigram). A query word
//!   becomes a phrase of bigrams that cover it (`城镇化率` → 城镇@0 化率@2),
//!   an exact substring match; a one-character query, a prefix of those
//!   tokens, finds its character wherever it stands.
//!
//! Both split numbers from units first, so `6.57万亩`, `63.99%` and
//! `2022年` are searchable by their number (`6.57`, `63.99`, `2022`), and
//! both read full-width digits, letters and ％ as their ASCII forms.
//! Offsets always point into the original text and never go backwards.

use jieba_rs::Jieba;
use std::sync::Arc;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name of the word analyzer.
pub const WORDS: &str = "guihua_words";
/// Name of the character analyzer.
pub const CHARS: &str = "guihua_chars";

/// The jieba segmenter with the user dictionary, shared by every clone of
/// the tokenizer (tantivy clones tokenizers per writer thread and query).
#[derive(Clone)]
pub struct Segmenter(Arc<Jieba>);

impl Segmenter {
    /// jieba's default dictionary plus `terms`, each kept whole.
    pub fn new<'a>(terms: impl IntoIterator<Item = &'a str>) -> Segmenter {
        Segmenter::with_terms(Jieba::new(), terms)
    }

    /// Starts loading jieba's default dictionary (about 0.1 s) on another
    /// thread, so that reading the rules and documents meanwhile is free;
    /// [`Loading::with`] adds the terms once they are known.
    pub fn start_loading() -> Loading {
        Loading(std::thread::spawn(Jieba::new))
    }

    fn with_terms<'a>(mut j: Jieba, terms: impl IntoIterator<Item = &'a str>) -> Segmenter {
        for t in terms {
            let t = t.trim();
            if t.chars().count() >= 2 {
                // A high frequency makes the word win over its parts.
                j.add_word(t, Some(100_000), None);
            }
        }
        Segmenter(Arc::new(j))
    }

    /// The jieba instance, with the user dictionary.
    pub fn jieba(&self) -> &Jieba {
        &self.0
    }

    /// Calls `f(byte start, byte end)` for each word of a Chinese run.
    fn cut_each_word(&self, run: &str, mut f: impl FnMut(usize, usize)) {
        for t in self.0.cut(run, false) {
            f(t.byte_start, t.byte_end);
        }
    }

    /// Words of a text, as (byte start, byte end, normalized text).
    pub fn words(&self, text: &str) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        for run in runs(text) {
            match run.kind {
                RunKind::Cjk => {
                    let s = &text[run.start..run.end];
                    for t in self.0.cut(s, false) {
                        out.push((
                            run.start + t.byte_start,
                            run.start + t.byte_end,
                            t.word.to_string(),
                        ));
                    }
                }
                RunKind::Number | RunKind::Latin => out.push((run.start, run.end, run.norm)),
            }
        }
        out
    }
}

/// A segmenter whose dictionary is being loaded ([`Segmenter::start_loading`]).
pub struct Loading(std::thread::JoinHandle<Jieba>);

impl Loading {
    /// The segmenter, with `terms` kept whole (waits for the dictionary).
    pub fn with<'a>(self, terms: impl IntoIterator<Item = &'a str>) -> Segmenter {
        // A panic while loading the built-in dictionary is a bug, not input.
        let j = self.0.join().unwrap_or_else(|_| Jieba::new());
        Segmenter::with_terms(j, terms)
    }
}

/// What a run of characters is.
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

fn char_spans(text: &str, spans: &mut Vec<Span>, norms: &mut Vec<String>) {
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

/// The `WORDS` analyzer.
#[derive(Clone)]
pub struct WordTokenizer {
    seg: Segmenter,
    spans: Vec<Span>,
}

impl WordTokenizer {
    /// A tokenizer over a shared segmenter.
    pub fn new(seg: Segmenter) -> WordTokenizer {
        WordTokenizer {
            seg,
            spans: Vec::new(),
        }
    }
}

/// The `CHARS` analyzer.
#[derive(Clone, Default)]
pub struct CharTokenizer {
    spans: Vec<Span>,
}

/// A token as positions into the text (or into `norms` when normalizing
/// changed it), so that streaming a token copies text into one reused
/// buffer instead of allocating a string per token.
#[derive(Clone, Copy)]
pub struct Span {
    position: u32,
    from: u32,
    to: u32,
    /// Index into the normalized texts, or `u32::MAX` for the text itself.
    norm: u32,
}

/// Streams [`Span`]s as tantivy tokens.
pub struct SpanStream<'a> {
    text: &'a str,
    spans: &'a [Span],
    norms: Vec<String>,
    index: usize,
    token: Token,
}

impl<'a> SpanStream<'a> {
    fn new(text: &'a str, spans: &'a [Span], norms: Vec<String>) -> SpanStream<'a> {
        SpanStream {
            text,
            spans,
            norms,
            index: usize::MAX,
            token: Token::default(),
        }
    }
}

impl TokenStream for SpanStream<'_> {
    fn advance(&mut self) -> bool {
        self.index = self.index.wrapping_add(1);
        let Some(s) = self.spans.get(self.index) else {
            return false;
        };
        let t = &mut self.token;
        t.offset_from = s.from as usize;
        t.offset_to = s.to as usize;
        t.position = s.position as usize;
        t.position_length = 1;
        t.text.clear();
        if s.norm == u32::MAX {
            t.text.push_str(&self.text[t.offset_from..t.offset_to]);
        } else {
            t.text.push_str(&self.norms[s.norm as usize]);
        }
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Records a run's normalized text when it differs from the original.
fn norm_index(text: &str, run: &Run, norms: &mut Vec<String>) -> u32 {
    if text[run.start..run.end] == run.norm {
        u32::MAX
    } else {
        norms.push(run.norm.clone());
        (norms.len() - 1) as u32
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = SpanStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanStream<'a> {
        self.spans.clear();
        let mut norms = Vec::new();
        let mut position = 0u32;
        for run in runs(text) {
            match run.kind {
                RunKind::Cjk => {
                    // One-character words (的, 和, 年) say little about a
                    // paragraph; the character field finds them exactly.
                    self.seg
                        .cut_each_word(&text[run.start..run.end], |from, to| {
                            if to - from > 3 {
                                self.spans.push(Span {
                                    position,
                                    from: (run.start + from) as u32,
                                    to: (run.start + to) as u32,
                                    norm: u32::MAX,
                                });
                            }
                            position += 1;
                        });
                }
                // Numbers are found through the character field.
                RunKind::Number => position += 1,
                RunKind::Latin => {
                    let norm = norm_index(text, &run, &mut norms);
                    self.spans.push(Span {
                        position,
                        from: run.start as u32,
                        to: run.end as u32,
                        norm,
                    });
                    position += 1;
                }
            }
        }
        SpanStream::new(text, &self.spans, norms)
    }
}

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = SpanStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanStream<'a> {
        self.spans.clear();
        let mut norms = Vec::new();
        char_spans(text, &mut self.spans, &mut norms);
        SpanStream::new(text, &self.spans, norms)
    }
}
