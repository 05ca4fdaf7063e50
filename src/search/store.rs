//! Persistent indexes for large collections.
//!
//! An index folder `OUT` owns everything guihua writes for it, and guihua
//! writes nowhere else:
//!
//! ```text
//! OUT/.lock                 held by the one `guihua index` writing OUT
//! OUT/CURRENT               the name of the complete generation to read
//! OUT/.generations/g…/      a generation: tantivy files + guihua-index.json
//! OUT/.generations/g….tmp/  a build in progress (or abandoned)
//! ```
//!
//! A build takes the lock (a second writer is refused with a message), then
//! removes what killed or failed builds left in `.generations/`, writes a
//! new `*.tmp` generation, renames it complete, and swaps `CURRENT` by
//! renaming a new pointer file over it, which is atomic: a crash at any
//! point leaves the previous index whole and in use. Only then is the
//! previous generation removed. Readers follow `CURRENT` and open again if
//! the generation they found was replaced while they opened it, so they see
//! the old index or the new one, never a mixture. `OUT` itself is never a
//! symbolic link (guihua does not write through one), and an existing `OUT`
//! is used only when empty or already a guihua index.
//!
//! Each generation holds `guihua-index.json` (format, counts and the lexicon
//! the index was built with, so queries are analysed the same way). Opening
//! verifies the checksum of every tantivy file, so a flipped bit is an
//! error, not a panic or a silently wrong answer.

use super::tokenizer::Segmenter;
use super::{IndexUnit, Lexicon, SearchError, SearchIndex};
use crate::corpus::{ingest, Corpus, Document};
use crate::files::{self, Depth};
use crate::limits::{self, human_bytes};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

/// File name of the manifest inside an index directory.
pub const MANIFEST: &str = "guihua-index.json";
/// Version of the index layout. 4: the fields `heads` (the headings a unit
/// is the first unit under) and `table` (rows and captions rank after prose). 3: generations inside the index folder
/// behind `CURRENT` (2 kept them in a sibling `OUT.gens/` behind a link).
pub const FORMAT: u32 = 4;
/// The lock file a build holds, inside the index folder.
pub const LOCK: &str = ".lock";
/// The pointer file naming the current generation.
pub const CURRENT: &str = "CURRENT";
/// The folder of generations, inside the index folder.
pub const GENERATIONS: &str = ".generations";

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
        "lock" => "锁定",
        _ => "处理",
    };
    SearchError::Io(format!("无法{zh} `{}` (cannot {what}): {e}", p.display()))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
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
                kind: "document".into(),
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

/// Builds an index of `input` in the folder `out` (created when missing;
/// its parent must exist), replacing any index there atomically.
/// `progress` is told bytes as they are indexed.
pub fn build(
    input: &Input<'_>,
    lexicon: Lexicon,
    out: &Path,
    threads: usize,
    progress: &mut dyn FnMut(u64),
) -> Result<Manifest, SearchError> {
    let seg = Segmenter::new(lexicon.terms.iter().map(String::as_str));
    build_with(input, lexicon, seg, out, threads, progress)
}

/// [`build`] with a segmenter already made from `lexicon.terms`.
pub fn build_with(
    input: &Input<'_>,
    lexicon: Lexicon,
    seg: Segmenter,
    out: &Path,
    threads: usize,
    progress: &mut dyn FnMut(u64),
) -> Result<Manifest, SearchError> {
    generation(out, true, |tmp| {
        let mut bytes = 0u64;
        let mut count = |b: u64| {
            bytes += b;
            progress(b);
        };
        let index = SearchIndex::build_with(
            input.units(),
            lexicon.clone(),
            seg,
            Some(tmp),
            threads,
            &mut count,
        )?;
        Ok(Manifest {
            format: FORMAT,
            generation: String::new(),
            units: index.len(),
            bytes,
            docs: input.docs() as u64,
            // With the forms learned while indexing.
            lexicon: index.lexicon.clone(),
        })
    })
}

/// Writes an index built in memory ([`SearchIndex::build`] without a
/// folder) as the index folder `out`, as [`build`] would have: the same
/// generations, lock and pointer swap, but nothing synced to disk, which
/// suits a cache (a file torn by a power cut fails its checksum when
/// opened, and the entry is built again). `docs` and `bytes` go into the
/// manifest.
pub fn save(
    index: &SearchIndex,
    docs: u64,
    bytes: u64,
    out: &Path,
) -> Result<Manifest, SearchError> {
    let Some(ram) = &index.ram else {
        return Err(SearchError::Index(
            "只能保存内存中的索引 (only an index built in memory can be saved)".into(),
        ));
    };
    generation(out, false, |tmp| {
        ram.persist(&PlainDir(tmp.to_path_buf()))?;
        Ok(Manifest {
            format: FORMAT,
            generation: String::new(),
            units: index.len(),
            bytes,
            docs,
            lexicon: index.lexicon.clone(),
        })
    })
}

/// Makes a new generation of `out` with `fill` (which writes the index
/// files into the folder it is given and says what they hold) and makes
/// it current, under the build lock; `durable`: synced to disk before the
/// swap.
fn generation(
    out: &Path,
    durable: bool,
    fill: impl FnOnce(&Path) -> Result<Manifest, SearchError>,
) -> Result<Manifest, SearchError> {
    prepare(out, true)?;
    let _lock = lock(out)?;
    let gens = out.join(GENERATIONS);
    match std::fs::symlink_metadata(&gens) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(not_ours(out)),
        Err(_) => std::fs::create_dir(&gens).map_err(|e| io("create", &gens, e))?,
    }
    // An unreadable pointer names nothing to keep: this build replaces it.
    let previous = current(out).ok().flatten();
    remove_abandoned(out, previous.as_deref());
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let generation = format!("g{stamp}-{}", std::process::id());
    let tmp = gens.join(format!("{generation}.tmp"));
    std::fs::create_dir(&tmp).map_err(|e| io("create", &tmp, e))?;
    let mut manifest = match fill(&tmp) {
        Ok(m) => m,
        Err(e) => {
            // A failed build leaves nothing behind (a killed one is
            // cleaned up by the next build).
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    manifest.generation = generation.clone();
    let write = |p: &Path, bytes: &[u8]| {
        if durable {
            write_synced(p, bytes)
        } else {
            std::fs::write(p, bytes).map_err(|e| io("write", p, e))
        }
    };
    write(
        &tmp.join(MANIFEST),
        &serde_json::to_vec_pretty(&manifest).expect("manifest serializes"),
    )?;
    let final_dir = gens.join(&generation);
    std::fs::rename(&tmp, &final_dir).map_err(|e| io("rename", &tmp, e))?;
    if durable {
        sync_dir(&gens)?;
    }
    // The swap: a new pointer renamed over the old one.
    let pointer_tmp = out.join(format!("{CURRENT}.tmp"));
    write(&pointer_tmp, format!("{generation}\n").as_bytes())?;
    std::fs::rename(&pointer_tmp, out.join(CURRENT)).map_err(|e| io("replace", out, e))?;
    if durable {
        sync_dir(out)?;
    }
    // The previous generation is no longer reachable.
    if let Some(p) = previous {
        let _ = std::fs::remove_dir_all(gens.join(p));
    }
    Ok(manifest)
}

/// A folder tantivy writes plain files into, unsynced: only what
/// [`RamDirectory::persist`](tantivy::directory::RamDirectory::persist)
/// calls (`open_write`) is offered; the rest is refused.
#[derive(Debug, Clone)]
struct PlainDir(PathBuf);

/// A file written without syncing.
struct PlainFile(std::io::BufWriter<std::fs::File>);

impl Write for PlainFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

impl tantivy::directory::TerminatingWrite for PlainFile {
    fn terminate_ref(&mut self, _: tantivy::directory::AntiCallToken) -> std::io::Result<()> {
        self.0.flush()
    }
}

impl tantivy::Directory for PlainDir {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> Result<
        std::sync::Arc<dyn tantivy::directory::FileHandle>,
        tantivy::directory::error::OpenReadError,
    > {
        Err(tantivy::directory::error::OpenReadError::FileDoesNotExist(
            path.to_path_buf(),
        ))
    }
    fn delete(&self, path: &Path) -> Result<(), tantivy::directory::error::DeleteError> {
        Err(tantivy::directory::error::DeleteError::FileDoesNotExist(
            path.to_path_buf(),
        ))
    }
    fn exists(&self, path: &Path) -> Result<bool, tantivy::directory::error::OpenReadError> {
        Ok(self.0.join(path).exists())
    }
    fn open_write(
        &self,
        path: &Path,
    ) -> Result<tantivy::directory::WritePtr, tantivy::directory::error::OpenWriteError> {
        let full = self.0.join(path);
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&full)
            .map_err(|e| tantivy::directory::error::OpenWriteError::wrap_io_error(e, full))?;
        Ok(std::io::BufWriter::new(Box::new(PlainFile(
            std::io::BufWriter::new(f),
        ))))
    }
    fn atomic_read(
        &self,
        path: &Path,
    ) -> Result<Vec<u8>, tantivy::directory::error::OpenReadError> {
        Err(tantivy::directory::error::OpenReadError::FileDoesNotExist(
            path.to_path_buf(),
        ))
    }
    fn atomic_write(&self, path: &Path, _: &[u8]) -> std::io::Result<()> {
        Err(std::io::Error::other(format!(
            "not offered: {}",
            path.display()
        )))
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn watch(
        &self,
        _: tantivy::directory::WatchCallback,
    ) -> tantivy::Result<tantivy::directory::WatchHandle> {
        Ok(tantivy::directory::WatchHandle::empty())
    }
}

/// Checks, before any work, that `out` may hold an index: a folder that is
/// empty or already an index, or a name in an existing folder. Creates
/// nothing.
pub fn check_out(out: &Path) -> Result<(), SearchError> {
    prepare(out, false)
}

/// Checks that `out` may hold an index and, with `create`, creates it when
/// missing. Nothing is created when the answer is no.
fn prepare(out: &Path, create: bool) -> Result<(), SearchError> {
    if out.as_os_str().is_empty() {
        return Err(SearchError::Io(
            "--out 不能为空 (--out names no folder)".into(),
        ));
    }
    let no_parent = || {
        SearchError::Io(format!(
            "无法创建索引文件夹 `{}`：它所在的文件夹不存在 (cannot create the index folder: the folder it goes in does not exist)",
            out.display()
        ))
    };
    match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => Err(symlink_out(out)),
        Ok(m) if m.is_dir() => {
            if is_ours_or_empty(out)? {
                Ok(())
            } else {
                Err(not_ours(out))
            }
        }
        Ok(_) => Err(not_ours(out)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !create => {
            let parent = out
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            if std::fs::metadata(parent).is_ok_and(|m| m.is_dir()) {
                Ok(())
            } else {
                Err(no_parent())
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match std::fs::create_dir(out) {
            Ok(()) => Ok(()),
            // Another build created it a moment ago: the lock decides.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if std::fs::symlink_metadata(out).is_ok_and(|m| m.is_dir()) {
                    Ok(())
                } else {
                    Err(not_ours(out))
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(no_parent()),
            Err(e) => Err(io("create", out, e)),
        },
        Err(e) => Err(io("create", out, e)),
    }
}

/// Whether a folder is empty or holds a guihua index (our own entries, none
/// of them a link).
fn is_ours_or_empty(out: &Path) -> Result<bool, SearchError> {
    let mut empty = true;
    let mut ours = false;
    for e in std::fs::read_dir(out).map_err(|e| io("read", out, e))? {
        let e = e.map_err(|e| io("read", out, e))?;
        empty = false;
        let name = e.file_name();
        let name = name.to_string_lossy();
        if [LOCK, CURRENT, GENERATIONS].contains(&name.as_ref()) {
            if e.file_type().is_ok_and(|t| t.is_symlink()) {
                return Err(symlink_out(&e.path()));
            }
            ours = true;
        }
    }
    Ok(empty || ours)
}

/// The build lock, held until dropped; a second build is refused.
fn lock(out: &Path) -> Result<std::fs::File, SearchError> {
    let p = out.join(LOCK);
    if std::fs::symlink_metadata(&p).is_ok_and(|m| !m.is_file()) {
        return Err(not_ours(out));
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut opts, libc::O_NOFOLLOW);
    let f = opts.open(&p).map_err(|e| io("create", &p, e))?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => Err(SearchError::Io(format!(
            "另一个 `guihua index` 正在写入 `{}`，请等它结束后再试 (another `guihua index` is writing this index; try again when it has finished)",
            out.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(io("lock", &p, e)),
    }
}

/// Removes the index folder `out` unless a build holds its lock.
pub fn remove_unless_locked(out: &Path) {
    if let Ok(_lock) = lock(out) {
        let _ = std::fs::remove_dir_all(out);
    }
}

/// The generation `CURRENT` names, if there is one.
fn current(out: &Path) -> Result<Option<String>, SearchError> {
    let p = out.join(CURRENT);
    let raw = match std::fs::read(&p) {
        Ok(raw) => raw,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io("read", &p, e)),
    };
    let name = String::from_utf8_lossy(&raw).trim().to_string();
    if !is_generation_name(&name) {
        return Err(SearchError::Index(format!(
            "索引文件夹 `{}` 已损坏 (broken index directory): {CURRENT} 不是一个代的名称 (does not name a generation)",
            out.display()
        )));
    }
    Ok(Some(name))
}

/// `g<digits>-<digits>`, as [`build`] names generations: never a path.
fn is_generation_name(s: &str) -> bool {
    s.len() <= 64
        && s.strip_prefix('g')
            .and_then(|r| r.split_once('-'))
            .is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && a.bytes().all(|c| c.is_ascii_digit())
                    && b.bytes().all(|c| c.is_ascii_digit())
            })
}

/// Removes what killed or failed builds left: every generation but the
/// current one, and a pointer file never renamed. Called under the lock, so
/// no build is writing them; a reader only ever opens the current one.
fn remove_abandoned(out: &Path, current: Option<&str>) {
    let _ = std::fs::remove_file(out.join(format!("{CURRENT}.tmp")));
    let Ok(rd) = std::fs::read_dir(out.join(GENERATIONS)) else {
        return;
    };
    for e in rd.flatten() {
        if Some(e.file_name().to_string_lossy().as_ref()) == current {
            continue;
        }
        // `remove_dir_all` does not follow links: one planted here goes,
        // what it points at stays.
        let _ = match e.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(e.path()),
            _ => std::fs::remove_file(e.path()),
        };
    }
}

fn write_synced(p: &Path, bytes: &[u8]) -> Result<(), SearchError> {
    let mut f = std::fs::File::create(p).map_err(|e| io("write", p, e))?;
    f.write_all(bytes).map_err(|e| io("write", p, e))?;
    f.sync_all().map_err(|e| io("write", p, e))
}

/// Makes a rename in `dir` durable.
fn sync_dir(dir: &Path) -> Result<(), SearchError> {
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io("write", dir, e))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn symlink_out(p: &Path) -> SearchError {
    // The layout before format 3: `OUT` a link into `OUT.gens/`.
    let old = std::fs::read_link(p).ok().is_some_and(|t| {
        t.parent()
            .and_then(|d| d.file_name())
            .is_some_and(|n| n.to_string_lossy().ends_with(".gens"))
    });
    if old {
        return SearchError::Io(format!(
            "`{0}` 是旧版 guihua 的索引（指向 `{0}.gens` 的链接）；请删除 `{0}` 和 `{0}.gens` 后重建 (an index in the old layout; delete both and build again)",
            p.display()
        ));
    }
    SearchError::Io(format!(
        "`{}` 是符号链接，guihua 不通过链接写入；请给出真实的文件夹路径 (is a symbolic link; guihua does not write through links — name the real folder)",
        p.display()
    ))
}

fn not_ours(out: &Path) -> SearchError {
    SearchError::Io(format!(
        "`{}` 已存在，且不是 guihua 建立的索引，请换一个 --out (exists and is not a guihua index)",
        out.display()
    ))
}

/// Opens the index in `dir` (a folder written by [`build`], or one of its
/// generations), checking that it is whole and its files intact.
pub fn open(dir: &Path) -> Result<(SearchIndex, Manifest), SearchError> {
    if std::fs::metadata(dir).is_err() {
        return Err(SearchError::Index(format!(
            "`{}` 处没有索引，请先用 `guihua index --corpus DIR --out {}` 建立 (no index at that path)",
            dir.display(),
            dir.display()
        )));
    }
    if !dir.join(CURRENT).exists() {
        if dir.join(MANIFEST).exists() {
            return open_generation(dir);
        }
        let why = if dir.join(GENERATIONS).exists() {
            "还没有完整的索引（建立时被中断或失败），请重新运行 `guihua index` (no complete index yet: the build was interrupted or failed; run `guihua index` again)"
        } else {
            "不是 guihua 建立的索引 (is not a guihua index)"
        };
        return Err(SearchError::Index(format!("`{}` {why}", dir.display())));
    }
    let mut last = None;
    for _ in 0..8 {
        let Some(name) = current(dir)? else { break };
        match open_generation(&dir.join(GENERATIONS).join(&name)) {
            Ok(x) => return Ok(x),
            // A build replaced this generation while it was being opened:
            // follow `CURRENT` again.
            Err(e) if current(dir).ok().flatten().as_deref() != Some(name.as_str()) => {
                last = Some(e);
            }
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        SearchError::Index(format!(
            "`{}` 处没有索引 (no index at that path)",
            dir.display()
        ))
    }))
}

/// Opens one generation folder.
fn open_generation(dir: &Path) -> Result<(SearchIndex, Manifest), SearchError> {
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
    let index = guarded(dir, || SearchIndex::open_dir(dir, manifest.lexicon.clone()))?;
    if index.len() != manifest.units {
        return Err(broken(format!(
            "清单记录 {} 条，索引中有 {} 条 (the manifest and the index disagree)",
            manifest.units,
            index.len()
        )));
    }
    Ok((index, manifest))
}

/// Runs a query on an index opened from disk. Opening verified every
/// file's checksum; should tantivy still panic on what it reads (a file
/// changed after opening), the panic becomes the corrupt-index error.
pub fn search(
    index: &SearchIndex,
    dir: &Path,
    query: &str,
    limit: usize,
) -> Result<super::SearchResults, SearchError> {
    guarded(dir, || index.search(query, limit))
}

fn guarded<T>(dir: &Path, f: impl FnOnce() -> Result<T, SearchError>) -> Result<T, SearchError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(corrupt(dir, "")))
}

/// The error for an index whose files do not read back as written.
pub fn corrupt(dir: &Path, detail: &str) -> SearchError {
    SearchError::Index(format!(
        "索引已损坏，请重建 (index is corrupt; rebuild it): `{}`{detail}",
        dir.display()
    ))
}
