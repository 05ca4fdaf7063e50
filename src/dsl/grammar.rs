//! The pest binding of `grammar/plan.pest`, and nothing else.

#![allow(missing_docs)]

/// The generated parser; its `Rule` enum names the grammar's rules.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/plan.pest"]
pub struct PlanParser;
