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
    let dir = d.path().join("broken-xml");
    std::fs::create_dir(&dir).unwrap();
    zip_of(
        &dir.join("broken-xml.docx"),
        &[(
            "word/document.xml",
            b"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p></w:r></w:body></w:document>",
        )],
    );
    all.push((dir, "不是有效的 XML"));
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

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"";

fn p(style: &str, text: &str) -> String {
    let ppr = if style.is_empty() {
        String::new()
    } else {
        format!("<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>")
    };
    format!("<w:p>{ppr}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn tc(inner: &str) -> String {
    format!("<w:tc>{inner}</w:tc>")
}

/// A Word document as Word writes one: a TOC field (styles `toc 1`/`toc 2`,
/// no 目录 title line), localised heading style ids whose names say
/// `heading N`, a heading the TOC lacks, a table with a gridSpan cell, a
/// vMerge continuation and a line break inside a cell, a picture.
fn word_like(path: &Path) {
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles {W}>\
         <w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"1\"/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"TOC1\"><w:name w:val=\"toc 1\"/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"TOC2\"><w:name w:val=\"toc 2\"/></w:style>\
         </w:styles>"
    );
    let toc_first = "<w:p><w:pPr><w:pStyle w:val=\"TOC1\"/></w:pPr>\
        <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-2\" \\h </w:instrText></w:r>\
        <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
        <w:hyperlink w:anchor=\"_Toc1\"><w:r><w:t>一、总体进展</w:t></w:r><w:r><w:tab/></w:r>\
        <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGEREF _Toc1 \\h </w:instrText></w:r>\
        <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:hyperlink></w:p>";
    let toc_second = "<w:p><w:pPr><w:pStyle w:val=\"TOC2\"/></w:pPr>\
        <w:hyperlink w:anchor=\"_Toc2\"><w:r><w:t>（一）主要指标</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>2</w:t></w:r></w:hyperlink></w:p>\
        <w:p><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>";
    let table = format!(
        "<w:tbl><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
        tc(&p("", "类别")),
        tc(&p("", "指标名称")),
        tc("<w:p><w:r><w:t>2023年</w:t><w:br/><w:t>上半年</w:t></w:r></w:p>"),
        tc(&format!(
            "<w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>{}",
            p("", "经济发展")
        )),
        tc(&format!(
            "<w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>{}",
            p("", "地区生产总值增长（%）")
        )),
        tc(&p("", "6.1")),
        tc(&format!("<w:tcPr><w:vMerge/></w:tcPr>{}", "<w:p/>")),
        tc(&p("", "森林覆盖率（%）")),
        tc(&p("", "44.2")),
    );
    let picture = "<w:p><w:r><w:drawing><wp:inline><wp:docPr id=\"1\" name=\"图片 1\" descr=\"示意图\"/>\
        <a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">\
        <a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"/></a:graphic>\
        </wp:inline></w:drawing></w:r></w:p>";
    let body = [
        p("", "某区规划中期评估报告"),
        toc_first.to_string(),
        toc_second.to_string(),
        p("1", "一、总体进展"),
        p("2", "（一）主要指标"),
        p("", "全区经济运行总体平稳，主要指标进展符合预期。"),
        table,
        picture.to_string(),
        p("", "图1  示意图"),
        p("2", "（二）重点项目进展良好"),
        p("", "重点项目建设有序推进，完成年度投资计划的八成。"),
    ]
    .concat();
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    let doc_rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>";
    zip_of(
        path,
        &[
            ("_rels/.rels", rels.as_bytes()),
            ("word/_rels/document.xml.rels", doc_rels.as_bytes()),
            ("word/document.xml", doc.as_bytes()),
            ("word/styles.xml", styles.as_bytes()),
        ],
    );
}

#[test]
fn a_word_toc_field_and_heading_styles_make_the_outline() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("word-like.docx");
    word_like(&path);
    let doc = Document::read(&path).unwrap();
    let ing = ingest::ingest(&doc);
    let outline: Vec<(u8, &str, bool)> = ing
        .outline
        .iter()
        .map(|h| (h.level, h.text.as_str(), h.line.is_some()))
        .collect();
    assert_eq!(
        outline,
        [
            (1, "一、总体进展", true),
            (2, "（一）主要指标", true),
            // Not in the TOC: its Heading 2 style puts it in the outline.
            (2, "（二）重点项目进展良好", true),
        ],
        "{:?}",
        ing.outline
    );
    // The TOC lines are not paragraphs; the body's are, under their headings.
    assert!(ing.units.iter().all(|u| !u.text.contains('\t')));
    let para = ing
        .units
        .iter()
        .find(|u| u.text.starts_with("重点项目建设"))
        .unwrap();
    assert_eq!(para.section, ["一、总体进展", "（二）重点项目进展良好"]);
    // The table: the header's line break joined, a continued cell empty, a
    // spanned cell once.
    let t = &ing.tables[0];
    assert_eq!(t.rows[0].1, ["类别", "指标名称", "2023年上半年"]);
    assert_eq!(t.rows[1].1, ["经济发展", "地区生产总值增长（%）", "6.1"]);
    assert_eq!(t.rows[2].1, ["", "森林覆盖率（%）", "44.2"]);
    assert!(doc.text.contains("[image: 示意图]"));
    assert!(ing
        .units
        .iter()
        .any(|u| u.kind == ingest::UnitKind::FigureCaption));
}
