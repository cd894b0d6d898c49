//! The platform's processing result (spec section 8), reused as the offline
//! report, and the KO shape of a document rejected whole.

use std::fmt;

use chrono::{DateTime, FixedOffset, Utc};
use miette::Diagnostic;
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use super::problem::{ErrorType, Problem};
use crate::model::schema::Section;

/// The outcome of a processed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// No object failed (a document without objects included).
    Success,
    /// Some objects failed, others passed.
    PartialSuccess,
    /// Every object failed.
    Error,
}

impl Status {
    /// The status of a load with these counts.
    pub fn of(success: usize, failed: usize) -> Status {
        match (success, failed) {
            (_, 0) => Status::Success,
            (0, _) => Status::Error,
            _ => Status::PartialSuccess,
        }
    }
}

impl Status {
    /// The platform's spelling: `SUCCESS`, `PARTIAL_SUCCESS`, `ERROR`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "SUCCESS",
            Status::PartialSuccess => "PARTIAL_SUCCESS",
            Status::Error => "ERROR",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Compares with the platform's spelling: `report.status == "SUCCESS"`.
impl PartialEq<&str> for Status {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The platform's result for a processed document. Serializes to exactly the
/// shape of spec section 8; warnings are kept aside.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub status: Status,
    pub total_count: usize,
    pub success_count: usize,
    pub failed_count: usize,
    /// When processing ended, UTC without offset as the platform writes it.
    pub end_date: String,
    /// One entry per problem, in document order (an object may have several).
    pub errors: Vec<ObjectError>,
    /// Successes and failures per model, for the models the document holds.
    pub combined_result: Vec<ModelCount>,
    /// Remarks that fail nothing (unknown keys, `creDtTm` without offset...).
    #[serde(skip)]
    pub warnings: Vec<Warning>,
    /// Warnings beyond the kept ones, counted only.
    #[serde(skip)]
    pub warnings_omitted: usize,
}

/// One line of `combined_result`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ModelCount {
    #[serde(serialize_with = "section_key")]
    pub model: Section,
    pub item: ItemCount,
}

/// Objects of one model that passed and failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ItemCount {
    pub success: usize,
    pub error: usize,
}

/// One problem of one object, as the platform reports it.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectError {
    /// The section key: `declarants`, `properties`, ..., `clients`.
    #[serde(serialize_with = "section_key")]
    pub model: Section,
    #[serde(rename = "type")]
    pub kind: ErrorType,
    /// Platform wording: "Field 'amt' in transactions 'T-544' invalid: Field required".
    pub error: String,
    pub created_at: String,
    /// The object's `id`, empty when it has none (a client's `email`).
    pub id: String,
    /// The JSON key at fault, when the problem is one field's.
    #[serde(skip)]
    pub field: Option<&'static str>,
    /// The typed reason, for rendering with its help.
    #[serde(skip)]
    pub problem: Problem,
    /// The object's rank within its section, counting from 0 in the order given.
    #[serde(skip)]
    pub index: usize,
    #[serde(skip)]
    pub(crate) order: u64,
}

/// Where an error sits: its object and the key at fault.
pub(crate) struct At<'a> {
    pub section: Section,
    pub id: &'a str,
    pub index: usize,
    pub order: u64,
}

impl ObjectError {
    /// Builds the error with the platform's message.
    pub(crate) fn new(at: &At, field: Option<&'static str>, problem: Problem, now: Stamp) -> Self {
        let (section, id) = (at.section, at.id);
        let error = match field {
            Some(key) => format!("Field '{key}' in {section} '{id}' invalid: {problem}"),
            None => format!("Object in {section} '{id}' invalid: {problem}"),
        };
        ObjectError {
            model: section,
            kind: problem.error_type(),
            error,
            created_at: now.created_at(),
            id: id.to_string(),
            field,
            problem,
            index: at.index,
            order: at.order,
        }
    }
}

/// A remark that fails nothing, shown on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The section of the object concerned; `None` for the header or the root.
    pub model: Option<Section>,
    /// The object's id, when the remark is about an object.
    pub id: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

/// The kind of a whole-document rejection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum KoType {
    /// The schema is not met: root not an object, section not an array, `clients` under 2.1.
    ValidationError,
    /// The JSON is malformed.
    WrongFormat,
    /// A header value is wrong: `versionId`, `creDtTm`.
    ValueError,
    /// A header key is missing.
    KeyError,
}

/// A document rejected whole; serializes to `{"status": "KO", "type", "message", "errors"}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("document rejected ({kind:?}): {message}")]
pub struct Ko {
    pub kind: KoType,
    /// What is wrong, with the line and column for malformed JSON.
    pub message: String,
    /// The detail, as the platform's `errors` string.
    pub errors: String,
}

impl Ko {
    /// A rejection of this kind.
    pub fn new(kind: KoType, message: impl Into<String>, errors: impl Into<String>) -> Ko {
        Ko { kind, message: message.into(), errors: errors.into() }
    }
}

impl Serialize for Ko {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Ko", 4)?;
        out.serialize_field("status", "KO")?;
        out.serialize_field("type", &self.kind)?;
        out.serialize_field("message", &self.message)?;
        out.serialize_field("errors", &self.errors)?;
        out.end()
    }
}

impl Diagnostic for Ko {
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        let help = match self.kind {
            KoType::WrongFormat => "fix the JSON syntax at that place; nothing was processed",
            KoType::KeyError => "add the header keys `inigPtynm`, `apiKey`, `creDtTm`, `versionId`",
            KoType::ValueError => "`versionId` must be \"2.0\" and `creDtTm` an ISO 8601 date-time",
            KoType::ValidationError => {
                "the root must be an object of arrays; `clients` needs `--profile 2.2`"
            }
        };
        Some(Box::new(help))
    }
}

/// The clock of a run: fixed by `--now`, or the system's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stamp(pub Option<DateTime<FixedOffset>>);

impl Stamp {
    fn utc(self) -> DateTime<Utc> {
        self.0.map_or_else(Utc::now, |now| now.with_timezone(&Utc))
    }

    /// An error's `created_at`: UTC with a `Z`, microseconds.
    pub fn created_at(self) -> String {
        self.utc().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
    }

    /// The report's `end_date`: UTC without offset, microseconds.
    pub fn end_date(self) -> String {
        self.utc().format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
    }
}

fn section_key<S: Serializer>(section: &Section, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(section.key())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_the_counts() {
        assert_eq!(Status::of(0, 0), Status::Success);
        assert_eq!(Status::of(3, 0), Status::Success);
        assert_eq!(Status::of(3, 1), Status::PartialSuccess);
        assert_eq!(Status::of(0, 1), Status::Error);
        assert!(Status::PartialSuccess == "PARTIAL_SUCCESS");
        assert_eq!(Status::Success.to_string(), "SUCCESS");
    }

    #[test]
    fn ko_has_the_platform_shape() {
        let ko = Ko::new(KoType::KeyError, "Missing key 'apiKey'", "'apiKey'");
        let json = serde_json::to_string(&ko).unwrap();
        let expected = concat!(
            r#"{"status":"KO","type":"KeyError","#,
            r#""message":"Missing key 'apiKey'","errors":"'apiKey'"}"#
        );
        assert_eq!(json, expected);
    }

    #[test]
    fn the_clock_can_be_fixed() {
        let now = DateTime::parse_from_rfc3339("2025-12-02T10:46:28.5+01:00").unwrap();
        let stamp = Stamp(Some(now));
        assert_eq!(stamp.created_at(), "2025-12-02T09:46:28.500000Z");
        assert_eq!(stamp.end_date(), "2025-12-02T09:46:28.500000");
    }
}
