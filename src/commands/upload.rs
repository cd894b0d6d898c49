//! The `upload` command (being built).

use std::process::ExitCode;

/// Arguments of `upload`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `upload`.
pub fn run(_args: Args) -> miette::Result<ExitCode> {
    Err(miette::miette!("`upload` is not built yet"))
}
