//! Reads one planned section row by row: blank rows skipped, the end marker
//! honoured, each row built into an item, filtered out or rejected, and
//! every outcome counted.

use std::collections::HashSet;

use miette::Diagnostic;
use thiserror::Error;

use super::plan::Planned;
use crate::mapping::SectionMap;
use crate::model::build::{Builder, Built};
use crate::model::schema::{Profile, Section};
use crate::model::{Item, Reject};
use crate::source::{Row, SourceError};

/// What happened to a section's rows; `read = written + filtered + rejected`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub read: u64,
    pub written: u64,
    pub filtered: u64,
    pub rejected: u64,
}

/// Why reading stopped.
#[derive(Debug, Error, Diagnostic)]
pub enum ReadError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Source(#[from] SourceError),
    #[error("{location}: {reason}")]
    #[diagnostic(
        code(convert::strict),
        help("fix the row, or run without --strict to collect every rejected row")
    )]
    Strict { location: String, reason: String },
    #[error("cannot write the document: {0}")]
    #[diagnostic(code(convert::write))]
    Write(#[from] std::io::Error),
}

/// The clients met so far (2.2), in order of first appearance.
#[derive(Debug, Default)]
pub struct Clients {
    pub blocks: Vec<(String, Item)>,
    seen: HashSet<String>,
}

/// How rows are judged while a section is read.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub profile: Profile,
    /// Stop at the first rejected row.
    pub strict: bool,
}

/// Reads a section, handing each item to `sink`; rejects are collected.
pub fn read_section(
    planned: Planned,
    map: &SectionMap,
    Settings { profile, strict }: Settings,
    clients: &mut Clients,
    rejects: &mut Vec<Reject>,
    mut sink: impl FnMut(Item) -> Result<(), ReadError>,
) -> Result<Counts, ReadError> {
    let table = planned.opened.table.clone();
    let mut builder = Builder::new(map.section, &map.fields, &map.filters, table.clone(), profile);
    let mut client_builder = planned.client.as_ref().map(|(key, fields)| {
        (*key, Builder::new(Section::Clients, fields, &[], table.clone(), profile))
    });
    let mut counts = Counts::default();
    for row in planned.opened.rows {
        let row = row?;
        if row.is_blank() {
            continue;
        }
        if ends_data(&planned.stop_at, &row) {
            tracing::debug!("{}: data ends at row {} (stop_at)", table.file, row.number);
            break;
        }
        counts.read += 1;
        let built = match builder.row(&row) {
            Built::Item(item) => {
                place(item, &row, planned.parent_key, client_builder.as_mut(), clients)
            }
            other => other,
        };
        match built {
            Built::Item(item) => {
                counts.written += 1;
                sink(item)?;
            }
            Built::Filtered => counts.filtered += 1,
            Built::Rejected(reject) => {
                counts.rejected += 1;
                if strict {
                    return Err(ReadError::Strict {
                        location: reject.location.to_string(),
                        reason: reject.reason,
                    });
                }
                rejects.push(reject);
            }
        }
    }
    Ok(counts)
}

/// True when the row's first filled cell matches the end marker (`Total`...).
fn ends_data(stop_at: &Option<regex::Regex>, row: &Row) -> bool {
    let Some(regex) = stop_at else { return false };
    row.cells.iter().find(|c| !c.is_blank()).is_some_and(|c| regex.is_match(c.display().trim()))
}

/// Records the parent key and the client of an item; a row without a client
/// key, or whose client block is wrong, is rejected.
fn place(
    mut item: Item,
    row: &Row,
    parent_key: Option<usize>,
    client: Option<&mut (usize, Builder)>,
    clients: &mut Clients,
) -> Built {
    if let Some(column) = parent_key {
        item.parent_key = Some(row.cell(column).display().trim().to_string());
    }
    let Some((key_column, builder)) = client else { return Built::Item(item) };
    let key = row.cell(*key_column).display().trim().to_string();
    if key.is_empty() {
        let location = item.origin.at(Some(*key_column));
        let reason = "client key is empty: every row of a 2.2 mapping names its client".into();
        return Built::Rejected(Reject { section: item.section, location, reason, value: None });
    }
    if !clients.seen.contains(&key) {
        match builder.row(row) {
            Built::Item(block) => {
                clients.seen.insert(key.clone());
                clients.blocks.push((key.clone(), block));
            }
            Built::Rejected(mut reject) => {
                reject.section = item.section;
                reject.reason = format!("client block: {}", reject.reason);
                return Built::Rejected(reject);
            }
            Built::Filtered => {}
        }
    }
    item.client = Some(key);
    Built::Item(item)
}
