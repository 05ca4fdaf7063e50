//! Chinese tokenizers for tantivy.
//!
//! Two analyzers, registered once under the names [`WORDS`] and [`CHARS`]:
//! - `WORDS`: jieba-rs words (without the HMM, which glues unknown names to
//!   their neighbours), with a user dictionary of the entity names and
//!   glossary terms of `rules/`, so 卧龙岗文化园 and 乐凯华光 stay whole;
//! - `CHARS`: every Chinese character as a unigram and, stacked at the same
//!   position, the bigram it starts. A phrase of query bigrams is then an
//!   exact substring match, and a one-character query finds its character.
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
        let mut j = Jieba::new();
        for t in terms {
            let t = t.trim();
            if t.chars().count() >= 2 {
                // A high frequency makes the word win over its parts.
                j.add_word(t, Some(100_000), None);
            }
        }
        Segmenter(Arc::new(j))
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
    /// Normalized text (half-width, lowercase).
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
            norm.push(n);
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

/// Tokens of the `CHARS` analyzer: (position, byte start, byte end, text).
/// With `stack_unigrams`, a unigram sits under every bigram (for the index);
/// without, a run of two or more characters gives only bigrams (a query).
pub fn char_tokens(text: &str, stack_unigrams: bool) -> Vec<(usize, usize, usize, String)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for run in runs(text) {
        match run.kind {
            RunKind::Cjk => {
                let cs: Vec<(usize, char)> = text[run.start..run.end]
                    .char_indices()
                    .map(|(o, c)| (run.start + o, c))
                    .collect();
                for k in 0..cs.len() {
                    let (s, c) = cs[k];
                    let e = s + c.len_utf8();
                    let single = cs.len() == 1;
                    if stack_unigrams || single {
                        out.push((pos, s, e, c.to_string()));
                    }
                    if let Some(&(s2, c2)) = cs.get(k + 1) {
                        out.push((pos, s, s2 + c2.len_utf8(), format!("{c}{c2}")));
                    }
                    // Every character has its position, so a query's
                    // positions line up with the index's.
                    pos += 1;
                }
            }
            RunKind::Number | RunKind::Latin => {
                out.push((pos, run.start, run.end, run.norm));
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
}

impl WordTokenizer {
    /// A tokenizer over a shared segmenter.
    pub fn new(seg: Segmenter) -> WordTokenizer {
        WordTokenizer { seg }
    }
}

/// The `CHARS` analyzer.
#[derive(Clone, Default)]
pub struct CharTokenizer;

/// Tokens computed up front, handed out one by one.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl VecTokenStream {
    fn new(tokens: Vec<Token>) -> VecTokenStream {
        VecTokenStream {
            tokens,
            index: usize::MAX,
        }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.index = self.index.wrapping_add(1);
        self.index < self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.index]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index]
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = self
            .seg
            .words(text)
            .into_iter()
            .enumerate()
            .map(|(position, (offset_from, offset_to, text))| Token {
                offset_from,
                offset_to,
                position,
                text,
                position_length: 1,
            })
            .collect();
        VecTokenStream::new(tokens)
    }
}

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = char_tokens(text, true)
            .into_iter()
            .map(|(position, offset_from, offset_to, text)| Token {
                offset_from,
                offset_to,
                position,
                text,
                position_length: 1,
            })
            .collect();
        VecTokenStream::new(tokens)
    }
}
