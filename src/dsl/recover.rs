//! Recovery inside an item that does not parse: the line of each syntax
//! error is blanked (spaces, so every later offset stays where it was) and
//! the item parsed again, so a typo on one line of an indicator hides no
//! typo on another. The item itself is left out of the syntax tree.

use super::cst;
use super::grammar::Rule;
use crate::span::{Diagnostic, SourceId};

/// Syntax errors reported for one item at most.
const MAX_PER_ITEM: usize = 20;

/// Every syntax error of the item `text` (at byte `base` of `file`), given
/// the first. Stops at a line that cannot be blanked without unbalancing
/// the item (it opens or closes a block, or a string runs past it).
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
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| at + i);
        if !blankable(&bytes[start..end]) {
            break;
        }
        bytes[start..end].fill(b' ');
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

/// Whether blanking the line keeps the item's blocks and strings whole:
/// its quotes pair up and its braces balance (outside strings).
fn blankable(line: &[u8]) -> bool {
    let mut depth = 0i32;
    let mut in_string = false;
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && line.get(i + 1) == Some(&b'/') => break,
            b'{' if !in_string => depth += 1,
            b'}' if !in_string => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    depth == 0 && !in_string
}
