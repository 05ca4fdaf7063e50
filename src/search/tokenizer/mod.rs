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

mod runs;
mod segmenter;

pub use runs::{char_tokens, is_cjk, normalize_char, query_terms, runs, QueryTerm, Run, RunKind};
pub use segmenter::{Loading, Segmenter};

use runs::char_spans;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name of the word analyzer.
pub const WORDS: &str = "guihua_words";
/// Name of the character analyzer.
pub const CHARS: &str = "guihua_chars";

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
                    self.seg.cut_run(&text[run.start..run.end], |from, to, _| {
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
