//! Word documents in: the public report read from its .docx gives the same
//! document model as its text export, and bad files are named clearly.

use crate::util::{guihua, json, root};
use guihua::corpus::{ingest, Corpus, Document};
use std::io::Write;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/qinglan").join(name)
}

const DOCX: &str = "qinglan-midterm-2024.docx";
const TXT: &str = "qinglan-midterm-2024.txt";

/// A corpus folder holding copies of `files` (from the fixtures) under `names`.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (from, to) in files {
        std::fs::copy(fixture(from), d.path().join(to)).unwrap();
    }
    d
}

fn ingested(path: &Path) -> ingest::Ingested {
    ingest::ingest(&Document::read(path).expect("reads"))
}

#[test]
fn docx_and_text_export_ingest_to_the_same_units() {
    let d = ingested(&fixture(DOCX));
    let t = ingested(&fixture(TXT));
    assert!(d.units.len() > 100, "{} units", d.units.len());
    assert_eq!(d.units.len(), t.units.len());
    for (a, b) in d.units.iter().zip(&t.units) {
        assert_eq!(
            (a.kind, a.line, &a.section, &a.text, &a.cells),
            (b.kind, b.line, &b.section, &b.text, &b.cells),
            "unit at line {}",
            b.line
        );
    }
    assert_eq!(d.outline, t.outline);
    assert_eq!(d.tables.len(), t.tables.len());
    assert_eq!(d.charts.len(), 2);
    assert_eq!(d.glossary.len(), 13);
}

#[test]
fn docx_outline_tables_toc_images_and_charts() {
    let d = ingested(&fixture(DOCX));
    // The 目录 gives the headings the body lacks (三（二）, 三（五）, 三（七）).
    let h = d
        .outline
        .iter()
        .find(|h| h.text.contains("千亿级新型储能材料基地"))
        .expect("heading of 三（二）");
    assert_eq!(h.level, 2);
    assert!(h.line.is_some(), "placed at its paragraph");
    for l1 in ["一、《纲要》实施进展情况", "三、下一步重点任务和举措"] {
        assert!(
            d.outline.iter().any(|h| h.level == 1 && h.text == l1),
            "{l1}"
        );
    }
    // The indicator table: a merged header cell `2024年` / `上半年`, a
    // vertically merged 类别 written once, sub rows starting with empty cells.
    let t = d
        .tables
        .iter()
        .find(|t| {
            t.rows
                .iter()
                .any(|(_, r)| r.iter().any(|c| c == "2024年上半年"))
        })
        .expect("the 附件2 table with its split header cell");
    let header = &t.rows[0].1;
    assert!(header.iter().any(|c| c.contains("指标")), "{header:?}");
    let sub = t
        .rows
        .iter()
        .find(|(_, r)| r.iter().any(|c| c.contains("城镇新增就业人数")))
        .expect("a sub-indicator row");
    assert!(
        sub.1[0].is_empty(),
        "a continued 类别 cell is empty: {:?}",
        sub.1
    );
    // The picture is a marker, not text of any unit; captions are units.
    assert!(d.units.iter().all(|u| !u.text.contains("[image:")));
    assert!(d
        .units
        .iter()
        .any(|u| u.kind == ingest::UnitKind::FigureCaption && u.text.starts_with("图3")));
    // Chart data from the chart parts' caches.
    assert!(d.charts.iter().all(|c| !c.series.is_empty()));
    // 附件3's field headers (Heading 3) are sub-headings of their projects.
    let p = d
        .units
        .iter()
        .find(|u| {
            u.text.contains("总投资")
                && u.section
                    .iter()
                    .any(|s| s.starts_with("（一）智能装备与先进制造"))
        })
        .expect("a project under its field heading");
    assert!(p.section[0].starts_with("附件3"), "{:?}", p.section);
}

#[test]
fn search_and_check_read_a_docx_corpus() {
    let d = folder(&[(DOCX, DOCX)]);
    let dir = d.path().to_str().unwrap();
    let r = guihua(&["search", "岚上智造", "--corpus", dir, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    let first = &v["hits"][0];
    assert_eq!(first["doc"], DOCX);
    assert_eq!(first["kind"], "glossary");
    // check reads the same documents (the bundled rules' quotes are not in
    // this report: provenance findings, not a failure to read).
    let r = guihua(&[
        "check",
        "--corpus",
        dir,
        "--only",
        "table_chart",
        "--format",
        "json",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    json(&r.stdout);
    // index takes .docx beside .txt.
    let out = d.path().join("idx");
    let both = folder(&[(DOCX, DOCX), (TXT, "copy.txt")]);
    let r = guihua(&[
        "index",
        "--corpus",
        both.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("来自 2 个文档"), "{}", r.stdout);
    let r = guihua(&[
        "search",
        "1685万人次",
        "--index",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let docs: Vec<String> = json(&r.stdout)["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["doc"].as_str().unwrap().to_string())
        .collect();
    assert!(
        docs.contains(&DOCX.to_string()) && docs.contains(&"copy.txt".to_string()),
        "{docs:?}"
    );
}

/// Writes a zip with the given parts.
fn zip_of(path: &Path, parts: &[(&str, &[u8])]) {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    for (name, data) in parts {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap();
}

/// Each bad file alone in a corpus folder: exit 2, the file named, what was
/// expected said, in Chinese first, and no panic.
#[test]
fn bad_word_files_are_named_with_what_was_expected() {
    let d = tempfile::tempdir().unwrap();
    let good = std::fs::read(fixture(DOCX)).unwrap();
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(std::iter::repeat_n(0u8, 4096));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "not-a-zip.docx",
            b"just some text".to_vec(),
            "不是 .docx 文件",
        ),
        ("encrypted.docx", ole, "是加密的 Word 文档"),
        (
            "truncated.docx",
            good[..good.len() / 2].to_vec(),
            "文件不完整或已损坏",
        ),
    ];
    let mut all: Vec<(PathBuf, &str)> = Vec::new();
    for (name, bytes, want) in &cases {
        let dir = d.path().join(name.trim_end_matches(".docx"));
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
        all.push((dir, want));
    }
    let dir = d.path().join("not-word");
    std::fs::create_dir(&dir).unwrap();
    zip_of(
        &dir.join("not-word.docx"),
        &[("content.xml", b"<a/>"), ("mimetype", b"application/zip")],
    );
    all.push((dir, "缺少 word/document.xml"));
    for (dir, want) in &all {
        let name = dir.file_name().unwrap().to_str().unwrap();
        for args in [
            vec!["check", "--corpus", dir.to_str().unwrap()],
            vec!["search", "规划", "--corpus", dir.to_str().unwrap()],
            vec![
                "index",
                "--corpus",
                dir.to_str().unwrap(),
                "--out",
                d.path().join("idx").to_str().unwrap(),
            ],
            vec!["lint", "--corpus", dir.to_str().unwrap()],
        ] {
            let r = guihua(&args);
            assert_eq!(r.code, 2, "{name} {args:?}: {}", r.stderr);
            assert!(
                r.stderr.contains(&format!("{name}.docx")),
                "{name}: {}",
                r.stderr
            );
            assert!(r.stderr.contains(want), "{name}: {}", r.stderr);
            assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        }
    }
    // Nothing half-written by the failed index.
    assert!(!d.path().join("idx").exists());
}

#[test]
fn a_zip_bomb_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("bomb.docx");
    // 300 MiB of zeros compress to a few hundred KiB.
    let f = std::fs::File::create(&path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    z.start_file("word/document.xml", opts).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..300 {
        z.write_all(&zeros).unwrap();
    }
    z.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 8 << 20);
    let e = Document::read(&path).unwrap_err();
    assert!(e.contains("压缩炸弹") && e.contains("bomb.docx"), "{e}");
    let c = Corpus::load_dir(d.path()).unwrap_err();
    assert!(c.contains("bomb.docx"), "{c}");
}
