//! The rule language: text → syntax tree.
//!
//! `parse` runs the stages over one file: `chunk` cuts it into runs of whole
//! items; `cst` turns each into pest pairs (`grammar`, from
//! `grammar/plan.pest`) and words pest's errors; `build` folds the pairs into
//! the [`ast`], expressions through the Pratt parser in `pratt`. Nothing
//! outside this module sees a pest type.

pub mod ast;
mod build;
mod build_rules;
mod build_sources;
mod chunk;
mod cst;
mod grammar;
mod parse;
mod pratt;
mod recover;

pub use crate::limits::{MAX_NESTING, MAX_OPERATORS, MAX_PREFIX_RUN};
pub use parse::{parse_file, parse_file_recovering};
