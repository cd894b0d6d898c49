//! Column profiling: from a column's cells, its type (date and format, number
//! and decimal mark, text, empty), its shape (email, postcode, SIRET...) and
//! a few of its values.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::model::value::parse_decimal;
use crate::source::Cell;

/// Text date formats tried, most common in French exports first.
const DATE_FORMATS: &[&str] =
    &["%d/%m/%Y", "%Y-%m-%d", "%Y%m%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y/%m/%d"];

/// How many values a profile shows.
const SAMPLES: usize = 3;
/// How many distinct values a profile keeps for value maps.
const DISTINCT: usize = 25;

/// What a column holds, judged on all its filled cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// No filled cell.
    Empty,
    /// Dates: real date cells, or text in one strftime format.
    Date(Option<&'static str>),
    /// Numbers: spreadsheet numbers, or text with this decimal mark (none seen
    /// when every value is whole).
    Number {
        decimal: Option<char>,
        integer: bool,
        text: bool,
    },
    Text,
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnType::Empty => f.write_str("empty"),
            ColumnType::Date(None) => f.write_str("date (date cells)"),
            ColumnType::Date(Some(format)) => write!(f, "date {format}"),
            ColumnType::Number { decimal: Some(mark), .. } => write!(f, "number, decimal '{mark}'"),
            ColumnType::Number { integer: true, .. } => f.write_str("integer"),
            ColumnType::Number { .. } => f.write_str("number"),
            ColumnType::Text => f.write_str("text"),
        }
    }
}

/// A recognisable kind of value, every filled cell agreeing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Url,
    Email,
    Siret,
    Siren,
    Postcode,
    Phone,
    Year,
    YesNo,
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Shape::Url => "URL",
            Shape::Email => "email",
            Shape::Siret => "SIRET",
            Shape::Siren => "SIREN",
            Shape::Postcode => "postcode",
            Shape::Phone => "phone",
            Shape::Year => "year",
            Shape::YesNo => "yes/no",
        })
    }
}

/// One column as `inspect` shows it and `init` maps it.
#[derive(Debug, Clone)]
pub struct ColumnProfile {
    /// 0-based index in the table.
    pub index: usize,
    /// Spreadsheet letter (`A`, `B`... also for CSV).
    pub letter: String,
    pub header: String,
    pub kind: ColumnType,
    pub shape: Option<Shape>,
    /// How many rows fill it.
    pub filled: usize,
    /// Its first distinct values, as the file shows them.
    pub distinct: Vec<String>,
    /// True when it holds more distinct values than `distinct` keeps.
    pub more: bool,
}

impl ColumnProfile {
    /// Profiles one column from its cells (blank ones included).
    pub fn new(index: usize, letter: String, header: String, cells: &[&Cell]) -> ColumnProfile {
        let filled: Vec<&Cell> = cells.iter().copied().filter(|c| !c.is_blank()).collect();
        let mut distinct: Vec<String> = Vec::new();
        let mut more = false;
        for cell in &filled {
            let text = cell.display().trim().to_string();
            if distinct.contains(&text) {
                continue;
            }
            if distinct.len() == DISTINCT {
                more = true;
                break;
            }
            distinct.push(text);
        }
        let kind = column_type(&filled);
        let shape = shape(&filled);
        ColumnProfile { index, letter, header, kind, shape, filled: filled.len(), distinct, more }
    }

    /// A few values to show.
    pub fn samples(&self) -> &[String] {
        &self.distinct[..self.distinct.len().min(SAMPLES)]
    }
}

/// The narrowest type every filled cell fits: date, then number, then text.
pub fn column_type(cells: &[&Cell]) -> ColumnType {
    if cells.is_empty() {
        return ColumnType::Empty;
    }
    if let Some(format) = date_type(cells) {
        return ColumnType::Date(format);
    }
    number_type(cells).unwrap_or(ColumnType::Text)
}

/// `Some(None)` for real date cells only, `Some(Some(format))` when text dates
/// share a format.
fn date_type(cells: &[&Cell]) -> Option<Option<&'static str>> {
    let texts: Vec<&str> = cells
        .iter()
        .filter_map(|c| match c {
            Cell::Date(_) => None,
            Cell::Text(text) => Some(Some(text.trim())),
            _ => Some(None),
        })
        .collect::<Option<Vec<&str>>>()?;
    if texts.is_empty() {
        return Some(None);
    }
    DATE_FORMATS.iter().find(|f| texts.iter().all(|t| is_date(t, f))).map(|f| Some(*f))
}

fn is_date(text: &str, format: &str) -> bool {
    NaiveDate::parse_from_str(text, format).is_ok_and(|d| (1900..=2100).contains(&d.year()))
}

/// Numbers: spreadsheet numbers, or text that reads as one with a single
/// decimal mark for the whole column. Digits with a leading zero (`01000`)
/// are codes, not numbers.
fn number_type(cells: &[&Cell]) -> Option<ColumnType> {
    let mut texts = Vec::new();
    let mut integer = true;
    for cell in cells {
        match cell {
            Cell::Number(n) => integer &= n.fract() == 0.0,
            Cell::Text(text) if looks_numeric(text.trim()) => texts.push(text.trim()),
            _ => return None,
        }
    }
    let decimal = decimal_mark(&texts);
    for text in &texts {
        let value = parse_decimal(text, decimal).ok()?;
        integer &= value.fract().is_zero();
    }
    // `850,00` is whole, but written as an amount.
    integer &= decimal.is_none();
    Some(ColumnType::Number { decimal, integer, text: !texts.is_empty() })
}

fn looks_numeric(text: &str) -> bool {
    let digits = text.trim_start_matches(['-', '+', '(']);
    let leading_zero = digits.len() > 1
        && digits.starts_with('0')
        && digits.as_bytes().get(1).is_some_and(u8::is_ascii_digit);
    text.chars().any(|c| c.is_ascii_digit())
        && !leading_zero
        && text.chars().all(|c| {
            c.is_ascii_digit()
                || c.is_whitespace()
                || matches!(c, ',' | '.' | '-' | '+' | '(' | ')' | '€' | '\u{a0}' | '\u{202f}')
        })
}

/// The decimal mark the texts agree on: a mark followed by other than three
/// digits (`12,5`, `1 234,56`) cannot be a thousands separator.
fn decimal_mark(texts: &[&str]) -> Option<char> {
    let mut seen = (false, false);
    for text in texts {
        let Some(at) = text.rfind([',', '.']) else { continue };
        let after = text[at + 1..].chars().take_while(char::is_ascii_digit).count();
        if after != 3 {
            if text[at..].starts_with(',') {
                seen.0 = true;
            } else {
                seen.1 = true;
            }
        }
    }
    match seen {
        (true, false) => Some(','),
        (false, true) => Some('.'),
        _ => None,
    }
}

/// The shape every filled cell has, if any.
pub fn shape(cells: &[&Cell]) -> Option<Shape> {
    if cells.is_empty() {
        return None;
    }
    let texts: Vec<String> = cells.iter().map(|c| c.display().trim().to_string()).collect();
    let all = |test: fn(&str) -> bool| texts.iter().all(|t| test(t));
    [
        (Shape::Url, is_url as fn(&str) -> bool),
        (Shape::Email, is_email),
        (Shape::Siret, |t| digits_luhn(t, 14)),
        (Shape::Siren, |t| digits_luhn(t, 9)),
        (Shape::Postcode, |t| t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit())),
        (Shape::Phone, is_phone),
        (Shape::Year, |t| t.parse::<u16>().is_ok_and(|y| (1900..=2100).contains(&y))),
        (Shape::YesNo, |t| {
            ["oui", "non", "yes", "no", "o", "n"].contains(&t.to_lowercase().as_str())
        }),
    ]
    .into_iter()
    .find(|(_, test)| all(*test))
    .map(|(shape, _)| shape)
}

fn is_url(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://")) && !text.contains(' ')
}

fn is_email(text: &str) -> bool {
    let Some((user, domain)) = text.split_once('@') else { return false };
    !user.is_empty() && domain.contains('.') && !text.contains(char::is_whitespace)
}

fn is_phone(text: &str) -> bool {
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
    let national = digits.strip_prefix("+33").map(|d| format!("0{d}")).unwrap_or(digits);
    national.len() == 10
        && national.starts_with('0')
        && national.bytes().all(|b| b.is_ascii_digit())
}

/// `len` digits (spaces allowed) with a valid Luhn check digit.
fn digits_luhn(text: &str, len: usize) -> bool {
    let digits: Vec<u32> =
        text.chars().filter(|c| *c != ' ').filter_map(|c| c.to_digit(10)).collect();
    let clean = text.chars().filter(|c| *c != ' ').count() == len;
    clean && digits.len() == len && luhn(&digits)
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| match (i % 2 == 1, d * 2) {
            (true, twice) if twice > 9 => twice - 9,
            (true, twice) => twice,
            (false, _) => *d,
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(values: &[&str]) -> Vec<Cell> {
        values.iter().map(|v| Cell::Text(v.to_string())).collect()
    }

    fn kind(values: &[&str]) -> ColumnType {
        let cells = texts(values);
        column_type(&cells.iter().collect::<Vec<_>>())
    }

    #[test]
    fn text_dates_get_their_format() {
        assert_eq!(kind(&["01/03/2024", "31/03/2024"]), ColumnType::Date(Some("%d/%m/%Y")));
        assert_eq!(kind(&["20230105", "20231231"]), ColumnType::Date(Some("%Y%m%d")));
        assert_eq!(kind(&["2024-03-01"]), ColumnType::Date(Some("%Y-%m-%d")));
    }

    #[test]
    fn french_amounts_are_numbers_with_a_decimal_comma() {
        let want = ColumnType::Number { decimal: Some(','), integer: false, text: true };
        assert_eq!(kind(&["1\u{a0}234,56", "64,18", "1 700,00"]), want);
        assert_eq!(kind(&["01000", "69002"]), ColumnType::Text);
        assert_eq!(kind(&["512000", "401000"]).to_string(), "integer");
    }

    #[test]
    fn shapes_need_every_value() {
        let cells = texts(&["812345676"]);
        assert_eq!(shape(&cells.iter().collect::<Vec<_>>()), Some(Shape::Siren));
        let cells = texts(&["812345677"]);
        assert_eq!(shape(&cells.iter().collect::<Vec<_>>()), None);
        let cells = texts(&["50312498400017", "81234567600017"]);
        assert_eq!(shape(&cells.iter().collect::<Vec<_>>()), Some(Shape::Siret));
        let cells = texts(&["a@b.fr", "nope"]);
        assert_eq!(shape(&cells.iter().collect::<Vec<_>>()), None);
    }
}
