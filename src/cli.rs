//! Command-line arguments (clap derive) and logging set-up. Only parsing lives
//! here; each command turns its arguments into a checked plan in `commands`.

use clap::{ArgAction, Parser, Subcommand};

use crate::commands;

/// Turn spreadsheets and CSV exports into Qlower loader 2.0 documents,
/// check them as the platform would, and deliver them to the partner's S3 bucket.
#[derive(Debug, Parser)]
#[command(name = "qload", version, propagate_version = true)]
#[command(after_help = "Examples:\n  \
    qload convert --mapping mappings/bank-statement.toml samples/releve-2024.csv\n  \
    qload validate loader.json\n  \
    qload upload loader.json --env stg --dry-run\n  \
    qload inspect samples/patrimoine.xlsx\n  \
    qload init samples/releve-2024.csv > my-bank.toml")]
pub struct Cli {
    /// More diagnostics on stderr: -v for decisions, -vv for details.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

/// The commands, one per stage a user starts from.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert a workbook or CSV export into a loader document with a TOML mapping.
    Convert(commands::convert::Args),
    /// Check a loader document as the platform would and print its result.
    Validate(commands::validate::Args),
    /// Deliver a loader document to the partner's S3 bucket, exactly once.
    Upload(commands::upload::Args),
    /// Show what a CSV or workbook holds: dialect, sheets, columns and their types.
    Inspect(commands::inspect::Args),
    /// Write a starting mapping for a CSV or workbook.
    Init(commands::init::Args),
}

/// Sends `tracing` output to stderr, off unless `-v` is given or `RUST_LOG` is set.
pub fn init_logging(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 => "off",
        1 => "qload=info",
        _ => "qload=debug",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
