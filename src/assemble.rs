//! The assemble stage: the header and its Paris timestamp, nesting children
//! under their parents, the optional 2.2 `clients` grouping, and a writer that
//! streams the document section by section (root transactions are never held
//! whole) while each object passes through the validator.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};
use chrono_tz::Europe::Paris;
use serde_json::Value as Json;

use crate::model::schema::{Profile, Section};
use crate::model::{Item, Reject, Value};
use crate::source::{Location, Table};
use crate::validate::{ObjectError, Parent, Validator};

/// The document header.
#[derive(Debug, Clone)]
pub struct Header {
    /// `inigPtynm`.
    pub partner: String,
    /// `apiKey`: a secret, written to the document only.
    pub api_key: String,
    /// `creDtTm`, in Paris time with its offset.
    pub created: DateTime<FixedOffset>,
}

/// The current time in Europe/Paris.
pub fn paris_now() -> DateTime<FixedOffset> {
    chrono::Utc::now().with_timezone(&Paris).fixed_offset()
}

/// Reads `--now`: RFC 3339 with an offset, or a local date-time read as Paris time.
pub fn parse_now(text: &str) -> Result<DateTime<FixedOffset>, String> {
    if let Ok(when) = DateTime::parse_from_rfc3339(text) {
        return Ok(when.with_timezone(&Paris).fixed_offset());
    }
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .map_err(|_| format!("`{text}` is not a date-time such as `2024-01-15T10:30:00+01:00`"))?;
    Paris
        .from_local_datetime(&naive)
        .earliest()
        .map(|when| when.fixed_offset())
        .ok_or_else(|| format!("`{text}` does not exist in Paris time (a clock change)"))
}

/// `creDtTm` as written: seconds and an explicit offset.
pub fn format_timestamp(when: &DateTime<FixedOffset>) -> String {
    when.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Puts children under the parent whose `id` their key names; children whose
/// parent is missing become rejects that say so.
pub fn nest(parents: &mut [Item], children: Vec<Item>, parent_section: Section) -> Vec<Reject> {
    let index: HashMap<String, usize> =
        parents.iter().enumerate().map(|(i, p)| (p.id().to_string(), i)).collect();
    let mut rejects = Vec::new();
    for child in children {
        match child.parent_key.as_ref().and_then(|key| index.get(key)) {
            Some(&i) => parents[i].children.push(child),
            None => rejects.push(orphan(child, parent_section)),
        }
    }
    rejects
}

/// Documents go under a property that may itself sit under a declarant.
pub fn nest_documents(
    declarants: &mut [Item],
    properties: &mut [Item],
    documents: Vec<Item>,
) -> Vec<Reject> {
    let mut rejects = Vec::new();
    let mut by_id: HashMap<String, &mut Item> = HashMap::new();
    for property in properties.iter_mut() {
        by_id.insert(property.id().to_string(), property);
    }
    for declarant in declarants.iter_mut() {
        for property in declarant.children.iter_mut().filter(|c| c.section == Section::Properties) {
            by_id.entry(property.id().to_string()).or_insert(property);
        }
    }
    for mut child in documents {
        let key = child.parent_key.clone().unwrap_or_default();
        match by_id.get_mut(&key) {
            Some(property) => {
                child.set("propertyId", Value::Text(key));
                property.children.push(child);
            }
            None => rejects.push(orphan(child, Section::Properties)),
        }
    }
    rejects
}

fn orphan(child: Item, parent: Section) -> Reject {
    let what = match parent {
        Section::Declarants => "declarant",
        _ => "property",
    };
    let key = child.parent_key.clone().unwrap_or_default();
    Reject {
        section: child.section,
        location: child.origin.at(None),
        reason: format!("no {what} with id `{key}`: the parent row is missing or was rejected"),
        value: Some(key),
    }
}

/// Where each validated object came from, by section and rank, so that the
/// validator's errors (found at once, or when links are resolved at the end)
/// name the source row and cell. One row number per object: cheap enough
/// for a million transactions.
#[derive(Debug, Default)]
pub struct Places {
    sections: HashMap<Section, SectionPlaces>,
}

#[derive(Debug)]
struct SectionPlaces {
    table: Arc<Table>,
    /// Catalogue index of a field -> the column it is read from.
    columns: HashMap<usize, usize>,
    rows: Vec<u64>,
}

impl Places {
    /// Records the next object of its section, in the order the validator sees them.
    fn record(&mut self, item: &Item) {
        let places = self.sections.entry(item.section).or_insert_with(|| SectionPlaces {
            table: item.origin.table.clone(),
            columns: HashMap::new(),
            rows: Vec::new(),
        });
        for (field, column) in &item.columns {
            places.columns.entry(*field).or_insert(*column);
        }
        places.rows.push(item.origin.row);
    }

    /// The source cell (or row) of the object an error is about.
    pub fn locate(&self, error: &ObjectError) -> Option<Location> {
        let places = self.sections.get(&error.model)?;
        let row = *places.rows.get(error.index)?;
        let field =
            error.field.and_then(|key| error.model.fields().iter().position(|f| f.key == key));
        let column = field.and_then(|f| places.columns.get(&f)).copied();
        Some(places.table.at(row, column))
    }
}

/// Streams a loader document: header, then arrays, item by item; each object
/// is checked by the validator as it is written.
pub struct DocumentWriter<W: Write> {
    out: W,
    profile: Profile,
    pub validator: Validator,
    places: Places,
    /// Whether the current array already has an element.
    started: bool,
    /// Indentation of the current array's elements.
    depth: usize,
    /// Reused for each element's pretty JSON.
    buffer: Vec<u8>,
}

impl<W: Write> DocumentWriter<W> {
    /// Starts the document and writes its header.
    pub fn start(
        mut out: W,
        header: &Header,
        profile: Profile,
        mut validator: Validator,
    ) -> io::Result<Self> {
        let mut map = serde_json::Map::new();
        map.insert("inigPtynm".into(), Json::String(header.partner.clone()));
        map.insert("apiKey".into(), Json::String(header.api_key.clone()));
        map.insert("creDtTm".into(), Json::String(format_timestamp(&header.created)));
        map.insert("versionId".into(), Json::String("2.0".into()));
        if let Err(ko) = validator.header(&map) {
            return Err(io::Error::other(format!("the header is refused: {ko:?}")));
        }
        out.write_all(b"{\n")?;
        for (i, (key, value)) in map.iter().enumerate() {
            let comma = if i == 0 { "" } else { ",\n" };
            write!(out, "{comma}  {}: {}", Json::String(key.clone()), value)?;
        }
        Ok(DocumentWriter {
            out,
            profile,
            validator,
            places: Places::default(),
            started: false,
            depth: 1,
            buffer: Vec::new(),
        })
    }

    /// Opens a root array (`"transactions": [`).
    pub fn open_array(&mut self, key: &str) -> io::Result<()> {
        write!(self.out, ",\n{}{}: [", indent(self.depth), Json::String(key.into()))?;
        self.started = false;
        self.depth += 1;
        Ok(())
    }

    /// Closes the array opened last.
    pub fn close_array(&mut self) -> io::Result<()> {
        self.depth -= 1;
        if self.started {
            write!(self.out, "\n{}]", indent(self.depth))?;
        } else {
            self.out.write_all(b"]")?;
        }
        self.started = true;
        Ok(())
    }

    /// Writes one root item (with its nested items) and validates each object in it.
    pub fn item(&mut self, item: &Item) -> io::Result<()> {
        let flat = self.check(item, Parent::Root);
        if item.children.is_empty() {
            // The common case (transactions): the object checked is the object written.
            return self.element(&flat);
        }
        self.element(&item.to_json(self.profile))
    }

    /// Writes a JSON value as the next element of the open array, indented
    /// to its depth.
    pub fn element(&mut self, json: &Json) -> io::Result<()> {
        self.buffer.clear();
        serde_json::to_writer_pretty(&mut self.buffer, json).map_err(io::Error::other)?;
        let pad = indent(self.depth);
        self.out.write_all(if self.started { b",\n" } else { b"\n" })?;
        for (i, line) in self.buffer.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                self.out.write_all(b"\n")?;
            }
            self.out.write_all(pad.as_bytes())?;
            self.out.write_all(line)?;
        }
        self.started = true;
        Ok(())
    }

    /// Starts a 2.2 `clients[]` entry: `{"client": {...},` then its arrays.
    pub fn open_client(&mut self, client: &Item) -> io::Result<()> {
        let json = Json::Object(client.to_json_flat(self.profile));
        self.places.record(client);
        self.validator.client(&json);
        let comma = if self.started { "," } else { "" };
        let pad = indent(self.depth);
        write!(self.out, "{comma}\n{pad}{{\n{pad}  \"client\": ")?;
        let text = serde_json::to_string_pretty(&json).map_err(io::Error::other)?;
        write!(self.out, "{}", text.replace('\n', &format!("\n{pad}  ")))?;
        self.depth += 1;
        Ok(())
    }

    /// Ends a `clients[]` entry.
    pub fn close_client(&mut self) -> io::Result<()> {
        self.depth -= 1;
        write!(self.out, "\n{}}}", indent(self.depth))?;
        self.started = true;
        Ok(())
    }

    /// Ends the document and hands back the output, the validator and where
    /// each object came from.
    pub fn finish(mut self) -> io::Result<(W, Validator, Places)> {
        self.out.write_all(b"\n}\n")?;
        self.out.flush()?;
        Ok((self.out, self.validator, self.places))
    }

    /// Validates an item and its children, recording where each came from.
    /// Returns the item's JSON object without its nested arrays.
    fn check(&mut self, item: &Item, parent: Parent) -> Json {
        let json = Json::Object(item.to_json_flat(self.profile));
        self.places.record(item);
        // Errors are all in the final report; their place is found from there.
        let _ = self.validator.object(item.section, &json, parent);
        let id = item.id().to_string();
        for child in &item.children {
            let parent = match item.section {
                Section::Declarants => Parent::Declarant(id.clone()),
                _ => Parent::Property(id.clone()),
            };
            self.check(child, parent);
        }
        json
    }
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}
