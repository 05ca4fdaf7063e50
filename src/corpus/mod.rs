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
    /// to build: `cargo bench --bench pipeline`.) A quote is reported at its
    /// first place: the first document, then the first position in it.
    pub fn locate_all(&self, quotes: &[&str]) -> Vec<Option<QuoteLocation>> {
        let flat: Vec<std::borrow::Cow<str>> = quotes.iter().map(|q| flat_quote(q)).collect();
        let mut out: Vec<Option<QuoteLocation>> = vec![None; quotes.len()];
        // Quotes by key length: one key for all quotes of at least
        // SHARED_KEY bytes (the shortest of them, at most QUOTE_KEY), so
        // that they take one pass; a shorter quote is its own key.
        let shared = flat
            .iter()
            .map(|q| q.len())
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
        // Equal quotes are chained: each quote's next equal one.
        let mut next_equal: Vec<usize> = vec![usize::MAX; quotes.len()];
        for (key, group) in by_len {
            // Quotes by the hash of their first `key` bytes, then by length
            // and full text: a position whose key matches costs one lookup
            // per distinct length among the quotes sharing that key (quotes
            // of one table often share their first words), not one
            // comparison per quote.
            let mut table: FastMap<u64, Keyed> = FastMap::default();
            // About 64 bits a quote: few enough to stay in cache, so the
            // scan rarely waits on memory, and sparse enough to pass few
            // positions on.
            let bits = (group.len() * 64)
                .next_power_of_two()
                .clamp(1 << 12, FILTER_BITS);
            let mut filter = vec![0u64; bits / 64];
            // How many keys set each bit (255: many, never cleared): a bit
            // no key left needs is cleared before the next document. Only
            // kept when there is a next document.
            let mut setters = vec![0u8; if self.docs.len() > 1 { bits } else { 0 }];
            for &i in &group {
                let q = flat[i].as_bytes();
                let h = RollingHash::of(&q[..key]);
                filter[(h as usize % bits) / 64] |= 1 << (h % 64);
                if !table.contains_key(&h) {
                    if let Some(n) = setters.get_mut(h as usize % bits) {
                        *n = n.saturating_add(1);
                    }
                }
                let k = table.entry(h).or_default();
                if !k.lengths.contains(&q.len()) {
                    k.lengths.push(q.len());
                }
                match k.quotes.entry(q) {
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(i);
                    }
                    std::collections::hash_map::Entry::Occupied(mut o) => {
                        next_equal[i] = *o.get();
                        o.insert(i);
                    }
                }
            }
            // The documents are scanned in parts, one per core; a quote
            // found in several parts keeps the first place.
            let mut left = group.len();
            for doc in &self.docs {
                let bytes = doc.flat.as_bytes();
                if bytes.len() < key || left == 0 {
                    continue;
                }
                let found = scan_parts(bytes, key, &table, &filter);
                for (start, len) in found {
                    let text = &bytes[start..start + len];
                    let h = RollingHash::of(&text[..key]);
                    let Some(k) = table.get_mut(&h) else {
                        continue;
                    };
                    // Found quotes leave the table: each is reported once.
                    let Some(mut i) = k.quotes.remove(text) else {
                        continue;
                    };
                    while i != usize::MAX {
                        out[i] = Some(QuoteLocation {
                            doc: doc.name.clone(),
                            line: doc.flat_lines[start] as usize,
                        });
                        left -= 1;
                        i = next_equal[i];
                    }
                    // A key whose quotes are all found leaves the table and,
                    // with the last key of its bit, the filter: the next
                    // documents pass its text on no more.
                    if k.quotes.is_empty() {
                        table.remove(&h);
                        let bit = h as usize % bits;
                        if let Some(n) = setters.get_mut(bit).filter(|n| **n < u8::MAX) {
                            *n -= 1;
                        }
                        if setters.get(bit) == Some(&0) {
                            filter[bit / 64] &= !(1 << (h % 64));
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

/// Bytes of a quote that key it in [`Corpus::locate_all`].
const QUOTE_KEY: usize = 24;
/// Quotes of at least these bytes share one key length (one pass over the
/// corpus); a shorter one would pass too many positions on to the table.
const SHARED_KEY: usize = 12;
/// Most bits of the filter that spares most corpus positions a table lookup.
const FILTER_BITS: usize = 1 << 24;

/// A quote with its whitespace runs made one space ([`flatten_ws`]),
/// borrowed when it is already so.
fn flat_quote(q: &str) -> std::borrow::Cow<'_, str> {
    let mut prev_space = true;
    let mut flat = true;
    for c in q.chars() {
        if c.is_whitespace() {
            if prev_space || c != ' ' {
                flat = false;
                break;
            }
            prev_space = true;
        } else {
            prev_space = false;
        }
    }
    if flat && !q.ends_with(' ') {
        std::borrow::Cow::Borrowed(q)
    } else {
        std::borrow::Cow::Owned(flatten_ws(q))
    }
}

/// The quotes that share a key: their lengths, and each text's first
/// quote (the others chained behind it).
#[derive(Default)]
struct Keyed<'q> {
    lengths: Vec<usize>,
    quotes: FastMap<&'q [u8], usize>,
}

/// Where quotes of `table` occur in `bytes`, as (start, length), in order;
/// on a large text, its parts are scanned on every core.
fn scan_parts(
    bytes: &[u8],
    key: usize,
    table: &FastMap<u64, Keyed>,
    filter: &[u64],
) -> Vec<(usize, usize)> {
    const PART: usize = 1 << 22;
    let threads = if bytes.len() >= 2 * PART {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        1
    };
    if threads == 1 {
        return scan(bytes, 0, bytes.len(), key, table, filter);
    }
    // Every part scans the starts in its range (and reads past its end).
    let per = bytes.len().div_ceil(threads);
    std::thread::scope(|sc| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (from, to) = (t * per, ((t + 1) * per).min(bytes.len()));
                sc.spawn(move || scan(bytes, from, to, key, table, filter))
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("quote scan thread"))
            .collect()
    })
}

/// Where quotes of `table` start in `bytes[from..to]` (they may run past
/// `to`), as (start, length).
fn scan(
    bytes: &[u8],
    from: usize,
    to: usize,
    key: usize,
    table: &FastMap<u64, Keyed>,
    filter: &[u64],
) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    // A quote found is not recorded again in this part.
    let mut seen: FastMap<&[u8], ()> = FastMap::default();
    if bytes.len() < key || from + key > bytes.len() {
        return found;
    }
    let top = RollingHash::top(key);
    let mut h = RollingHash::of(&bytes[from..from + key]);
    let mut start = from;
    loop {
        if filter[(h as usize % (filter.len() * 64)) / 64] & (1 << (h % 64)) != 0 {
            if let Some(k) = table.get(&h) {
                for &len in &k.lengths {
                    if let Some(text) = bytes.get(start..start + len) {
                        if k.quotes.contains_key(text) && seen.insert(text, ()).is_none() {
                            found.push((start, len));
                        }
                    }
                }
            }
        }
        let next = start + key;
        if start + 1 >= to || next >= bytes.len() {
            break;
        }
        h = RollingHash::roll(h, bytes[start], bytes[next], top);
        start += 1;
    }
    found
}

/// A polynomial hash of `n` bytes, rolled one byte at a time.
struct RollingHash;

impl RollingHash {
    const BASE: u64 = 0x100_0000_01b3;

    /// BASE^(n-1), to take the oldest byte out.
    fn top(n: usize) -> u64 {
        (1..n).fold(1u64, |t, _| t.wrapping_mul(Self::BASE))
    }

    fn of(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0u64, |h, &b| {
            h.wrapping_mul(Self::BASE).wrapping_add(u64::from(b))
        })
    }

    /// The hash of the window moved one byte: `old` out, `new` in.
    fn roll(h: u64, old: u8, new: u8, top: u64) -> u64 {
        h.wrapping_sub(u64::from(old).wrapping_mul(top))
            .wrapping_mul(Self::BASE)
            .wrapping_add(u64::from(new))
    }
}

/// A hash map with a fast, non-keyed hash (FxHash's multiply-rotate): its
/// keys are quotes and hashes of the user's own files, not input chosen
/// to collide.
type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

#[derive(Default)]
struct FastHasher(u64);

impl FastHasher {
    const K: u64 = 0xf135_7aea_2e62_a9c5;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 56));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves its best bits high; the table indexes by the low.
        self.0.rotate_left(26)
    }
}

/// Reads a document: a regular file of UTF-8 text no larger than
/// [`limits::MAX_DOCUMENT_BYTES`].
pub fn read_text(path: &Path) -> Result<String, String> {
    files::read_text(path, limits::MAX_DOCUMENT_BYTES)
}
