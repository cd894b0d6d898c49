//! The `init` command (being built).

use std::process::ExitCode;

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `init`.
pub fn run(_args: Args) -> miette::Result<ExitCode> {
    Err(miette::miette!("`init` is not built yet"))
}
