//! Command-line types (clap derive) and the shared loading step.

mod check;
mod eval;
mod explain;
mod graph;
mod index;
mod lint;
mod new;
mod report;
mod search;
mod serve;
mod test;

use clap::{Args, Parser, Subcommand};
use guihua::corpus::Corpus;
use guihua::files::write_atomic;
use guihua::load::{self, Loaded};
use guihua::messages::{Said, UsageMessage};
use guihua::model::{MethodId, Model};
use guihua::period::Period;
use guihua::workspace::{self, Workspace};
use std::cell::{Cell, OnceCell};
use std::path::{Path, PathBuf};

/// guihua 规划: evaluate five-year-plan indicators with rules you write.
#[derive(Debug, Parser)]
#[command(name = "guihua", version, about)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
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
    /// Write the evaluation as one HTML file: table, charts, risks, findings (评估报告)
    Report(report::ReportArgs),
    /// The planner's desk in a browser: the table, each indicator, the report (规划工作台)
    Serve(serve::ServeArgs),
    /// Draft a workspace from a report: guihua.toml, corpus/, rules/ (起草工作区)
    New(new::NewArgs),
}

/// Where the rules and the corpus come from: flags accepted anywhere on
/// the line, then the workspace (`guihua.toml` found upward), then the
/// bundled example.
#[derive(Debug, Args)]
pub struct Global {
    /// Run in DIR, as if started there (its workspace is used)
    #[arg(short = 'C', global = true, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Rule file or folder (default: the workspace's, else the bundled rules/)
    #[arg(long, global = true, value_name = "PATH")]
    rules: Option<PathBuf>,
    /// Corpus folder of .txt, .md and .docx documents that `source` quotes are
    /// checked against (default: the workspace's, else the bundled corpus/)
    #[arg(long, global = true, value_name = "DIR")]
    corpus: Option<PathBuf>,
}

/// The inputs of one run: the flags, the workspace, and the corpus loaded
/// (and ingested) at most once.
pub struct Ctx {
    rules: Option<PathBuf>,
    corpus_dir: Option<PathBuf>,
    workspace: Option<Workspace>,
    corpus: OnceCell<Corpus>,
    /// Whether the command's rules are the bundled ones, once decided.
    bundled_rules: Cell<Option<bool>>,
    /// Whether the notice was said.
    said: Cell<bool>,
}

impl Ctx {
    /// Applies `-C` and finds the workspace.
    fn resolve(g: Global) -> Result<Ctx, Exit> {
        if let Some(d) = &g.dir {
            std::env::set_current_dir(d).map_err(|e| {
                eprintln!(
                    "error: 无法进入 `{}` (cannot change to folder `-C {}`): {e}",
                    d.display(),
                    d.display()
                );
                Exit::Usage
            })?;
        }
        let workspace = workspace::find_workspace(Path::new(".")).map_err(|e| {
            eprintln!("error: {e}");
            Exit::Usage
        })?;
        Ok(Ctx {
            rules: g.rules,
            corpus_dir: g.corpus,
            workspace,
            corpus: OnceCell::new(),
            bundled_rules: Cell::new(None),
            said: Cell::new(false),
        })
    }

    /// The rules: `over` (a command's own PATH argument), `--rules`, the
    /// workspace's; `None` for the bundled ones.
    fn rules_path(&self, over: Option<&Path>) -> Option<PathBuf> {
        over.map(Path::to_path_buf)
            .or_else(|| self.rules.clone())
            .or_else(|| self.workspace.as_ref().map(Workspace::rules))
    }

    /// The corpus folder: `--corpus`, the workspace's; `None` for the bundled one.
    fn corpus_path(&self) -> Option<PathBuf> {
        self.corpus_dir
            .clone()
            .or_else(|| self.workspace.as_ref().map(Workspace::corpus))
    }

    /// The command uses no rules at all (an index built without any).
    fn without_rules(&self) {
        self.bundled_rules.set(Some(false));
    }

    /// Says on stderr, once and in one line, what of the bundled example
    /// the command uses: called when a bundled input is first used. A
    /// command that uses rules uses a corpus too (their quotes are checked).
    fn notice(&self) {
        if self.said.replace(true) || self.workspace.is_some() {
            return;
        }
        let rules = self
            .bundled_rules
            .get()
            .unwrap_or_else(|| self.rules.is_none());
        let corpus = self.corpus_dir.is_none();
        let what = match (rules, corpus) {
            (true, true) => "规则和语料",
            (true, false) => "规则",
            (false, true) => "语料",
            (false, false) => return,
        };
        eprintln!(
            "注意：不在 guihua 工作区内（找不到 {}），使用内置示例的{what}",
            workspace::FILE
        );
    }

    /// What `source` quotes are checked against, in Chinese and English.
    fn corpus_label(&self) -> (String, String) {
        match self.corpus_path() {
            Some(d) => (
                format!("语料 `{}`", d.display()),
                format!("the corpus `{}`", d.display()),
            ),
            None => (
                "内置示例语料".to_string(),
                "the bundled example's corpus".to_string(),
            ),
        }
    }

    /// The corpus, loaded and ingested once per run. A folder or document
    /// that cannot be read is unreadable input: exit 2.
    fn corpus(&self) -> Result<&Corpus, Exit> {
        if let Some(c) = self.corpus.get() {
            return Ok(c);
        }
        let c = match self.corpus_path() {
            Some(dir) => Corpus::load(&dir).map_err(|e| {
                eprintln!("error: {e}");
                Exit::Usage
            })?,
            None => {
                self.notice();
                Corpus::bundled()
            }
        };
        Ok(self.corpus.get_or_init(|| c))
    }

    /// The rule files (`over`, `--rules`, the workspace's, or the bundled).
    fn rule_files(&self, over: Option<&Path>) -> Result<Vec<(String, String)>, Exit> {
        let path = self.rules_path(over);
        self.bundled_rules.set(Some(path.is_none()));
        match path {
            Some(p) => load::read_rules(&p).map_err(|e| {
                eprintln!("error: {e}");
                Exit::Usage
            }),
            None => {
                self.notice();
                Ok(load::bundled_rules())
            }
        }
    }
}

/// Exit codes, the same for every command (README: exit codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Done, nothing found wrong.
    Success = 0,
    /// Findings or a failed check: errors in the rules, failed rule tests,
    /// `check` findings.
    Failure = 1,
    /// Bad usage or unreadable input: an unknown indicator, method, period
    /// or option value, a file or index that cannot be read.
    Usage = 2,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Exit {
    let ctx = match Ctx::resolve(cli.global) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let r = match cli.command {
        Command::Eval(a) => eval::run(a, &ctx),
        Command::Explain(a) => explain::run(a, &ctx),
        Command::Lint(a) => lint::run(a, &ctx),
        Command::Test(a) => test::run(a, &ctx),
        Command::Search(a) => search::run(a, &ctx),
        Command::Index(a) => index::run(a, &ctx),
        Command::Graph(a) => graph::run(a, &ctx),
        Command::Show(a) => graph::run_show(a, &ctx),
        Command::Check(a) => check::run(a, &ctx),
        Command::Report(a) => report::run(a, &ctx),
        Command::Serve(a) => serve::run(a, &ctx),
        Command::New(a) => new::run(a),
    };
    r.unwrap_or_else(|e| e)
}

/// Loads and checks the rules (their quotes against the run's corpus);
/// prints diagnostics. Errors end the command.
fn load_model(ctx: &Ctx) -> Result<Model, Exit> {
    load_model_from(ctx, None)
}

/// [`load_model`] with a command's own rules PATH argument.
fn load_model_from(ctx: &Ctx, over: Option<&Path>) -> Result<Model, Exit> {
    let loaded = load_loaded(ctx, over)?;
    if !loaded.diagnostics.is_empty() {
        eprint!("{}", loaded.render_diagnostics());
    }
    match loaded.model {
        Some(m) if !loaded.diagnostics.iter().any(|d| d.is_error()) => Ok(m),
        _ => {
            let n = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!("error: {}", Said::from(UsageMessage::RulesHaveErrors(n)));
            Err(Exit::Failure)
        }
    }
}

/// Loads the rules without checking their quotes against a corpus (for
/// `check`, whose provenance check reports them as findings, and `index`).
fn load_model_unchecked(ctx: &Ctx) -> Result<Model, Exit> {
    let loaded = load::load_texts(ctx.rule_files(None)?, None);
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
        return Err(Exit::Failure);
    }
    loaded.model.ok_or(Exit::Failure)
}

fn load_loaded(ctx: &Ctx, over: Option<&Path>) -> Result<Loaded, Exit> {
    let files = ctx.rule_files(over)?;
    let corpus = ctx.corpus()?;
    Ok(load::load_texts(files, Some(corpus)))
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

/// A usage error: said on stderr, exit 2.
fn usage(m: UsageMessage) -> Exit {
    eprintln!("error: {}", Said::from(m));
    Exit::Usage
}

fn method(model: &Model, j: &Judge) -> Result<MethodId, Exit> {
    model.method_named(j.method.as_deref()).map_err(usage)
}

fn as_of(model: &Model, j: &Judge) -> Result<Period, Exit> {
    model.period_in_plan(j.as_of.as_deref()).map_err(usage)
}

/// The heading of a document: the workspace's title or name, else the plan's title.
fn title(ctx: &Ctx, model: &Model) -> String {
    ctx.workspace
        .as_ref()
        .map(|w| {
            w.config
                .title
                .clone()
                .unwrap_or_else(|| w.config.name.clone())
        })
        .or_else(|| model.plan.title.clone())
        .unwrap_or_else(|| model.plan.id.clone())
}

/// Writes a command's output to `-o FILE`, or to standard output.
fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), Exit> {
    match path {
        Some(p) => write_atomic(p, bytes).map_err(|e| {
            eprintln!(
                "error: 无法写入 `{}` (cannot write the output file): {e}",
                p.display()
            );
            Exit::Usage
        }),
        None => {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            // A closed pipe ends quietly (SIGPIPE is default on unix).
            let _ = out.write_all(bytes).and_then(|()| out.flush());
            Ok(())
        }
    }
}
