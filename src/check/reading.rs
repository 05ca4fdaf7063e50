//! The one pass every family reads: each unit of each document, with its
//! numbers and their places found once.

use super::text::{self, Num};
use super::QuoteRef;
use crate::corpus::ingest::{Unit, UnitKind};

/// A unit read once: its text, where it stands, and its numbers.
pub(super) struct Para<'a> {
    /// The text.
    pub text: &'a str,
    /// Document name.
    pub file: &'a str,
    /// 1-based line.
    pub line: usize,
    /// What kind of unit it is.
    pub kind: UnitKind,
    /// Its headings, outermost first.
    pub section: &'a [String],
    /// Every number of the text, left to right (as `text::numbers` reads them).
    pub nums: Vec<Num>,
}

impl<'a> Para<'a> {
    /// Reads a unit of document `file`.
    pub fn read(u: &'a Unit, file: &'a str) -> Para<'a> {
        Para {
            text: &u.text,
            file,
            line: u.line,
            kind: u.kind,
            section: &u.section,
            nums: text::numbers(&u.text),
        }
    }

    /// A paragraph of prose (or a glossary entry): what statements are read from.
    pub fn is_prose(&self) -> bool {
        matches!(self.kind, UnitKind::Paragraph | UnitKind::Glossary)
    }

    /// The number starting at byte `i`: the one already read, else read
    /// there (a number inside another, as `-3` of `2021-3`).
    pub fn number_at(&self, i: usize) -> Option<Num> {
        match self.nums.binary_search_by_key(&i, |n| n.start) {
            Ok(k) => Some(self.nums[k].clone()),
            Err(_) => text::number_at(self.text, i),
        }
    }

    /// The numbers lying wholly in bytes `s..e`.
    pub fn numbers_in(&self, s: usize, e: usize) -> &[Num] {
        let a = self.nums.partition_point(|n| n.start < s);
        let b = a + self.nums[a..].partition_point(|n| n.end <= e);
        &self.nums[a..b]
    }

    /// A quote of the sentence around byte `i`, located in its document.
    pub fn quote(&self, i: usize) -> QuoteRef {
        let (s, e) = text::sentence_around(self.text, i);
        let mut q: String = self.text[s..e].trim().to_string();
        if q.chars().count() > 120 {
            q = q.chars().take(120).collect();
        }
        QuoteRef {
            text: q,
            file: self.file.to_string(),
            line: self.line,
        }
    }
}
