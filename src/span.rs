//! Source files, byte spans and diagnostics, shared by every stage.
//!
//! A [`Diagnostic`] always points at a [`Span`] of a file registered in
//! [`Sources`]; [`Sources::render`] turns it into the `file:line:col` form
//! with the offending line and a caret that respects CJK display width.

use crate::messages::Said;
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SourceId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// The file.
    pub file: SourceId,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span of `file` from `start` to `end` (byte offsets).
    pub fn new(file: SourceId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// One loaded source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in diagnostics (a path relative to where it was loaded).
    pub name: String,
    /// The text.
    pub text: String,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

/// All source files of one load, addressed by [`SourceId`].
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// An empty set.
    pub fn new() -> Sources {
        Sources::default()
    }

    /// Registers a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> SourceId {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        self.files.push(SourceFile {
            name: name.into(),
            text,
            line_starts,
        });
        SourceId(self.files.len() as u32 - 1)
    }

    /// The file with this id.
    pub fn file(&self, id: SourceId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// All files, in load order.
    pub fn files(&self) -> impl Iterator<Item = (SourceId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (SourceId(i as u32), f))
    }

    /// The text a span covers.
    pub fn text(&self, span: Span) -> &str {
        let t = &self.file(span.file).text;
        t.get(span.start as usize..span.end as usize).unwrap_or("")
    }

    /// 1-based line and column (in characters) of a span's start.
    pub fn line_col(&self, span: Span) -> (usize, usize) {
        let f = self.file(span.file);
        let off = (span.start as usize).min(f.text.len());
        let line = f.line_starts.partition_point(|&s| s <= off) - 1;
        let col = f.text[f.line_starts[line]..off].chars().count() + 1;
        (line + 1, col)
    }

    /// `file:line:col` of a span.
    pub fn location(&self, span: Span) -> String {
        let (l, c) = self.line_col(span);
        format!("{}:{}:{}", self.file(span.file).name, l, c)
    }

    /// The whole line a span starts on, without its newline.
    pub fn line_text(&self, span: Span) -> &str {
        let f = self.file(span.file);
        let (line, _) = self.line_col(span);
        let start = f.line_starts[line - 1];
        let end = f.line_starts.get(line).copied().unwrap_or(f.text.len());
        f.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Renders a diagnostic as text: header, location, line, caret, notes.
    pub fn render(&self, d: &Diagnostic) -> String {
        let mut out = String::new();
        let (line, _) = self.line_col(d.span);
        let line_str = self.line_text(d.span);
        let f = self.file(d.span.file);
        let line_start = f.line_starts[line - 1];
        let start = (d.span.start as usize).clamp(line_start, line_start + line_str.len());
        let end = (d.span.end as usize).clamp(start, line_start + line_str.len());
        let mut before = f.text[line_start..start].replace('\t', "    ");
        let mut under = f.text[start..end].to_string();
        let mut after = f.text[end..line_start + line_str.len()].replace('\t', "    ");
        // Show a window of a long line around the span.
        if before.width() > 60 {
            let keep: String = before
                .chars()
                .rev()
                .take(40)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            before = format!("…{keep}");
        }
        if under.width() > 60 {
            under = under.chars().take(40).collect::<String>() + "…";
            after.clear();
        }
        if after.width() > 40 {
            after = after.chars().take(30).collect::<String>() + "…";
        }
        let pad = before.width();
        let carets = under.trim_end_matches('…').width().max(1);
        let line_str = format!("{before}{under}{after}");
        let gutter = line.to_string().len();
        let _ = writeln!(out, "{}: {}", d.severity.label(), d.message);
        let _ = writeln!(out, "{:gutter$}--> {}", "", self.location(d.span));
        let _ = writeln!(out, "{:gutter$} |", "");
        let _ = writeln!(out, "{line} | {line_str}");
        let _ = writeln!(out, "{:gutter$} | {:pad$}{}", "", "", "^".repeat(carets));
        if let Some(e) = &d.expected {
            let _ = writeln!(out, "{:gutter$} = expected: {e}", "");
        }
        if let Some(h) = &d.help {
            let _ = writeln!(out, "{:gutter$} = help: {h}", "");
        }
        out
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Suspicious but usable (a rule branch that can never fire).
    Warning,
    /// The input cannot be used.
    Error,
}

impl Severity {
    fn label(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A located message about the user's input.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where.
    pub span: Span,
    /// What is wrong, in Chinese then English ([`Said`]),
    /// user input in backticks.
    pub message: String,
    /// What would have been valid.
    pub expected: Option<String>,
    /// A suggestion such as "did you mean …".
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Span, message: impl Into<Said>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into().0,
            expected: None,
            help: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(span: Span, message: impl Into<Said>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(span, message)
        }
    }

    /// Adds what would have been valid.
    pub fn expected(mut self, e: impl Into<Said>) -> Diagnostic {
        self.expected = Some(e.into().0);
        self
    }

    /// Adds a hint.
    pub fn help(mut self, h: impl Into<Said>) -> Diagnostic {
        self.help = Some(h.into().0);
        self
    }

    /// Adds "did you mean `x`?" when some candidate is close to `word`.
    pub fn suggest<'a>(
        self,
        word: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Diagnostic {
        match did_you_mean(word, candidates) {
            Some(s) => self.help(format!("did you mean `{s}`?")),
            None => self,
        }
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The candidate closest to `word`, if it is close enough to be a misspelling.
///
/// Works on characters, so one wrong Chinese character is one edit.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let n = word.chars().count();
    let limit = match n {
        0..=2 => 1,
        3..=6 => 2,
        _ => 3,
    };
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| {
            let d = strsim::levenshtein(word, c);
            // A candidate that contains the word (or is contained in it) is a
            // likely intent too: `经济` for `经济发展`; so is one that has
            // all its characters in order, a name shortened the way Chinese
            // names are: 中科卧龙研究院 for 中科卧龙产业技术研究院.
            let contained = n >= 2 && (c.contains(word) || word.contains(c));
            let shortened = n >= 3 && is_subsequence(word, c);
            (
                if contained || shortened {
                    d.min(limit)
                } else {
                    d
                },
                d,
                c,
            )
        })
        .filter(|(d, _, _)| *d <= limit)
        .min_by_key(|(d, raw, _)| (*d, *raw))
        .map(|(_, _, c)| c)
}

/// Whether every character of `short` appears in `long`, in order.
fn is_subsequence(short: &str, long: &str) -> bool {
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|x| x == c))
}
