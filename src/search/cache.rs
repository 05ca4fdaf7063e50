//! The index a one-shot search builds, kept for the next one.
//!
//! `guihua search` without `--index` indexes its corpus on every call.
//! The index is instead kept in a cache folder, one index folder per key
//! (a hash of everything the index depends on: this binary, the rules'
//! texts and the documents' texts), and a later call with the same inputs
//! opens it instead of building it. Each entry is an index folder as
//! [`store`](super::store) writes them (`CURRENT`, `.generations/`, the
//! build lock), so a crash or a second process building the same entry
//! never leaves a mixture: the loser of the lock, like any call that cannot
//! write the cache, builds in memory as before. An entry that fails to open
//! (damaged, or evicted by another process meanwhile) is rebuilt.
//!
//! The cache folder is `$GUIHUA_CACHE_DIR`, else `$XDG_CACHE_HOME/guihua`,
//! else `~/.cache/guihua` (its `search/` subfolder); `GUIHUA_CACHE_DIR=off`
//! turns the cache off. At most [`KEEP`] entries are kept, the most recently
//! used.

use super::store::{self, Manifest};
use super::{SearchError, SearchIndex};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// How many cached indexes are kept.
pub const KEEP: usize = 8;

/// The largest input (bytes of text) whose index is cached: a larger
/// collection is `guihua index`'s business, not a copy in a cache folder.
pub const MAX_BYTES: u64 = 64 << 20;

/// What a cached index depends on, hashed as it is fed.
pub struct Key {
    a: std::collections::hash_map::DefaultHasher,
    b: std::collections::hash_map::DefaultHasher,
}

impl Default for Key {
    fn default() -> Self {
        Key::new()
    }
}

impl Key {
    /// A key that already holds this binary's identity and the index
    /// format: a new build of guihua never opens an older one's index.
    pub fn new() -> Key {
        let mut k = Key {
            a: Default::default(),
            b: Default::default(),
        };
        // Two hashers seeded apart: a 128-bit key.
        0u8.hash(&mut k.a);
        1u8.hash(&mut k.b);
        k.add(env!("CARGO_PKG_VERSION").as_bytes());
        k.add(&store::FORMAT.to_le_bytes());
        let exe = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| {
                let t = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{}:{t}", m.len())
            })
            .unwrap_or_default();
        k.add(exe.as_bytes());
        k
    }

    /// Adds a part (its length first, so parts never run into each other).
    pub fn add(&mut self, part: &[u8]) {
        for h in [&mut self.a, &mut self.b] {
            part.len().hash(h);
            h.write(part);
        }
    }

    /// The key as a folder name.
    pub fn name(&self) -> String {
        format!("{:016x}{:016x}", self.a.finish(), self.b.finish())
    }
}

/// The cache folder, or `None` when there is none (no home folder, or
/// `GUIHUA_CACHE_DIR=off`).
pub fn root() -> Option<PathBuf> {
    let var = |n: &str| std::env::var_os(n).filter(|v| !v.is_empty());
    let base = match var("GUIHUA_CACHE_DIR") {
        Some(v) if v == "off" => return None,
        Some(v) => PathBuf::from(v),
        None => var("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".cache")))?
            .join("guihua"),
    };
    Some(base.join("search"))
}

/// The cached index of `key` in `root`, if there is a whole one.
pub fn open(root: &Path, key: &Key) -> Option<(SearchIndex, PathBuf)> {
    let dir = root.join(key.name());
    if !dir.join(store::CURRENT).exists() {
        return None;
    }
    let (index, _) = store::open(&dir).ok()?;
    // Most recently used: the pointer's time (its content is unchanged).
    if let Ok(f) = std::fs::File::options()
        .write(true)
        .open(dir.join(store::CURRENT))
    {
        let _ = f.set_modified(std::time::SystemTime::now());
    }
    Some((index, dir))
}

/// Keeps an index built in memory as the cache entry of `key` (`docs`
/// documents, `bytes` of text); older entries beyond [`KEEP`] are removed.
/// An error leaves the cache as it was.
pub fn save(
    root: &Path,
    key: &Key,
    index: &SearchIndex,
    docs: u64,
    bytes: u64,
) -> Result<PathBuf, SearchError> {
    std::fs::create_dir_all(root).map_err(|e| {
        SearchError::Io(format!(
            "无法创建缓存文件夹 `{}` (cannot create the cache folder): {e}",
            root.display()
        ))
    })?;
    let dir = root.join(key.name());
    let _: Manifest = store::save(index, docs, bytes, &dir)?;
    evict(root, &dir);
    Ok(dir)
}

/// Removes the least recently used entries beyond [`KEEP`], never `keep`
/// nor one a build is writing.
fn evict(root: &Path, keep: &Path) {
    let Ok(rd) = std::fs::read_dir(root) else {
        return;
    };
    let mut entries: Vec<(std::time::SystemTime, PathBuf)> = rd
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| {
            let used = std::fs::metadata(e.path().join(store::CURRENT))
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            (used, e.path())
        })
        .collect();
    if entries.len() <= KEEP {
        return;
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (_, p) in entries.into_iter().skip(KEEP) {
        if p != keep {
            store::remove_unless_locked(&p);
        }
    }
}
