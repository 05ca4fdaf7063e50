//! Folders and files the user names: links do not lead out of a folder,
//! link loops do not hang, only regular files are read, sizes are bounded.

use crate::util::{edited_rules, guihua_within, root, Run};
use std::path::Path;
use std::time::Duration;

fn run(args: &[&str]) -> Run {
    guihua_within(args, Path::new("/"), Duration::from_secs(60))
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo has no other precondition.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

/// A corpus folder holding the bundled report as `report.txt`.
fn report_corpus(dir: &Path) -> std::path::PathBuf {
    let c = dir.join("corpus");
    std::fs::create_dir(&c).unwrap();
    let report = std::fs::read_dir(root().join("corpus"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::copy(report, c.join("report.txt")).unwrap();
    c
}

fn files_checked(r: &Run) -> String {
    r.stdout
        .split("个文件")
        .next()
        .unwrap()
        .trim_start_matches("检查了 ")
        .to_string()
}

#[test]
fn a_link_loop_in_a_rules_folder_is_read_once_without_hanging() {
    let rules = edited_rules("plan.guihua", |t| format!("{t}\n"));
    let dir = rules.path().to_str().unwrap();
    let before = run(&["lint", dir]);
    assert_eq!(before.code, 0, "{}", before.stderr);
    std::os::unix::fs::symlink(".", rules.path().join("a")).unwrap();
    std::os::unix::fs::symlink(".", rules.path().join("methods/b")).unwrap();
    std::os::unix::fs::symlink("plan.guihua", rules.path().join("again.guihua")).unwrap();
    let after = run(&["lint", dir]);
    assert_eq!(after.code, 0, "{}", after.stderr);
    assert_eq!(files_checked(&after), files_checked(&before));
}

#[test]
fn a_link_out_of_a_rules_folder_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let rules = d.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::copy(root().join("rules/plan.guihua"), rules.join("plan.guihua")).unwrap();
    std::fs::write(d.path().join("outside.guihua"), "not rules").unwrap();
    std::os::unix::fs::symlink("..", rules.join("up")).unwrap();
    let r = run(&["lint", rules.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("links outside the folder named") && r.stderr.contains("up"),
        "{}",
        r.stderr
    );
}

#[test]
fn fifos_named_as_documents_or_rules_are_refused_without_hanging() {
    let d = tempfile::tempdir().unwrap();
    let c = report_corpus(d.path());
    mkfifo(&c.join("x.txt"));
    let cs = c.to_str().unwrap();
    let out = d.path().join("idx");
    for args in [
        vec!["search", "月季", "--corpus", cs],
        vec!["lint", "--corpus", cs],
        vec!["index", "--corpus", cs, "--out", out.to_str().unwrap()],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("x.txt") && r.stderr.contains("is not a regular file"),
            "{args:?}: {}",
            r.stderr
        );
    }
    let j = d.path().join("jsonl");
    std::fs::create_dir(&j).unwrap();
    mkfifo(&j.join("records.jsonl"));
    let r = run(&[
        "index",
        "--corpus",
        j.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is not a regular file"), "{}", r.stderr);

    let rules = d.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    mkfifo(&rules.join("r.guihua"));
    for p in [rules.clone(), rules.join("r.guihua")] {
        let r = run(&["lint", p.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("is not a regular file"), "{}", r.stderr);
    }
}

#[test]
fn dev_zero_is_never_read_as_a_document_or_rules() {
    let r = run(&["lint", "/dev/zero"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is not a regular file"), "{}", r.stderr);
    let d = tempfile::tempdir().unwrap();
    let c = report_corpus(d.path());
    std::os::unix::fs::symlink("/dev/zero", c.join("zero.txt")).unwrap();
    let r = run(&["search", "月季", "--corpus", c.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("zero.txt"), "{}", r.stderr);
}

#[test]
fn corpus_links_out_of_the_folder_are_refused_and_links_inside_read_once() {
    let d = tempfile::tempdir().unwrap();
    let c = report_corpus(d.path());
    // A link inside the folder: the same document, read once.
    std::os::unix::fs::symlink("report.txt", c.join("alias.txt")).unwrap();
    let cs = c.to_str().unwrap();
    let out = d.path().join("idx");
    let r = run(&["index", "--corpus", cs, "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("来自 1 个文档"), "{}", r.stdout);
    // A link to a document outside it is not followed.
    std::fs::write(d.path().join("secret.txt"), "别处的月季文件").unwrap();
    std::os::unix::fs::symlink("../secret.txt", c.join("secret.txt")).unwrap();
    for args in [
        vec!["index", "--corpus", cs, "--out", out.to_str().unwrap()],
        vec!["search", "月季", "--corpus", cs],
        vec!["lint", "--corpus", cs],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("secret.txt") && r.stderr.contains("links outside the folder named"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(!r.stdout.contains("别处"), "{}", r.stdout);
    }
}

#[test]
fn files_over_the_size_limit_are_refused_with_the_limit_named() {
    let d = tempfile::tempdir().unwrap();
    let c = report_corpus(d.path());
    // Sparse: no disk is used, and nothing is read.
    std::fs::File::create(c.join("huge.txt"))
        .unwrap()
        .set_len(guihua::limits::MAX_DOCUMENT_BYTES + 1)
        .unwrap();
    let r = run(&["search", "月季", "--corpus", c.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("huge.txt") && r.stderr.contains("larger than the limit of 256 MiB"),
        "{}",
        r.stderr
    );
    let rule = d.path().join("huge.guihua");
    std::fs::File::create(&rule)
        .unwrap()
        .set_len(guihua::limits::MAX_RULE_FILE_BYTES + 1)
        .unwrap();
    let r = run(&["lint", rule.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("larger than the limit of 128 MiB"),
        "{}",
        r.stderr
    );
}
