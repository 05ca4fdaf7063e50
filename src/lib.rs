//! guihua (规划): a rule-based policy knowledge engine for Chinese
//! five-year-plan evaluation.
//!
//! Data flows one way: text → [`dsl`] (syntax tree) → [`model`] (resolved,
//! checked) → [`eval`] (verdicts) → [`report`] (tables, JSON). [`load`] ties
//! the first steps together for files on disk or the bundled rules.

pub mod check;
pub mod corpus;
pub mod desk;
pub mod draft;
pub mod dsl;
mod embedded;
pub mod eval;
pub mod files;
pub mod graph;
pub mod limits;
pub mod load;
pub mod messages;
pub mod model;
pub mod ops;
pub mod period;
pub mod report;
pub mod resolve;
pub mod search;
pub mod span;
pub mod workspace;
