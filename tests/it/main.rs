//! One integration-test binary (see matklad, "Delete Cargo Integration Tests").

/// Helpers: run the real binary, load rules through the library.
mod util;

/// `guihua check`: contradictions in the documents.
mod check;
/// The CLI on the bundled rules: eval, explain, lint, test, formats.
mod cli;
/// A grammar test per construct of the language.
mod grammar;
/// The plan as a graph.
mod graph;
/// Every malformed fixture gives a located error and exit code 1.
mod malformed;
/// `guihua new`: workspaces drafted from reports.
mod new;
/// Property tests of the expression evaluator.
mod props;
/// Full-text search: relevance, tokenizer, ingestion, bad input, index.
mod search;
/// Rendered output compared with files under tests/snapshots/.
mod snapshots;
/// Verdicts are computed: changing the data flips them; figures are right.
mod verdicts;
