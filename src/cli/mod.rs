//! Command-line types (clap derive) and the shared loading step.

mod check;
mod eval;
mod explain;
mod graph;
mod index;
mod lint;
mod new;
mod search;
mod test;

use clap::{Args, Parser, Subcommand};
use guihua::corpus::Corpus;
use guihua::load::{self, Loaded};
use guihua::model::{MethodId, Model};
use guihua::period::Period;
use std::path::PathBuf;

/// guihua 规划: evaluate five-year-plan indicators with rules you write.
#[derive(Debug, Parser)]
#[command(name = "guihua", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Judge every indicator and print the mid-term table (中期评估表)
    Eval(eval::EvalArgs),
    /// Show how one indicator's status was decided (判定过程)
    Explain(explain::ExplainArgs),
    /// Parse and validate rule files only (检查规则)
    Lint(lint::LintArgs),
    /// Run the `expect … is …` rule tests (规则测试)
    Test(test::TestArgs),
    /// Search the plan documents in full text (全文检索)
    Search(search::SearchArgs),
    /// Build a persistent search index of a document folder (建立索引)
    Index(index::IndexArgs),
    /// Ask the plan as a graph: supports, deps, impact, at-risk, export (规划图谱)
    Graph(graph::GraphArgs),
    /// One node of the graph: its neighbours and its source (节点详情)
    Show(graph::ShowArgs),
    /// Find where the documents contradict themselves or the data (一致性检查)
    Check(check::CheckArgs),
    /// Draft a workspace from a report: guihua.toml, corpus/, rules/ (起草工作区)
    New(new::NewArgs),
}

/// Where the rules and the corpus come from.
#[derive(Debug, Args)]
pub struct Input {
    /// Rule file or folder (default: the bundled rules/)
    #[arg(long, value_name = "PATH")]
    rules: Option<PathBuf>,
    /// Corpus folder that `source` quotes are checked against (default: the bundled corpus/)
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
}

/// Which method and period to evaluate.
#[derive(Debug, Args)]
pub struct Judge {
    /// Evaluation method, e.g. `sdg` (default: the plan's default method)
    #[arg(long, value_name = "NAME")]
    method: Option<String>,
    /// Evaluate with the data known at this period: `2022`, `2023H1` (default: the latest data)
    #[arg(long, value_name = "PERIOD")]
    as_of: Option<String>,
}

/// Exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Done.
    Success = 0,
    /// Errors in the input, or failed tests.
    Failure = 1,
    /// Bad usage (unknown indicator, method or period).
    Usage = 2,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Exit {
    let r = match cli.command {
        Command::Eval(a) => eval::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Test(a) => test::run(a),
        Command::Search(a) => search::run(a),
        Command::Index(a) => index::run(a),
        Command::Graph(a) => graph::run(a),
        Command::Show(a) => graph::run_show(a),
        Command::Check(a) => check::run(a),
        Command::New(a) => new::run(a),
    };
    r.unwrap_or_else(|e| e)
}

fn corpus(input: &Input) -> Result<Corpus, Exit> {
    match &input.corpus {
        Some(dir) => Corpus::load_dir(dir).map_err(|e| {
            eprintln!("error: {e}");
            Exit::Usage
        }),
        None => Ok(Corpus::bundled()),
    }
}

/// Loads and checks the rules; prints diagnostics. Errors end the command.
fn load_model(input: &Input) -> Result<Model, Exit> {
    let loaded = load_loaded(input)?;
    if !loaded.diagnostics.is_empty() {
        eprint!("{}", loaded.render_diagnostics());
    }
    match loaded.model {
        Some(m) if !loaded.diagnostics.iter().any(|d| d.is_error()) => Ok(m),
        _ => {
            let n = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: {}",
                guihua::messages::bilingual(&format!(
                    "the rules have {n} error(s); nothing was evaluated"
                ))
            );
            Err(Exit::Failure)
        }
    }
}

/// Loads the rules without checking their quotes against a corpus (for
/// `check`, whose provenance check reports them as findings).
fn load_model_unchecked(input: &Input) -> Result<Model, Exit> {
    let loaded = load::load_texts(rule_files(input)?, None);
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        eprint!(
            "{}",
            errors
                .iter()
                .map(|d| loaded.sources.render(d))
                .collect::<Vec<_>>()
                .join("\n")
        );
        return Err(Exit::Usage);
    }
    loaded.model.ok_or(Exit::Usage)
}

/// The rule files: `--rules`, or the bundled ones.
fn rule_files(input: &Input) -> Result<Vec<(String, String)>, Exit> {
    match &input.rules {
        Some(p) => load::read_rules(p).map_err(|e| {
            eprintln!("error: {e}");
            Exit::Usage
        }),
        None => Ok(load::bundled_rules()),
    }
}

fn load_loaded(input: &Input) -> Result<Loaded, Exit> {
    let files = rule_files(input)?;
    let corpus = corpus(input)?;
    Ok(load::load_texts(files, Some(&corpus)))
}

fn method(model: &Model, j: &Judge) -> Result<MethodId, Exit> {
    match &j.method {
        None => Ok(model.plan.default_method),
        Some(m) => model.find_method(m).ok_or_else(|| {
            let names: Vec<&str> = model.methods.iter().map(|m| m.id.as_str()).collect();
            eprintln!(
                "error: {}",
                guihua::messages::bilingual(&format!(
                    "unknown method `{m}`; expected one of {}",
                    names.join(", ")
                ))
            );
            Exit::Usage
        }),
    }
}

fn as_of(model: &Model, j: &Judge) -> Result<Period, Exit> {
    match &j.as_of {
        None => Ok(model.latest_period()),
        Some(s) => match Period::parse(s) {
            Some(p) if p.year >= model.plan.start && p.year <= model.plan.end => Ok(p),
            Some(p) => {
                eprintln!(
                    "error: {}",
                    guihua::messages::bilingual(&format!(
                        "`{p}` is outside the plan period {}–{}",
                        model.plan.start, model.plan.end
                    ))
                );
                Err(Exit::Usage)
            }
            None => {
                eprintln!("error: {}", guihua::messages::bilingual(&format!("`{s}` is not a period; expected a year such as `2022` or a half-year such as `2023H1`")));
                Err(Exit::Usage)
            }
        },
    }
}
