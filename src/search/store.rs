//! Persistent indexes for large collections.
//!
//! `OUT` is a symbolic link to a generation directory in `OUT.gens/`. A new
//! index is built in a fresh `*.tmp` generation and swapped in by renaming a
//! new link over `OUT`, which is atomic: a crash or Ctrl-C while building
//! leaves the previous index in place and usable. Each generation holds the
//! tantivy files and `guihua-index.json` (format, counts and the lexicon the
//! index was built with, so queries are analysed the same way).

use super::{IndexUnit, Lexicon, SearchError, SearchIndex};
use crate::corpus::{ingest, Corpus, Document};
use serde::{Deserialize, Serialize};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// File name of the manifest inside an index directory.
pub const MANIFEST: &str = "guihua-index.json";
/// Version of the index layout.
pub const FORMAT: u32 = 2;

/// What an index directory holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Layout version.
    pub format: u32,
    /// Generation directory name.
    pub generation: String,
    /// Units indexed.
    pub units: u64,
    /// Bytes of text indexed.
    pub bytes: u64,
    /// Documents (files or JSONL records) read.
    pub docs: u64,
    /// The lexicon the index was built with.
    pub lexicon: Lexicon,
}

/// A failed file operation: `what` is the English verb; the message says
/// it in Chinese first.
fn io(what: &str, p: &Path, e: std::io::Error) -> SearchError {
    let zh = match what {
        "read corpus folder" => "读取语料文件夹",
        "read" => "读取",
        "create" => "创建",
        "write" => "写入",
        "rename" => "重命名",
        "link" => "建立链接",
        "replace" => "替换",
        _ => "处理",
    };
    SearchError::Io(format!("无法{zh} `{}` (cannot {what}): {e}", p.display()))
}

fn gens_dir(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    out.with_file_name(format!("{name}.gens"))
}

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
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| io("read corpus folder", dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        paths.sort();
        let mut input = Input::jsonl(Vec::new());
        for p in paths {
            if crate::corpus::is_document(&p) && p.is_file() {
                let doc = Document::read(&p).map_err(SearchError::Document)?;
                input.bytes += doc.text.len() as u64;
                // Only a document with a 名词解释 section has a glossary.
                let kept = doc.text.contains("名词解释").then(|| ingest::ingest(&doc));
                if let Some(ing) = &kept {
                    input.glossary.extend(ing.glossary.iter().cloned());
                }
                input.files.push((p, kept));
            } else if p.extension().is_some_and(|e| e == "jsonl") {
                let len = std::fs::metadata(&p).map_err(|e| io("read", &p, e))?.len();
                if len == 0 {
                    return Err(SearchError::Document(format!(
                        "`{}` 是空文件 (is empty)",
                        p.display()
                    )));
                }
                input.bytes += len;
                input.jsonl.push(p);
            }
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

/// The records of one JSONL file as units; a bad line is an error naming it.
struct JsonlUnits {
    path: PathBuf,
    name: String,
    lines: Option<std::io::Lines<std::io::BufReader<std::fs::File>>>,
    line: usize,
    failed: bool,
}

impl JsonlUnits {
    fn open(p: &Path) -> JsonlUnits {
        JsonlUnits {
            path: p.to_path_buf(),
            name: p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            lines: std::fs::File::open(p)
                .ok()
                .map(|f| std::io::BufReader::new(f).lines()),
            line: 0,
            failed: false,
        }
    }
}

impl Iterator for JsonlUnits {
    type Item = Result<IndexUnit, SearchError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let Some(lines) = self.lines.as_mut() else {
            self.failed = true;
            return Some(Err(SearchError::Io(format!(
                "无法打开 `{}` (cannot open)",
                self.path.display()
            ))));
        };
        loop {
            let l = lines.next()?;
            self.line += 1;
            let l = match l {
                Ok(l) => l,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(SearchError::Io(format!(
                        "`{}` line {}: {e}",
                        self.path.display(),
                        self.line
                    ))));
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
                kind: "document".into(),
                section,
                text: r.text,
                cells: vec![],
            }));
        }
    }
}

/// Builds an index of `input` at `out`, replacing any index there
/// atomically. `progress` is told bytes as they are indexed.
pub fn build(
    input: &Input<'_>,
    lexicon: Lexicon,
    out: &Path,
    threads: usize,
    progress: &mut dyn FnMut(u64),
) -> Result<Manifest, SearchError> {
    // An existing `out` must be one of ours.
    if let Ok(m) = std::fs::symlink_metadata(out) {
        if !m.file_type().is_symlink() {
            return Err(SearchError::Io(format!("`{}` 已存在，且不是 guihua 建立的索引，请换一个 --out (exists and is not a guihua index)", out.display())));
        }
    }
    let gens = gens_dir(out);
    std::fs::create_dir_all(&gens).map_err(|e| io("create", &gens, e))?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let generation = format!("g{stamp}-{}", std::process::id());
    let tmp = gens.join(format!("{generation}.tmp"));
    std::fs::create_dir(&tmp).map_err(|e| io("create", &tmp, e))?;
    let mut bytes = 0u64;
    let mut count = |b: u64| {
        bytes += b;
        progress(b);
    };
    let index = SearchIndex::build(
        input.units(),
        lexicon.clone(),
        Some(&tmp),
        threads,
        &mut count,
    )?;
    let manifest = Manifest {
        format: FORMAT,
        generation: generation.clone(),
        units: index.len(),
        bytes,
        docs: input.docs() as u64,
        lexicon,
    };
    drop(index);
    let mf = tmp.join(MANIFEST);
    std::fs::write(
        &mf,
        serde_json::to_vec_pretty(&manifest).expect("manifest serializes"),
    )
    .map_err(|e| io("write", &mf, e))?;
    let final_dir = gens.join(&generation);
    std::fs::rename(&tmp, &final_dir).map_err(|e| io("rename", &tmp, e))?;
    // Swap: a new link renamed over the old one.
    let gens_name = gens
        .file_name()
        .expect("has a name")
        .to_string_lossy()
        .into_owned();
    let link_tmp = out.with_file_name(format!(
        ".{}.link-{}",
        out.file_name().expect("has a name").to_string_lossy(),
        std::process::id()
    ));
    let _ = std::fs::remove_file(&link_tmp);
    symlink(Path::new(&gens_name).join(&generation), &link_tmp)
        .map_err(|e| io("link", &link_tmp, e))?;
    std::fs::rename(&link_tmp, out).map_err(|e| io("replace", out, e))?;
    // Older generations and abandoned builds are no longer reachable.
    if let Ok(rd) = std::fs::read_dir(&gens) {
        for e in rd.flatten() {
            if e.file_name().to_string_lossy() != generation {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    Ok(manifest)
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn symlink(target: impl AsRef<Path>, link: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_dir(target, link)
}

/// Opens an index written by [`build`], checking that it is whole.
pub fn open(dir: &Path) -> Result<(SearchIndex, Manifest), SearchError> {
    if std::fs::metadata(dir).is_err() {
        return Err(SearchError::Index(format!(
            "`{}` 处没有索引，请先用 `guihua index --corpus DIR --out {}` 建立 (no index at that path)",
            dir.display(),
            dir.display()
        )));
    }
    let broken = |why: String| {
        SearchError::Index(format!(
            "索引目录 `{}` 已损坏 (broken index directory): {why}",
            dir.display()
        ))
    };
    let mf = dir.join(MANIFEST);
    let raw = std::fs::read(&mf).map_err(|_| broken(format!("no {MANIFEST}")))?;
    let manifest: Manifest =
        serde_json::from_slice(&raw).map_err(|e| broken(format!("unreadable {MANIFEST} ({e})")))?;
    if manifest.format != FORMAT {
        return Err(broken(format!(
            "索引格式为 {}，本版本读取格式 {FORMAT}，请重建 (index format; rebuild it)",
            manifest.format
        )));
    }
    let index = SearchIndex::open_dir(dir, manifest.lexicon.clone())?;
    if index.len() != manifest.units {
        return Err(broken(format!(
            "清单记录 {} 条，索引中有 {} 条 (the manifest and the index disagree)",
            manifest.units,
            index.len()
        )));
    }
    Ok((index, manifest))
}
