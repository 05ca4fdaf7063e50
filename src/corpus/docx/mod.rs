//! Word documents (.docx) read directly.
//!
//! A .docx is a zip package of XML parts. The main part
//! (`word/document.xml`) is streamed with quick-xml into the same raw text
//! form as the report's text export (see `ingest`): one line per paragraph,
//! `[bookmark: …]` and `[image: …]` markers where they stand, a tab per
//! `w:tab`, a newline per line break, table cells one per line behind a tab
//! (a gridSpan cell once, a vMerge continuation as a bare tab), rows
//! separated by an empty line, and after the body the cached data of each
//! chart. Ingesting that text gives the document model, so a report read
//! from Word and from its text export are one model; the paragraph styles
//! (`styles.xml`: headings, outline levels, 目录 styles and the TOC field)
//! are returned beside it as a [`Layout`] for the outline.
//!
//! Every decompressed part is bounded ([`MAX_PART`]), so a zip bomb is an
//! error, not an exhausted memory.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

mod body;
mod chart;
mod xml;

use body::*;
use chart::*;
use xml::*;

/// The most bytes one part may decompress to.
pub const MAX_PART: u64 = 256 * 1024 * 1024;
/// The most bytes all parts read may decompress to together.
pub const MAX_TOTAL: u64 = 512 * 1024 * 1024;

pub(super) const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub(super) const NS_A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
pub(super) const NS_WP: &str =
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
pub(super) const NS_C: &str = "http://schemas.openxmlformats.org/drawingml/2006/chart";
pub(super) const NS_MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
pub(super) const NS_PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
// The same vocabularies in Strict Open XML (Word's "Strict" save format).
pub(super) const NS_W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
pub(super) const NS_A_STRICT: &str = "http://purl.oclc.org/ooxml/drawingml/main";
pub(super) const NS_WP_STRICT: &str = "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing";
pub(super) const NS_C_STRICT: &str = "http://purl.oclc.org/ooxml/drawingml/chart";

/// What a Word document's paragraph styles say about the lines of its text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    /// Body paragraphs with an outline level: (1-based line, level), level 1
    /// for `Heading 1` or outline level 0.
    pub headings: Vec<(usize, u8)>,
    /// Body paragraphs of the table of contents (a `toc N` style, or inside
    /// a TOC field): 1-based lines.
    pub toc: Vec<usize>,
    /// The last line of each table of the body, in order (a paragraph
    /// right after a table is not one of its cells).
    pub table_ends: Vec<usize>,
}

/// A Word document as text, with its layout.
#[derive(Debug, Clone)]
pub struct WordText {
    /// The text in the form of the report's raw text export.
    pub text: String,
    /// Headings and 目录 lines by style.
    pub layout: Layout,
}

/// Why a file could not be read as a Word document (the message names no
/// file; [`read`] adds it).
#[derive(Debug, Clone, PartialEq)]
pub enum DocxError {
    /// An OLE compound file: an encrypted .docx or a legacy .doc.
    Encrypted,
    /// Not a zip package at all.
    NotZip,
    /// A zip package that is cut short or damaged.
    Damaged(String),
    /// A zip package without a Word main document part.
    NotWord,
    /// A part that decompresses to more than the bound.
    TooLarge(String),
    /// A part that is not well-formed XML (part, byte offset, reason).
    Xml(String, u64, String),
}

impl std::fmt::Display for DocxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DocxError::Encrypted => write!(
                f,
                "是加密的 Word 文档或旧版 .doc（OLE 复合文件），不是 .docx；请在 Word 中取消密码并另存为 .docx \
                 (is an encrypted Word document or a legacy .doc (an OLE compound file), not a .docx; \
                 remove the password and save it as .docx)"
            ),
            DocxError::NotZip => write!(
                f,
                "不是 .docx 文件：应为以 `PK` 开头的 zip 包 \
                 (is not a .docx: expected a zip package starting with `PK`)"
            ),
            DocxError::Damaged(e) => write!(
                f,
                "文件不完整或已损坏，应为完整的 zip 包 \
                 (is truncated or damaged: expected a complete zip package): {e}"
            ),
            DocxError::NotWord => write!(
                f,
                "是 zip 包，但不是 Word 文档：缺少 word/document.xml \
                 (is a zip package but not a Word document: no word/document.xml)"
            ),
            DocxError::TooLarge(part) => write!(
                f,
                "`{part}` 解压后超过 {} MiB 的上限，疑似压缩炸弹 \
                 (decompresses to more than {} MiB; refusing a possible zip bomb)",
                MAX_PART >> 20,
                MAX_PART >> 20
            ),
            DocxError::Xml(part, at, e) => write!(
                f,
                "`{part}` 第 {at} 字节处不是有效的 XML (is not well-formed XML at byte {at}): {e}"
            ),
        }
    }
}

/// Reads a .docx file; the error names the file and what was expected.
pub fn read(path: &Path) -> Result<WordText, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("无法读取 `{}` (cannot read): {e}", path.display()))?;
    from_bytes(&bytes).map_err(|e| format!("`{}` {e}", path.display()))
}

/// Whether bytes begin like an OLE compound file (encrypted .docx, .doc).
fn is_ole(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Reads a .docx from its bytes.
pub fn from_bytes(bytes: &[u8]) -> Result<WordText, DocxError> {
    if is_ole(bytes) {
        return Err(DocxError::Encrypted);
    }
    if !bytes.starts_with(b"PK") {
        return Err(DocxError::NotZip);
    }
    let mut pkg = Package::open(bytes)?;
    let main = pkg
        .relationship_target("_rels/.rels", "", "/officeDocument")?
        .filter(|p| pkg.has(p))
        .unwrap_or_else(|| "word/document.xml".to_string());
    if !pkg.has(&main) {
        return Err(DocxError::NotWord);
    }
    let (dir, file) = main.rsplit_once('/').unwrap_or(("", main.as_str()));
    let rels_path = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    let rels = pkg.relationships(&rels_path, dir)?;
    let styles_path = rels
        .values()
        .find(|(t, _)| t.ends_with("/styles"))
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| format!("{dir}/styles.xml"));
    let styles = match pkg.has(&styles_path) {
        true => Styles::parse(&styles_path, &pkg.part(&styles_path)?)?,
        false => Styles::default(),
    };
    let xml = pkg.part(&main)?;
    let targets: HashMap<String, String> = rels.into_iter().map(|(id, (_, p))| (id, p)).collect();
    let mut body = Body::new(&styles, &targets);
    body.run(&main, &xml)?;
    let Body {
        mut out,
        layout,
        charts,
        ..
    } = body;
    if !charts.is_empty() {
        let mut blocks = Vec::new();
        for c in &charts {
            if pkg.has(c) {
                blocks.push(chart_block(c, &pkg.part(c)?)?);
            }
        }
        if !blocks.is_empty() {
            out.push_str("\n\n\n\n");
            out.push_str(&blocks.join("\n\n\n\n\n\n"));
        }
    }
    out.push_str("\n ");
    Ok(WordText { text: out, layout })
}

/// The zip package, with a bound on what is decompressed.
struct Package<'a> {
    zip: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    total: u64,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8]) -> Result<Package<'a>, DocxError> {
        let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| DocxError::Damaged(e.to_string()))?;
        Ok(Package { zip, total: 0 })
    }

    fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// A part's text, at most [`MAX_PART`] bytes (and [`MAX_TOTAL`] for all
    /// parts read).
    fn part(&mut self, name: &str) -> Result<String, DocxError> {
        let f = self.zip.by_name(name).map_err(|e| match e {
            zip::result::ZipError::FileNotFound => DocxError::NotWord,
            zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => {
                DocxError::Encrypted
            }
            e => DocxError::Damaged(format!("{name}: {e}")),
        })?;
        let room = MAX_PART.min(MAX_TOTAL.saturating_sub(self.total));
        if f.size() > room {
            return Err(DocxError::TooLarge(name.to_string()));
        }
        let mut buf = Vec::with_capacity(f.size() as usize);
        f.take(room + 1)
            .read_to_end(&mut buf)
            .map_err(|e| DocxError::Damaged(format!("{name}: {e}")))?;
        if buf.len() as u64 > room {
            return Err(DocxError::TooLarge(name.to_string()));
        }
        self.total += buf.len() as u64;
        // XML parts are UTF-8 (a UTF-8 byte-order mark is allowed).
        let buf = match buf.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => rest.to_vec(),
            None => buf,
        };
        String::from_utf8(buf).map_err(|e| {
            DocxError::Xml(
                name.to_string(),
                e.utf8_error().valid_up_to() as u64,
                "not UTF-8".into(),
            )
        })
    }

    /// A relationship part's entries: id → (type, part path resolved
    /// against `base`). A missing part has none.
    fn relationships(
        &mut self,
        path: &str,
        base: &str,
    ) -> Result<HashMap<String, (String, String)>, DocxError> {
        let mut out = HashMap::new();
        if !self.has(path) {
            return Ok(out);
        }
        let xml = self.part(path)?;
        let mut r = NsReader::from_str(&xml);
        loop {
            match next(&mut r, path)? {
                Event::Start(e) | Event::Empty(e)
                    if e.local_name().as_ref() == "Relationship" && ns(&r, &e) == Ns::PkgRel =>
                {
                    let id = attr(&e, "Id").unwrap_or_default();
                    let ty = attr(&e, "Type").unwrap_or_default();
                    let external = attr(&e, "TargetMode").is_some_and(|m| m == "External");
                    if let (Some(t), false) = (attr(&e, "Target"), external) {
                        out.insert(id, (ty, resolve_target(base, &t)));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(out)
    }

    /// The target of the first relationship of `path` whose type ends with `ty`.
    fn relationship_target(
        &mut self,
        path: &str,
        base: &str,
        ty: &str,
    ) -> Result<Option<String>, DocxError> {
        let rels = self.relationships(path, base)?;
        let mut found: Vec<&(String, String)> =
            rels.values().filter(|(t, _)| t.ends_with(ty)).collect();
        found.sort();
        Ok(found.first().map(|(_, p)| p.clone()))
    }
}

/// A relationship target as a part path: absolute (`/word/x.xml`) or
/// relative to the source part's folder, with `..` resolved.
fn resolve_target(base: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None if base.is_empty() => target.to_string(),
        None => format!("{base}/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_like_paths() {
        assert_eq!(
            resolve_target("word", "charts/chart1.xml"),
            "word/charts/chart1.xml"
        );
        assert_eq!(
            resolve_target("word", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(
            resolve_target("word", "/word/media/a.png"),
            "word/media/a.png"
        );
        assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
    }

    #[test]
    fn bad_bytes_are_named() {
        assert_eq!(from_bytes(b"hello").unwrap_err(), DocxError::NotZip);
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert_eq!(from_bytes(&ole).unwrap_err(), DocxError::Encrypted);
        assert!(matches!(
            from_bytes(b"PK\x03\x04 cut").unwrap_err(),
            DocxError::Damaged(_)
        ));
    }
}

#[cfg(test)]
mod export_form {
    use super::*;

    /// The public report's .docx reads to exactly its text export (made
    /// from the same .docx by the report's own converter).
    #[test]
    fn qinglan_docx_reads_as_its_text_export() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/qinglan");
        let w = read(&dir.join("qinglan-midterm-2024.docx")).expect("reads");
        let txt = std::fs::read_to_string(dir.join("qinglan-midterm-2024.txt")).expect("txt");
        if w.text != txt {
            let a: Vec<&str> = w.text.split('\n').collect();
            let b: Vec<&str> = txt.split('\n').collect();
            let k = a
                .iter()
                .zip(&b)
                .position(|(x, y)| x != y)
                .unwrap_or(a.len().min(b.len()));
            panic!(
                "first difference at line {}:\n docx: {:?}\n txt:  {:?}\n ({} vs {} lines)",
                k + 1,
                a.get(k),
                b.get(k),
                a.len(),
                b.len()
            );
        }
        // Heading styles: 一、二、三 and the 附件 labels are Heading 1.
        let lines: Vec<&str> = txt.split('\n').collect();
        let h1: Vec<&str> = w
            .layout
            .headings
            .iter()
            .filter(|(_, l)| *l == 1)
            .map(|(n, _)| lines[n - 1])
            .collect();
        assert!(
            h1.iter().any(|l| l.contains("一、《纲要》实施进展情况")),
            "{h1:?}"
        );
        assert!(h1.iter().any(|l| l.contains("附件1")), "{h1:?}");
    }
}
