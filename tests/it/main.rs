//! One integration-test binary (see matklad, "Delete Cargo Integration Tests").

/// Helpers: run the real binary, load rules through the library.
mod util;

/// The invariants of ARCHITECTURE.md, checked against src/.
mod architecture;
/// `guihua serve` in headless Chromium, driven over the DevTools pipe.
#[cfg(unix)]
mod browser;
/// `guihua check`: contradictions in the documents.
mod check;
/// `guihua check` on reports it was not written for.
mod check_any;
/// What every command prints for people is in Chinese.
mod chinese_output;
/// The CLI on the bundled rules: eval, explain, lint, test, formats.
mod cli;
/// The planner's desk: Excel, charts, the HTML report.
mod desk;
/// Word documents in: .docx ingestion and bad files.
mod docx;
/// Inputs kept from the fuzz targets, replayed.
mod fuzz_regressions;
/// A grammar test per construct of the language.
mod grammar;
/// The plan as a graph.
mod graph;
/// Persistent indexes: only --out is written, one writer, crash-safe, checksummed.
#[cfg(unix)]
mod index_safety;
/// Folders and files named by the user: links, loops, FIFOs, size limits.
#[cfg(unix)]
mod input_files;
/// Every malformed fixture gives a located error and exit code 1.
mod malformed;
/// The national outline example (rules/examples/national).
mod national;
/// `guihua new`: workspaces drafted from reports.
mod new;
/// Search in a drafted workspace: the planning vocabulary it is given.
mod new_search;
/// `guihua new` on the unseen 棠溪县 report.
mod new_tangxi;
/// Property tests of the expression evaluator.
mod props;
/// Issue #9: inputs that used to crash, hang or mislead.
mod robustness;
/// Full-text search: relevance, tokenizer, ingestion, bad input, index.
mod search;
/// `guihua serve`: the pages, their JSON, the rule editor, security and load.
mod serve;
/// Rendered output compared with files under tests/snapshots/.
mod snapshots;
/// External sources: `source … in 文献`.
mod sources;
/// The target forms of a national plan and the method's options.
mod target_forms;
/// Verdicts are computed: changing the data flips them; figures are right.
mod verdicts;
/// Workspaces and the global flags.
mod workspace;
