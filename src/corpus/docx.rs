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

/// The most bytes one part may decompress to.
pub const MAX_PART: u64 = 256 * 1024 * 1024;
/// The most bytes all parts read may decompress to together.
pub const MAX_TOTAL: u64 = 512 * 1024 * 1024;

const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
const NS_C: &str = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const NS_MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
const NS_PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
// The same vocabularies in Strict Open XML (Word's "Strict" save format).
const NS_W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const NS_A_STRICT: &str = "http://purl.oclc.org/ooxml/drawingml/main";
const NS_WP_STRICT: &str = "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing";
const NS_C_STRICT: &str = "http://purl.oclc.org/ooxml/drawingml/chart";

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

/// The next event of a part. Namespace scopes are tracked; an element's
/// namespace is resolved only when asked ([`ns`]).
fn next<'i>(r: &mut NsReader<&'i [u8]>, part: &str) -> Result<Event<'i>, DocxError> {
    r.read_event()
        .map_err(|e| DocxError::Xml(part.to_string(), r.error_position(), e.to_string()))
}

/// The namespace of an element just read.
fn ns<R>(r: &NsReader<R>, e: &BytesStart<'_>) -> Ns {
    ns_of(&r.resolver().resolve_element(e.name()).0)
}

/// The namespace of an end tag just read.
fn ns_end<R>(r: &NsReader<R>, e: &quick_xml::events::BytesEnd<'_>) -> Ns {
    ns_of(&r.resolver().resolve_element(e.name()).0)
}

/// An attribute's value by local name (the prefix is not compared).
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key = a.key.as_ref();
        let l = key.rsplit_once(':').map_or(key, |(_, l)| l);
        (l == local).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
    })
}

/// The namespaces the reader looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    W,
    A,
    Wp,
    C,
    Mc,
    PkgRel,
    Other,
}

fn ns_of(r: &ResolveResult<'_>) -> Ns {
    let ResolveResult::Bound(ns) = r else {
        return Ns::Other;
    };
    let s = ns.as_ref();
    // The length first: most elements are in one namespace.
    let is = |k: &str| s.len() == k.len() && s == k;
    if is(NS_W) || is(NS_W_STRICT) {
        Ns::W
    } else if is(NS_A) || is(NS_A_STRICT) {
        Ns::A
    } else if is(NS_WP) || is(NS_WP_STRICT) {
        Ns::Wp
    } else if is(NS_C) || is(NS_C_STRICT) {
        Ns::C
    } else if is(NS_MC) {
        Ns::Mc
    } else if is(NS_PKG_REL) {
        Ns::PkgRel
    } else {
        Ns::Other
    }
}

/// Paragraph styles: outline level and 目录 styles, by style id.
#[derive(Debug, Default)]
struct Styles {
    /// Style id → outline level (0-based; 9 is body text).
    outline: HashMap<String, u8>,
    /// Style ids of the table of contents (`toc 1` …).
    toc: Vec<String>,
}

impl Styles {
    fn parse(part: &str, xml: &str) -> Result<Styles, DocxError> {
        struct Raw {
            id: String,
            name: String,
            based_on: Option<String>,
            outline: Option<u8>,
        }
        let mut raws: Vec<Raw> = Vec::new();
        let mut cur: Option<Raw> = None;
        let mut r = NsReader::from_str(xml);
        loop {
            match next(&mut r, part)? {
                Event::Start(e) | Event::Empty(e)
                    if matches!(
                        e.local_name().as_ref(),
                        "style" | "name" | "basedOn" | "outlineLvl"
                    ) && ns(&r, &e) == Ns::W =>
                {
                    match e.local_name().as_ref() {
                        "style" => {
                            let paragraph = attr(&e, "type").is_none_or(|t| t == "paragraph");
                            cur = paragraph.then(|| Raw {
                                id: attr(&e, "styleId").unwrap_or_default(),
                                name: String::new(),
                                based_on: None,
                                outline: None,
                            });
                        }
                        "name" => {
                            if let Some(c) = cur.as_mut() {
                                c.name = attr(&e, "val").unwrap_or_default().to_lowercase();
                            }
                        }
                        "basedOn" => {
                            if let Some(c) = cur.as_mut() {
                                c.based_on = attr(&e, "val");
                            }
                        }
                        "outlineLvl" => {
                            if let Some(c) = cur.as_mut() {
                                c.outline = attr(&e, "val").and_then(|v| v.parse().ok());
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) if e.local_name().as_ref() == "style" && ns_end(&r, &e) == Ns::W => {
                    raws.extend(cur.take());
                }
                Event::Eof => break,
                _ => {}
            }
        }
        let by_id: HashMap<&str, &Raw> = raws.iter().map(|r| (r.id.as_str(), r)).collect();
        let own = |r: &Raw| -> Option<u8> {
            r.outline.or_else(|| {
                let n = r.name.strip_prefix("heading ")?.trim().parse::<u8>().ok()?;
                (1..=9).contains(&n).then(|| n - 1)
            })
        };
        let mut s = Styles::default();
        for raw in &raws {
            // The style's own level, else its base's (a bounded walk).
            let mut level = None;
            let mut at = Some(raw);
            for _ in 0..16 {
                let Some(x) = at else { break };
                if let Some(l) = own(x) {
                    level = Some(l);
                    break;
                }
                at = x.based_on.as_deref().and_then(|b| by_id.get(b).copied());
            }
            if let Some(l) = level {
                s.outline.insert(raw.id.clone(), l);
            }
            if raw
                .name
                .strip_prefix("toc ")
                .is_some_and(|n| n.trim().parse::<u8>().is_ok())
            {
                s.toc.push(raw.id.clone());
            }
        }
        Ok(s)
    }
}

/// Where the reader is inside `word/document.xml`.
#[derive(Debug)]
enum Frame {
    /// The body or a block-level content control: paragraphs and tables.
    Blocks,
    /// A block-level `w:sdt`.
    BlockSdt,
    /// A paragraph (`top`: of the body, not of a table cell).
    Para {
        top: bool,
    },
    /// A paragraph's properties.
    PPr,
    /// Inline content that holds runs (hyperlink, smartTag, ins, …).
    Inline,
    /// A run (or the chosen branch of an `mc:AlternateContent`).
    Run,
    /// `mc:AlternateContent` inside a run.
    Alt {
        chosen: bool,
    },
    /// `w:t`: its text is the run's.
    Text,
    /// `w:instrText`: a field's instruction.
    Instr,
    /// `w:drawing` and everything under it.
    Drawing,
    /// `a:graphicData` of the drawing.
    GraphicData,
    /// A table, its rows, its cells.
    Table {
        first: bool,
    },
    Row {
        first: bool,
    },
    Cell {
        first: bool,
    },
}

#[derive(Debug, Default)]
struct DrawingState {
    uri: Option<String>,
    chart: Option<String>,
    docpr: Option<String>,
}

/// The streaming reader of the main document part.
struct Body<'s> {
    styles: &'s Styles,
    targets: &'s HashMap<String, String>,
    out: String,
    /// Newlines in `out`: the current line is `nl + 1`.
    nl: usize,
    layout: Layout,
    charts: Vec<String>,
    stack: Vec<Frame>,
    /// Depth inside an element whose content is ignored.
    skip: usize,
    body_started: bool,
    /// The current body paragraph: its line, style, outline level, whether
    /// a TOC field covers it.
    para_line: usize,
    para_style: Option<String>,
    para_outline: Option<u8>,
    para_in_toc: bool,
    /// Open fields: whether each is a TOC field.
    fields: Vec<bool>,
    instr: String,
    drawing: Option<DrawingState>,
}

impl<'s> Body<'s> {
    fn new(styles: &'s Styles, targets: &'s HashMap<String, String>) -> Body<'s> {
        Body {
            styles,
            targets,
            out: String::new(),
            nl: 0,
            layout: Layout::default(),
            charts: Vec::new(),
            stack: Vec::new(),
            skip: 0,
            body_started: false,
            para_line: 0,
            para_style: None,
            para_outline: None,
            para_in_toc: false,
            fields: Vec::new(),
            instr: String::new(),
            drawing: None,
        }
    }

    fn push(&mut self, s: &str) {
        self.nl += s.bytes().filter(|&b| b == b'\n').count();
        self.out.push_str(s);
    }

    fn run(&mut self, part: &str, xml: &str) -> Result<(), DocxError> {
        let mut r = NsReader::from_str(xml);
        let mut in_body = false;
        loop {
            let ev = next(&mut r, part)?;
            if self.skip > 0 {
                match ev {
                    Event::Start(_) => self.skip += 1,
                    Event::End(_) => self.skip -= 1,
                    Event::Eof => break,
                    _ => {}
                }
                continue;
            }
            match ev {
                Event::Start(e) => {
                    let ns = ns(&r, &e);
                    if !in_body {
                        if ns == Ns::W && e.local_name().as_ref() == "body" {
                            in_body = true;
                            self.stack.push(Frame::Blocks);
                        }
                        continue;
                    }
                    if let Some(f) = self.open(ns, &e, false) {
                        self.stack.push(f);
                    } else {
                        self.skip = 1;
                    }
                }
                // An empty element opens and closes at once.
                Event::Empty(e) if in_body => {
                    if let Some(f) = self.open(ns(&r, &e), &e, true) {
                        self.close(f);
                    }
                }
                Event::End(_) => {
                    if let Some(f) = self.stack.pop() {
                        if self.stack.is_empty() {
                            in_body = false;
                        }
                        self.close(f);
                    }
                }
                Event::Text(t) => match self.stack.last() {
                    Some(Frame::Text) => self.push(&t.xml10_content()),
                    Some(Frame::Instr) => self.instr.push_str(&t.xml10_content()),
                    _ => {}
                },
                Event::CData(t) => {
                    if matches!(self.stack.last(), Some(Frame::Text)) {
                        let s = t.xml10_content().into_owned();
                        self.push(&s);
                    }
                }
                Event::GeneralRef(g) => {
                    if matches!(self.stack.last(), Some(Frame::Text | Frame::Instr)) {
                        let c = match g.resolve_char_ref() {
                            Ok(Some(c)) => Some(c),
                            _ => match g.as_ref() {
                                "amp" => Some('&'),
                                "lt" => Some('<'),
                                "gt" => Some('>'),
                                "quot" => Some('"'),
                                "apos" => Some('\''),
                                _ => None,
                            },
                        };
                        if let Some(c) = c {
                            let mut b = [0u8; 4];
                            if matches!(self.stack.last(), Some(Frame::Text)) {
                                self.push(c.encode_utf8(&mut b));
                            } else {
                                self.instr.push(c);
                            }
                        }
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(())
    }

    /// The frame an element opens, or `None` when its content is ignored.
    fn open(&mut self, ns: Ns, e: &BytesStart<'_>, empty: bool) -> Option<Frame> {
        let local = e.local_name();
        let local = local.as_ref();
        let parent = self.stack.last()?;
        match (parent, ns, local) {
            (Frame::Blocks, Ns::W, "p") => {
                self.block_sep();
                self.para_line = self.nl + 1;
                self.para_style = None;
                self.para_outline = None;
                self.para_in_toc = self.fields.iter().any(|&t| t);
                Some(Frame::Para { top: true })
            }
            (Frame::Blocks, Ns::W, "tbl") => {
                self.block_sep();
                Some(Frame::Table { first: true })
            }
            (Frame::Blocks, Ns::W, "sdt") => Some(Frame::BlockSdt),
            (Frame::BlockSdt, Ns::W, "sdtContent") => Some(Frame::Blocks),
            (Frame::Para { top: true }, Ns::W, "pPr") => Some(Frame::PPr),
            (Frame::PPr, Ns::W, "pStyle") => {
                self.para_style = attr(e, "val");
                None
            }
            (Frame::PPr, Ns::W, "outlineLvl") => {
                self.para_outline = attr(e, "val").and_then(|v| v.parse().ok());
                None
            }
            (Frame::Para { .. } | Frame::Inline, Ns::W, "r") => Some(Frame::Run),
            (Frame::Para { .. } | Frame::Inline, Ns::W, "bookmarkStart") => {
                let name = attr(e, "name").unwrap_or_default();
                self.push(&format!("[bookmark: {name}]"));
                None
            }
            (
                Frame::Para { .. } | Frame::Inline,
                Ns::W,
                "hyperlink" | "smartTag" | "ins" | "fldSimple" | "customXml" | "sdt" | "sdtContent"
                | "moveTo",
            ) => Some(Frame::Inline),
            (Frame::Run, Ns::W, "t") => Some(Frame::Text),
            (Frame::Run, Ns::W, "tab") => {
                self.push("\t");
                None
            }
            (Frame::Run, Ns::W, "br") => {
                if !attr(e, "type").is_some_and(|t| t == "page" || t == "column") {
                    self.push("\n");
                }
                None
            }
            (Frame::Run, Ns::W, "cr") => {
                self.push("\n");
                None
            }
            (Frame::Run, Ns::W, "noBreakHyphen") => {
                self.push("-");
                None
            }
            (Frame::Run, Ns::W, "fldChar") => {
                match attr(e, "fldCharType").as_deref() {
                    Some("begin") => {
                        self.fields.push(false);
                        self.instr.clear();
                    }
                    Some("separate") => self.field_instr(),
                    Some("end") => {
                        self.field_instr();
                        self.fields.pop();
                    }
                    _ => {}
                }
                None
            }
            (Frame::Run, Ns::W, "instrText") => Some(Frame::Instr),
            (Frame::Run, Ns::W, "drawing") => {
                self.drawing = Some(DrawingState::default());
                Some(Frame::Drawing)
            }
            (Frame::Run, Ns::Mc, "AlternateContent") => Some(Frame::Alt { chosen: false }),
            (Frame::Alt { chosen }, Ns::Mc, "Choice") if !chosen => {
                if let Some(Frame::Alt { chosen }) = self.stack.last_mut() {
                    *chosen = true;
                }
                Some(Frame::Run)
            }
            (Frame::Drawing, _, _) | (Frame::GraphicData, _, _) => {
                let in_gd = matches!(parent, Frame::GraphicData);
                let d = self.drawing.get_or_insert_with(Default::default);
                if ns == Ns::Wp && local == "docPr" && d.docpr.is_none() {
                    let descr = attr(e, "descr").filter(|s| !s.is_empty());
                    d.docpr = Some(descr.or_else(|| attr(e, "name")).unwrap_or_default());
                }
                if ns == Ns::A && local == "graphicData" && d.uri.is_none() {
                    d.uri = Some(attr(e, "uri").unwrap_or_default());
                    return (!empty).then_some(Frame::GraphicData);
                }
                if in_gd && ns == Ns::C && local == "chart" && d.chart.is_none() {
                    d.chart = attr(e, "id");
                }
                Some(Frame::Drawing)
            }
            (Frame::Table { first }, Ns::W, "tr") => {
                if !first {
                    self.push("\n\n");
                }
                if let Some(Frame::Table { first }) = self.stack.last_mut() {
                    *first = false;
                }
                Some(Frame::Row { first: true })
            }
            (Frame::Row { first }, Ns::W, "tc") => {
                self.push(if *first { "\t" } else { "\n\t" });
                if let Some(Frame::Row { first }) = self.stack.last_mut() {
                    *first = false;
                }
                Some(Frame::Cell { first: true })
            }
            (Frame::Cell { first }, Ns::W, "p" | "tbl") => {
                if !first {
                    self.push("\n");
                }
                if let Some(Frame::Cell { first }) = self.stack.last_mut() {
                    *first = false;
                }
                Some(if local == "p" {
                    Frame::Para { top: false }
                } else {
                    Frame::Table { first: true }
                })
            }
            _ => None,
        }
    }

    fn block_sep(&mut self) {
        if self.body_started {
            self.push("\n");
        }
        self.body_started = true;
    }

    /// A field's instruction is complete: is it a table of contents?
    fn field_instr(&mut self) {
        if let Some(top) = self.fields.last_mut() {
            if self.instr.trim_start().starts_with("TOC") {
                *top = true;
                self.para_in_toc = true;
            }
        }
        self.instr.clear();
    }

    fn close(&mut self, f: Frame) {
        match f {
            Frame::Para { top: true } => {
                let level = self
                    .para_outline
                    .or_else(|| {
                        self.para_style
                            .as_ref()
                            .and_then(|s| self.styles.outline.get(s).copied())
                    })
                    .filter(|&l| l < 9);
                if let Some(l) = level {
                    self.layout.headings.push((self.para_line, l + 1));
                }
                let toc_style = self
                    .para_style
                    .as_ref()
                    .is_some_and(|s| self.styles.toc.contains(s));
                if toc_style || self.para_in_toc {
                    self.layout.toc.push(self.para_line);
                }
            }
            Frame::Table { .. } if matches!(self.stack.last(), Some(Frame::Blocks)) => {
                self.layout.table_ends.push(self.nl + 1);
            }
            Frame::Drawing if matches!(self.stack.last(), Some(Frame::Run)) => {
                let d = self.drawing.take().unwrap_or_default();
                let uri = d.uri.unwrap_or_default();
                if uri.ends_with("/chart") {
                    if let Some(p) = d.chart.and_then(|id| self.targets.get(&id)) {
                        self.charts.push(p.clone());
                    }
                } else if uri.ends_with("/picture") {
                    let s = format!("[image: {}]", d.docpr.unwrap_or_default());
                    self.push(&s);
                }
            }
            _ => {}
        }
    }
}

/// A chart part's cached data: its title line, then per series its name and
/// its categories and values, tab-separated.
fn chart_block(part: &str, xml: &str) -> Result<String, DocxError> {
    #[derive(Default)]
    struct Series {
        name: String,
        cats: Vec<(u32, String)>,
        vals: Vec<(u32, String)>,
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Where {
        None,
        Tx,
        Cat,
        Val,
    }
    let mut r = NsReader::from_str(xml);
    // Element path: (namespace, local name).
    let mut path: Vec<(Ns, String)> = Vec::new();
    let mut title: Option<String> = None;
    let mut title_depth: Option<usize> = None;
    let mut series: Vec<Series> = Vec::new();
    let mut ser_depth: Option<usize> = None;
    let mut seen = (false, false, false); // tx, cat, val taken in this series
    let mut in_part: (Where, usize) = (Where::None, 0);
    let mut pt: Option<(u32, usize)> = None;
    let mut text = String::new();
    loop {
        match next(&mut r, part)? {
            Event::Start(e) => {
                let ns = ns(&r, &e);
                let local = e.local_name().as_ref().to_string();
                let depth = path.len();
                let parent = path.last().map(|(n, l)| (*n, l.as_str()));
                if ns == Ns::C
                    && local == "title"
                    && parent == Some((Ns::C, "chart"))
                    && title.is_none()
                    && title_depth.is_none()
                {
                    title_depth = Some(depth);
                }
                if ns == Ns::C && local == "ser" && ser_depth.is_none() {
                    ser_depth = Some(depth);
                    seen = (false, false, false);
                    series.push(Series::default());
                }
                if let (Some(sd), Ns::C) = (ser_depth, ns) {
                    if depth == sd + 1 && in_part.0 == Where::None {
                        let w = match local.as_str() {
                            "tx" if !seen.0 => {
                                seen.0 = true;
                                Where::Tx
                            }
                            "cat" if !seen.1 => {
                                seen.1 = true;
                                Where::Cat
                            }
                            "val" if !seen.2 => {
                                seen.2 = true;
                                Where::Val
                            }
                            _ => Where::None,
                        };
                        if w != Where::None {
                            in_part = (w, depth);
                        }
                    }
                    if local == "pt" && matches!(in_part.0, Where::Cat | Where::Val) {
                        let idx = attr(&e, "idx").and_then(|v| v.parse().ok()).unwrap_or(0);
                        pt = Some((idx, depth));
                    }
                }
                text.clear();
                path.push((ns, local));
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(g) => {
                if let Ok(Some(c)) = g.resolve_char_ref() {
                    text.push(c);
                } else {
                    text.push_str(match g.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(_) => {
                let Some((ens, local)) = path.pop() else {
                    continue;
                };
                let depth = path.len();
                if title_depth.is_some() && ens == Ns::A && local == "t" {
                    title.get_or_insert_with(String::new).push_str(&text);
                }
                if title_depth == Some(depth) {
                    title_depth = None;
                    title.get_or_insert_with(String::new);
                }
                if ens == Ns::C && local == "v" {
                    if let Some(s) = series.last_mut() {
                        match in_part.0 {
                            Where::Tx => s.name.push_str(&text),
                            Where::Cat | Where::Val => {
                                if let Some((idx, d)) = pt {
                                    if depth == d + 1 {
                                        let v = (idx, text.clone());
                                        if in_part.0 == Where::Cat {
                                            s.cats.push(v);
                                        } else {
                                            s.vals.push(v);
                                        }
                                    }
                                }
                            }
                            Where::None => {}
                        }
                    }
                }
                if pt.is_some_and(|(_, d)| d == depth) {
                    pt = None;
                }
                if in_part.0 != Where::None && in_part.1 == depth {
                    in_part = (Where::None, 0);
                }
                if ser_depth == Some(depth) {
                    ser_depth = None;
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut out = String::new();
    if let Some(t) = title.filter(|t| !t.is_empty()) {
        out.push_str(&t);
        out.push('\n');
    }
    for mut s in series {
        s.cats.sort();
        s.vals.sort();
        out.push_str(&s.name);
        out.push_str("\t\n");
        for (_, c) in s.cats.iter().chain(&s.vals) {
            out.push_str(c);
            out.push('\t');
        }
    }
    Ok(out)
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
