//! A workspace: a folder with `guihua.toml`, its rules and its corpus.
//!
//! ```toml
//! name = "某区"                                  # district / workspace name
//! title = "某区国民经济和社会发展第十四个五年规划纲要"  # plan title (optional)
//! rules = "rules"                                # folder, relative to the toml
//! corpus = "corpus"                              # folder, relative to the toml
//! ```
//!
//! Commands find the workspace upward from the current folder, as cargo
//! finds `Cargo.toml`.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The workspace file's name.
pub const FILE: &str = crate::files::WORKSPACE_FILE;

/// The contents of `guihua.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// District or workspace name.
    pub name: String,
    /// The plan's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Rules folder (or file), relative to the toml.
    #[serde(default = "default_rules")]
    pub rules: String,
    /// Corpus folder, relative to the toml.
    #[serde(default = "default_corpus")]
    pub corpus: String,
}

fn default_rules() -> String {
    "rules".into()
}

fn default_corpus() -> String {
    "corpus".into()
}

/// A workspace found on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    /// The folder holding `guihua.toml`.
    pub root: PathBuf,
    /// The file's settings.
    pub config: Config,
}

impl Workspace {
    /// Reads a `guihua.toml`; the error names the file, the line and what
    /// was expected.
    pub fn load(file: &Path) -> Result<Workspace, String> {
        let text = crate::corpus::read_text(file)?;
        let config: Config = toml::from_str(&text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    format!(":{line}")
                })
                .unwrap_or_default();
            format!(
                "`{}{at}` 不是有效的工作区文件，应包含 name（及可选的 title、rules、corpus） \
                 (is not a valid workspace file: expected name, and optionally title, rules, corpus): {}",
                file.display(),
                e.message()
            )
        })?;
        let root = file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Ok(Workspace { root, config })
    }

    /// The workspace's name.
    pub fn name(&self) -> &str {
        &self.config.name
    }

    /// The plan's title, if given.
    pub fn title(&self) -> Option<&str> {
        self.config.title.as_deref()
    }

    /// The rules folder (or file).
    pub fn rules(&self) -> PathBuf {
        under(&self.root, &self.config.rules)
    }

    /// The corpus folder.
    pub fn corpus(&self) -> PathBuf {
        under(&self.root, &self.config.corpus)
    }

    /// The path of `guihua.toml`.
    pub fn file(&self) -> PathBuf {
        self.root.join(FILE)
    }
}

/// The workspace that `start` is in: the nearest `guihua.toml` in `start`
/// or a folder above it. `Ok(None)` when there is none; an error when the
/// nearest one cannot be read.
pub fn find_workspace(start: &Path) -> Result<Option<Workspace>, String> {
    let start = if start.is_absolute() {
        start.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| format!("无法确定当前目录 (cannot read the current folder): {e}"))?
            .join(start)
    };
    for dir in start.ancestors() {
        let f = dir.join(FILE);
        if f.is_file() {
            return Workspace::load(&f).map(Some);
        }
    }
    Ok(None)
}

/// `rel` under `root`, without the `./` parts a planner may write
/// (`rules = "."` names the root itself, so messages say `root/方法.guihua`).
fn under(root: &Path, rel: &str) -> PathBuf {
    let mut p = root.to_path_buf();
    for c in Path::new(rel).components() {
        if c != std::path::Component::CurDir {
            p.push(c);
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_upward_with_defaults() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join(FILE), "name = \"某区\"\n").unwrap();
        let sub = d.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        let w = find_workspace(&sub).unwrap().expect("found");
        assert_eq!(w.name(), "某区");
        assert_eq!(w.rules(), d.path().join("rules"));
        assert_eq!(w.corpus(), d.path().join("corpus"));
        assert_eq!(w.title(), None);
    }

    #[test]
    fn a_bad_file_is_named_with_its_line() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join(FILE), "title = \"x\"\nrules = 3\n").unwrap();
        let e = find_workspace(d.path()).unwrap_err();
        assert!(e.contains("guihua.toml:"), "{e}");
        assert!(e.contains("不是有效的工作区文件"), "{e}");
    }
}
