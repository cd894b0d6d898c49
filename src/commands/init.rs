//! The `init` command: a starting mapping for a CSV export or a workbook,
//! guessed from its dialect, headers and values, written to stdout or a file.

use std::path::PathBuf;
use std::process::ExitCode;

use miette::Diagnostic;
use thiserror::Error;

use crate::exit;
use crate::model::schema::Section;
use crate::onboard::{self, write, Options};

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    qload init samples/releve-2024-03.csv -o my-bank.toml\n  \
    qload init samples/patrimoine.xlsx > register.toml\n  \
    qload init samples/patrimoine.xlsx --sheet Biens --section properties")]
pub struct Args {
    /// The CSV export or workbook to write a mapping for.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Only this sheet of a workbook (its name, or its number from 1);
    /// by default every sheet with a table becomes a section.
    #[arg(long, value_name = "SHEET")]
    pub sheet: Option<String>,
    /// The section the file (or sheet) fills: declarants, properties,
    /// associates, documents or transactions [default: guessed].
    #[arg(long, value_name = "SECTION", value_parser = SECTIONS)]
    pub section: Option<String>,
    /// The partner id to write in `[loader]` [default: a placeholder to change].
    #[arg(long)]
    pub partner: Option<String>,
    /// Where to write the mapping [default: stdout].
    #[arg(short, long, value_name = "FILE.toml")]
    pub output: Option<PathBuf>,
}

/// The sections `--section` accepts.
const SECTIONS: [&str; 5] = ["declarants", "properties", "associates", "documents", "transactions"];

/// Why `init` could not write a mapping.
#[derive(Debug, Error, Diagnostic)]
pub enum InitError {
    #[error("cannot write the mapping to `{file}`")]
    #[diagnostic(code(init::write), help("check that the directory exists and is writable"))]
    Write {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

/// Runs `init`: surveys the file, drafts the mapping, writes it.
pub fn run(args: Args) -> miette::Result<ExitCode> {
    // clap has already checked the name against `SECTIONS`.
    let section = args.section.as_deref().and_then(Section::from_key);
    let survey = onboard::survey(&args.file, args.sheet.as_deref())?;
    let draft = onboard::draft(&survey, Options { section, partner: args.partner.clone() });
    let text = write::render(&draft);
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|source| InitError::Write { file: path.display().to_string(), source })?,
        None => {
            use std::io::Write;
            std::io::stdout()
                .lock()
                .write_all(text.as_bytes())
                .map_err(|source| InitError::Write { file: "stdout".into(), source })?
        }
    }
    Ok(exit::code(exit::OK))
}
