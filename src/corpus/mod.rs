//! The document corpus that `source` quotes are checked against.
//!
//! Documents are plain text (`.txt`, `.md`: the report's raw text export)
//! or Word documents (`.docx`, read by [`docx`] into the same text form,
//! with the heading styles beside it). The bundled corpus is embedded in
//! the binary; `--corpus DIR` or a workspace replaces it.

use std::path::Path;

pub mod docx;
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
    pub fn load(dir: &Path) -> Result<Corpus, LoadError> {
        let rd = std::fs::read_dir(dir).map_err(|e| {
            LoadError::Folder(format!(
                "无法读取语料文件夹 `{}` (cannot read corpus folder): {e}",
                dir.display()
            ))
        })?;
        let mut paths = Vec::new();
        for entry in rd {
            let path = entry
                .map_err(|e| LoadError::Folder(format!("`{}`: {e}", dir.display())))?
                .path();
            if path.is_file() && is_document(&path) {
                paths.push(path);
            }
        }
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
    /// over the corpus: the cost does not grow with the number of quotes.
    pub fn locate_all(&self, quotes: &[&str]) -> Vec<Option<QuoteLocation>> {
        let flat: Vec<String> = quotes.iter().map(|q| flatten_ws(q)).collect();
        let mut out: Vec<Option<QuoteLocation>> = vec![None; quotes.len()];
        let live: Vec<usize> = (0..flat.len()).filter(|&i| !flat[i].is_empty()).collect();
        let Ok(ac) = aho_corasick::AhoCorasick::new(live.iter().map(|&i| &flat[i])) else {
            return quotes.iter().map(|q| self.locate(q)).collect();
        };
        for d in &self.docs {
            for m in ac.find_overlapping_iter(&d.flat) {
                let q = live[m.pattern().as_usize()];
                if out[q].is_none() {
                    out[q] = Some(QuoteLocation {
                        doc: d.name.clone(),
                        line: d.flat_lines[m.start()] as usize,
                    });
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

/// Reads a file that must be UTF-8 text; the error names the file and,
/// for bad bytes, the offset of the first one.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("无法读取 `{}` (cannot read): {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "`{}` 不是 UTF-8 文本，第 {} 字节处有无效字节 (is not UTF-8 text)",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}
