//! One module per command: each turns its arguments into a plan, runs the
//! pipeline stages it needs and returns the exit status.

pub mod convert;
pub mod init;
pub mod inspect;
pub mod upload;
pub mod validate;

use std::process::ExitCode;

use crate::cli::Command;

/// Runs one command.
pub fn run(command: Command) -> miette::Result<ExitCode> {
    match command {
        Command::Convert(args) => convert::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Upload(args) => upload::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Init(args) => init::run(args),
    }
}
