//! The `upload` command: delivers an existing loader document to the
//! partner's S3 bucket, once (see `crate::deliver`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use miette::IntoDiagnostic;

use crate::deliver::{self, Defaults, Delivery, UploadFlags};
use crate::exit;

/// Arguments of `upload`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    qload upload loader.json --dry-run\n  \
    qload upload loader.json --partner mypartner --env stg\n  \
    qload upload loader.json --endpoint-url http://127.0.0.1:9000 --json")]
pub struct Args {
    /// The loader document to deliver (a JSON file, as written by `convert`)
    #[arg(value_name = "FILE.json")]
    pub file: PathBuf,

    /// Boxed: the flags are large next to the other commands' arguments.
    #[command(flatten)]
    pub upload: Box<UploadFlags>,
}

/// Runs `upload`: 0 when delivered (or planned, with `--dry-run`), 6 when the
/// journal shows the document was already delivered, 1 on any other failure.
pub fn run(args: Args) -> miette::Result<ExitCode> {
    match deliver::deliver(&args.file, &args.upload, &Defaults::default()) {
        Ok(delivery) => report(&delivery, args.upload.json).map(|()| exit::code(exit::OK)),
        Err(err) if err.exit_status() == exit::FAILURE => Err(err.into()),
        Err(err) => {
            let status = err.exit_status();
            eprintln!("{:?}", miette::Report::new(err));
            Ok(exit::code(status))
        }
    }
}

/// The JSON result on stdout with `--json`, the summary on stderr always.
fn report(delivery: &Delivery, json: bool) -> miette::Result<()> {
    eprintln!("{}", delivery.summary());
    if json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, delivery).into_diagnostic()?;
        writeln!(out).into_diagnostic()?;
    }
    Ok(())
}
