//! The index folder itself: what may hold an index, its build lock, the
//! `CURRENT` pointer, abandoned generations, synced writes, and the plain
//! folder an in-memory index is saved into.

use super::{io, CURRENT, GENERATIONS, LOCK};
use crate::search::SearchError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A folder tantivy writes plain files into, unsynced: only what
/// [`RamDirectory::persist`](tantivy::directory::RamDirectory::persist)
/// calls (`open_write`) is offered; the rest is refused.
#[derive(Debug, Clone)]
pub(super) struct PlainDir(pub(super) PathBuf);

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
pub(super) fn prepare(out: &Path, create: bool) -> Result<(), SearchError> {
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
pub(super) fn lock(out: &Path) -> Result<std::fs::File, SearchError> {
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
pub(super) fn current(out: &Path) -> Result<Option<String>, SearchError> {
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
pub(super) fn remove_abandoned(out: &Path, current: Option<&str>) {
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

pub(super) fn write_synced(p: &Path, bytes: &[u8]) -> Result<(), SearchError> {
    let mut f = std::fs::File::create(p).map_err(|e| io("write", p, e))?;
    f.write_all(bytes).map_err(|e| io("write", p, e))?;
    f.sync_all().map_err(|e| io("write", p, e))
}

/// Makes a rename in `dir` durable.
pub(super) fn sync_dir(dir: &Path) -> Result<(), SearchError> {
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

pub(super) fn not_ours(out: &Path) -> SearchError {
    SearchError::Io(format!(
        "`{}` 已存在，且不是 guihua 建立的索引，请换一个 --out (exists and is not a guihua index)",
        out.display()
    ))
}
