//! The `inspect` command: what a CSV export or a workbook holds (dialect,
//! sheets, header, footer, and each column's type and values), for a person
//! in a terminal or, with `--json`, for a program.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use miette::IntoDiagnostic;
use serde_json::{json, Value};

use crate::exit;
use crate::onboard::{self, ColumnProfile, ColumnType, CsvLayout, Survey, TableSurvey};

/// Room for the values column when a line is 80 characters wide.
const WIDTH: usize = 80;
const HEADER_WIDTH: usize = 22;
const TYPE_WIDTH: usize = 20;

/// Arguments of `inspect`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    qload inspect samples/releve-2024-03.csv\n  \
    qload inspect samples/patrimoine.xlsx --sheet Biens\n  \
    qload inspect 812345676FEC20231231.txt --json")]
pub struct Args {
    /// The CSV export or workbook to look into.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Only this sheet of a workbook (its name, or its number from 1).
    #[arg(long, value_name = "SHEET")]
    pub sheet: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `inspect`: surveys the file and prints what it found on stdout.
pub fn run(args: Args) -> miette::Result<ExitCode> {
    let survey = onboard::survey(&args.file, args.sheet.as_deref())?;
    let text = if args.json {
        let mut text = serde_json::to_string_pretty(&to_json(&survey)).into_diagnostic()?;
        text.push('\n');
        text
    } else {
        render(&survey)
    };
    std::io::stdout().lock().write_all(text.as_bytes()).into_diagnostic()?;
    Ok(exit::code(exit::OK))
}

/// The survey as text that fits 80 columns.
pub fn render(survey: &Survey) -> String {
    let mut out = String::new();
    match &survey.csv {
        Some(layout) => csv_summary(&mut out, &survey.file, layout),
        None => sheet_list(&mut out, survey),
    }
    for table in &survey.tables {
        table_text(&mut out, table, survey.csv.is_some());
    }
    out
}

fn csv_summary(out: &mut String, file: &str, layout: &CsvLayout) {
    out.push_str(&format!("{file}: CSV\n"));
    out.push_str(&format!("  encoding   {}\n", layout.encoding));
    out.push_str(&format!("  delimiter  {}\n", delimiter_name(layout.delimiter)));
    if layout.preamble.is_empty() {
        out.push_str("  preamble   none\n");
        return;
    }
    let count = layout.preamble.len();
    out.push_str(&format!("  preamble   {count} line(s) above the header:\n"));
    for (i, line) in layout.preamble.iter().enumerate() {
        out.push_str(&fit(&format!("    {:>3}  {}", i + 1, printable(line)), WIDTH));
        out.push('\n');
    }
}

/// `;`, `tab`, `|`: how a delimiter is written in a mapping.
pub fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "tab".to_string(),
        other => (other as char).to_string(),
    }
}

fn sheet_list(out: &mut String, survey: &Survey) {
    out.push_str(&format!("{}: workbook, {} sheet(s)\n", survey.file, survey.tables.len()));
    for table in &survey.tables {
        let name = table.sheet.as_deref().unwrap_or_default();
        let range = table.range.as_deref().unwrap_or("empty");
        out.push_str(&fit(&format!("  {:<24} {range}", printable(name)), WIDTH));
        out.push('\n');
    }
}

fn table_text(out: &mut String, table: &TableSurvey, csv: bool) {
    let unit = if csv { "line" } else { "row" };
    if let Some(sheet) = &table.sheet {
        out.push_str(&format!("\nsheet `{sheet}`\n"));
    }
    let Some(header) = table.header_row else {
        out.push_str("  no header row: the sheet is empty or holds no table\n");
        return;
    };
    out.push_str(&format!("  header     {unit} {header}\n"));
    out.push_str(&format!("  data       {} row(s)\n", table.rows));
    if let Some(footer) = &table.footer {
        let text = fit(&printable(&footer.text), 40);
        out.push_str(&format!(
            "  footer     {unit} {}: `{text}` (the data ends above)\n",
            footer.row
        ));
    }
    out.push('\n');
    let head = format!("  {:<4} {:<HEADER_WIDTH$} {:<TYPE_WIDTH$} values", "col", "header", "type");
    out.push_str(&head);
    out.push('\n');
    for column in &table.columns {
        out.push_str(&column_line(column));
        out.push('\n');
    }
}

fn column_line(column: &ColumnProfile) -> String {
    let header = if column.header.is_empty() { "(no header)" } else { &column.header };
    let kind = match column.shape {
        Some(shape) => format!("{} ({shape})", column.kind),
        None => column.kind.to_string(),
    };
    let values: Vec<String> = column.samples().iter().map(|v| printable(v)).collect();
    let line = format!(
        "  {:<4} {} {} {}",
        column.letter,
        pad(&fit(&printable(header), HEADER_WIDTH), HEADER_WIDTH),
        pad(&fit(&kind, TYPE_WIDTH), TYPE_WIDTH),
        values.join(" | ")
    );
    fit(line.trim_end(), WIDTH)
}

/// Cuts text to `width` characters, marking the cut with `…`.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn pad(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(text.chars().count());
    format!("{text}{}", " ".repeat(fill))
}

/// Line breaks and tabs inside a value shown as spaces.
fn printable(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The survey as JSON: the same facts, machine-readable.
pub fn to_json(survey: &Survey) -> Value {
    let tables: Vec<Value> = survey.tables.iter().map(table_json).collect();
    match &survey.csv {
        Some(layout) => json!({
            "file": survey.file,
            "format": "csv",
            "encoding": layout.encoding,
            "delimiter": (layout.delimiter as char).to_string(),
            "preamble": layout.preamble,
            "header_row": tables.first().and_then(|t| t.get("header_row")).cloned(),
            "rows": tables.first().and_then(|t| t.get("rows")).cloned(),
            "footer": tables.first().and_then(|t| t.get("footer")).cloned(),
            "columns": tables.first().and_then(|t| t.get("columns")).cloned(),
        }),
        None => json!({ "file": survey.file, "format": "workbook", "sheets": tables }),
    }
}

fn table_json(table: &TableSurvey) -> Value {
    let footer = table.footer.as_ref().map(|f| json!({ "row": f.row, "text": f.text }));
    let columns: Vec<Value> = table.columns.iter().map(column_json).collect();
    json!({
        "name": table.sheet,
        "range": table.range,
        "header_row": table.header_row,
        "rows": table.rows,
        "footer": footer,
        "columns": columns,
    })
}

fn column_json(column: &ColumnProfile) -> Value {
    let (kind, format, decimal) = match column.kind {
        ColumnType::Empty => ("empty", None, None),
        ColumnType::Date(format) => ("date", Some(format.unwrap_or("cell")), None),
        ColumnType::Number { decimal, integer: true, .. } => ("integer", None, decimal),
        ColumnType::Number { decimal, .. } => ("number", None, decimal),
        ColumnType::Text => ("text", None, None),
    };
    json!({
        "column": column.letter,
        "header": column.header,
        "type": kind,
        "format": format,
        "decimal": decimal.map(String::from),
        "shape": column.shape.map(|s| s.to_string()),
        "filled": column.filled,
        "values": column.samples(),
    })
}
