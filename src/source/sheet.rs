//! Workbooks through calamine (xlsx, xlsm, xlsb, xls, ods): one sheet, its
//! header row found or given, its cells turned into [`Cell`]s.

use std::sync::Arc;

use calamine::{open_workbook_auto, Data, Range, Reader};

use super::{display_name, Cell, InputSpec, Opened, Row, SheetRef, SourceError, Table};

/// How many rows are looked at to find the header.
const HEADER_SCAN_ROWS: usize = 30;

/// A sheet read whole (workbooks are small next to CSV exports), with the
/// position of its top-left cell.
pub struct SheetData {
    pub name: String,
    pub range: Range<Data>,
}

/// Lists the sheet names of a workbook.
pub fn sheet_names(spec: &InputSpec) -> Result<Vec<String>, SourceError> {
    let workbook = open_workbook_auto(&spec.path).map_err(|e| workbook_error(spec, e))?;
    Ok(workbook.sheet_names())
}

/// Reads the sheet the spec names (the first one by default).
pub fn read_sheet(spec: &InputSpec) -> Result<SheetData, SourceError> {
    let file = display_name(&spec.path);
    let mut workbook = open_workbook_auto(&spec.path).map_err(|e| workbook_error(spec, e))?;
    let names = workbook.sheet_names();
    let wanted = spec.sheet.clone().unwrap_or(SheetRef::Index(1));
    let name = match &wanted {
        SheetRef::Name(name) => names.iter().find(|n| *n == name).cloned(),
        SheetRef::Index(i) => i.checked_sub(1).and_then(|i| names.get(i)).cloned(),
    };
    let Some(name) = name else {
        return Err(SourceError::NoSheet { file, sheet: wanted, help: sheet_help(&names) });
    };
    let range = workbook.worksheet_range(&name).map_err(|e| workbook_error(spec, e))?;
    Ok(SheetData { name, range })
}

fn sheet_help(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    format!("the workbook's sheets are {}", quoted.join(", "))
}

fn workbook_error(spec: &InputSpec, err: impl std::fmt::Display) -> SourceError {
    SourceError::Workbook { file: display_name(&spec.path), message: err.to_string() }
}

/// Opens a sheet and reads its header row.
pub fn open(spec: &InputSpec) -> Result<Opened, SourceError> {
    let file = display_name(&spec.path);
    let sheet = read_sheet(spec)?;
    let (top, left) = sheet.range.start().unwrap_or((0, 0));
    let rows: Vec<&[Data]> = sheet.range.rows().collect();
    let header_index = match spec.header_row {
        Some(row) => header_index_given(&file, row, top, rows.len())?,
        None => detect_header(&rows).ok_or(SourceError::NoHeader { file: file.clone() })?,
    };
    tracing::debug!(
        "{file}: sheet `{}`, header on row {}",
        sheet.name,
        top as usize + header_index + 1
    );
    let table = Arc::new(Table {
        file,
        sheet: Some(sheet.name.clone()),
        header_row: (top as usize + header_index + 1) as u64,
        columns: rows[header_index]
            .iter()
            .map(|c| to_cell(c).display().trim().to_string())
            .collect(),
        first_column: left,
    });
    let data: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(header_index + 1)
        .map(|(i, cells)| Row {
            number: (top as usize + i + 1) as u64,
            cells: cells.iter().map(to_cell).collect(),
        })
        .collect();
    Ok(Opened { table, rows: Box::new(data.into_iter().map(Ok)) })
}

/// Converts a 1-based sheet row into an index in the used range.
fn header_index_given(file: &str, row: u64, top: u32, height: usize) -> Result<usize, SourceError> {
    let last = top as u64 + height as u64;
    if row == 0 || row > last {
        return Err(SourceError::HeaderBeyondEnd { file: file.to_string(), row, last });
    }
    // Rows above the used range are blank: the header cannot be there either.
    Ok(row.saturating_sub(top as u64 + 1) as usize)
}

/// The first row filled with text across most of the table's width: a merged
/// title above it fills one cell only.
pub fn detect_header(rows: &[&[Data]]) -> Option<usize> {
    let filled = |row: &[Data]| row.iter().filter(|c| !to_cell(c).is_blank()).count();
    let width = rows.iter().take(HEADER_SCAN_ROWS).map(|r| filled(r)).max()?;
    let needed = (width * 3).div_ceil(5).max(2.min(width));
    rows.iter().take(HEADER_SCAN_ROWS).position(|row| {
        let all_text = row.iter().all(|c| matches!(c, Data::String(_) | Data::Empty));
        all_text && filled(row) >= needed
    })
}

/// A calamine value as a [`Cell`]: dates become real dates, errors keep their text.
pub fn to_cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(when) if dt.is_datetime() => Cell::Date(when),
            _ => Cell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(text) => iso_date(text).map_or(Cell::Text(text.clone()), Cell::Date),
        Data::DurationIso(text) => Cell::Text(text.clone()),
        Data::Error(err) => Cell::Error(error_text(err)),
    }
}

fn iso_date(text: &str) -> Option<chrono::NaiveDateTime> {
    use chrono::{NaiveDate, NaiveDateTime};
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").ok().or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(|d| d.and_time(chrono::NaiveTime::MIN))
    })
}

/// The text Excel shows for an error cell.
fn error_text(err: &calamine::CellErrorType) -> String {
    use calamine::CellErrorType as E;
    match err {
        E::Div0 => "#DIV/0!",
        E::NA => "#N/A",
        E::Name => "#NAME?",
        E::Null => "#NULL!",
        E::Num => "#NUM!",
        E::Ref => "#REF!",
        E::Value => "#VALUE!",
        E::GettingData => "#DATA!",
    }
    .to_string()
}
