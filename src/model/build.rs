//! Applies a section's rules to one row: filters first, then each field from
//! its origin through default, rules, map and typing. A field that cannot be
//! made rejects the row with the cell at fault and the reason.

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::schema::{FieldSpec, Kind, Need, Profile, Section};
use super::value::{self, Value};
use super::{Item, Origin as ItemOrigin, Reject};
use crate::mapping::{FieldMap, Filter, Origin, Piece, Rule, Test};
use crate::source::{format_number, Cell, Row, Table};

/// What became of a row.
#[derive(Debug)]
pub enum Built {
    Item(Item),
    /// Left out by a filter of the mapping.
    Filtered,
    Rejected(Reject),
}

/// Why a field could not be made, and which column is at fault.
struct Fail {
    column: Option<usize>,
    reason: String,
    value: Option<String>,
}

/// A field's raw value before typing.
enum Raw {
    Cell(Cell, Option<usize>),
    Amount(Decimal, bool, Option<usize>),
    Missing(Option<usize>),
}

/// Builds the items of one section from the rows of one table.
pub struct Builder<'m> {
    section: Section,
    fields: &'m [FieldMap],
    filters: &'m [Filter],
    table: Arc<Table>,
    profile: Profile,
    /// How often each hashed id was seen, so that identical rows get distinct ids.
    seen: HashMap<u64, u32>,
    /// How often each value of a `sequence` field was seen.
    sequences: HashMap<String, u32>,
}

impl<'m> Builder<'m> {
    pub fn new(
        section: Section,
        fields: &'m [FieldMap],
        filters: &'m [Filter],
        table: Arc<Table>,
        profile: Profile,
    ) -> Self {
        Builder {
            section,
            fields,
            filters,
            table,
            profile,
            seen: HashMap::new(),
            sequences: HashMap::new(),
        }
    }

    /// Turns one row into an item, or says why not.
    pub fn row(&mut self, row: &Row) -> Built {
        if !self.filters.iter().all(|f| passes(f, row)) {
            return Built::Filtered;
        }
        let origin = ItemOrigin { table: self.table.clone(), row: row.number };
        let mut item = Item {
            section: self.section,
            values: Vec::new(),
            columns: Vec::new(),
            children: Vec::new(),
            origin,
            parent_key: None,
            client: None,
        };
        for field in self.fields {
            match self.field(field, row) {
                Ok((Some(value), column)) => {
                    let index = field_index(self.section, field.spec);
                    item.values.push((index, value));
                    if let Some(column) = column {
                        item.columns.push((index, column));
                    }
                }
                Ok((None, _)) => {}
                Err(fail) => return Built::Rejected(self.reject(row, field.spec, fail)),
            }
        }
        item.values.sort_by_key(|(i, _)| *i);
        Built::Item(item)
    }

    fn reject(&self, row: &Row, spec: &FieldSpec, fail: Fail) -> Reject {
        Reject {
            section: self.section,
            location: self.table.at(row.number, fail.column),
            reason: format!("{}: {}", spec.key, fail.reason),
            value: fail.value,
        }
    }

    /// One field: its value (none when optional and empty) and its column.
    fn field(
        &mut self,
        field: &FieldMap,
        row: &Row,
    ) -> Result<(Option<Value>, Option<usize>), Fail> {
        let raw = self.raw(&field.rule, row)?;
        let mut raw = transform(&field.rule, raw)?;
        if field.rule.sequence {
            raw = self.sequence(raw);
        }
        match raw {
            Raw::Missing(column) => self.missing(field.spec, column).map(|v| (v, column)),
            Raw::Amount(amount, float, column) => {
                let amount = if field.rule.negate { -amount } else { amount };
                typed_number(field.spec, amount, float)
                    .map(|v| (Some(v), column))
                    .map_err(|reason| Fail { column, reason, value: Some(amount.to_string()) })
            }
            Raw::Cell(cell, column) => typed(field.spec, &field.rule, &cell)
                .map(|v| (Some(v), column))
                .map_err(|reason| Fail { column, reason, value: Some(cell.display()) }),
        }
    }

    fn missing(&self, spec: &FieldSpec, column: Option<usize>) -> Result<Option<Value>, Fail> {
        match spec.need(self.profile) {
            Need::Required if spec.default.is_none() => {
                let reason = match column.and_then(|c| self.table.columns.get(c)) {
                    Some(name) => format!("required value missing (column `{name}` is empty)"),
                    None => "required value missing".to_string(),
                };
                Err(Fail { column, reason, value: None })
            }
            _ => Ok(None),
        }
    }

    fn raw(&mut self, rule: &Rule, row: &Row) -> Result<Raw, Fail> {
        Ok(match &rule.source {
            Origin::Column(col) => Raw::Cell(row.cell(col.index).clone(), Some(col.index)),
            Origin::Const(text) => Raw::Cell(Cell::Text(text.clone()), None),
            Origin::Template(pieces) => Raw::Cell(Cell::Text(fill_template(pieces, row)), None),
            Origin::Hash { columns, prefix } => {
                let texts: Vec<String> = columns
                    .iter()
                    .map(|c| row.cell(c.index).display().trim().to_string())
                    .collect();
                Raw::Cell(Cell::Text(self.hashed_id(prefix, &texts)), None)
            }
            Origin::DebitCredit { debit, credit } => {
                debit_credit(rule, row, debit.index, credit.index)?
            }
            Origin::AmountSense { amount, sense, debit, credit } => {
                amount_sense(rule, row, amount.index, sense.index, debit, credit)?
            }
        })
    }

    /// `VT-42` -> `VT-42-1`, then `VT-42-2` for the next row with the same value.
    fn sequence(&mut self, raw: Raw) -> Raw {
        let Raw::Cell(cell, column) = raw else { return raw };
        let text = cell.display().trim().to_string();
        let count = self.sequences.entry(text.clone()).or_insert(0);
        *count += 1;
        Raw::Cell(Cell::Text(format!("{text}-{count}")), column)
    }

    /// A short stable id from the row's texts; the n-th identical row gets `-n`.
    fn hashed_id(&mut self, prefix: &str, texts: &[String]) -> String {
        let mut hasher = Sha256::new();
        for text in texts {
            hasher.update(text.as_bytes());
            hasher.update([0x1f]);
        }
        let digest = hasher.finalize();
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut hex = String::with_capacity(prefix.len() + 20);
        hex.push_str(prefix);
        for byte in &digest[..8] {
            hex.push(HEX[usize::from(byte >> 4)] as char);
            hex.push(HEX[usize::from(byte & 15)] as char);
        }
        let key = u64::from_be_bytes(digest[..8].try_into().unwrap_or_default());
        let count = self.seen.entry(key).or_insert(0);
        *count += 1;
        if *count > 1 {
            hex.push_str(&format!("-{count}"));
        }
        hex
    }
}

fn field_index(section: Section, spec: &FieldSpec) -> usize {
    section.fields().iter().position(|f| f.key == spec.key).unwrap_or(usize::MAX)
}

fn passes(filter: &Filter, row: &Row) -> bool {
    let text = row.cell(filter.column.index).display();
    let text = text.trim();
    match &filter.test {
        Test::Matches(regex) => regex.is_match(text),
        Test::NotMatches(regex) => !regex.is_match(text),
        Test::Equals(value) => text == value,
        Test::NotEquals(value) => text != value,
        Test::In(values) => values.iter().any(|v| v == text),
        Test::NotEmpty => !text.is_empty(),
    }
}

fn fill_template(pieces: &[Piece], row: &Row) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Column(col) => out.push_str(row.cell(col.index).display().trim()),
        }
    }
    // Empty columns leave stray separators: "12 , Paris" -> "12, Paris".
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| c == ',' || c.is_whitespace())
        .to_string()
}

/// A number from a column that may be empty (zero) but not wrong.
fn amount_cell(rule: &Rule, row: &Row, index: usize) -> Result<Option<(Decimal, bool)>, Fail> {
    let cell = row.cell(index);
    match cell {
        c if c.is_blank() => Ok(None),
        Cell::Error(text) => Err(Fail {
            column: Some(index),
            reason: format!("error cell `{text}`"),
            value: Some(text.clone()),
        }),
        other => value::cell_decimal(other, rule.decimal)
            .map(|d| Some((d, matches!(other, Cell::Number(_)))))
            .map_err(|reason| Fail { column: Some(index), reason, value: Some(other.display()) }),
    }
}

fn debit_credit(rule: &Rule, row: &Row, debit: usize, credit: usize) -> Result<Raw, Fail> {
    let d = amount_cell(rule, row, debit)?;
    let c = amount_cell(rule, row, credit)?;
    let float = d.is_some_and(|x| x.1) || c.is_some_and(|x| x.1);
    Ok(match (d, c) {
        (None, None) => Raw::Missing(Some(debit)),
        (d, c) => {
            // A debit column may hold the amount signed or not: it is money out either way.
            let out = d.map_or(Decimal::ZERO, |x| x.0.abs());
            let column = if c.is_some() { credit } else { debit };
            Raw::Amount(c.map_or(Decimal::ZERO, |x| x.0) - out, float, Some(column))
        }
    })
}

fn amount_sense(
    rule: &Rule,
    row: &Row,
    amount: usize,
    sense: usize,
    debit: &[String],
    credit: &[String],
) -> Result<Raw, Fail> {
    let Some((value, float)) = amount_cell(rule, row, amount)? else {
        return Ok(Raw::Missing(Some(amount)));
    };
    let mark = row.cell(sense).display().trim().to_string();
    let is = |list: &[String]| list.iter().any(|v| v.eq_ignore_ascii_case(&mark));
    if is(debit) {
        Ok(Raw::Amount(-value.abs(), float, Some(amount)))
    } else if is(credit) {
        Ok(Raw::Amount(value.abs(), float, Some(amount)))
    } else {
        let expected =
            debit.iter().chain(credit).map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
        Err(Fail {
            column: Some(sense),
            reason: format!("sense `{mark}` is not one of {expected}"),
            value: Some(mark),
        })
    }
}

/// Default, regex rules and value map, applied to the raw text.
fn transform(rule: &Rule, raw: Raw) -> Result<Raw, Fail> {
    let Raw::Cell(cell, column) = raw else { return Ok(raw) };
    if let Cell::Error(text) = &cell {
        return Err(Fail {
            column,
            reason: format!("error cell `{text}`"),
            value: Some(text.clone()),
        });
    }
    let or_default = |column| match &rule.default {
        Some(default) if !default.is_empty() => Raw::Cell(Cell::Text(default.clone()), column),
        _ => Raw::Missing(column),
    };
    if cell.is_blank() {
        return Ok(or_default(column));
    }
    let mut cell = cell;
    if !rule.rules.is_empty() {
        let text = cell.display();
        match rule.rules.iter().find(|(regex, _)| regex.is_match(text.trim())) {
            Some((_, to)) => cell = Cell::Text(to.clone()),
            None => return Ok(or_default(column)),
        }
    }
    if let Some(map) = &rule.map {
        let text = cell.display();
        let key = text.trim();
        match map.iter().find(|(from, _)| from.trim().eq_ignore_ascii_case(key)) {
            Some((_, to)) => cell = Cell::Text(to.clone()),
            None => {
                let expected =
                    map.iter().map(|(f, _)| format!("`{f}`")).collect::<Vec<_>>().join(", ");
                let reason = format!("`{key}` is not in the value map (expected {expected})");
                return Err(Fail { column, reason, value: Some(key.to_string()) });
            }
        }
    }
    Ok(Raw::Cell(cell, column))
}

/// Types a cell for its field's kind.
fn typed(spec: &FieldSpec, rule: &Rule, cell: &Cell) -> Result<Value, String> {
    match spec.kind {
        Kind::Date => value::parse_date(cell, &rule.dates).map(Value::Date),
        Kind::Year => value::parse_year(cell).map(Value::Text),
        kind if kind.is_number() => {
            let number = value::cell_decimal(cell, rule.decimal)?;
            let number = if rule.negate { -number } else { number };
            typed_number(spec, number, matches!(cell, Cell::Number(_)))
        }
        _ => Ok(Value::Text(text_of(cell, rule.pad))),
    }
}

fn typed_number(spec: &FieldSpec, number: Decimal, from_float: bool) -> Result<Value, String> {
    match spec.kind {
        Kind::Money => value::to_money(number, from_float).map(Value::Money),
        Kind::Integer | Kind::IntCode { .. } => value::to_integer(number).map(Value::Integer),
        _ => Ok(Value::Decimal(number)),
    }
}

/// Text of a cell, trimmed; digits left-padded with zeros to `pad`.
fn text_of(cell: &Cell, pad: Option<usize>) -> String {
    let text = match cell {
        Cell::Number(n) => format_number(*n),
        other => other.display(),
    };
    let text = text.trim().to_string();
    match pad {
        Some(width) if text.bytes().all(|b| b.is_ascii_digit()) && text.len() < width => {
            format!("{text:0>width$}")
        }
        _ => text,
    }
}
