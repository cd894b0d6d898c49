//! The validation gate in front of every upload. Until the platform-rules
//! validator is wired in, it checks what makes the platform reject a document
//! whole: malformed JSON, a root that is not an object, a missing header key,
//! a `versionId` other than `"2.0"`.

use std::path::Path;

use serde_json::Value;

use super::DeliverError;

/// The header keys the platform requires at the document's root.
const HEADER_KEYS: [&str; 4] = ["inigPtynm", "apiKey", "creDtTm", "versionId"];

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

/// Judges the document at `path` as the platform would, before any upload.
pub fn gate(path: &Path, _known: &[std::path::PathBuf]) -> Result<GateVerdict, DeliverError> {
    let bytes = std::fs::read(path)
        .map_err(|source| DeliverError::Read { path: path.to_path_buf(), source })?;
    Ok(judge(&bytes))
}

/// The verdict on the bytes of a document.
fn judge(bytes: &[u8]) -> GateVerdict {
    let root: Value = match serde_json::from_slice(bytes) {
        Ok(root) => root,
        Err(err) => return GateVerdict::Ko(format!("malformed JSON ({err})")),
    };
    let Some(header) = root.as_object() else {
        return GateVerdict::Ko("the root is not a JSON object".into());
    };
    if let Some(missing) = HEADER_KEYS.iter().find(|key| !header.contains_key(**key)) {
        return GateVerdict::Ko(format!("header key `{missing}` is missing"));
    }
    match header.get("versionId").and_then(Value::as_str) {
        Some("2.0") => GateVerdict::Success,
        _ => GateVerdict::Ko("`versionId` is not \"2.0\"".into()),
    }
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

    #[test]
    fn a_complete_header_passes() {
        assert_eq!(judge(GOOD.as_bytes()), GateVerdict::Success);
    }

    #[test]
    fn broken_documents_are_ko() {
        assert!(matches!(judge(b"{"), GateVerdict::Ko(_)));
        assert!(matches!(judge(b"[]"), GateVerdict::Ko(_)));
        let no_key = GOOD.replace("\"apiKey\":\"k\",", "");
        assert_eq!(
            judge(no_key.as_bytes()),
            GateVerdict::Ko("header key `apiKey` is missing".into())
        );
        let old = GOOD.replace("\"2.0\"", "\"1.0\"");
        assert!(matches!(judge(old.as_bytes()), GateVerdict::Ko(_)));
    }

    #[test]
    fn partial_goes_only_when_allowed() {
        assert!(admit(&GateVerdict::PartialSuccess, "f", false).is_err());
        assert!(admit(&GateVerdict::PartialSuccess, "f", true).is_ok());
        assert!(admit(&GateVerdict::Ko("x".into()), "f", true).is_err());
    }
}
