//! The `guihua` command: parse arguments, call the library, map the outcome
//! to an exit code. Each subcommand lives in `cli/<name>.rs`.

use clap::Parser;

mod cli;

fn main() -> std::process::ExitCode {
    // Rust ignores SIGPIPE, so printing into a closed pipe (`| head`) would
    // panic; a command-line tool should just stop.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to the default before any
    // thread starts has no preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args = cli::Cli::parse();
    cli::run(args).into()
}
