//! The `validate` command (being built).

use std::process::ExitCode;

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `validate`.
pub fn run(_args: Args) -> miette::Result<ExitCode> {
    Err(miette::miette!("`validate` is not built yet"))
}
