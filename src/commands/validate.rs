//! The `validate` command: judges any loader document as the platform would
//! and prints its result, as text or as the platform's JSON.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};
use miette::{Diagnostic, IntoDiagnostic};
use thiserror::Error;

use crate::exit;
use crate::validate::{self, Known, Options, Outcome, Profile, Report, Status};

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    qload validate patrimoine.loader.json\n  \
    qload validate releve.loader.json --known patrimoine.loader.json --format json\n  \
    qload validate agence.json --profile 2.2 --strict\n\n\
    Exit statuses: 0 SUCCESS, 3 PARTIAL_SUCCESS, 4 ERROR, 5 KO, 1 unreadable file, \
    2 bad command line.")]
pub struct Args {
    /// The loader document (JSON); `-` reads standard input.
    pub file: PathBuf,

    /// The platform documentation version: 2.2 adds `clients` and changes
    /// required fields and code lists.
    #[arg(long, default_value = "2.1", value_parser = parse_profile)]
    pub profile: Profile,

    /// A root-level property without `declarantId` fails instead of warning.
    #[arg(long)]
    pub strict: bool,

    /// `human` groups errors by model; `json` prints the platform's result exactly.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// A loader document delivered earlier, whose declarant and property ids
    /// links may name (repeatable).
    #[arg(long, value_name = "FILE.json")]
    pub known: Vec<PathBuf>,

    /// A fixed time (RFC 3339) for `end_date` and `created_at`, for reproducible output.
    #[arg(long, value_parser = parse_now, value_name = "RFC3339")]
    pub now: Option<DateTime<FixedOffset>>,
}

/// How the result is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Why `validate` could not judge the document at all.
#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    #[error("cannot read `{path}`")]
    #[diagnostic(code(qload::validate::open), help("check the path and its permissions"))]
    Open {
        path: String,
        #[source]
        source: io::Error,
    },
}

/// Runs `validate`.
pub fn run(args: Args) -> miette::Result<ExitCode> {
    let known = Known::load(&args.known)?;
    let options = Options { profile: args.profile, strict: args.strict, now: args.now, known };
    let outcome = validate::validate_reader(open(&args.file)?, &options)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let status = match &outcome {
        Outcome::Processed(report) => {
            validate::render_warnings(report, &mut io::stderr().lock()).into_diagnostic()?;
            print_report(report, args.format, &mut out)?;
            status_of(report)
        }
        Outcome::Ko(ko) => {
            match args.format {
                Format::Json => print_json(ko, &mut out)?,
                Format::Human => validate::render_ko(ko, &mut out).into_diagnostic()?,
            }
            exit::KO
        }
    };
    out.flush().into_diagnostic()?;
    Ok(exit::code(status))
}

/// The exit status of a processed document.
pub fn status_of(report: &Report) -> u8 {
    match report.status {
        Status::Success => exit::OK,
        Status::PartialSuccess => exit::PARTIAL_SUCCESS,
        Status::Error => exit::ERROR,
    }
}

fn print_report(report: &Report, format: Format, out: &mut dyn Write) -> miette::Result<()> {
    match format {
        Format::Json => print_json(report, out),
        Format::Human => validate::render_report(report, &|_| None, out).into_diagnostic(),
    }
}

fn print_json(value: &impl serde::Serialize, out: &mut dyn Write) -> miette::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).into_diagnostic()?;
    writeln!(out).into_diagnostic()
}

fn open(path: &PathBuf) -> Result<Box<dyn Read>, Error> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(io::stdin().lock()));
    }
    let file = File::open(path)
        .map_err(|source| Error::Open { path: path.display().to_string(), source })?;
    Ok(Box::new(file))
}

fn parse_profile(text: &str) -> Result<Profile, String> {
    Profile::parse(text).ok_or_else(|| format!("unknown profile `{text}`: use `2.1` or `2.2`"))
}

fn parse_now(text: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(text).map_err(|e| {
        format!("`{text}` is not an RFC 3339 date-time ({e}), e.g. `2025-12-02T10:46:28+01:00`")
    })
}
