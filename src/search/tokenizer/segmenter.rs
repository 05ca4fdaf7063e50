//! The jieba segmenter with the user dictionary, in two forms that cut
//! alike: the whole dictionary loaded, or compact (a query's words only).

use super::runs::{runs, RunKind};
use jieba_rs::Jieba;
use std::sync::Arc;

/// jieba-rs's default dictionary (`data/jieba/dict.txt`: `word freq` a
/// line, sorted by bytes, the same words and frequencies as the one
/// jieba-rs embeds), read in place by [`dict_freq`] without building
/// jieba's trie of 349k words (about half of a one-shot search's time).
static DICT: &str = include_str!("../../../data/jieba/dict.txt");
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
    crate::search::sorted_lines::rest_of(DICT, word).and_then(|f| f.trim().parse().ok())
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
    pub(super) fn cut_run(&self, run: &str, mut f: impl FnMut(usize, usize, &str)) {
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
