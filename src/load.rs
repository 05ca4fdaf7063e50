//! Loading rule sets: files → parse → lower, for the bundled rules or a path.

use crate::corpus::Corpus;
use crate::dsl;
use crate::files::{self, Depth};
use crate::limits;
use crate::model::{self, Model};
use crate::span::{Diagnostic, Sources};
use std::path::Path;
use std::sync::Arc;

/// The outcome of loading a rule set.
#[derive(Debug)]
pub struct Loaded {
    /// The model, when there was no error.
    pub model: Option<Model>,
    /// Every error and warning.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read, for rendering diagnostics.
    pub sources: Arc<Sources>,
}

impl Loaded {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// All diagnostics rendered as text.
    pub fn render_diagnostics(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| self.sources.render(d))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Parses and lowers named texts. With a corpus, `source` quotes are checked.
pub fn load_texts(files: Vec<(String, String)>, corpus: Option<&Corpus>) -> Loaded {
    let mut sources = Sources::new();
    let ids: Vec<_> = files.into_iter().map(|(n, t)| sources.add(n, t)).collect();
    let mut parsed = Vec::new();
    let mut diagnostics = Vec::new();
    for id in ids {
        // Every syntax error of a file is reported, and the items that
        // parsed are still validated.
        let (f, ds) = dsl::parse_file_recovering(id, &sources.file(id).text);
        diagnostics.extend(ds);
        parsed.push((id, f));
    }
    let sources = Arc::new(sources);
    let syntax_errors = !diagnostics.is_empty();
    // Without a plan (its block did not parse) every other item would only
    // repeat that: validate when there is one.
    if syntax_errors && parsed.iter().all(|(_, f)| f.plans.is_empty()) {
        return Loaded {
            model: None,
            diagnostics,
            sources,
        };
    }
    let lowered = model::lower(sources.clone(), &parsed, corpus);
    diagnostics.extend(lowered.diagnostics);
    diagnostics.sort_by_key(|d| (d.span.file.0, d.span.start));
    Loaded {
        model: if syntax_errors { None } else { lowered.model },
        diagnostics,
        sources,
    }
}

/// The rules bundled with the binary.
pub fn bundled_rules() -> Vec<(String, String)> {
    crate::embedded::RULES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect()
}

/// Whether `file`, found under `root`, lies in a sub-folder of `root` that
/// holds its own `guihua.toml`.
fn in_nested_workspace(root: &Path, file: &Path) -> bool {
    let Ok(rel) = file.strip_prefix(root) else {
        return false;
    };
    let mut dir = root.to_path_buf();
    let mut parts: Vec<_> = rel.components().collect();
    parts.pop();
    parts.into_iter().any(|c| {
        dir.push(c);
        dir.join(crate::files::WORKSPACE_FILE).is_file()
    })
}

/// Reads a rule file, or every `.guihua` file under a folder (sorted by
/// path; see [`crate::files::walk`] for links and what is refused).
pub fn read_rules(path: &Path) -> Result<Vec<(String, String)>, String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("无法读取 `{}` (cannot read): {e}", path.display()))?;
    let paths = if meta.is_dir() {
        // A sub-folder with its own `guihua.toml` is another workspace
        // (a bundled example, a district's own rules): not part of this one.
        let paths: Vec<_> = files::walk(path, Depth::All, &|p| {
            p.extension().is_some_and(|x| x == "guihua")
        })?
        .into_iter()
        .filter(|p| !in_nested_workspace(path, p))
        .collect();
        if paths.is_empty() {
            return Err(format!(
                "`{}` 下没有 `.guihua` 规则文件 (no `.guihua` rule files under it)",
                path.display()
            ));
        }
        paths
    } else {
        vec![path.to_path_buf()]
    };
    paths
        .into_iter()
        .map(|p| {
            let text = files::read_text(&p, limits::MAX_RULE_FILE_BYTES)?;
            Ok((p.display().to_string(), text))
        })
        .collect()
}
