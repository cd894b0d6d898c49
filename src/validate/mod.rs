//! The validate stage (interim interface while the full validator lands on
//! its branch): per-object checks driven by the field catalogue.

mod known;

use serde_json::{Map, Value};

pub use known::{Known, KnownError};

use crate::model::schema::{Need, Profile, Section};

/// How a document is judged.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub profile: Profile,
    pub strict: bool,
    /// Ids loaded earlier, which links may name.
    pub known: Known,
}

/// Where an object sits in the document.
#[derive(Debug, Clone)]
pub enum Parent {
    Root,
    Declarant(String),
    Property(String),
}

/// One failed object.
#[derive(Debug, Clone)]
pub struct ObjectError {
    pub model: String,
    pub error: String,
    pub id: String,
    pub field: Option<&'static str>,
}

/// The outcome of a document.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub status: String,
    pub total_count: usize,
    pub success_count: usize,
    pub failed_count: usize,
    pub errors: Vec<ObjectError>,
}

/// Judges objects one by one.
#[derive(Debug, Default)]
pub struct Validator {
    options: Options,
    report: Report,
}

impl Validator {
    pub fn new(options: Options) -> Validator {
        Validator { options, report: Report::default() }
    }

    pub fn header(&mut self, _header: &Map<String, Value>) -> Result<(), String> {
        Ok(())
    }

    pub fn client(&mut self, client: &Value) {
        self.object(Section::Clients, client, Parent::Root);
    }

    pub fn object(&mut self, section: Section, item: &Value, _parent: Parent) -> Vec<ObjectError> {
        let mut errors = Vec::new();
        let id = item.get("id").and_then(Value::as_str).unwrap_or("").to_string();
        for spec in section.fields() {
            if spec.need(self.options.profile) == Need::Required && item.get(spec.key).is_none() {
                errors.push(ObjectError {
                    model: section.key().into(),
                    error: format!(
                        "Field '{}' in {} '{}' invalid: Field required",
                        spec.key, section, id
                    ),
                    id: id.clone(),
                    field: Some(spec.key),
                });
            }
        }
        self.report.total_count += 1;
        if errors.is_empty() {
            self.report.success_count += 1;
        } else {
            self.report.failed_count += 1;
        }
        self.report.errors.extend(errors.iter().cloned());
        errors
    }

    pub fn finish(mut self) -> Report {
        self.report.status = match (self.report.failed_count, self.report.success_count) {
            (0, _) => "SUCCESS",
            (_, 0) => "ERROR",
            _ => "PARTIAL_SUCCESS",
        }
        .into();
        self.report
    }
}
