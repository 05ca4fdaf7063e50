//! The rule language: text → syntax tree.
//!
//! Step one: pest turns text into pairs (`grammar`, from `grammar/plan.pest`).
//! Step two: `parse` folds the pairs into the [`ast`], expressions through
//! pest's Pratt parser. Nothing outside this module sees a pest type.

pub mod ast;
mod grammar;
mod parse;

pub use parse::{parse_file, parse_file_recovering, MAX_NESTING, MAX_OPERATORS, MAX_PREFIX_RUN};
