//! Chunking: the text cut into runs of whole top-level items at `}` that
//! closes depth 0, and nesting refused before pest recurses.

use super::build::PResult;
use crate::limits::MAX_NESTING;
use crate::span::{Diagnostic, SourceId, Span};

/// Splits the text into chunks of whole top-level items (at a `}` that
/// closes depth 0, once a chunk has `min` bytes), and refuses input
/// nested deeper than [`MAX_NESTING`] (outside strings and comments),
/// pointing at the bracket that goes too deep.
pub(super) fn chunk_bounds(file: SourceId, text: &str, min: usize) -> PResult<Vec<usize>> {
    let bytes = text.as_bytes();
    let mut bounds = vec![0];
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(too_deep(file, i));
                }
            }
            b')' | b'}' => {
                depth = depth.saturating_sub(1);
                let last = *bounds.last().expect("starts with 0");
                if depth == 0 && bytes[i] == b'}' && i + 1 - last >= min {
                    bounds.push(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    if *bounds.last().expect("starts with 0") < text.len() || bounds.len() == 1 {
        bounds.push(text.len());
    }
    Ok(bounds)
}

/// Refuses an interpolation nested deeper than [`MAX_NESTING`] before pest
/// parses it (the file-level count skips strings, where interpolations are).
pub(super) fn check_nesting(file: SourceId, base: usize, text: &str) -> PResult<()> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(too_deep(file, base + i));
                }
            }
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn too_deep(file: SourceId, at: usize) -> Diagnostic {
    Diagnostic::error(
        Span::new(file, at, at + 1),
        format!("brackets nested more than {MAX_NESTING} deep"),
    )
    .help("split the expression into named figures")
}
