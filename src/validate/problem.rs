//! Why one object fails: one variant per rule of the spec, each with the remedy
//! in its `help`. The report's `error` text is built from these messages.

use miette::Diagnostic;
use thiserror::Error;

use crate::model::schema::{Profile, Section};

/// One reason an object of the document is refused by the platform.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum Problem {
    /// The platform's own wording, kept exactly so that reports read alike.
    #[error("Field required")]
    #[diagnostic(
        code(qload::validate::required),
        help("add the field: it is required and has no documented default")
    )]
    Required,

    #[error("the value must not be empty")]
    #[diagnostic(
        code(qload::validate::empty),
        help("write a value; only `bldgNb` and `streetName2` may be empty")
    )]
    Empty,

    #[error("expected {expected}, found {found} `{value}`")]
    #[diagnostic(
        code(qload::validate::json_type),
        help("JSON types are strict: numbers without quotes, text and codes in quotes")
    )]
    WrongType { expected: &'static str, found: &'static str, value: String },

    #[error("expected an object, found {found} `{value}`")]
    #[diagnostic(
        code(qload::validate::not_object),
        help("write each item as a JSON object `{{...}}`")
    )]
    NotAnObject { found: &'static str, value: String },

    #[error("`{value}` is not a calendar date `YYYY-MM-DD`")]
    #[diagnostic(
        code(qload::validate::date),
        help("write a real date with a four-digit year, e.g. `2024-01-31`")
    )]
    Date { value: String },

    #[error("the amount `{value}` has more than two decimals")]
    #[diagnostic(
        code(qload::validate::money),
        help("round the amount to the cent, e.g. `1500.25`")
    )]
    Decimals { value: String },

    #[error("`{value}` is not a whole number")]
    #[diagnostic(
        code(qload::validate::integer),
        help("write an integer without fraction or exponent, e.g. `3`")
    )]
    Integer { value: String },

    #[error("unknown code `{value}` for profile {profile}")]
    #[diagnostic(code(qload::validate::code), help("use one of: {allowed}"))]
    Code { value: String, profile: Profile, allowed: String },

    #[error("`{value}` is not a year `YYYY`")]
    #[diagnostic(
        code(qload::validate::year),
        help("write the year with four digits, e.g. `\"2022\"`")
    )]
    Year { value: String },

    #[error("`{value}` is not a {what}: expected {digits} digits")]
    #[diagnostic(
        code(qload::validate::digits),
        help("write the digits only, as a string, without spaces or dots")
    )]
    Digits { value: String, what: &'static str, digits: usize },

    #[error("`{value}` fails the {what} check digit")]
    #[diagnostic(
        code(qload::validate::check_digit),
        help("a digit is wrong or swapped: copy the number from the company's Kbis or SIRENE")
    )]
    CheckDigit { value: String, what: &'static str },

    #[error("SIREN `{siren}` and NIC `{nic}` do not form a valid SIRET")]
    #[diagnostic(
        code(qload::validate::siret_pair),
        help("the NIC must be the last five digits of one of this company's SIRETs")
    )]
    SiretPair { siren: String, nic: String },

    #[error("`{value}` is not an email address")]
    #[diagnostic(code(qload::validate::email), help("write an address like `name@example.fr`"))]
    Email { value: String },

    #[error("`{value}` is not an http(s) URL")]
    #[diagnostic(
        code(qload::validate::url),
        help("write the full address of the hosted file, e.g. `https://files.example.fr/a.pdf`")
    )]
    Url { value: String },

    #[error("duplicate id `{id}`: the first object with this id is the one processed")]
    #[diagnostic(
        code(qload::validate::duplicate),
        help("give each object of a section its own id, stable across re-runs")
    )]
    Duplicate { id: String },

    #[error("`{target}` names no object of `{section}` in this document")]
    #[diagnostic(
        code(qload::validate::link),
        help("add the object it points to, correct the id, or name the document that delivered it with --known")
    )]
    Unresolved { target: String, section: Section },

    #[error("a root-level property must name its declarant")]
    #[diagnostic(
        code(qload::validate::declarant_link),
        help("add `declarantId`, or nest the property under its declarant")
    )]
    NoDeclarantLink,

    #[error("a root-level document needs `propertyId` or `declarantId`")]
    #[diagnostic(
        code(qload::validate::document_link),
        help("add `propertyId`, or nest the document under its property")
    )]
    NoDocumentLink,

    #[error("associates exist only inside a declarant")]
    #[diagnostic(
        code(qload::validate::associate),
        help("move the associate into the `associates` array of its declarant")
    )]
    OutsideDeclarant,

    #[error("the `client` block `{email}` of its entry is invalid")]
    #[diagnostic(
        code(qload::validate::client),
        help("fix the `client` block: every object of the entry fails with it")
    )]
    ClientInvalid { email: String },

    #[error("its `clients[]` entry has no `client` block")]
    #[diagnostic(
        code(qload::validate::client_missing),
        help("add the `client` block (`email`, `firstName`, `lastName`) to the entry")
    )]
    ClientMissing,
}

impl Problem {
    /// The report's `type` for this problem: values judged against other
    /// objects (duplicates, links) are `ValueError`, the rest `ValidationError`.
    pub fn error_type(&self) -> ErrorType {
        match self {
            Problem::Duplicate { .. } | Problem::Unresolved { .. } => ErrorType::ValueError,
            _ => ErrorType::ValidationError,
        }
    }

    /// The remedy, as text.
    pub fn help_text(&self) -> Option<String> {
        self.help().map(|h| h.to_string())
    }
}

/// The `type` of an object error in the platform's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ErrorType {
    /// The object does not meet the schema: missing field, wrong type or format.
    ValidationError,
    /// A value is well-formed but wrong in context: a duplicate id, a dangling link.
    ValueError,
}
