//! Files and folders a user names: one walk, one bounded read.
//!
//! Every folder of rules or documents is listed by [`walk`]. A symbolic
//! link is followed only while it stays inside the folder named (one that
//! leads out is an error naming it); a folder reached twice, as through a
//! link loop, is read once; and a file with a wanted extension must be a
//! regular file — a FIFO or a device named `x.txt` is refused before it is
//! opened. [`read_text`] and [`open_regular`] refuse what is not a regular
//! file and what is larger than its limit (see [`crate::limits`]).

use crate::limits::{self, human_bytes};

/// The workspace file's name (a folder holding one is a workspace of its
/// own; see `crate::workspace`).
pub const WORKSPACE_FILE: &str = "guihua.toml";
use std::collections::HashSet;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

/// How deep a walk goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Only the files directly in the folder.
    Top,
    /// Every sub-folder too (up to [`limits::MAX_FOLDER_DEPTH`]).
    All,
}

/// The files under `root` whose path `wanted` accepts, sorted by path, each
/// once. Paths are as reached from `root` (not resolved), for messages.
pub fn walk(
    root: &Path,
    depth: Depth,
    wanted: &dyn Fn(&Path) -> bool,
) -> Result<Vec<PathBuf>, String> {
    let top = std::fs::canonicalize(root).map_err(|e| cannot_read_folder(root, &e))?;
    let mut w = Walker {
        root,
        top: top.clone(),
        depth,
        wanted,
        dirs: HashSet::from([top.clone()]),
        files: HashSet::new(),
        out: Vec::new(),
    };
    w.visit(root, &top, 0)?;
    Ok(w.out)
}

struct Walker<'a> {
    root: &'a Path,
    top: PathBuf,
    depth: Depth,
    wanted: &'a dyn Fn(&Path) -> bool,
    /// Folders read, resolved: a second way into one is not taken.
    dirs: HashSet<PathBuf>,
    /// Files kept, resolved: a file linked twice is read once.
    files: HashSet<PathBuf>,
    out: Vec<PathBuf>,
}

impl Walker<'_> {
    fn visit(&mut self, dir: &Path, real_dir: &Path, level: usize) -> Result<(), String> {
        let rd = std::fs::read_dir(dir).map_err(|e| cannot_read_folder(dir, &e))?;
        let mut entries = Vec::new();
        for e in rd {
            let e = e.map_err(|e| cannot_read_folder(dir, &e))?;
            entries.push((e.path(), e.file_name()));
        }
        entries.sort();
        for (path, name) in entries {
            let lmeta = std::fs::symlink_metadata(&path).map_err(|e| cannot_read(&path, &e))?;
            let wanted = (self.wanted)(&path);
            let (real, meta): (PathBuf, Metadata) = if lmeta.file_type().is_symlink() {
                let real = match std::fs::canonicalize(&path) {
                    Ok(r) => r,
                    // A dangling link or a loop of links: an error only
                    // where a file was wanted.
                    Err(e) if wanted => return Err(cannot_read(&path, &e)),
                    Err(_) => continue,
                };
                let meta = std::fs::metadata(&real).map_err(|e| cannot_read(&path, &e))?;
                let matters = wanted || (meta.is_dir() && self.depth == Depth::All);
                if !matters {
                    continue;
                }
                if !real.starts_with(&self.top) {
                    return Err(format!(
                        "`{}` 是指向文件夹 `{}` 之外（`{}`）的链接，不会跟随；请删除它，或直接给出那个路径 (links outside the folder named; not followed)",
                        path.display(),
                        self.root.display(),
                        real.display()
                    ));
                }
                (real, meta)
            } else {
                (real_dir.join(&name), lmeta)
            };
            if meta.is_dir() {
                if self.depth == Depth::Top || !self.dirs.insert(real.clone()) {
                    continue;
                }
                if level + 1 > limits::MAX_FOLDER_DEPTH {
                    return Err(format!(
                        "`{}` 的文件夹层级超过上限 {} 层 (folders nested deeper than the limit of {})",
                        path.display(),
                        limits::MAX_FOLDER_DEPTH,
                        limits::MAX_FOLDER_DEPTH
                    ));
                }
                self.visit(&path, &real, level + 1)?;
            } else if wanted {
                if !meta.is_file() {
                    return Err(not_regular(&path));
                }
                if self.files.insert(real) {
                    self.out.push(path);
                }
            }
        }
        Ok(())
    }
}

/// Opens a regular file for reading; anything else (a folder, a FIFO, a
/// device) is refused without blocking, as is a file larger than `limit`.
pub fn open_regular(path: &Path, limit: u64) -> Result<File, String> {
    let meta = std::fs::metadata(path).map_err(|e| cannot_read(path, &e))?;
    check_regular(path, &meta, limit)?;
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    // Never wait on a FIFO put in place after the check above.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut opts, libc::O_NONBLOCK);
    let f = opts.open(path).map_err(|e| cannot_read(path, &e))?;
    let meta = f.metadata().map_err(|e| cannot_read(path, &e))?;
    check_regular(path, &meta, limit)?;
    Ok(f)
}

fn check_regular(path: &Path, meta: &Metadata, limit: u64) -> Result<(), String> {
    if meta.is_dir() {
        return Err(format!(
            "`{}` 是文件夹，不是文件 (is a folder, not a file)",
            path.display()
        ));
    }
    if !meta.is_file() {
        return Err(not_regular(path));
    }
    if meta.len() > limit {
        return Err(too_large(path, limit));
    }
    Ok(())
}

/// Reads a regular file of at most `limit` bytes that must be UTF-8 text;
/// the error names the file and, for bad bytes, the offset of the first one.
pub fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    let f = open_regular(path, limit)?;
    let mut bytes = Vec::new();
    f.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(path, &e))?;
    // The file grew after it was measured.
    if bytes.len() as u64 > limit {
        return Err(too_large(path, limit));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "`{}` 不是 UTF-8 文本，第 {} 字节处有无效字节 (is not UTF-8 text)",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// A file larger than `limit`, with the limit named.
pub fn too_large(path: &Path, limit: u64) -> String {
    let h = human_bytes(limit);
    format!(
        "`{}` 超过大小上限 {h}，未读取 (is larger than the limit of {h}; not read)",
        path.display()
    )
}

fn not_regular(path: &Path) -> String {
    format!(
        "`{}` 不是普通文件（可能是管道或设备），未读取 (is not a regular file; not read)",
        path.display()
    )
}

fn cannot_read(path: &Path, e: &std::io::Error) -> String {
    format!("无法读取 `{}` (cannot read): {e}", path.display())
}

fn cannot_read_folder(path: &Path, e: &std::io::Error) -> String {
    format!(
        "无法读取文件夹 `{}` (cannot read folder): {e}",
        path.display()
    )
}

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// renamed into place: a reader never sees half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("不是文件名 (not a file name)"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
