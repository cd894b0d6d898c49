//! The model stage: loader items typed by the field catalogue, built from
//! rows by the mapping's rules, or a located reason the row is rejected.

pub mod build;
pub mod schema;
pub mod value;

use std::sync::Arc;

use serde_json::{Map, Value as Json};

use crate::source::{Location, Table};
use schema::{Need, Profile, Section};
pub use value::Value;

/// Where an item came from: its table and row, for messages about it.
#[derive(Debug, Clone)]
pub struct Origin {
    pub table: Arc<Table>,
    pub row: u64,
}

impl Origin {
    /// The row's location, or one of its cells when `column` is known.
    pub fn at(&self, column: Option<usize>) -> Location {
        self.table.at(self.row, column)
    }
}

/// One loader object (declarant, property, associate, transaction, document or
/// 2.2 client block) with its nested items.
#[derive(Debug, Clone)]
pub struct Item {
    pub section: Section,
    /// Field values by catalogue index, so output follows the spec's order.
    pub values: Vec<(usize, Value)>,
    /// For each field, the column it was read from (for messages).
    pub columns: Vec<(usize, usize)>,
    /// Nested items: properties and associates of a declarant, documents of a property.
    pub children: Vec<Item>,
    pub origin: Origin,
    /// The key of the parent item this one nests under (the parent key column).
    pub parent_key: Option<String>,
    /// The 2.2 client this item belongs to (the client key column).
    pub client: Option<String>,
}

impl Item {
    /// The text of a field, when set.
    pub fn text(&self, key: &str) -> Option<&str> {
        let index = self.section.fields().iter().position(|f| f.key == key)?;
        self.values.iter().find(|(i, _)| *i == index).and_then(|(_, v)| match v {
            Value::Text(text) => Some(text.as_str()),
            _ => None,
        })
    }

    /// The item's `id` (empty for a client block, which is keyed by email).
    pub fn id(&self) -> &str {
        self.text("id").or_else(|| self.text("email")).unwrap_or("")
    }

    /// Sets a field by key (used for links filled from the parent).
    pub fn set(&mut self, key: &str, value: Value) {
        if let Some(index) = self.section.fields().iter().position(|f| f.key == key) {
            self.values.retain(|(i, _)| *i != index);
            self.values.push((index, value));
            self.values.sort_by_key(|(i, _)| *i);
        }
    }

    /// The JSON object without its nested arrays; documented defaults are
    /// written explicitly, and fields that must be present get `""`.
    pub fn to_json_flat(&self, profile: Profile) -> Map<String, Json> {
        let mut object = Map::new();
        for (index, spec) in self.section.fields().iter().enumerate() {
            if spec.nested.is_some() {
                continue;
            }
            match self.values.iter().find(|(i, _)| *i == index) {
                Some((_, value)) => {
                    object.insert(spec.key.to_string(), value.to_json());
                }
                None => {
                    if let Some(default) = fill_in(spec, profile) {
                        object.insert(spec.key.to_string(), default);
                    }
                }
            }
        }
        object
    }

    /// The full JSON object, nested arrays included, in the catalogue's order.
    pub fn to_json(&self, profile: Profile) -> Json {
        let mut object = self.to_json_flat(profile);
        for spec in self.section.fields() {
            let Some(section) = spec.nested else { continue };
            let children: Vec<Json> = self
                .children
                .iter()
                .filter(|c| c.section == section)
                .map(|c| c.to_json(profile))
                .collect();
            if !children.is_empty() {
                object.insert(spec.key.to_string(), Json::Array(children));
            }
        }
        Json::Object(object)
    }
}

/// The value written for an absent field: its documented default, or `""` for
/// the fields that must be present but may be empty.
fn fill_in(spec: &schema::FieldSpec, profile: Profile) -> Option<Json> {
    match spec.default {
        Some(default) if spec.kind.is_number() => default.parse::<i64>().ok().map(Json::from),
        Some(default) => Some(Json::String(default.to_string())),
        None if spec.need(profile) == Need::Present => Some(Json::String(String::new())),
        None => None,
    }
}

/// A row that could not become an item: where it is and why.
#[derive(Debug, Clone)]
pub struct Reject {
    pub section: Section,
    pub location: Location,
    pub reason: String,
    /// The offending raw value, when one cell is at fault.
    pub value: Option<String>,
}
