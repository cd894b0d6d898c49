//! The `qload` command line: parses arguments, runs one command, reports once.

use std::process::ExitCode;

use clap::Parser;
use qload::cli::Cli;
use qload::exit;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let status = if err.use_stderr() { exit::USAGE } else { exit::OK };
            let _ = err.print();
            return exit::code(status);
        }
    };
    qload::cli::init_logging(cli.verbose);
    match qload::commands::run(cli.command) {
        Ok(status) => status,
        Err(report) => {
            if is_broken_pipe(&report) {
                return exit::code(exit::OK);
            }
            eprintln!("{report:?}");
            exit::code(exit::FAILURE)
        }
    }
}

/// A closed pipe (`qload ... | head`) is not an error worth reporting.
fn is_broken_pipe(report: &miette::Report) -> bool {
    report
        .chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
