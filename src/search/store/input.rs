//! What an index is built from: a loaded corpus, or a corpus folder whose
//! documents and JSONL files are read one at a time while indexing.

use super::{file_name, io};
use crate::corpus::{ingest, Corpus, Document};
use crate::files::{self, Depth};
use crate::limits::{self, human_bytes};
use crate::search::{IndexUnit, SearchError};
use serde::Deserialize;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

/// Index input: a corpus already loaded (and ingested once), or a corpus
/// folder whose `.txt`/`.md`/`.docx` documents and JSONL files
/// (`{"id","title","section","text"}` a line) are read one at a time while
/// indexing, so memory does not grow with the collection. Every document of
/// a folder is read and checked first; a document with a glossary
/// (名词解释) is kept ingested, for the lexicon, and not read again.
pub struct Input<'a> {
    /// A loaded corpus, ingested once (the bundled one, or a workspace's).
    pub corpus: Option<&'a Corpus>,
    /// Document files read while indexing, with the ingested document when
    /// it was already ingested for its glossary.
    pub files: Vec<(PathBuf, Option<ingest::Ingested>)>,
    /// `.jsonl` files.
    pub jsonl: Vec<PathBuf>,
    /// The glossary entries (名词解释) of every document.
    pub glossary: Vec<ingest::GlossaryEntry>,
    /// Total bytes of input, for progress.
    pub bytes: u64,
}

/// The `.jsonl` files of a corpus folder, sorted.
pub fn jsonl_files(dir: &Path) -> Result<Vec<PathBuf>, SearchError> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io("read corpus folder", dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    out.sort();
    Ok(out)
}

impl Input<'static> {
    /// Reads a corpus folder: checks every document (an empty or non-UTF-8
    /// text, or a .docx that cannot be read, is an error, as is a folder
    /// without documents) and keeps the glossaries, not the texts.
    pub fn read(dir: &Path) -> Result<Input<'static>, SearchError> {
        let meta = std::fs::metadata(dir).map_err(|e| io("read corpus folder", dir, e))?;
        if !meta.is_dir() {
            return Err(SearchError::Io(format!(
                "`{}` 不是文件夹 (is not a folder)",
                dir.display()
            )));
        }
        let paths = files::walk(dir, Depth::Top, &|p| {
            crate::corpus::is_document(p) || is_jsonl(p)
        })
        .map_err(SearchError::Io)?;
        let mut input = Input::jsonl(Vec::new());
        for p in paths {
            if is_jsonl(&p) {
                let f = files::open_regular(&p, u64::MAX).map_err(SearchError::Io)?;
                let len = f.metadata().map_err(|e| io("read", &p, e))?.len();
                if len == 0 {
                    return Err(SearchError::Document(format!(
                        "`{}` 是空文件 (is empty)",
                        p.display()
                    )));
                }
                input.bytes += len;
                input.jsonl.push(p);
                continue;
            }
            let doc = Document::read(&p).map_err(SearchError::Document)?;
            input.bytes += doc.text.len() as u64;
            // Only a document with a 名词解释 section has a glossary.
            let kept = doc.text.contains("名词解释").then(|| ingest::ingest(&doc));
            if let Some(ing) = &kept {
                input.glossary.extend(ing.glossary.iter().cloned());
            }
            input.files.push((p, kept));
        }
        if input.files.is_empty() && input.jsonl.is_empty() {
            return Err(SearchError::Io(format!(
                "`{}` 中没有 .txt、.md、.docx 或 .jsonl 文档 (no documents)",
                dir.display()
            )));
        }
        Ok(input)
    }

    /// A set of JSONL files as input.
    pub fn jsonl(files: Vec<PathBuf>) -> Input<'static> {
        Input {
            corpus: None,
            files: vec![],
            jsonl: files,
            glossary: vec![],
            bytes: 0,
        }
    }
}

impl<'a> Input<'a> {
    /// A loaded corpus as input: its documents as the corpus ingested them.
    pub fn corpus(c: &'a Corpus) -> Input<'a> {
        Input {
            glossary: c
                .ingested()
                .iter()
                .flat_map(|i| i.glossary.clone())
                .collect(),
            corpus: Some(c),
            files: vec![],
            jsonl: vec![],
            bytes: c.docs.iter().map(|d| d.text.len() as u64).sum(),
        }
    }

    /// Documents read: the corpus's, files and JSONL files.
    pub fn docs(&self) -> usize {
        self.corpus.map_or(0, |c| c.docs.len()) + self.files.len() + self.jsonl.len()
    }

    /// Every unit: the corpus's, each document file's as it is read (or as
    /// it was kept), then the JSONL records, one unit each.
    pub fn units(&self) -> impl Iterator<Item = Result<IndexUnit, SearchError>> + '_ {
        let docs = self
            .corpus
            .into_iter()
            .flat_map(|c| c.ingested())
            .flat_map(IndexUnit::from_ingested)
            .map(Ok);
        let files = self.files.iter().flat_map(|(p, kept)| {
            let units: Vec<Result<IndexUnit, SearchError>> = match kept {
                Some(ing) => IndexUnit::from_ingested(ing).into_iter().map(Ok).collect(),
                None => match Document::read(p) {
                    Ok(doc) => IndexUnit::from_ingested(&ingest::ingest(&doc))
                        .into_iter()
                        .map(Ok)
                        .collect(),
                    Err(e) => vec![Err(SearchError::Document(e))],
                },
            };
            units
        });
        let records = self.jsonl.iter().flat_map(|p| JsonlUnits::open(p));
        docs.chain(files).chain(records)
    }
}

#[derive(Deserialize)]
struct Record {
    id: serde_json::Value,
    #[serde(default)]
    title: String,
    #[serde(default)]
    section: String,
    text: String,
}

/// The records of one JSONL file as units; a bad line is an error naming
/// it, as is a line longer than [`limits::MAX_DOCUMENT_BYTES`].
struct JsonlUnits {
    path: PathBuf,
    name: String,
    reader: Result<std::io::BufReader<std::fs::File>, String>,
    line: usize,
    failed: bool,
}

impl JsonlUnits {
    fn open(p: &Path) -> JsonlUnits {
        JsonlUnits {
            path: p.to_path_buf(),
            name: file_name(p),
            reader: files::open_regular(p, u64::MAX).map(std::io::BufReader::new),
            line: 0,
            failed: false,
        }
    }

    /// The next line, without its line break; `None` at the end.
    fn next_line(&mut self) -> Option<Result<String, SearchError>> {
        let reader = match self.reader.as_mut() {
            Ok(r) => r,
            Err(e) => return Some(Err(SearchError::Io(e.clone()))),
        };
        let mut buf = Vec::new();
        let read = reader
            .take(limits::MAX_DOCUMENT_BYTES + 1)
            .read_until(b'\n', &mut buf);
        self.line += 1;
        let at = |what: String| {
            SearchError::Io(format!(
                "`{}` 第 {} 行{what}",
                self.path.display(),
                self.line
            ))
        };
        match read {
            Ok(0) => return None,
            Ok(_) => {}
            Err(e) => return Some(Err(at(format!("无法读取 (cannot read): {e}")))),
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
        } else if buf.len() as u64 > limits::MAX_DOCUMENT_BYTES {
            let h = human_bytes(limits::MAX_DOCUMENT_BYTES);
            return Some(Err(at(format!(
                "超过大小上限 {h} (the line is larger than the limit of {h})"
            ))));
        }
        Some(String::from_utf8(buf).map_err(|e| {
            at(format!(
                "不是 UTF-8 文本，行内第 {} 字节处有无效字节 (is not UTF-8 text)",
                e.utf8_error().valid_up_to()
            ))
        }))
    }
}

impl Iterator for JsonlUnits {
    type Item = Result<IndexUnit, SearchError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            let l = match self.next_line()? {
                Ok(l) => l,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            };
            if l.trim().is_empty() {
                continue;
            }
            let r: Record = match serde_json::from_str(&l) {
                Ok(r) => r,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(SearchError::Io(format!(
                        "`{}` 第 {} 行不是文档记录 (not a document record: {e})",
                        self.path.display(),
                        self.line
                    ))));
                }
            };
            let id = match r.id {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            let section = [r.title, r.section]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            return Some(Ok(IndexUnit {
                doc: self.name.clone(),
                id,
                line: self.line,
                kind: crate::search::Kind::Document,
                section,
                text: r.text,
                cells: vec![],
                heads: vec![],
            }));
        }
    }
}

fn is_jsonl(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "jsonl")
}
