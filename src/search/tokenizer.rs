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

/// jieba-rs's default dictionary (`data/jieba/dict.txt`: `word freq` a
/// line, sorted by bytes, the same words and frequencies as the one
/// jieba-rs embeds), read in place by [`dict_freq`] without building
/// jieba's trie of 349k words (about half of a one-shot search's time).
static DICT: &str = include_str!("../../data/jieba/dict.txt");
/// The sum of [`DICT`]'s frequencies: jieba's total, which every cut's
/// probabilities are divided by.
const DICT_TOTAL: usize = 60_101_964;
/// The longest word of [`DICT`], in characters.
const DICT_MAX_CHARS: usize = 16;
/// Stands for the frequency of the dictionary's words a compact segmenter
/// leaves out: not a Chinese character, so no run that is cut holds it.
const FILLER: &str = "\u{E000}";
/// The frequency of a user word: high enough to win over its parts.
const TERM_FREQ: usize = 100_000;

/// A word's frequency in [`DICT`], by binary search over its lines.
fn dict_freq(word: &str) -> Option<usize> {
    let b = DICT.as_bytes();
    let w = word.as_bytes();
    // `lo` is always a line start; lines before it are smaller than `w`,
    // lines from `hi` on larger.
    let (mut lo, mut hi) = (0usize, b.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = b[lo..mid]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(lo, |p| lo + p + 1);
        let end = b[start..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |p| start + p);
        let line = &b[start..end];
        let space = line.iter().position(|&c| c == b' ').unwrap_or(line.len());
        match line[..space].cmp(w) {
            std::cmp::Ordering::Equal => {
                return std::str::from_utf8(&line[space..])
                    .ok()
                    .and_then(|f| f.trim().parse().ok());
            }
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    None
}

/// The jieba segmenter with the user dictionary, shared by every clone of
/// the tokenizer (tantivy clones tokenizers per writer thread and query).
///
/// Two forms cut alike: [`Segmenter::new`] loads jieba's whole dictionary
/// (about 50 ms), right for indexing many texts; [`Segmenter::compact`]
/// loads nothing and, for each text it cuts, builds a jieba holding only
/// the dictionary words found in that text (and the user words), with the
/// whole dictionary's total frequency, which is all a cut without the HMM
/// reads: right for the few short texts of a query.
#[derive(Clone)]
pub struct Segmenter(Arc<Dictionary>);

enum Dictionary {
    Full(Box<Jieba>),
    Compact {
        /// User words and their frequency in [`DICT`], when they have one.
        terms: Vec<(String, Option<usize>)>,
    },
}

impl Segmenter {
    /// jieba's default dictionary plus `terms`, each kept whole.
    pub fn new<'a>(terms: impl IntoIterator<Item = &'a str>) -> Segmenter {
        Segmenter::with_terms(Jieba::new(), terms)
    }

    /// A segmenter that cuts as [`new`](Self::new) does without loading
    /// jieba's dictionary: each cut looks up the words of its own text.
    pub fn compact<'a>(terms: impl IntoIterator<Item = &'a str>) -> Segmenter {
        let terms = user_terms(terms)
            .map(|t| (t.to_string(), dict_freq(t)))
            .collect();
        Segmenter(Arc::new(Dictionary::Compact { terms }))
    }

    /// Starts loading jieba's default dictionary (about 0.1 s) on another
    /// thread, so that reading the rules and documents meanwhile is free;
    /// [`Loading::with`] adds the terms once they are known.
    pub fn start_loading() -> Loading {
        Loading(std::thread::spawn(Jieba::new))
    }

    fn with_terms<'a>(mut j: Jieba, terms: impl IntoIterator<Item = &'a str>) -> Segmenter {
        for t in user_terms(terms) {
            j.add_word(t, Some(TERM_FREQ), None);
        }
        Segmenter(Arc::new(Dictionary::Full(Box::new(j))))
    }

    /// The jieba instance with the user dictionary, for a segmenter made
    /// by [`new`](Self::new) (a compact one has none of its own).
    pub fn jieba(&self) -> Option<&Jieba> {
        match &*self.0 {
            Dictionary::Full(j) => Some(j),
            Dictionary::Compact { .. } => None,
        }
    }

    /// Calls `f(byte start, byte end, word)` for each word of a Chinese run.
    fn cut_run(&self, run: &str, mut f: impl FnMut(usize, usize, &str)) {
        match &*self.0 {
            Dictionary::Full(j) => {
                for t in j.cut(run, false) {
                    f(t.byte_start, t.byte_end, t.word);
                }
            }
            Dictionary::Compact { terms } => {
                for t in compact_jieba(run, terms).cut(run, false) {
                    f(t.byte_start, t.byte_end, t.word);
                }
            }
        }
    }

    /// Words of a text, as (byte start, byte end, normalized text).
    pub fn words(&self, text: &str) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        for run in runs(text) {
            match run.kind {
                RunKind::Cjk => {
                    self.cut_run(&text[run.start..run.end], |from, to, w| {
                        out.push((run.start + from, run.start + to, w.to_string()));
                    });
                }
                RunKind::Number | RunKind::Latin => out.push((run.start, run.end, run.norm)),
            }
        }
        out
    }
}

/// The user words a segmenter keeps whole: two characters or more.
fn user_terms<'a>(terms: impl IntoIterator<Item = &'a str>) -> impl Iterator<Item = &'a str> {
    terms
        .into_iter()
        .map(str::trim)
        .filter(|t| t.chars().count() >= 2)
}

/// A jieba that cuts `run` (Chinese characters only) as the whole
/// dictionary with `terms` would: the dictionary words inside `run` and
/// the user words with their frequencies, the rest of the dictionary's
/// frequency under [`FILLER`], then the user words raised as
/// [`Segmenter::new`] raises them. A cut without the HMM reads nothing
/// else: the words of the run (its DAG) and the total.
fn compact_jieba(run: &str, terms: &[(String, Option<usize>)]) -> Jieba {
    let mut j = Jieba::empty();
    let mut sum = 0usize;
    let starts: Vec<usize> = run
        .char_indices()
        .map(|(i, _)| i)
        .chain([run.len()])
        .collect();
    for a in 0..starts.len() - 1 {
        for b in a + 1..starts.len().min(a + DICT_MAX_CHARS + 1) {
            let w = &run[starts[a]..starts[b]];
            if j.has_word(w) {
                continue;
            }
            if let Some(f) = dict_freq(w) {
                j.add_word(w, Some(f), None);
                sum += f;
            }
        }
    }
    for (t, f) in terms {
        if let Some(f) = f {
            if !j.has_word(t) {
                j.add_word(t, Some(*f), None);
                sum += f;
            }
        }
    }
    j.add_word(FILLER, Some(DICT_TOTAL.saturating_sub(sum).max(1)), None);
    for (t, _) in terms {
        j.add_word(t, Some(TERM_FREQ), None);
    }
    j
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `data/jieba/dict.txt` is jieba-rs's dictionary: the same total, and
    /// words found with their frequencies.
    #[test]
    fn the_dictionary_file_is_jiebas() {
        let j = Jieba::new();
        assert!(
            format!("{j:?}").contains(&format!("total_freq: {DICT_TOTAL}")),
            "{j:?}"
        );
        assert_eq!(DICT.lines().count(), 349_045);
        for w in ["中国", "城镇化", "一", "龟缩", "1号店"] {
            assert!(dict_freq(w).is_some_and(|f| f > 0), "{w}");
        }
        for w in ["", "城镇化率提高", "\u{E000}", "zzzz"] {
            assert_eq!(dict_freq(w), None, "{w}");
        }
        let longest = DICT
            .lines()
            .map(|l| l.split(' ').next().unwrap_or("").chars().count())
            .max();
        assert_eq!(longest, Some(DICT_MAX_CHARS));
    }

    /// The compact segmenter cuts the bundled report (every heading, and
    /// the paragraphs) word for word as the whole dictionary does, with
    /// user words.
    #[test]
    fn the_compact_segmenter_cuts_as_the_full_one() {
        let terms = ["卧龙岗文化园", "乐凯华光", "城镇化", "规上工业", "中国"];
        let full = Segmenter::new(terms);
        let compact = Segmenter::compact(terms);
        let corpus = crate::corpus::Corpus::bundled();
        let mut texts: Vec<&str> = Vec::new();
        for ing in corpus.ingested() {
            for u in &ing.units {
                texts.extend(u.section.iter().map(String::as_str));
                texts.push(&u.text);
            }
        }
        texts.extend([
            "GDP增速",
            "人均收入增长",
            "医生数量",
            "聚焦创新中心",
            "园",
            "",
        ]);
        assert!(texts.len() > 300, "{}", texts.len());
        for t in texts {
            assert_eq!(full.words(t), compact.words(t), "{t}");
        }
    }
}
