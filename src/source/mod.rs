//! The source stage: opens a CSV export or a workbook sheet and yields its rows,
//! each cell with a location a person can find (`Biens!C17`, `releve.csv:118 "Débit"`).

pub mod csv;
pub mod sheet;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDateTime;
use miette::Diagnostic;
use thiserror::Error;

/// One cell's value, as the source gave it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A real date (an Excel serial with a date format, or an ISO date cell).
    Date(NaiveDateTime),
    /// An error cell such as `#N/A` or `#DIV/0!`.
    Error(String),
}

impl Cell {
    /// True for an empty cell or text made of blanks only.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as the user would read it in the sheet.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Number(n) => format_number(*n),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(d) if d.time() == chrono::NaiveTime::MIN => d.date().to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// Writes a spreadsheet number the way the sheet shows it: `1000`, not `1000.0`,
/// and the shortest text that reads back to the same number.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Where a table comes from, and its header.
#[derive(Debug)]
pub struct Table {
    /// The file name as shown in messages.
    pub file: String,
    /// The sheet, for workbooks.
    pub sheet: Option<String>,
    /// The 1-based row (line for CSV) of the header.
    pub header_row: u64,
    /// The header names, trimmed.
    pub columns: Vec<String>,
    /// 0-based column offset of the first column in the sheet (workbooks).
    pub first_column: u32,
}

impl Table {
    /// The index of a column by its exact header name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// Where a cell of this table sits, for messages.
    pub fn at(&self, row: u64, column: Option<usize>) -> Location {
        Location {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row,
            column: column
                .map(|c| (self.letter(c), self.columns.get(c).cloned().unwrap_or_default())),
        }
    }

    fn letter(&self, column: usize) -> String {
        column_letter(self.first_column as usize + column)
    }
}

/// `0 -> A`, `25 -> Z`, `26 -> AA`: spreadsheet column letters.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A place in an input: file, sheet, row and column (letter and header name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub sheet: Option<String>,
    pub row: u64,
    pub column: Option<(String, String)>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.sheet, &self.column) {
            (Some(sheet), Some((letter, name))) => {
                write!(f, "{}!{}{} \"{}\"", sheet, letter, self.row, name)
            }
            (Some(sheet), None) => write!(f, "{} row {}", sheet, self.row),
            (None, Some((_, name))) => write!(f, "{}:{} \"{}\"", self.file, self.row, name),
            (None, None) => write!(f, "{}:{}", self.file, self.row),
        }
    }
}

/// One data row: its 1-based row (or line) number and its cells.
#[derive(Debug, Clone)]
pub struct Row {
    pub number: u64,
    pub cells: Vec<Cell>,
}

impl Row {
    /// The cell at `index`, empty when the row is short.
    pub fn cell(&self, index: usize) -> &Cell {
        self.cells.get(index).unwrap_or(&Cell::Empty)
    }

    /// True when every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

/// How to read one input: the path, and the dialect or sheet settings.
#[derive(Debug, Clone, Default)]
pub struct InputSpec {
    pub path: PathBuf,
    /// `utf-8`, `windows-1252`, `iso-8859-1`...; detected when absent.
    pub encoding: Option<String>,
    /// The CSV delimiter; detected when absent.
    pub delimiter: Option<u8>,
    /// The sheet, by name or 1-based index; the first sheet when absent.
    pub sheet: Option<SheetRef>,
    /// The 1-based row (line) of the header; detected when absent.
    pub header_row: Option<u64>,
}

/// A sheet named or numbered (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetRef {
    Name(String),
    Index(usize),
}

impl fmt::Display for SheetRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SheetRef::Name(name) => write!(f, "`{name}`"),
            SheetRef::Index(i) => write!(f, "number {i}"),
        }
    }
}

/// An opened input: its table header and an iterator over its data rows.
pub struct Opened {
    pub table: Arc<Table>,
    pub rows: Box<dyn Iterator<Item = Result<Row, SourceError>>>,
}

/// The input formats the tool reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Workbook,
}

/// Picks the reader from the file extension; anything not a workbook is CSV-like text.
pub fn format_of(path: &Path) -> Format {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xlsb" | "xls" | "xla" | "xlam" | "ods" => Format::Workbook,
        _ => Format::Csv,
    }
}

/// Opens an input and reads its header.
pub fn open(spec: &InputSpec) -> Result<Opened, SourceError> {
    match format_of(&spec.path) {
        Format::Csv => csv::open(spec),
        Format::Workbook => sheet::open(spec),
    }
}

/// The name used for a file in messages: as the user gave it.
pub fn display_name(path: &Path) -> String {
    path.display().to_string()
}

/// Why an input could not be read.
#[derive(Debug, Error, Diagnostic)]
pub enum SourceError {
    #[error("cannot read `{file}`")]
    #[diagnostic(code(source::io), help("check the path and the file's permissions"))]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("unknown encoding `{name}` for `{file}`")]
    #[diagnostic(
        code(source::encoding),
        help("use a WHATWG label such as `utf-8`, `windows-1252` or `iso-8859-1`")
    )]
    Encoding { file: String, name: String },
    #[error("`{file}` line {line}: {message}")]
    #[diagnostic(code(source::csv), help("check the quoting near that line"))]
    Csv { file: String, line: u64, message: String },
    #[error("`{file}` has no header row")]
    #[diagnostic(code(source::empty), help("the file is empty, or every line is blank"))]
    NoHeader { file: String },
    #[error("`{file}` has no row {row}: it ends at row {last}")]
    #[diagnostic(code(source::header_row), help("lower `header_row`"))]
    HeaderBeyondEnd { file: String, row: u64, last: u64 },
    #[error("cannot open workbook `{file}`: {message}")]
    #[diagnostic(
        code(source::workbook),
        help("xlsx, xlsm, xlsb, xls and ods are read; is the file complete and not password-protected?")
    )]
    Workbook { file: String, message: String },
    #[error("workbook `{file}` has no sheet {sheet}")]
    #[diagnostic(code(source::sheet), help("{help}"))]
    NoSheet { file: String, sheet: SheetRef, help: String },
}
