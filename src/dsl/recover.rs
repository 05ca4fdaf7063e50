//! Recovery inside an item that does not parse: the line of each syntax
//! error is blanked (spaces, so every later offset stays where it was) and
//! the item parsed again, so a typo on one line of an indicator hides no
//! typo on another. A line that opens a block is blanked with the whole
//! block, up to the line that closes it; the braces a line closes beyond
//! its own are kept, so the blocks around it stay whole. The item itself is
//! left out of the syntax tree.

use super::cst;
use super::grammar::Rule;
use crate::span::{Diagnostic, SourceId};

/// Syntax errors reported for one item at most.
const MAX_PER_ITEM: usize = 20;

/// Every syntax error of the item `text` (at byte `base` of `file`), given
/// the first. Stops at a line that cannot be blanked without unbalancing
/// the item (a string runs past it, or a block it opens is never closed).
pub(super) fn item_errors(
    file: SourceId,
    base: usize,
    text: &str,
    first: Diagnostic,
) -> Vec<Diagnostic> {
    let mut bytes = text.as_bytes().to_vec();
    let mut errors = vec![first];
    while errors.len() < MAX_PER_ITEM {
        let last = errors.last().expect("at least the first");
        let at = (last.span.start as usize).saturating_sub(base);
        if at >= bytes.len() {
            break;
        }
        let start = bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let Some((end, kept)) = blank_region(&bytes, start) else {
            break;
        };
        for (i, b) in bytes[start..end].iter_mut().enumerate() {
            if !kept.contains(&(start + i)) && *b != b'\n' {
                *b = b' ';
            }
        }
        let Ok(again) = std::str::from_utf8(&bytes) else {
            break;
        };
        match cst::cst(file, base, again, Rule::file) {
            Ok(_) => break,
            Err(d) if d.span.start > last.span.start => errors.push(d),
            Err(_) => break,
        }
    }
    errors
}

/// What to blank for a bad line starting at `start`: up to the end of the
/// line, or, when the line opens a block, of the line that closes it; and
/// the `}` kept, those that close blocks opened before the line. `None`
/// when that would cut a string or leave a block open.
fn blank_region(bytes: &[u8], start: usize) -> Option<(usize, Vec<usize>)> {
    let mut depth = 0usize;
    let mut kept = Vec::new();
    let mut in_string = false;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                // A comment runs to the end of the line.
                while i + 1 < bytes.len() && bytes[i + 1] != b'\n' {
                    i += 1;
                }
            }
            b'{' if !in_string => depth += 1,
            b'}' if !in_string => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => kept.push(i),
            },
            b'\n' => {
                if in_string {
                    return None;
                }
                if depth == 0 {
                    return Some((i, kept));
                }
            }
            _ => {}
        }
        i += 1;
    }
    (depth == 0 && !in_string).then_some((bytes.len(), kept))
}
