//! The validate stage: judges a loader document as the platform does, object
//! by object, and reports in the platform's own result shape (spec section 8).
//!
//! Two ways in: [`validate_reader`] streams a whole document, and
//! [`Validator`] takes objects one by one (as `convert` produces them).

mod document;
mod formats;
mod header;
mod ids;
mod known;
mod problem;
mod render;
mod report;
mod rules;
mod validator;

use chrono::{DateTime, FixedOffset};
use miette::Diagnostic;
use thiserror::Error;

pub use crate::model::schema::{Profile, Section};
pub use document::validate_reader;
pub use known::{Known, KnownError};
pub use problem::{ErrorType, Problem};
pub use render::{render_ko, render_report, render_warnings, summary_line};
pub use report::{ItemCount, Ko, KoType, ModelCount, ObjectError, Report, Status, Warning};
pub use validator::Validator;

/// How to judge a document.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The documentation version: required fields and code lists differ.
    pub profile: Profile,
    /// A root-level property without `declarantId` fails instead of warning.
    pub strict: bool,
    /// A fixed clock for `end_date` and `created_at` (reproducible reports).
    pub now: Option<DateTime<FixedOffset>>,
    /// Declarant and property ids loaded earlier, which links may name.
    pub known: Known,
}

/// What became of a document.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The platform would process it object by object: here is its result.
    Processed(Report),
    /// The platform would reject it whole.
    Ko(Ko),
}

/// Where an object sits in the document: at the root of its section, or
/// nested under a declarant or a property (named by its id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parent {
    Root,
    Declarant(String),
    Property(String),
}

/// The document could not be read (the JSON itself is judged, not reported here).
#[derive(Debug, Error, Diagnostic)]
pub enum ReadError {
    #[error("cannot read the document")]
    #[diagnostic(code(qload::validate::read), help("check that the file exists and is readable"))]
    Io(#[source] std::io::Error),
}
