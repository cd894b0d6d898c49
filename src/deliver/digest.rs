//! Fingerprints of a document: the SHA-256 of its bytes, the checksums S3
//! reports, and the identity used by the duplicate check (the document
//! without its `creDtTm`, so the same data converted again is recognised).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// What the journal and the read-back need to know about a document.
#[derive(Debug, Clone)]
pub struct Fingerprint {
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
    /// SHA-256 of the bytes, base64, as S3 writes `x-amz-checksum-sha256`.
    pub sha256_base64: String,
    /// SHA-256 (hex) of the document with `creDtTm` left out: the duplicate key.
    pub identity: String,
    /// The document's `inigPtynm`, the last fallback for the partner.
    pub partner: Option<String>,
}

impl Fingerprint {
    /// Fingerprints a document's bytes.
    pub fn of(bytes: &[u8]) -> Fingerprint {
        let digest = Sha256::digest(bytes);
        let parsed: Option<Value> = serde_json::from_slice(bytes).ok();
        Fingerprint {
            size: bytes.len() as u64,
            sha256: format!("{digest:x}"),
            sha256_base64: BASE64.encode(digest),
            identity: identity(bytes, parsed.as_ref()),
            partner: parsed.as_ref().and_then(partner),
        }
    }
}

/// The duplicate key: the canonical JSON with `creDtTm` blanked; the raw
/// bytes when the document is not a JSON object.
fn identity(bytes: &[u8], parsed: Option<&Value>) -> String {
    let Some(Value::Object(root)) = parsed else {
        return format!("{:x}", Sha256::digest(bytes));
    };
    let mut root = root.clone();
    if let Some(stamp) = root.get_mut("creDtTm") {
        *stamp = Value::Null;
    }
    let canonical = Value::Object(root).to_string();
    format!("{:x}", Sha256::digest(canonical.as_bytes()))
}

/// The document's `inigPtynm` when it is a non-empty string.
fn partner(root: &Value) -> Option<String> {
    let name = root.get("inigPtynm")?.as_str()?.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// The raw SHA-256 of one part.
pub fn part_digest(part: &[u8]) -> [u8; 32] {
    Sha256::digest(part).into()
}

/// Base64 of a raw digest, as S3 writes checksums.
pub fn base64(digest: &[u8]) -> String {
    BASE64.encode(digest)
}

/// The checksum S3 reports for a multipart object: the SHA-256 of the parts'
/// digests laid end to end, in base64, then `-` and the number of parts.
pub fn composite(parts: &[[u8; 32]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    format!("{}-{}", BASE64.encode(hasher.finalize()), parts.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_ignores_the_timestamp_and_layout() {
        let a = br#"{"inigPtynm":"acme","creDtTm":"2024-01-15T10:30:00+01:00","amt":1500.50}"#;
        let b =
            br#"{ "inigPtynm": "acme", "creDtTm": "2025-03-01T08:00:00+01:00", "amt": 1500.50 }"#;
        let (fa, fb) = (Fingerprint::of(a), Fingerprint::of(b));
        assert_eq!(fa.identity, fb.identity);
        assert_ne!(fa.sha256, fb.sha256);
        assert_eq!(fa.partner.as_deref(), Some("acme"));
    }

    #[test]
    fn identity_sees_changed_data_and_exact_numbers() {
        let a = Fingerprint::of(br#"{"creDtTm":"x","amt":1500.50}"#);
        let b = Fingerprint::of(br#"{"creDtTm":"x","amt":1500.5}"#);
        assert_ne!(a.identity, b.identity);
    }

    #[test]
    fn known_sha256_in_both_forms() {
        let f = Fingerprint::of(b"abc");
        assert_eq!(f.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(f.sha256_base64, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
        assert_eq!(f.partner, None);
    }

    #[test]
    fn composite_counts_parts() {
        let parts = [part_digest(b"a"), part_digest(b"b")];
        assert!(composite(&parts).ends_with("-2"));
    }
}
