//! The document corpus that `source` quotes are checked against.
//!
//! Documents are plain text (`.txt`, `.md`: the report's raw text export)
//! or Word documents (`.docx`, read by [`docx`] into the same text form,
//! with the heading styles beside it). The bundled corpus is embedded in
//! the binary; `--corpus DIR` or a workspace replaces it.

use crate::files::{self, Depth};
use crate::limits;
use std::collections::HashMap;
use std::path::Path;

pub mod docx;
pub mod indicator_table;
pub mod ingest;

/// One document.
#[derive(Debug, Clone)]
pub struct Document {
    /// File name.
    pub name: String,
    /// Full text.
    pub text: String,
    /// The text with every run of whitespace made one space, for matching
    /// quotes of table rows whose cells sit on separate lines.
    flat: String,
    /// For each byte of `flat`, the 1-based line of the text it came from.
    flat_lines: Vec<u32>,
    /// What a Word document's styles say about its lines (empty for text).
    pub layout: docx::Layout,
}

impl Document {
    /// Whether `quote` occurs verbatim in this document (any run of
    /// whitespace matching any other).
    pub fn contains_quote(&self, quote: &str) -> bool {
        let q = flatten_ws(quote);
        !q.is_empty() && self.flat.contains(&q)
    }

    /// The name without its folder and extension: what rules call it
    /// (`source "…" in 统计公报2022`).
    pub fn stem(&self) -> &str {
        let base = self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name);
        base.rsplit_once('.').map_or(base, |(s, _)| s)
    }

    /// A document from its name and text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Document {
        let text = text.into();
        let mut flat = String::with_capacity(text.len());
        let mut flat_lines = Vec::with_capacity(text.len());
        let mut line = 1u32;
        let mut in_space = false;
        for c in text.chars() {
            if c.is_whitespace() {
                if !in_space {
                    flat.push(' ');
                    flat_lines.push(line);
                }
                in_space = true;
            } else {
                in_space = false;
                flat.push(c);
                flat_lines.extend(std::iter::repeat_n(line, c.len_utf8()));
            }
            if c == '\n' {
                line += 1;
            }
        }
        Document {
            name: name.into(),
            text,
            flat,
            flat_lines,
            layout: docx::Layout::default(),
        }
    }

    /// Reads a document file: `.docx` as a Word document, anything else as
    /// UTF-8 text. An empty document is an error naming the file.
    pub fn read(path: &Path) -> Result<Document, String> {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let doc = if is_docx(path) {
            let w = docx::read(path)?;
            let mut d = Document::new(name, w.text);
            d.layout = w.layout;
            d
        } else {
            Document::new(name, read_text(path)?)
        };
        if doc.text.trim().is_empty() {
            return Err(format!("`{}` 是空文件 (is empty)", path.display()));
        }
        Ok(doc)
    }
}

/// Whether a path names a Word document (`.docx`).
pub fn is_docx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
}

/// Whether a file of a corpus folder is a document: `.txt`, `.md`, `.docx`.
pub fn is_document(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["txt", "md", "docx"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// A quote with its whitespace runs made one space, as documents are matched.
pub fn flatten_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why a corpus folder could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    /// The folder cannot be read, or holds no document.
    Folder(String),
    /// A document of it cannot be read (the message names it).
    Document(String),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Folder(m) | LoadError::Document(m) => f.write_str(m),
        }
    }
}

/// A set of documents.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// The documents, in name order.
    pub docs: Vec<Document>,
    /// The documents ingested, made once on first use and shared by every
    /// reader of the corpus (check, search, graph sources).
    ingested: std::sync::OnceLock<Vec<ingest::Ingested>>,
}

/// Where a quote was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteLocation {
    /// Document name.
    pub doc: String,
    /// 1-based line.
    pub line: usize,
}

impl Corpus {
    /// The corpus bundled with the binary.
    pub fn bundled() -> Corpus {
        let docs: Vec<Document> = crate::embedded::CORPUS
            .iter()
            .map(|(n, t)| Document::new(*n, *t))
            .collect();
        Corpus::new(docs)
    }

    /// A corpus of documents (sorted by name).
    pub fn new(mut docs: Vec<Document>) -> Corpus {
        docs.sort_by(|a, b| a.name.cmp(&b.name));
        Corpus {
            docs,
            ingested: std::sync::OnceLock::new(),
        }
    }

    /// The documents ingested (outline, units, tables, charts, glossary),
    /// in the order of `docs`: ingested once, on first use.
    pub fn ingested(&self) -> &[ingest::Ingested] {
        self.ingested
            .get_or_init(|| self.docs.iter().map(ingest::ingest).collect())
    }

    /// Reads every `.txt`, `.md` and `.docx` file of a folder. An empty
    /// file, a text file that is not UTF-8, a .docx that cannot be read, or
    /// a folder without documents is an error naming the file.
    pub fn load_dir(dir: &Path) -> Result<Corpus, String> {
        Corpus::load(dir).map_err(|e| e.to_string())
    }

    /// [`Corpus::load_dir`], telling a folder's errors from a document's.
    /// The folder is walked without following links out of it, and only
    /// regular files are read (`files::walk`).
    pub fn load(dir: &Path) -> Result<Corpus, LoadError> {
        std::fs::metadata(dir).map_err(|e| {
            LoadError::Folder(format!(
                "无法读取语料文件夹 `{}` (cannot read corpus folder): {e}",
                dir.display()
            ))
        })?;
        let mut paths = files::walk(dir, Depth::Top, &is_document).map_err(LoadError::Folder)?;
        paths.sort();
        let docs = paths
            .iter()
            .map(|p| Document::read(p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(LoadError::Document)?;
        if docs.is_empty() {
            return Err(LoadError::Folder(format!(
                "`{}` 中没有 .txt、.md 或 .docx 文档 (no documents)",
                dir.display()
            )));
        }
        Ok(Corpus::new(docs))
    }

    /// Where a quote occurs verbatim (any run of whitespace matching any
    /// other), if anywhere.
    pub fn locate(&self, quote: &str) -> Option<QuoteLocation> {
        let q = flatten_ws(quote);
        if q.is_empty() {
            return None;
        }
        self.docs.iter().find_map(|d| {
            d.flat.find(&q).map(|off| QuoteLocation {
                doc: d.name.clone(),
                line: d.flat_lines[off] as usize,
            })
        })
    }

    /// Where each of many quotes occurs (as [`Corpus::locate`]), in one pass
    /// over the corpus for all quotes of [`SHARED_KEY`] bytes or more and
    /// one per distinct length below: the cost grows with the corpus and
    /// the quotes' total length, never with their product.
    ///
    /// Each quote is keyed by a rolling hash of its first bytes; the scan
    /// rolls the same hash over every document, and only a position whose
    /// hash passes a bit filter and a table lookup is compared in full.
    /// (An Aho–Corasick automaton over 260,000 quotes took 4 s and 1.5 GB
    /// to build: `cargo bench --bench pipeline`.)
    pub fn locate_all(&self, quotes: &[&str]) -> Vec<Option<QuoteLocation>> {
        let flat: Vec<String> = quotes.iter().map(|q| flatten_ws(q)).collect();
        let mut out: Vec<Option<QuoteLocation>> = vec![None; quotes.len()];
        // Quotes by key length: one key for all quotes of at least
        // SHARED_KEY bytes (the shortest of them, at most QUOTE_KEY), so
        // that they take one pass; a shorter quote is its own key.
        let shared = flat
            .iter()
            .map(String::len)
            .filter(|&n| n >= SHARED_KEY)
            .min()
            .unwrap_or(QUOTE_KEY)
            .min(QUOTE_KEY);
        let mut by_len: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for (i, q) in flat.iter().enumerate() {
            if !q.is_empty() {
                let key = if q.len() >= SHARED_KEY {
                    shared
                } else {
                    q.len()
                };
                by_len.entry(key).or_default().push(i);
            }
        }
        for (key, group) in by_len {
            // Quotes by the hash of their first `key` bytes, then by length
            // and full text: a position whose key matches costs one lookup
            // per distinct length among the quotes sharing that key (quotes
            // of one table often share their first words), not one
            // comparison per quote.
            let mut table: HashMap<u64, Keyed> = HashMap::new();
            // About 64 bits a quote: few enough to stay in cache, so the
            // scan rarely waits on memory, and sparse enough to pass few
            // positions on.
            let bits = (group.len() * 64)
                .next_power_of_two()
                .clamp(1 << 12, FILTER_BITS);
            let mut filter = vec![0u64; bits / 64];
            // How many keys set each bit: a bit no key left needs is cleared.
            let mut setters = vec![0u32; bits];
            for &i in &group {
                let q = flat[i].as_bytes();
                let h = RollingHash::of(&q[..key]);
                filter[(h as usize % bits) / 64] |= 1 << (h % 64);
                if !table.contains_key(&h) {
                    setters[h as usize % bits] += 1;
                }
                let k = table.entry(h).or_default();
                if !k.lengths.contains(&q.len()) {
                    k.lengths.push(q.len());
                }
                k.quotes.entry(q).or_default().push(i);
            }
            let mut left = group.len();
            for d in &self.docs {
                let bytes = d.flat.as_bytes();
                if bytes.len() < key || left == 0 {
                    continue;
                }
                // The hash of the `key` bytes ending at `pos`, rolled on:
                // h·BASE + new − old·BASE^key, the old byte's term made
                // apart from `h` so that each step waits on one multiply.
                let out_weight = RollingHash::top(key).wrapping_mul(RollingHash::BASE);
                let mut h = RollingHash::of(&bytes[..key - 1]);
                for pos in key - 1..bytes.len() {
                    let old = if pos >= key { bytes[pos - key] } else { 0 };
                    let step =
                        u64::from(bytes[pos]).wrapping_sub(u64::from(old).wrapping_mul(out_weight));
                    h = h.wrapping_mul(RollingHash::BASE).wrapping_add(step);
                    if filter[(h as usize % bits) / 64] & (1 << (h % 64)) == 0 {
                        continue;
                    }
                    let Some(k) = table.get_mut(&h) else { continue };
                    let start = pos + 1 - key;
                    for &len in &k.lengths {
                        let Some(text) = bytes.get(start..start + len) else {
                            continue;
                        };
                        // Found quotes leave the table: each is reported once.
                        if let Some(ids) = k.quotes.remove(text) {
                            for i in ids {
                                out[i] = Some(QuoteLocation {
                                    doc: d.name.clone(),
                                    line: d.flat_lines[start] as usize,
                                });
                                left -= 1;
                            }
                        }
                    }
                    // A key whose quotes are all found leaves the table and,
                    // with the last key of its bit, the filter: the quoted
                    // text recurring costs nothing more.
                    if k.quotes.is_empty() {
                        table.remove(&h);
                        let bit = h as usize % bits;
                        setters[bit] -= 1;
                        if setters[bit] == 0 {
                            filter[bit / 64] &= !(1 << (h % 64));
                        }
                        if left == 0 {
                            break;
                        }
                    }
                }
            }
        }
        out
    }

    /// How many leading characters of `quote` occur verbatim somewhere: the
    /// place where a misquote goes wrong.
    pub fn matched_prefix(&self, quote: &str) -> usize {
        let quote = &flatten_ws(quote);
        let bounds: Vec<usize> = quote
            .char_indices()
            .map(|(i, _)| i)
            .chain([quote.len()])
            .collect();
        let found = |n: usize| {
            self.docs
                .iter()
                .any(|d| d.flat.contains(&quote[..bounds[n]]))
        };
        // Binary search on the number of characters: prefixes of a found
        // prefix are found too.
        let (mut lo, mut hi) = (0usize, bounds.len() - 1);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if found(mid) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    }
}

/// Bytes of a quote that key it in [`Corpus::locate_all`], at most.
const QUOTE_KEY: usize = 24;
/// Quotes of at least these bytes share one key length (one pass over the
/// corpus); a shorter one would pass too many positions on to the table.
const SHARED_KEY: usize = 12;
/// Most bits of the filter that spares most corpus positions a table lookup.
const FILTER_BITS: usize = 1 << 24;

/// The quotes that share a key: their lengths, and each text's quotes.
#[derive(Default)]
struct Keyed<'q> {
    lengths: Vec<usize>,
    quotes: HashMap<&'q [u8], Vec<usize>>,
}

/// A polynomial hash of `n` bytes, rolled one byte at a time: the
/// oldest byte's term (`top` times it) out, the new byte in.
struct RollingHash;

impl RollingHash {
    const BASE: u64 = 0x100_0000_01b3;

    /// BASE^(n-1): the weight of the oldest of `n` bytes.
    fn top(n: usize) -> u64 {
        (1..n).fold(1u64, |t, _| t.wrapping_mul(Self::BASE))
    }

    /// The hash with one more byte.
    fn next(h: u64, b: u8) -> u64 {
        h.wrapping_mul(Self::BASE).wrapping_add(u64::from(b))
    }

    /// The hash of some bytes.
    fn of(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0, |h, &b| Self::next(h, b))
    }
}

/// Reads a document: a regular file of UTF-8 text no larger than
/// [`limits::MAX_DOCUMENT_BYTES`].
pub fn read_text(path: &Path) -> Result<String, String> {
    files::read_text(path, limits::MAX_DOCUMENT_BYTES)
}
