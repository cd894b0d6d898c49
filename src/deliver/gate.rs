//! The validation gate in front of every upload: the document is judged by
//! the validator, as the platform would, before anything is sent.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use super::DeliverError;
use crate::model::schema::Profile;
use crate::validate::{validate_reader, Known, Options, Outcome, Status};

/// What the gate thinks of a document, in the platform's own statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateVerdict {
    /// Every object passes: the document goes.
    Success,
    /// Some objects fail: it goes only with `--allow-partial`.
    PartialSuccess,
    /// Every object fails: it goes only with `--allow-partial`.
    Error,
    /// The document is rejected whole: it never goes. Holds the reason.
    Ko(String),
}

impl GateVerdict {
    /// The status as the platform writes it (`SUCCESS`, `PARTIAL_SUCCESS`, ...).
    pub fn label(&self) -> &'static str {
        match self {
            GateVerdict::Success => "SUCCESS",
            GateVerdict::PartialSuccess => "PARTIAL_SUCCESS",
            GateVerdict::Error => "ERROR",
            GateVerdict::Ko(_) => "KO",
        }
    }
}

/// Judges the document at `path` as the platform would, before any upload;
/// the ids of the `known` documents count as loaded earlier. A document with
/// a `clients` array is judged under profile 2.2, any other under 2.1.
pub fn gate(path: &Path, known: &[PathBuf]) -> Result<GateVerdict, DeliverError> {
    let known = Known::load(known)?;
    let verdict = judge(open(path)?, Profile::V21, &known, path)?;
    match verdict {
        GateVerdict::Ko(reason) if reason.contains("profile 2.2") => {
            judge(open(path)?, Profile::V22, &known, path)
        }
        verdict => Ok(verdict),
    }
}

fn open(path: &Path) -> Result<BufReader<File>, DeliverError> {
    File::open(path)
        .map(BufReader::new)
        .map_err(|source| DeliverError::Read { path: path.to_path_buf(), source })
}

/// The verdict on a document read from `reader`.
fn judge(
    reader: impl Read,
    profile: Profile,
    known: &Known,
    path: &Path,
) -> Result<GateVerdict, DeliverError> {
    let options = Options { profile, known: known.clone(), ..Options::default() };
    let outcome = validate_reader(reader, &options).map_err(|err| DeliverError::Read {
        path: path.to_path_buf(),
        source: std::io::Error::other(err.to_string()),
    })?;
    Ok(match outcome {
        Outcome::Ko(ko) => GateVerdict::Ko(ko.message),
        Outcome::Processed(report) => match report.status {
            Status::Success => GateVerdict::Success,
            Status::PartialSuccess => GateVerdict::PartialSuccess,
            Status::Error => GateVerdict::Error,
        },
    })
}

/// Turns a verdict into a go, or the refusal to report.
pub(super) fn admit(
    verdict: &GateVerdict,
    file: &str,
    allow_partial: bool,
) -> Result<(), DeliverError> {
    match verdict {
        GateVerdict::Success => Ok(()),
        GateVerdict::PartialSuccess | GateVerdict::Error if allow_partial => Ok(()),
        GateVerdict::PartialSuccess | GateVerdict::Error => {
            Err(DeliverError::NotValid { file: file.to_string(), status: verdict.label() })
        }
        GateVerdict::Ko(reason) => {
            Err(DeliverError::Rejected { file: file.to_string(), reason: reason.clone() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"inigPtynm":"p","apiKey":"k","creDtTm":"2024-01-15T10:30:00+01:00",
        "versionId":"2.0","declarants":[]}"#;

    fn verdict(bytes: &[u8]) -> GateVerdict {
        judge(bytes, Profile::V21, &Known::default(), Path::new("t.json")).unwrap()
    }

    #[test]
    fn a_complete_header_passes() {
        assert_eq!(verdict(GOOD.as_bytes()), GateVerdict::Success);
    }

    #[test]
    fn broken_documents_are_ko() {
        assert!(matches!(verdict(b"{"), GateVerdict::Ko(_)));
        assert!(matches!(verdict(b"[]"), GateVerdict::Ko(_)));
        let no_key = GOOD.replace("\"apiKey\":\"k\",", "");
        assert!(matches!(verdict(no_key.as_bytes()), GateVerdict::Ko(_)));
        let old = GOOD.replace("\"2.0\"", "\"1.0\"");
        assert!(matches!(verdict(old.as_bytes()), GateVerdict::Ko(_)));
    }

    #[test]
    fn a_failing_object_makes_the_document_partial_or_error() {
        let bad = GOOD.replace("\"declarants\":[]", "\"transactions\":[{\"id\":\"T1\"}]");
        assert_eq!(verdict(bad.as_bytes()), GateVerdict::Error);
    }

    #[test]
    fn partial_goes_only_when_allowed() {
        assert!(admit(&GateVerdict::PartialSuccess, "f", false).is_err());
        assert!(admit(&GateVerdict::PartialSuccess, "f", true).is_ok());
        assert!(admit(&GateVerdict::Ko("x".into()), "f", true).is_err());
    }
}
