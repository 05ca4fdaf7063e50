//! `guihua new DIR --from FILE [--force]`: a workspace drafted from a report.
//!
//! Everything is drafted in memory, checked with the library's `lower`
//! against the new corpus, written into a temporary folder beside DIR and
//! only then moved into place: an error leaves nothing half-written, and
//! `--force` never deletes a file (one in the way is kept as `*.bak`).

use super::Exit;
use clap::Args;
use guihua::corpus::{Corpus, Document};
use guihua::draft;
use std::path::{Path, PathBuf};

/// Arguments of `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Folder of the new workspace (default: the report's name without its
    /// extension, in the current folder)
    #[arg(value_name = "DIR")]
    folder: Option<PathBuf>,
    /// The report: a Word document (.docx), or its text export (.txt)
    #[arg(long, value_name = "FILE")]
    from: PathBuf,
    /// Write into an existing non-empty folder (files in the way are kept as *.bak)
    #[arg(long)]
    force: bool,
}

fn fail(msg: String, code: Exit) -> Exit {
    eprintln!("error: {msg}");
    code
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reads the report (a .docx, or its text export) into the corpus the
/// workspace will hold.
fn read_report(path: &Path) -> Result<Corpus, String> {
    let doc = Document::read(path)?;
    Ok(Corpus::new(vec![doc]))
}

pub fn run(a: NewArgs) -> Result<Exit, Exit> {
    let corpus = read_report(&a.from).map_err(|e| fail(e, Exit::Usage))?;
    let file = corpus.docs[0].name.clone();
    // The document model the drafter reads: the same for a .docx and its
    // text export.
    let ingested = &corpus.ingested()[0];
    let drafted = draft::draft(ingested, &file).map_err(|e| {
        fail(
            format!("{} (file: {})", e.message(&file), a.from.display()),
            Exit::Usage,
        )
    })?;

    // The drafted rules must lint clean against the new corpus: a line
    // that does not is drafted around (a target becomes `unread`, another
    // fact a comment) and the rules checked again. Only what cannot be
    // drafted around blocks writing.
    let mut files: Vec<(String, String)> = drafted
        .files
        .iter()
        .map(|(p, t)| (format!("rules/{p}"), t.clone()))
        .collect();
    let mut set_aside: Vec<draft::SetAside> = Vec::new();
    let mut loaded = guihua::load::load_texts(files.clone(), Some(&corpus));
    for _ in 0..4 {
        if !loaded.has_errors() {
            break;
        }
        let errors: Vec<(String, usize, String)> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| {
                let f = loaded.sources.file(d.span.file).name.clone();
                (f, loaded.sources.line_col(d.span).0, d.message.clone())
            })
            .collect();
        let (aside, blocked) = draft::draft_around(&mut files, &errors, &drafted.targets);
        if !blocked.is_empty() || aside.is_empty() {
            eprint!("{}", loaded.render_diagnostics());
            let cells: Vec<String> = blocked
                .iter()
                .map(|(f, l, m)| format!("  {f}:{l}: {m}"))
                .collect();
            return Err(fail(
                format!(
                    "起草的规则有 {} 处错误无法绕开，未写入任何文件 (the drafted rules have errors that cannot be drafted around; nothing was written):\n{}",
                    blocked.len().max(errors.len()),
                    if cells.is_empty() { errors.iter().map(|(f, l, m)| format!("  {f}:{l}: {m}")).collect::<Vec<_>>().join("\n") } else { cells.join("\n") }
                ),
                Exit::Failure,
            ));
        }
        set_aside.extend(aside);
        loaded = guihua::load::load_texts(files.clone(), Some(&corpus));
    }
    if loaded.has_errors() {
        eprint!("{}", loaded.render_diagnostics());
        return Err(fail(
            "起草的规则未通过检查，未写入任何文件 (the drafted rules do not pass lint; nothing was written)"
                .to_string(),
            Exit::Failure,
        ));
    }
    // What the planner must finish: targets not read, lines set aside.
    let unread: Vec<&draft::DraftedTarget> = drafted
        .targets
        .iter()
        .filter(|t| t.form == guihua::model::TargetForm::Unread)
        .collect();
    let warnings = loaded.diagnostics.len();

    let folder = match &a.folder {
        Some(f) => f.clone(),
        None => PathBuf::from(a.from.file_stem().unwrap_or(a.from.as_os_str())),
    };
    // Refuse a non-empty folder unless --force.
    let non_empty = std::fs::read_dir(&folder)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if folder.exists() && !folder.is_dir() {
        return Err(fail(
            format!(
                "`{}` 已存在且不是文件夹 (exists and is not a folder)",
                folder.display()
            ),
            Exit::Usage,
        ));
    }
    if non_empty && !a.force {
        return Err(fail(
            format!(
                "`{}` 已存在且不为空；加 --force 写入其中（原有同名文件改存为 *.bak，不删除任何文件） (folder exists and is not empty; use --force)",
                folder.display()
            ),
            Exit::Usage,
        ));
    }

    let mut out: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut toml = format!(
        "# guihua 工作区 (workspace)，由 `guihua new` 自 {file} 起草\nname = {}\n",
        toml_str(&drafted.name)
    );
    if let Some(t) = &drafted.title {
        toml.push_str(&format!("title = {}\n", toml_str(t)));
    }
    toml.push_str("rules = \"rules\"\ncorpus = \"corpus\"\n");
    out.push((PathBuf::from("guihua.toml"), toml.into_bytes()));
    let report = std::fs::read(&a.from).map_err(|e| {
        fail(
            format!("无法读取 `{}` (cannot read): {e}", a.from.display()),
            Exit::Usage,
        )
    })?;
    out.push((Path::new("corpus").join(&file), report));
    for (p, t) in &files {
        out.push((PathBuf::from(p), t.clone().into_bytes()));
    }

    write_workspace(&folder, &out, non_empty).map_err(|e| {
        fail(
            format!("无法写入 `{}` (cannot write): {e}", folder.display()),
            Exit::Failure,
        )
    })?;

    println!("已起草工作区 {}：{}", folder.display(), drafted.name);
    for n in &drafted.notes {
        println!("  {n}");
    }
    println!("  规则检查：没有错误，{warnings} 个警告");
    let need = unread.len() + set_aside.len();
    if need > 0 {
        println!("需要人工补写 {need} 处：");
        for t in &unread {
            println!(
                "  {}：目标“{}”未能识别，已写作 `target unread`；请改写为适用于 {} 类指标的目标形式",
                t.name, t.printed, t.kind
            );
        }
        for c in &set_aside {
            println!(
                "  {}：{} 未通过检查（{}），已改写为 unread 或注释",
                c.indicator.as_deref().unwrap_or(&c.file),
                c.drafted,
                c.why
            );
        }
    }
    let d = folder.display();
    println!("下一步：cd {d} && guihua test（或：guihua -C {d} test）");
    if need > 0 {
        eprintln!(
            "已写入工作区，但有 {need} 处需要人工补写（见 rules/indicators.guihua 中“需人工补写”的注释）"
        );
        return Ok(Exit::Failure);
    }
    Ok(Exit::Success)
}

/// Writes the files under `dir` all at once: into a fresh sibling folder,
/// renamed into place; into an existing folder (`--force`) file by file,
/// keeping any file in the way as `*.bak`.
fn write_workspace(
    dir: &Path,
    files: &[(PathBuf, Vec<u8>)],
    non_empty: bool,
) -> std::io::Result<()> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let stem = dir
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_else(|| "workspace".into());
    let tmp = parent.join(format!(".{stem}.guihua-new-{}", std::process::id()));
    let written = (|| {
        for (p, bytes) in files {
            let path = tmp.join(p);
            if let Some(d) = path.parent() {
                std::fs::create_dir_all(d)?;
            }
            std::fs::write(&path, bytes)?;
        }
        Ok::<(), std::io::Error>(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if !non_empty {
        if dir.exists() {
            // An empty folder: remove_dir only ever removes an empty one.
            std::fs::remove_dir(dir)?;
        }
        if let Err(e) = std::fs::rename(&tmp, dir) {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
        return Ok(());
    }
    for (p, _) in files {
        let from = tmp.join(p);
        let to = dir.join(p);
        if let Some(d) = to.parent() {
            std::fs::create_dir_all(d)?;
        }
        if to.exists() {
            let mut bak = to.as_os_str().to_owned();
            bak.push(".bak");
            let mut bak = PathBuf::from(bak);
            let mut k = 2;
            while bak.exists() {
                let mut b = to.as_os_str().to_owned();
                b.push(format!(".bak{k}"));
                bak = PathBuf::from(b);
                k += 1;
            }
            std::fs::rename(&to, &bak)?;
        }
        std::fs::rename(&from, &to)?;
    }
    std::fs::remove_dir_all(&tmp)
}
