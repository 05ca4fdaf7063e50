//! The main part (`word/document.xml`) streamed into the text form of
//! the report's export: paragraphs, tables, drawings, bookmarks.

use super::*;

/// Where the reader is inside `word/document.xml`.
#[derive(Debug)]
pub(super) enum Frame {
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
pub(super) struct DrawingState {
    pub(super) uri: Option<String>,
    pub(super) chart: Option<String>,
    pub(super) docpr: Option<String>,
}

/// The streaming reader of the main document part.
pub(super) struct Body<'s> {
    pub(super) styles: &'s Styles,
    pub(super) targets: &'s HashMap<String, String>,
    pub(super) out: String,
    /// Newlines in `out`: the current line is `nl + 1`.
    pub(super) nl: usize,
    pub(super) layout: Layout,
    pub(super) charts: Vec<String>,
    pub(super) stack: Vec<Frame>,
    /// Depth inside an element whose content is ignored.
    pub(super) skip: usize,
    pub(super) body_started: bool,
    /// The current body paragraph: its line, style, outline level, whether
    /// a TOC field covers it.
    pub(super) para_line: usize,
    pub(super) para_style: Option<String>,
    pub(super) para_outline: Option<u8>,
    pub(super) para_in_toc: bool,
    /// Open fields: whether each is a TOC field.
    pub(super) fields: Vec<bool>,
    pub(super) instr: String,
    pub(super) drawing: Option<DrawingState>,
}

impl<'s> Body<'s> {
    pub(super) fn new(styles: &'s Styles, targets: &'s HashMap<String, String>) -> Body<'s> {
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

    pub(super) fn push(&mut self, s: &str) {
        self.nl += s.bytes().filter(|&b| b == b'\n').count();
        self.out.push_str(s);
    }

    pub(super) fn run(&mut self, part: &str, xml: &str) -> Result<(), DocxError> {
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
    pub(super) fn open(&mut self, ns: Ns, e: &BytesStart<'_>, empty: bool) -> Option<Frame> {
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

    pub(super) fn block_sep(&mut self) {
        if self.body_started {
            self.push("\n");
        }
        self.body_started = true;
    }

    /// A field's instruction is complete: is it a table of contents?
    pub(super) fn field_instr(&mut self) {
        if let Some(top) = self.fields.last_mut() {
            if self.instr.trim_start().starts_with("TOC") {
                *top = true;
                self.para_in_toc = true;
            }
        }
        self.instr.clear();
    }

    pub(super) fn close(&mut self, f: Frame) {
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
