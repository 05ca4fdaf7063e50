use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    /// stderr without the one-line notice that the bundled example is used.
    pub stderr: String,
    /// That notice, when the command ran outside a workspace on the bundled example.
    pub notice: Option<String>,
}

/// The start of the line a command prints outside a workspace.
const NOTICE: &str = "注意：不在 guihua 工作区内";

pub fn guihua(args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_guihua"))
        .args(args)
        .env("GUIHUA_CACHE_DIR", cache_dir())
        // Run from elsewhere: the bundled rules must not depend on the cwd.
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run guihua");
    run_of(out)
}

/// Runs guihua in `dir` (with `-C` or not, as `args` say).
pub fn guihua_in(dir: &Path, args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_guihua"))
        .args(args)
        .env("GUIHUA_CACHE_DIR", cache_dir())
        .current_dir(dir)
        .output()
        .expect("run guihua");
    run_of(out)
}

fn run_of(out: Output) -> Run {
    let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
    let mut notice = None;
    let mut rest = String::new();
    for l in stderr.split_inclusive('\n') {
        if l.starts_with(NOTICE) {
            assert!(notice.is_none(), "the notice is said once:\n{stderr}");
            notice = Some(l.trim_end().to_string());
        } else {
            rest.push_str(l);
        }
    }
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: rest,
        notice,
    }
}

/// Where the tests' one-shot searches keep their indexes (not the user's
/// cache folder).
pub fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("search-cache")
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the bundled rules in a temporary folder, with `edit` applied
/// to the file `name`.
pub fn edited_rules(name: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("rules"), dir.path());
    let p = dir.path().join(name);
    let text = std::fs::read_to_string(&p).expect("rule file");
    let new = edit(&text);
    assert_ne!(new, text, "the edit changed nothing");
    std::fs::write(&p, new).expect("write");
    dir
}

/// Copies the folder `from` into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let p = e.expect("entry").path();
        let dest = to.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
        }
    }
}

/// A path as the CLI takes it.
pub fn s(p: &Path) -> String {
    p.display().to_string()
}

/// Drafts a workspace with `guihua new` from `report` into a fresh
/// temporary folder (kept alive by the returned guard).
pub fn drafted(report: &Path) -> (tempfile::TempDir, PathBuf) {
    let (tmp, dir, _) = drafted_with(report, 0);
    (tmp, dir)
}

/// `guihua new` on `report`, ending with `code` (1: written, with cells
/// the planner must finish); the workspace is written either way.
pub fn drafted_with(report: &Path, code: i32) -> (tempfile::TempDir, PathBuf, Run) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("ws");
    let r = guihua(&["new", &s(&dir), "--from", &s(report)]);
    assert_eq!(r.code, code, "new: {}{}", r.stdout, r.stderr);
    assert!(
        dir.join("rules/indicators.guihua").is_file(),
        "nothing written"
    );
    (tmp, dir, r)
}

pub fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).expect("valid JSON")
}

/// Runs the binary in `cwd` and fails the test if it has not ended within
/// `limit` (it is killed): for input that once made guihua hang.
#[cfg_attr(not(unix), allow(dead_code))]
pub fn guihua_within(args: &[&str], cwd: &Path, limit: std::time::Duration) -> Run {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_guihua"))
        .args(args)
        .env("GUIHUA_CACHE_DIR", cache_dir())
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run guihua");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = r.read_to_end(&mut b);
            String::from_utf8(b).expect("utf-8 output")
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("guihua {args:?} did not end within {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().expect("stdout thread"),
        stderr: err.join().expect("stderr thread"),
        notice: None,
    }
}
