//! The `guihua` command: parse arguments, call the library, map the outcome
//! to an exit code. Each subcommand lives in `cli/<name>.rs`.

use clap::Parser;

mod cli;

fn main() -> std::process::ExitCode {
    let args = cli::Cli::parse();
    cli::run(args).into()
}
