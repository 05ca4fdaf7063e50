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

mod folder;
mod input;

pub use folder::{check_out, remove_unless_locked};
pub use input::{jsonl_files, Input};

use super::tokenizer::Segmenter;
use super::{Lexicon, SearchError, SearchIndex};
use folder::{
    current, lock, not_ours, prepare, remove_abandoned, sync_dir, write_synced, PlainDir,
};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// File name of the manifest inside an index directory.
pub const MANIFEST: &str = "guihua-index.json";
/// Version of the index layout. 6: a number with its percent sign is
/// also one token (`63.99%`). 5: headings and table cells stored one
/// value each (4 joined them with a separator). 4: the fields `heads` (the headings a unit
/// is the first unit under) and `table` (rows and captions rank after prose). 3: generations inside the index folder
/// behind `CURRENT` (2 kept them in a sibling `OUT.gens/` behind a link).
pub const FORMAT: u32 = 6;
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

/// Opens the index at `dir`, lets `prepare` adjust it (the rules'
/// synonyms), and answers `query`. Should a build replace the generation
/// between opening and answering (a reader that opened a generation just
/// before a newer build removed it), it follows `CURRENT` again, so a
/// search during rebuilds answers from one whole index.
pub fn open_and_search(
    dir: &Path,
    query: &str,
    limit: usize,
    mut prepare: impl FnMut(&mut SearchIndex),
) -> Result<super::SearchResults, SearchError> {
    let mut last = None;
    for _ in 0..8 {
        let before = current(dir).ok().flatten();
        let (mut index, _) = open(dir)?;
        prepare(&mut index);
        match search(&index, dir, query, limit) {
            Ok(r) => return Ok(r),
            Err(e) if before.is_some() && current(dir).ok().flatten() != before => {
                last = Some(e);
            }
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| corrupt(dir, "")))
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
