//! `guihua index` never loses a planner's file and never leaves an index
//! that search cannot read: the --out folder owns what it writes, one build
//! at a time, killed builds change nothing, flipped bits are an error.

use crate::util::{guihua, guihua_within, json, Run};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(60);

fn index_in(cwd: &Path, corpus: &Path, out: &str) -> Run {
    guihua_within(
        &[
            "index",
            "--corpus",
            corpus.to_str().unwrap(),
            "--out",
            out,
            "--threads",
            "1",
        ],
        cwd,
        LIMIT,
    )
}

fn index(corpus: &Path, out: &Path) -> Run {
    index_in(Path::new("/"), corpus, out.to_str().unwrap())
}

/// The ids and the total of `月季` in the index at `out`.
fn yueji(out: &Path) -> (Vec<String>, u64) {
    let r = guihua(&[
        "search",
        "月季",
        "--index",
        out.to_str().unwrap(),
        "--format",
        "json",
        "--limit",
        "50",
    ]);
    assert_eq!(r.code, 0, "search failed: {}", r.stderr);
    let v = json(&r.stdout);
    let mut ids: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["paragraph_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    (ids, v["total"].as_u64().unwrap())
}

/// A corpus folder with one JSONL file: `roses` records about 月季 (ids
/// `{tag}-0`…) among `filler` others.
fn corpus(dir: &Path, tag: &str, roses: usize, filler: usize) -> PathBuf {
    let c = dir.join(format!("corpus-{tag}"));
    std::fs::create_dir(&c).unwrap();
    let words = "发展改革规划建设经济社会产业城市乡村生态环境创新科技教育文化医疗卫生交通水利能源";
    let w: Vec<char> = words.chars().collect();
    let mut s = String::new();
    for i in 0..roses {
        s.push_str(&format!(
            "{{\"id\": \"{tag}-{i}\", \"text\": \"{tag}的月季产业第{i}项\"}}\n"
        ));
    }
    for i in 0..filler {
        let text: String = (0..300).map(|k| w[(i * 7 + k * 13) % w.len()]).collect();
        s.push_str(&format!("{{\"id\": \"f{i}\", \"text\": \"{text}\"}}\n"));
    }
    std::fs::write(c.join(format!("{tag}.jsonl")), s).unwrap();
    c
}

fn generations(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(out.join(".generations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn index_never_touches_a_sibling_gens_folder() {
    let d = tempfile::tempdir().unwrap();
    let c = corpus(d.path(), "a", 2, 0);
    let mine = d.path().join("idx.gens/mydata");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("plan.txt"), "规划处的数据").unwrap();
    let out = d.path().join("idx");
    for _ in 0..2 {
        let r = index(&c, &out);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(mine.join("plan.txt")).unwrap(),
        "规划处的数据"
    );
    assert_eq!(
        std::fs::read_dir(d.path().join("idx.gens"))
            .unwrap()
            .count(),
        1
    );
    // Everything written is inside --out.
    let mut top: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["corpus-a", "idx", "idx.gens"]);
    assert_eq!(yueji(&out).0, ["a-0", "a-1"]);
}

#[test]
fn a_symlink_at_out_is_refused_and_its_target_untouched() {
    let d = tempfile::tempdir().unwrap();
    let c = corpus(d.path(), "a", 1, 0);
    let folder = d.path().join("folder");
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    std::fs::write(folder.join("sub/keep.txt"), "keep").unwrap();
    let file = d.path().join("file.txt");
    std::fs::write(&file, "keep").unwrap();
    for (name, target) in [
        ("to-folder", folder.clone()),
        ("to-file", file.clone()),
        ("dangling", d.path().join("nowhere")),
    ] {
        let link = d.path().join(name);
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let r = index(&c, &link);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(
            r.stderr.contains("is a symbolic link"),
            "{name}: {}",
            r.stderr
        );
        assert_eq!(std::fs::read_link(&link).unwrap(), target, "{name}");
    }
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
    assert_eq!(
        std::fs::read_to_string(folder.join("sub/keep.txt")).unwrap(),
        "keep"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
    assert!(!d.path().join("nowhere").exists());
}

#[test]
fn odd_out_paths_are_clear_errors_that_create_nothing() {
    let d = tempfile::tempdir().unwrap();
    let c = corpus(d.path(), "a", 1, 0);
    let work = d.path().join("work");
    std::fs::create_dir(&work).unwrap();
    std::fs::write(work.join("a-file"), "x").unwrap();
    for out in [
        "nonexistent/..",
        "missing/parent/idx",
        "a-file",
        "a-file/idx",
        ".",
        "",
    ] {
        let r = index_in(&work, &c, out);
        assert_eq!(r.code, 2, "{out:?}: {}", r.stderr);
        assert!(r.stderr.starts_with("error: "), "{out:?}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{out:?}: {}", r.stderr);
        let mut left: Vec<String> = std::fs::read_dir(&work)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["a-file"], "{out:?} created something");
    }
    let r = index_in(&work, &c, "nonexistent/..");
    assert!(
        r.stderr
            .contains("cannot create the index folder: the folder it goes in does not exist"),
        "{}",
        r.stderr
    );
    // Said before any work: the corpus is not read first.
    let r = index_in(&work, &d.path().join("no-corpus"), "nonexistent/..");
    assert!(r.stderr.contains("the folder it goes in"), "{}", r.stderr);
    assert!(!d.path().join("index.gens").exists());
}

#[test]
fn an_index_in_the_old_layout_is_refused_with_rebuild_it() {
    let d = tempfile::tempdir().unwrap();
    let c = corpus(d.path(), "a", 1, 0);
    // Format 2: `idx` a link to `idx.gens/g1`, which holds the manifest.
    let g = d.path().join("idx.gens/g1");
    std::fs::create_dir_all(&g).unwrap();
    std::fs::write(
        g.join("guihua-index.json"),
        r#"{"format": 2, "generation": "g1", "units": 1, "bytes": 1, "docs": 1,
            "lexicon": {"terms": [], "synonyms": [], "glossary": []}}"#,
    )
    .unwrap();
    let out = d.path().join("idx");
    std::os::unix::fs::symlink("idx.gens/g1", &out).unwrap();
    let r = guihua(&["search", "月季", "--index", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("rebuild it"), "{}", r.stderr);
    let r = index(&c, &out);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("old layout") && r.stderr.contains("idx.gens"),
        "{}",
        r.stderr
    );
    assert!(g.join("guihua-index.json").exists());
}

#[test]
fn a_build_that_holds_the_lock_keeps_a_second_writer_out() {
    let d = tempfile::tempdir().unwrap();
    let c = corpus(d.path(), "a", 2, 0);
    let out = d.path().join("idx");
    assert_eq!(index(&c, &out).code, 0);
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(out.join(".lock"))
        .unwrap();
    lock.lock().unwrap();
    let c2 = corpus(d.path(), "b", 3, 0);
    let r = index(&c2, &out);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("another `guihua index` is writing this index"),
        "{}",
        r.stderr
    );
    assert_eq!(yueji(&out).0, ["a-0", "a-1"]);
    lock.unlock().unwrap();
    assert_eq!(index(&c2, &out).code, 0);
    assert_eq!(yueji(&out).0, ["b-0", "b-1", "b-2"]);
}

#[test]
fn two_writers_at_once_one_is_refused_clearly_and_the_index_is_whole() {
    let d = tempfile::tempdir().unwrap();
    let c = corpus(d.path(), "n", 5, 2000);
    let out = d.path().join("idx");
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_guihua"))
            .args(["index", "--corpus", c.to_str().unwrap(), "--out"])
            .arg(&out)
            .args(["--threads", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let mut ok = 0;
    for child in [a, b] {
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8(o.stderr).unwrap();
        match o.status.code() {
            Some(0) => ok += 1,
            Some(2) => assert!(
                err.contains("another `guihua index` is writing this index"),
                "{err}"
            ),
            other => panic!("exit {other:?}: {err}"),
        }
    }
    assert!(ok >= 1);
    assert_eq!(
        yueji(&out),
        (
            vec!["n-0", "n-1", "n-2", "n-3", "n-4"]
                .into_iter()
                .map(String::from)
                .collect(),
            5
        )
    );
    assert_eq!(generations(&out).len(), 1);
}

#[test]
fn a_failed_first_build_leaves_no_generation_and_search_says_why() {
    let d = tempfile::tempdir().unwrap();
    let c = d.path().join("bad");
    std::fs::create_dir(&c).unwrap();
    std::fs::write(
        c.join("a.jsonl"),
        "{\"id\": 1, \"text\": \"月季\"}\nnot json\n",
    )
    .unwrap();
    let out = d.path().join("idx");
    let r = index(&c, &out);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(generations(&out).is_empty(), "{:?}", generations(&out));
    let r = guihua(&["search", "月季", "--index", out.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no complete index yet"), "{}", r.stderr);
}

#[test]
fn a_pointer_naming_a_path_is_never_followed() {
    let d = tempfile::tempdir().unwrap();
    let c = corpus(d.path(), "a", 1, 0);
    let out = d.path().join("idx");
    assert_eq!(index(&c, &out).code, 0);
    let victim = d.path().join("victim");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("keep.txt"), "keep").unwrap();
    std::fs::write(out.join("CURRENT"), "../../victim\n").unwrap();
    let r = guihua(&["search", "月季", "--index", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("does not name a generation"),
        "{}",
        r.stderr
    );
    // A build replaces the bad pointer and removes only its own folders.
    assert_eq!(index(&c, &out).code, 0);
    assert_eq!(yueji(&out).0, ["a-0"]);
    assert_eq!(
        std::fs::read_to_string(victim.join("keep.txt")).unwrap(),
        "keep"
    );
}

#[test]
fn abandoned_generations_are_removed_by_the_next_build() {
    let d = tempfile::tempdir().unwrap();
    let c = corpus(d.path(), "a", 1, 0);
    let out = d.path().join("idx");
    assert_eq!(index(&c, &out).code, 0);
    let dead = out.join(".generations/g1-1.tmp");
    std::fs::create_dir(&dead).unwrap();
    std::fs::write(dead.join("segment"), vec![0u8; 4096]).unwrap();
    std::fs::write(out.join("CURRENT.tmp"), "g2-2\n").unwrap();
    assert_eq!(index(&c, &out).code, 0);
    let gens = generations(&out);
    assert_eq!(gens.len(), 1, "{gens:?}");
    assert!(!gens[0].ends_with(".tmp"));
    assert!(!out.join("CURRENT.tmp").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("CURRENT")).unwrap().trim(),
        gens[0]
    );
}

/// Kills `guihua index` at points spread over a build (SIGKILL, no chance
/// to clean up) and searches after each: the answer is the old index's or
/// the new one's, never an error or a mixture.
#[test]
fn killed_builds_leave_the_old_or_the_new_index_whole() {
    let d = tempfile::tempdir().unwrap();
    let old = corpus(d.path(), "old", 3, 0);
    let new = corpus(d.path(), "new", 5, 3000);
    let out = d.path().join("idx");
    assert_eq!(index(&old, &out).code, 0);
    let old_answer = yueji(&out);
    // How long a whole build of the new corpus takes here.
    let t = Instant::now();
    assert_eq!(index(&new, &d.path().join("timing")).code, 0);
    let whole = t.elapsed();
    let new_answer = yueji(&d.path().join("timing"));
    assert_ne!(old_answer, new_answer);
    for i in 0..8u32 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_guihua"))
            .args(["index", "--corpus", new.to_str().unwrap(), "--out"])
            .arg(&out)
            .args(["--threads", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // From early in the build to just past its end, unevenly.
        std::thread::sleep(whole.mul_f64(f64::from(i * 2 + 1) / 14.0));
        child.kill().unwrap();
        child.wait().unwrap();
        let now = yueji(&out);
        assert!(
            now == old_answer || now == new_answer,
            "after a kill at step {i}: {now:?}"
        );
    }
    let r = index(&new, &out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(yueji(&out), new_answer);
    assert_eq!(generations(&out).len(), 1, "{:?}", generations(&out));
}

/// Searches while builds swap the index in and out: every search answers
/// from one whole index, the one before a swap or the one after.
#[test]
fn searches_during_rebuilds_see_one_whole_index() {
    let d = tempfile::tempdir().unwrap();
    let a = corpus(d.path(), "a", 2, 300);
    let b = corpus(d.path(), "b", 3, 300);
    let out = d.path().join("idx");
    assert_eq!(index(&a, &out).code, 0);
    let answer_a = yueji(&out);
    let answer_b = (vec!["b-0".to_string(), "b-1".into(), "b-2".into()], 3);
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            for c in [&b, &a, &b, &a, &b] {
                let r = index(c, &out);
                assert_eq!(r.code, 0, "{}", r.stderr);
            }
            done.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        while !done.load(std::sync::atomic::Ordering::SeqCst) {
            let now = yueji(&out);
            assert!(now == answer_a || now == answer_b, "{now:?}");
        }
    });
    assert_eq!(yueji(&out), answer_b);
    assert_eq!(generations(&out).len(), 1);
}

#[test]
fn flipped_bits_in_index_files_are_a_corrupt_index_error_never_a_panic() {
    let d = tempfile::tempdir().unwrap();
    let c = corpus(d.path(), "a", 3, 200);
    let out = d.path().join("idx");
    assert_eq!(index(&c, &out).code, 0);
    let current = std::fs::read_to_string(out.join("CURRENT")).unwrap();
    let gen = out.join(".generations").join(current.trim());
    // Every tantivy data file, a bit flipped near its start, in its middle
    // and just before its footer.
    let mut cases = Vec::new();
    for e in std::fs::read_dir(&gen).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with(".json") || name.ends_with(".lock") {
            continue;
        }
        let len = std::fs::metadata(&p).unwrap().len() as usize;
        for at in [len / 10, len / 2, len.saturating_sub(20)] {
            cases.push((name.clone(), at));
        }
    }
    assert!(cases.len() >= 12, "{cases:?}");
    std::thread::scope(|s| {
        for (k, (name, at)) in cases.iter().enumerate() {
            let (d, out) = (&d, &out);
            s.spawn(move || {
                let copy = d.path().join(format!("copy{k}"));
                copy_tree(out, &copy);
                let cur = std::fs::read_to_string(copy.join("CURRENT")).unwrap();
                let f = copy.join(".generations").join(cur.trim()).join(name);
                let mut bytes = std::fs::read(&f).unwrap();
                bytes[*at] ^= 0x10;
                std::fs::write(&f, bytes).unwrap();
                let r = guihua(&["search", "月季", "--index", copy.to_str().unwrap()]);
                assert_eq!(r.code, 2, "{name}@{at}: {} {}", r.stdout, r.stderr);
                assert!(
                    r.stderr.contains("index is corrupt; rebuild it"),
                    "{name}@{at}: {}",
                    r.stderr
                );
                assert!(!r.stderr.contains("panicked"), "{name}@{at}: {}", r.stderr);
            });
        }
    });
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}
