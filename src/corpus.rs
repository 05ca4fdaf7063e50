//! The document corpus that `source` quotes are checked against.
//!
//! Documents are plain text (the report is a .docx text export). The
//! bundled corpus is embedded in the binary; `--corpus DIR` replaces it.

use std::path::Path;

/// One document.
#[derive(Debug, Clone)]
pub struct Document {
    /// File name.
    pub name: String,
    /// Full text.
    pub text: String,
}

/// A set of documents.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// The documents, in name order.
    pub docs: Vec<Document>,
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
        let mut docs: Vec<Document> = crate::embedded::CORPUS
            .iter()
            .map(|(n, t)| Document {
                name: n.to_string(),
                text: t.to_string(),
            })
            .collect();
        docs.sort_by(|a, b| a.name.cmp(&b.name));
        Corpus { docs }
    }

    /// Reads every `.txt` and `.md` file of a folder.
    pub fn load_dir(dir: &Path) -> Result<Corpus, String> {
        let rd = std::fs::read_dir(dir).map_err(|e| format!("cannot read corpus folder `{}`: {e}", dir.display()))?;
        let mut docs = Vec::new();
        for entry in rd {
            let path = entry.map_err(|e| e.to_string())?.path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "txt" | "md") {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            let text = String::from_utf8(bytes).map_err(|_| format!("`{}` is not UTF-8 text", path.display()))?;
            docs.push(Document {
                name: path.file_name().unwrap_or_default().to_string_lossy().into_owned(),
                text,
            });
        }
        docs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Corpus { docs })
    }

    /// Where a quote occurs verbatim, if anywhere.
    pub fn locate(&self, quote: &str) -> Option<QuoteLocation> {
        if quote.is_empty() {
            return None;
        }
        self.docs.iter().find_map(|d| {
            d.text.find(quote).map(|off| QuoteLocation {
                doc: d.name.clone(),
                line: d.text[..off].matches('\n').count() + 1,
            })
        })
    }

    /// How many leading characters of `quote` occur verbatim somewhere: the
    /// place where a misquote goes wrong.
    pub fn matched_prefix(&self, quote: &str) -> usize {
        let bounds: Vec<usize> = quote.char_indices().map(|(i, _)| i).chain([quote.len()]).collect();
        let found = |n: usize| self.docs.iter().any(|d| d.text.contains(&quote[..bounds[n]]));
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
