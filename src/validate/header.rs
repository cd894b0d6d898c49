//! The header at the document's root: its four keys, `versionId` and the
//! `creDtTm` date-time. A wrong header rejects the whole document (KO).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Europe::Paris;
use serde_json::Value;

use super::formats::shown;
use super::report::{Ko, KoType, Warning};

/// The header keys, all required.
pub(crate) const KEYS: [&str; 4] = ["inigPtynm", "apiKey", "creDtTm", "versionId"];

/// The only version of loaders 2.0.
const VERSION: &str = "2.0";

/// The position of a header key in [`KEYS`].
pub(crate) fn slot(key: &str) -> Option<usize> {
    KEYS.iter().position(|k| *k == key)
}

/// Checks one header value; a remark comes back as a warning.
pub(crate) fn check_value(key: &str, value: &Value) -> Result<Option<Warning>, Ko> {
    match key {
        "versionId" => version(value).map(|()| None),
        "creDtTm" => creation(value),
        _ => identity(key, value).map(|()| None),
    }
}

/// Rejects the document when a header key was never seen.
pub(crate) fn check_missing(seen: impl Fn(&str) -> bool) -> Result<(), Ko> {
    match KEYS.iter().find(|key| !seen(key)) {
        Some(key) => {
            Err(Ko::new(KoType::KeyError, format!("Missing key '{key}'"), format!("'{key}'")))
        }
        None => Ok(()),
    }
}

/// `inigPtynm` and `apiKey`: non-empty strings. The key's value is never echoed.
fn identity(key: &str, value: &Value) -> Result<(), Ko> {
    match value {
        Value::String(text) if text.trim().is_empty() => {
            let message = format!("Field '{key}' must not be empty");
            Err(Ko::new(KoType::ValueError, message.clone(), message))
        }
        Value::String(_) => Ok(()),
        _ => {
            let message = format!("Field '{key}' must be a string");
            Err(Ko::new(KoType::ValidationError, message.clone(), message))
        }
    }
}

fn version(value: &Value) -> Result<(), Ko> {
    if value.as_str() == Some(VERSION) {
        return Ok(());
    }
    let found = match value {
        Value::String(text) => shown(text),
        other => shown(&other.to_string()),
    };
    let message = format!("Field 'versionId' must be \"{VERSION}\", found `{found}`");
    Err(Ko::new(KoType::ValueError, message.clone(), message))
}

/// `creDtTm`: ISO 8601 with an offset, or, with a warning, without one (Paris time).
fn creation(value: &Value) -> Result<Option<Warning>, Ko> {
    let Some(text) = value.as_str() else {
        return Err(bad_creation(&value.to_string()));
    };
    if has_offset(text) {
        return Ok(None);
    }
    let local = naive(text).ok_or_else(|| bad_creation(text))?;
    let paris = Paris.from_local_datetime(&local).earliest().ok_or_else(|| bad_creation(text))?;
    Ok(Some(Warning {
        model: None,
        id: None,
        message: format!("`creDtTm` without offset, read as Paris time: `{}`", paris.to_rfc3339()),
        help: Some("write the offset, as the S3 page asks: `2024-01-15T10:30:00+01:00`".into()),
    }))
}

fn has_offset(text: &str) -> bool {
    DateTime::parse_from_rfc3339(text).is_ok()
        || DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z").is_ok()
}

/// A date-time without offset, or a bare date read as midnight.
fn naive(text: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .or_else(|| {
            let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
            (text.len() == 10).then(|| date.and_hms_opt(0, 0, 0)).flatten()
        })
}

fn bad_creation(text: &str) -> Ko {
    let message = format!("Field 'creDtTm' is not an ISO 8601 date-time: `{}`", shown(text));
    Ko::new(KoType::ValueError, message.clone(), message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn offsets_are_read_in_iso_forms() {
        assert_eq!(check_value("creDtTm", &json!("2024-01-15T10:30:00+01:00")), Ok(None));
        assert_eq!(check_value("creDtTm", &json!("2024-01-15T09:30:00.000Z")), Ok(None));
        assert_eq!(check_value("creDtTm", &json!("2024-01-15T10:30:00+0100")), Ok(None));
    }

    #[test]
    fn no_offset_is_paris_time_with_a_warning() {
        let warning = check_value("creDtTm", &json!("2020-10-10")).unwrap().unwrap();
        assert!(warning.message.contains("2020-10-10T00:00:00+02:00"), "{}", warning.message);
        let warning = check_value("creDtTm", &json!("2024-01-15T10:30:00.123456")).unwrap();
        assert!(warning.unwrap().message.contains("+01:00"));
    }

    #[test]
    fn other_dates_reject_the_document() {
        for bad in [json!("15/01/2024"), json!(20240115), json!("2024-02-30"), json!("")] {
            let ko = check_value("creDtTm", &bad).unwrap_err();
            assert_eq!(ko.kind, KoType::ValueError, "{bad}");
        }
        // 02:30 does not exist in Paris on the night clocks go forward.
        assert!(check_value("creDtTm", &json!("2024-03-31T02:30:00")).is_err());
    }

    #[test]
    fn version_is_the_string_2_0() {
        assert!(check_value("versionId", &json!("2.0")).is_ok());
        assert_eq!(check_value("versionId", &json!("1.0")).unwrap_err().kind, KoType::ValueError);
        assert_eq!(check_value("versionId", &json!(2.0)).unwrap_err().kind, KoType::ValueError);
    }

    #[test]
    fn the_api_key_is_never_echoed() {
        let ko = check_value("apiKey", &json!(12345)).unwrap_err();
        assert_eq!(ko.kind, KoType::ValidationError);
        assert!(!ko.message.contains("12345"));
        assert!(check_missing(|key| key != "apiKey").unwrap_err().message.contains("apiKey"));
    }
}
