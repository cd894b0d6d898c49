//! Typed field values and the parsers that make them from cells: French
//! numbers (`1 234,56`, `-12,5 €`), exact money, dates in strftime formats or
//! as Excel serials.

use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::source::{format_number, Cell};

/// A field's value, typed for its JSON form.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Date(NaiveDate),
    /// Money, kept with two decimals.
    Money(Decimal),
    /// A decimal quantity, written without trailing zeros.
    Decimal(Decimal),
    Integer(i64),
}

impl Value {
    /// The JSON form: dates as `YYYY-MM-DD` strings, numbers as exact JSON numbers.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Text(text) => serde_json::Value::String(text.clone()),
            Value::Date(date) => serde_json::Value::String(date.format("%Y-%m-%d").to_string()),
            Value::Money(amount) => {
                let mut cents = amount.round_dp(2);
                cents.rescale(2);
                number(&cents.to_string())
            }
            Value::Decimal(amount) => number(&amount.normalize().to_string()),
            Value::Integer(n) => serde_json::Value::from(*n),
        }
    }
}

/// A JSON number from its exact decimal text (serde_json keeps the text as is).
fn number(text: &str) -> serde_json::Value {
    serde_json::Number::from_str(text)
        .map_or_else(|_| serde_json::Value::String(text.into()), serde_json::Value::Number)
}

/// The days between Excel's day zero (1899-12-30, with its 1900 leap-year bug) and a date.
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()
}

/// Formats tried for text dates when the mapping names none.
pub const DEFAULT_DATE_FORMATS: &[&str] = &["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"];

/// A date from a cell: a real date, an Excel serial, or text in one of `formats`.
pub fn parse_date(cell: &Cell, formats: &[String]) -> Result<NaiveDate, String> {
    match cell {
        Cell::Date(when) => Ok(when.date()),
        Cell::Number(serial) => excel_date(*serial),
        Cell::Text(text) => parse_date_text(text.trim(), formats),
        other => Err(format!("`{}` is not a date", other.display())),
    }
}

fn excel_date(serial: f64) -> Result<NaiveDate, String> {
    let days = serial.floor();
    if !(1.0..=2_958_465.0).contains(&days) {
        return Err(format!("`{}` is not an Excel date serial", format_number(serial)));
    }
    excel_epoch()
        .checked_add_signed(chrono::Duration::days(days as i64))
        .ok_or_else(|| format!("`{}` is not an Excel date serial", format_number(serial)))
}

fn parse_date_text(text: &str, formats: &[String]) -> Result<NaiveDate, String> {
    let defaults: Vec<String>;
    let formats = if formats.is_empty() {
        defaults = DEFAULT_DATE_FORMATS.iter().map(|f| f.to_string()).collect();
        &defaults
    } else {
        formats
    };
    for format in formats {
        if format == "excel" {
            if let Ok(serial) = text.parse::<f64>() {
                return excel_date(serial);
            }
            continue;
        }
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return Ok(date);
        }
    }
    let expected: Vec<String> = formats.iter().map(|f| format!("`{f}`")).collect();
    Err(format!("`{text}` is not a date in the format {}", expected.join(" or ")))
}

/// A year `YYYY`, from a date cell, a number or text.
pub fn parse_year(cell: &Cell) -> Result<String, String> {
    let text = match cell {
        Cell::Date(when) => return Ok(when.year().to_string()),
        other => other.display().trim().to_string(),
    };
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(text)
    } else {
        Err(format!("`{text}` is not a year (four digits)"))
    }
}

/// A number written the French or the English way: `1 234,56`, `1.234,56`,
/// `-12,5 €`, `(45,00)`, `1,234.56`. With `decimal` given, the other mark is a
/// thousands separator; without it, the last mark of a lone kind decides.
pub fn parse_decimal(text: &str, decimal: Option<char>) -> Result<Decimal, String> {
    let original = text.trim();
    let mut body: String = original
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '€' | '$' | '£' | '\'')
        })
        .collect();
    for code in ["EUR", "USD", "GBP"] {
        body = body.replace(code, "");
    }
    let mut negative = false;
    if body.starts_with('(') && body.ends_with(')') {
        negative = true;
        body = body[1..body.len() - 1].to_string();
    }
    if let Some(rest) = body.strip_suffix('-') {
        negative = !negative;
        body = rest.to_string();
    }
    let mark = decimal.unwrap_or_else(|| guess_mark(&body));
    let thousands = if mark == ',' { '.' } else { ',' };
    let canonical: String =
        body.chars().filter(|c| *c != thousands).map(|c| if c == mark { '.' } else { c }).collect();
    let mut value =
        Decimal::from_str_exact(&canonical).map_err(|_| format!("`{original}` is not a number"))?;
    if negative {
        value = -value;
    }
    Ok(value)
}

/// `1.234` alone is read as a decimal point; `1.234.567` or `1.234,5` make `.` a separator.
fn guess_mark(body: &str) -> char {
    let commas = body.matches(',').count();
    let dots = body.matches('.').count();
    match (commas, dots) {
        (0, _) if dots > 1 => ',',
        (_, 0) if commas > 1 => '.',
        (0, _) => '.',
        (_, 0) => ',',
        _ if body.rfind(',') > body.rfind('.') => ',',
        _ => '.',
    }
}

/// A decimal from any cell: numbers as the sheet shows them, text parsed.
pub fn cell_decimal(cell: &Cell, decimal: Option<char>) -> Result<Decimal, String> {
    match cell {
        Cell::Number(n) => Decimal::from_str(&format_number(*n))
            .map_err(|_| format!("`{}` is not a number", format_number(*n))),
        Cell::Text(text) => parse_decimal(text, decimal),
        other => Err(format!("`{}` is not a number", other.display())),
    }
}

/// Money: exact, at most two decimals. A spreadsheet float that is a cent
/// amount up to binary noise (`0.30000000000000004`) counts as that amount.
pub fn to_money(value: Decimal, from_float: bool) -> Result<Decimal, String> {
    let cents = value.round_dp(2);
    let noise = Decimal::new(1, 6);
    if value == cents || (from_float && (value - cents).abs() < noise) {
        Ok(cents)
    } else {
        Err(format!("`{value}` has more than two decimals: money is kept to the cent"))
    }
}

/// An integer, written with or without a zero fraction (`3`, `3,0`).
pub fn to_integer(value: Decimal) -> Result<i64, String> {
    if value.fract().is_zero() {
        i64::try_from(value.trunc()).map_err(|_| format!("`{value}` is too large"))
    } else {
        Err(format!("`{value}` is not a whole number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn french_numbers_parse_exactly() {
        assert_eq!(parse_decimal("1 234,56", None), Ok(dec("1234.56")));
        assert_eq!(parse_decimal("1\u{a0}234,56", Some(',')), Ok(dec("1234.56")));
        assert_eq!(parse_decimal("-12,5 €", None), Ok(dec("-12.5")));
        assert_eq!(parse_decimal("1.234,56", None), Ok(dec("1234.56")));
        assert_eq!(parse_decimal("1,234.56", None), Ok(dec("1234.56")));
        assert_eq!(parse_decimal("(45,00)", None), Ok(dec("-45.00")));
        assert_eq!(parse_decimal("45,00-", None), Ok(dec("-45.00")));
        assert_eq!(parse_decimal("1.234.567", None), Ok(dec("1234567")));
        assert!(parse_decimal("douze", None).is_err());
        assert!(parse_decimal("12,3,4.5,6", Some(',')).is_err());
    }

    #[test]
    fn money_has_no_float_drift() {
        let sum = parse_decimal("0,1", None).unwrap() + parse_decimal("0,2", None).unwrap();
        assert_eq!(Value::Money(sum).to_json().to_string(), "0.30");
        let noisy = cell_decimal(&Cell::Number(0.1 + 0.2), None).unwrap();
        assert_eq!(to_money(noisy, true), Ok(dec("0.30")));
        assert!(to_money(dec("12.345"), false).is_err());
    }

    #[test]
    fn dates_from_text_serials_and_cells() {
        let want = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        let fr = vec!["%d/%m/%Y".to_string()];
        assert_eq!(parse_date(&Cell::Text("31/01/2024".into()), &fr), Ok(want));
        assert_eq!(parse_date(&Cell::Number(45322.0), &[]), Ok(want));
        assert_eq!(parse_date(&Cell::Text("20240131".into()), &["%Y%m%d".into()]), Ok(want));
        assert!(parse_date(&Cell::Text("31/02/2024".into()), &fr).is_err());
        assert!(parse_date(&Cell::Error("#N/A".into()), &fr).is_err());
    }

    #[test]
    fn years_and_integers() {
        assert_eq!(parse_year(&Cell::Number(2022.0)), Ok("2022".into()));
        assert!(parse_year(&Cell::Text("22".into())).is_err());
        assert_eq!(to_integer(dec("3.0")), Ok(3));
        assert!(to_integer(dec("3.5")).is_err());
    }
}
