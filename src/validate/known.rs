//! Objects loaded earlier: the declarant and property ids of documents
//! already delivered, which links in a new document may name.

use std::collections::HashSet;
use std::path::Path;

use miette::Diagnostic;
use serde_json::Value;
use thiserror::Error;

/// Ids that count as existing on the platform.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub declarants: HashSet<String>,
    pub properties: HashSet<String>,
}

/// Why a `--known` document could not be read.
#[derive(Debug, Error, Diagnostic)]
pub enum KnownError {
    #[error("cannot read `{file}`")]
    #[diagnostic(code(known::io), help("--known names a loader document delivered earlier"))]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{file}` is not a loader document: {message}")]
    #[diagnostic(code(known::json), help("--known names a loader document delivered earlier"))]
    Json { file: String, message: String },
}

impl Known {
    /// Reads the ids of every declarant and property of these documents.
    pub fn load(paths: &[impl AsRef<Path>]) -> Result<Known, KnownError> {
        let mut known = Known::default();
        for path in paths {
            let path = path.as_ref();
            let file = path.display().to_string();
            let reader = std::fs::File::open(path)
                .map(std::io::BufReader::new)
                .map_err(|source| KnownError::Io { file: file.clone(), source })?;
            let document: Value = serde_json::from_reader(reader)
                .map_err(|e| KnownError::Json { file: file.clone(), message: e.to_string() })?;
            known.add_document(&document);
        }
        Ok(known)
    }

    /// Adds the ids of one document, root sections and `clients[]` entries alike.
    pub fn add_document(&mut self, document: &Value) {
        self.add_sections(document);
        for entry in array(document, "clients") {
            self.add_sections(entry);
        }
    }

    fn add_sections(&mut self, holder: &Value) {
        for declarant in array(holder, "declarants") {
            insert_id(&mut self.declarants, declarant);
            for property in array(declarant, "properties") {
                insert_id(&mut self.properties, property);
            }
        }
        for property in array(holder, "properties") {
            insert_id(&mut self.properties, property);
        }
    }
}

fn array<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    value.get(key).and_then(Value::as_array).into_iter().flatten()
}

fn insert_id(set: &mut HashSet<String>, object: &Value) {
    if let Some(id) = object.get("id").and_then(Value::as_str) {
        set.insert(id.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_root_and_client_ids_are_all_known() {
        let document = serde_json::json!({
            "declarants": [{"id": "D1", "properties": [{"id": "P1"}]}],
            "properties": [{"id": "P2"}],
            "clients": [{"client": {}, "properties": [{"id": "P3"}], "declarants": [{"id": "D2"}]}]
        });
        let mut known = Known::default();
        known.add_document(&document);
        for id in ["P1", "P2", "P3"] {
            assert!(known.properties.contains(id), "{id}");
        }
        assert!(known.declarants.contains("D1") && known.declarants.contains("D2"));
    }
}
