//! The invariants ARCHITECTURE.md states, each checked against the source
//! so that it fails the day it stops holding.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, with its code: comments dropped and the
/// `#[cfg(test)]` module cut off (tests may print and import freely).
fn sources() -> Vec<(PathBuf, String)> {
    rs_files()
        .into_iter()
        .map(|(p, text)| {
            let text = match text.find("#[cfg(test)]") {
                Some(i) => &text[..i],
                None => &text[..],
            };
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .map(|l| format!("{l}\n"))
                .collect();
            (p, code)
        })
        .collect()
}

/// Every `.rs` file under `src/`, path relative to it, with its text.
pub(crate) fn rs_files() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("read src") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read source");
            (
                p.strip_prefix(&root).expect("under src").to_path_buf(),
                text,
            )
        })
        .collect()
}

/// The top-level module a file belongs to: `check` for src/check/stated.rs,
/// `limits` for src/limits.rs.
fn module_of(p: &Path) -> String {
    let first = p.components().next().expect("a path");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

#[test]
fn only_the_cli_prints() {
    let mut offenders = Vec::new();
    for (p, code) in sources() {
        let m = module_of(&p);
        if m == "cli" || m == "main" {
            continue;
        }
        for (n, line) in code.lines().enumerate() {
            for pat in [
                "print!(",
                "println!(",
                "eprint!(",
                "eprintln!(",
                "dbg!(",
                "io::stdout()",
                "io::stderr()",
            ] {
                if line.contains(pat) {
                    offenders.push(format!("src/{}:{}: {}", p.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "the library returns what it has to say; only src/cli/ prints:\n{}",
        offenders.join("\n")
    );
}

/// Data flows one way: a module imports only modules of a lower rank.
#[test]
fn no_import_runs_back_up_the_pipeline() {
    let rank: BTreeMap<&str, u8> = [
        // Shared by every stage.
        ("limits", 0),
        ("span", 0),
        ("period", 0),
        ("messages", 0),
        ("files", 0),
        ("embedded", 0),
        ("ops", 0),
        ("resolve", 1),
        // Text in.
        ("dsl", 2),
        ("corpus", 2),
        // The checked model.
        ("model", 3),
        ("load", 4),
        ("eval", 4),
        // What is done with a model and documents.
        ("report", 5),
        ("graph", 5),
        ("search", 5),
        ("check", 5),
        ("draft", 6),
        ("desk", 7),
        ("workspace", 7),
        ("cli", 8),
        ("lib", 9),
        ("main", 9),
    ]
    .into_iter()
    .collect();
    let mut offenders = Vec::new();
    for (p, code) in sources() {
        let m = module_of(&p);
        let Some(&mine) = rank.get(m.as_str()) else {
            panic!(
                "src/{}: a new top-level module needs a rank here and a line in ARCHITECTURE.md",
                p.display()
            );
        };
        for (n, line) in code.lines().enumerate() {
            let mut rest = line;
            while let Some(i) = rest.find("crate::") {
                rest = &rest[i + "crate::".len()..];
                let used: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                match rank.get(used.as_str()) {
                    Some(&theirs)
                        if theirs > mine || (theirs == mine && used != m && mine >= 5) =>
                    {
                        offenders.push(format!(
                            "src/{}:{}: `{m}` (rank {mine}) uses `{used}` (rank {theirs})",
                            p.display(),
                            n + 1
                        ))
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "imports that run back up the pipeline:\n{}",
        offenders.join("\n")
    );
}

/// After lowering, stages see `model` only: the syntax tree is read by the
/// parser, the lowering and the loader that ties them together.
#[test]
fn only_the_parser_lowering_and_loader_see_the_syntax_tree() {
    let mut offenders = Vec::new();
    for (p, code) in sources() {
        let s = p.to_string_lossy();
        if s.starts_with("dsl/") || s.starts_with("model/lower/") || s == "load.rs" {
            continue;
        }
        for (n, line) in code.lines().enumerate() {
            if line.contains("dsl::") {
                offenders.push(format!("src/{s}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "stages after lowering use `model`, not `dsl`:\n{}",
        offenders.join("\n")
    );
}

/// Rules are data: no status word of the bundled rules (`达到预期`,
/// `低于预期`…), no attribute (`约束性`) and none of the usual paraphrases
/// check reads in prose (`超过预期`, `没有数据`) is written in `src/` as
/// code. Examples of syntax in messages (in backticks) may show one; the
/// drafter (`src/draft/`), which reads a report's own status column, knows
/// the genre's vocabulary by design and is left out.
#[test]
fn no_status_word_is_written_in_the_engine() {
    let model = guihua::load::load_texts(guihua::load::bundled_rules(), None)
        .model
        .expect("the bundled rules load");
    let mut words: Vec<String> = model.statuses.iter().map(|s| s.name.clone()).collect();
    words.extend(model.plan.attributes.iter().cloned());
    assert!(words.len() >= 6, "{words:?}");
    words.extend(
        ["超过预期", "没有数据", "达到或超过", "完成较好"]
            .iter()
            .map(|w| w.to_string()),
    );
    let mut found = Vec::new();
    for (path, code) in sources() {
        if module_of(&path) == "draft" {
            continue;
        }
        for (n, line) in code.lines().enumerate() {
            // Drop what is quoted as an example of syntax.
            let plain: String = line
                .split('`')
                .enumerate()
                .filter(|(i, _)| i % 2 == 0)
                .map(|(_, part)| part)
                .collect();
            for w in &words {
                if plain.contains(w.as_str()) {
                    found.push(format!("src/{}:{}: {w}", path.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "status words written in the engine:\n{}",
        found.join("\n")
    );
}

/// No room too big to know: every file in `src/` stays under 600 lines
/// (split by concern before it passes).
#[test]
fn no_source_file_is_over_600_lines() {
    let long: Vec<String> = rs_files()
        .into_iter()
        .map(|(p, text)| (p, text.lines().count()))
        .filter(|(_, n)| *n > 600)
        .map(|(p, n)| format!("src/{}: {n} lines", p.display()))
        .collect();
    assert!(
        long.is_empty(),
        "split these by concern:\n{}",
        long.join("\n")
    );
}
