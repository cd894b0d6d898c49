//! Surveys a file for `inspect` and `init`: the CSV dialect and preamble, or
//! the workbook's sheets and used ranges; each table's header, footer and
//! profiled columns.

use std::collections::VecDeque;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use calamine::{Data, Range};
use regex::Regex;

use super::guess::ColumnProfile;
use crate::source::{self, column_letter, csv, sheet, Cell, InputSpec, Row, SheetRef, SourceError};

/// How many data rows are profiled; the rest are counted only.
const PROFILE_ROWS: usize = 1000;
/// How many trailing rows may hold a footer.
const FOOTER_ROWS: usize = 4;

/// What a file holds, as far as onboarding needs to know.
#[derive(Debug)]
pub struct Survey {
    /// The file name as given.
    pub file: String,
    /// The CSV dialect; `None` for workbooks.
    pub csv: Option<CsvLayout>,
    /// One table for a CSV; one per sheet surveyed for a workbook.
    pub tables: Vec<TableSurvey>,
}

/// The dialect detected for a CSV file.
#[derive(Debug)]
pub struct CsvLayout {
    /// The WHATWG name, lowercase (`windows-1252`, `utf-8`).
    pub encoding: String,
    pub delimiter: u8,
    /// The lines above the header, as text.
    pub preamble: Vec<String>,
}

/// One table: a CSV file or a workbook sheet.
#[derive(Debug)]
pub struct TableSurvey {
    pub sheet: Option<String>,
    /// The sheet's used range (`A1:N5`); `None` for CSV and empty sheets.
    pub range: Option<String>,
    /// The 1-based header row (line); `None` when no header was found.
    pub header_row: Option<u64>,
    pub columns: Vec<ColumnProfile>,
    /// Data rows between the header and the footer, blank rows left out.
    pub rows: u64,
    pub footer: Option<Footer>,
}

/// A closing row such as `Total des opérations`: the data ends above it.
#[derive(Debug, Clone)]
pub struct Footer {
    /// Its 1-based row (line).
    pub row: u64,
    /// Its first filled cell.
    pub text: String,
    /// The word that marks it, as written (`Total`), for a `stop_at`.
    pub marker: String,
}

/// Surveys a CSV file, or a workbook's sheets (all of them, or `sheet`).
pub fn survey(path: &Path, sheet: Option<&str>) -> Result<Survey, SourceError> {
    let file = source::display_name(path);
    match source::format_of(path) {
        source::Format::Csv => {
            if let Some(sheet) = sheet {
                tracing::info!("{file} is a CSV file: --sheet `{sheet}` is ignored");
            }
            let (layout, table) = survey_csv(path)?;
            Ok(Survey { file, csv: Some(layout), tables: vec![table] })
        }
        source::Format::Workbook => {
            let names = pick_sheets(path, sheet)?;
            let tables = names.into_iter().map(|name| survey_sheet(path, name));
            Ok(Survey { file, csv: None, tables: tables.collect::<Result<_, _>>()? })
        }
    }
}

fn survey_csv(path: &Path) -> Result<(CsvLayout, TableSurvey), SourceError> {
    let dialect = csv::detect(&InputSpec { path: path.to_path_buf(), ..InputSpec::default() })?;
    let spec = InputSpec {
        path: path.to_path_buf(),
        encoding: Some(dialect.encoding.name().to_string()),
        delimiter: Some(dialect.delimiter),
        header_row: Some(dialect.header_line),
        ..InputSpec::default()
    };
    let opened = source::open(&spec)?;
    let header = opened.table.columns.clone();
    let mut table = survey_rows(&header, 0, opened.rows)?;
    table.header_row = Some(opened.table.header_row);
    let layout = CsvLayout {
        encoding: dialect.encoding.name().to_lowercase(),
        delimiter: dialect.delimiter,
        preamble: preamble(path, &dialect)?,
    };
    Ok((layout, table))
}

/// The text of the lines above the header.
fn preamble(path: &Path, dialect: &csv::Dialect) -> Result<Vec<String>, SourceError> {
    let io = |source| SourceError::Io { file: source::display_name(path), source };
    let mut bytes = Vec::new();
    std::fs::File::open(path).map_err(io)?.take(64 * 1024).read_to_end(&mut bytes).map_err(io)?;
    let (text, _, _) = dialect.encoding.decode(&bytes);
    let lines = text.split('\n').map(|l| l.trim_end_matches('\r').to_string());
    Ok(lines.take(dialect.header_line.saturating_sub(1) as usize).collect())
}

/// The sheets to survey: all, or the one named (or numbered from 1).
fn pick_sheets(path: &Path, wanted: Option<&str>) -> Result<Vec<String>, SourceError> {
    let names =
        sheet::sheet_names(&InputSpec { path: path.to_path_buf(), ..InputSpec::default() })?;
    let Some(wanted) = wanted else { return Ok(names) };
    if names.iter().any(|n| n == wanted) {
        return Ok(vec![wanted.to_string()]);
    }
    let by_number = wanted.parse::<usize>().ok().and_then(|i| names.get(i.checked_sub(1)?));
    by_number.map(|name| vec![name.clone()]).ok_or_else(|| SourceError::NoSheet {
        file: source::display_name(path),
        sheet: SheetRef::Name(wanted.to_string()),
        help: format!("the workbook's sheets are {}", crate::mapping::quoted_list(&names)),
    })
}

fn survey_sheet(path: &Path, name: String) -> Result<TableSurvey, SourceError> {
    let spec = InputSpec {
        path: path.to_path_buf(),
        sheet: Some(SheetRef::Name(name.clone())),
        ..InputSpec::default()
    };
    let data = sheet::read_sheet(&spec)?;
    let range = used_range(&data.range);
    let (top, left) = data.range.start().unwrap_or((0, 0));
    let rows: Vec<&[Data]> = data.range.rows().collect();
    let Some(at) = sheet::detect_header(&rows) else {
        let columns = Vec::new();
        return Ok(TableSurvey {
            sheet: Some(name),
            range,
            header_row: None,
            columns,
            rows: 0,
            footer: None,
        });
    };
    let header: Vec<String> =
        rows[at].iter().map(|c| sheet::to_cell(c).display().trim().to_string()).collect();
    let data_rows = rows.iter().enumerate().skip(at + 1).map(|(i, cells)| {
        let number = (top as usize + i + 1) as u64;
        Ok(Row { number, cells: cells.iter().map(sheet::to_cell).collect() })
    });
    let mut table = survey_rows(&header, left as usize, data_rows)?;
    table.sheet = Some(name);
    table.range = range;
    table.header_row = Some((top as usize + at + 1) as u64);
    Ok(table)
}

/// `A1:N5`, the cells a sheet uses.
fn used_range(range: &Range<Data>) -> Option<String> {
    let (top, left) = range.start()?;
    let (bottom, right) = range.end()?;
    let corner = |row: u32, col: u32| format!("{}{}", column_letter(col as usize), row + 1);
    Some(format!("{}:{}", corner(top, left), corner(bottom, right)))
}

/// Reads the data rows under a header: profiles the first ones, counts them
/// all, and finds a footer among the last ones.
fn survey_rows(
    header: &[String],
    first_column: usize,
    rows: impl Iterator<Item = Result<Row, SourceError>>,
) -> Result<TableSurvey, SourceError> {
    let mut head = Vec::new();
    let mut tail = VecDeque::new();
    let mut count = 0u64;
    for row in rows {
        let row = row?;
        if row.is_blank() {
            continue;
        }
        count += 1;
        if head.len() < PROFILE_ROWS {
            head.push(row.clone());
        }
        if tail.len() == FOOTER_ROWS {
            tail.pop_front();
        }
        tail.push_back(row);
    }
    let footer = find_footer(tail.iter(), header.len());
    if let Some(footer) = &footer {
        head.retain(|row| row.number < footer.row);
        count -= tail.iter().filter(|row| row.number >= footer.row).count() as u64;
    }
    let columns = profile(header, first_column, &head);
    Ok(TableSurvey { sheet: None, range: None, header_row: None, columns, rows: count, footer })
}

fn profile(header: &[String], first_column: usize, rows: &[Row]) -> Vec<ColumnProfile> {
    header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let cells: Vec<&Cell> = rows.iter().map(|row| row.cell(i)).collect();
            ColumnProfile::new(i, column_letter(first_column + i), name.clone(), &cells)
        })
        .collect()
}

/// The first of the last rows whose first filled cell says `Total`, `Solde`...
/// and which leaves some columns empty, as totals rows do.
fn find_footer<'r>(rows: impl Iterator<Item = &'r Row>, width: usize) -> Option<Footer> {
    static MARKER: OnceLock<Option<Regex>> = OnceLock::new();
    let marker = MARKER
        .get_or_init(|| Regex::new(r"(?i)^(total|totaux|sous-total|solde|somme|cumul)\b").ok())
        .as_ref()?;
    rows.filter(|row| row.cells.iter().filter(|c| !c.is_blank()).count() < width.max(2)).find_map(
        |row| {
            let text = row.cells.iter().find(|c| !c.is_blank())?.display().trim().to_string();
            let word = marker.find(&text)?.as_str().to_string();
            Some(Footer { row: row.number, text, marker: word })
        },
    )
}
