//! The `convert` command (being built).

use std::process::ExitCode;

/// Arguments of `convert`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `convert`.
pub fn run(_args: Args) -> miette::Result<ExitCode> {
    Err(miette::miette!("`convert` is not built yet"))
}
