//! The `inspect` command (being built).

use std::process::ExitCode;

/// Arguments of `inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `inspect`.
pub fn run(_args: Args) -> miette::Result<ExitCode> {
    Err(miette::miette!("`inspect` is not built yet"))
}
