//! The delivery journal: one JSON line per delivered document, kept in the
//! user's data directory (`$XDG_DATA_HOME/qload/journal.jsonl` on Linux) or
//! wherever `--journal` says. It is what makes a delivery happen once.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::DeliverError;

/// The journal's file name inside the data directory.
const FILE_NAME: &str = "journal.jsonl";

/// Where a send stands. A run records `pending` before sending, then
/// `delivered` or `failed`; a `pending` left behind means the run was cut off
/// or the connection broke mid-request: the object may be in the bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Sending started; the outcome is unknown.
    Pending,
    /// The object is in the bucket.
    #[default]
    Delivered,
    /// The server refused it or was never reached: nothing is in the bucket.
    Failed,
}

/// One send of a document, as the journal records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Where the send stands.
    #[serde(default)]
    pub state: State,
    /// SHA-256 of the document without its `creDtTm`: what "the same document" means.
    pub identity: String,
    /// SHA-256 of the exact bytes sent.
    pub sha256: String,
    /// The bucket it went to.
    pub bucket: String,
    /// The object key it went to.
    pub key: String,
    /// The S3-compatible endpoint, when it was not AWS itself.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// Size in bytes.
    pub size: u64,
    /// When the upload completed (RFC 3339, UTC).
    pub time: String,
    /// The file it was read from.
    pub file: String,
    /// Whether the read-back confirmed size and checksum.
    #[serde(default)]
    pub verified: bool,
}

/// The journal as read at the start of a delivery.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    entries: Vec<Entry>,
}

impl Journal {
    /// The default location: the platform's data directory for `qload`.
    pub fn default_path() -> Result<PathBuf, DeliverError> {
        let dirs = directories::ProjectDirs::from("com", "Qlower", "qload")
            .ok_or(DeliverError::JournalDir)?;
        Ok(dirs.data_dir().join(FILE_NAME))
    }

    /// Reads the journal at `path`; a missing file is an empty journal.
    pub fn open(path: &Path) -> Result<Journal, DeliverError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => {
                return Err(DeliverError::JournalRead { path: path.to_path_buf(), source })
            }
        };
        let entries = parse(path, &text)?;
        tracing::debug!(journal = %path.display(), entries = entries.len(), "journal read");
        Ok(Journal { path: path.to_path_buf(), entries })
    }

    /// Where the journal lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The latest send of the same document to the same bucket and server
    /// that may have left it there (delivered, or pending), by key.
    pub fn find(&self, identity: &str, bucket: &str, endpoint: Option<&str>) -> Option<&Entry> {
        let same = |e: &&Entry| {
            e.identity == identity && e.bucket == bucket && e.endpoint.as_deref() == endpoint
        };
        let mut sends = self.entries.iter().rev().filter(same);
        let latest_state = |key: &str| self.latest_state(key);
        sends.find(|e| latest_state(&e.key) != State::Failed)
    }

    /// The state of the last line recorded for a key.
    fn latest_state(&self, key: &str) -> State {
        let last = self.entries.iter().rev().find(|e| e.key == key);
        last.map(|e| e.state).unwrap_or_default()
    }

    /// Opens the journal for appending, before anything is sent, so that a
    /// delivery is never made that cannot be recorded.
    pub fn writer(&self) -> Result<Writer, DeliverError> {
        let fail = |source| DeliverError::JournalWrite { path: self.path.clone(), source };
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let file = OpenOptions::new().create(true).append(true).open(&self.path).map_err(fail)?;
        Ok(Writer { path: self.path.clone(), file })
    }
}

/// An open journal, ready to record one delivery.
#[derive(Debug)]
pub struct Writer {
    path: PathBuf,
    file: File,
}

impl Writer {
    /// Where the journal lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one entry as a single line, flushed to disk.
    pub fn record(&mut self, entry: &Entry) -> std::io::Result<()> {
        let mut line = serde_json::to_string(entry)?;
        line.push('\n');
        self.file.write_all(line.as_bytes())?;
        self.file.sync_all()
    }
}

/// Parses the lines of a journal, refusing any that is not an entry.
fn parse(path: &Path, text: &str) -> Result<Vec<Entry>, DeliverError> {
    let lines = text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty());
    lines
        .map(|(index, line)| {
            serde_json::from_str(line).map_err(|_| DeliverError::JournalCorrupt {
                path: path.to_path_buf(),
                line: index + 1,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(identity: &str, key: &str) -> Entry {
        Entry {
            state: State::Delivered,
            identity: identity.into(),
            sha256: "s".into(),
            bucket: "b".into(),
            key: key.into(),
            endpoint: None,
            size: 1,
            time: "t".into(),
            file: "f".into(),
            verified: true,
        }
    }

    #[test]
    fn records_are_found_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep/journal.jsonl");
        let journal = Journal::open(&path).unwrap();
        assert!(journal.find("id", "b", None).is_none());
        journal.writer().unwrap().record(&entry("id", "k1")).unwrap();
        Journal::open(&path).unwrap().writer().unwrap().record(&entry("id", "k2")).unwrap();
        let journal = Journal::open(&path).unwrap();
        assert_eq!(journal.find("id", "b", None).map(|e| e.key.as_str()), Some("k2"));
        assert_eq!(journal.find("id", "b", None).map(|e| e.state), Some(State::Delivered));
        assert!(journal.find("id", "other", None).is_none());
        assert!(journal.find("id", "b", Some("http://127.0.0.1:1")).is_none());
    }

    #[test]
    fn failed_sends_are_skipped_pending_ones_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let mut writer = Journal::open(&path).unwrap().writer().unwrap();
        writer.record(&entry("id", "k1")).unwrap();
        for (key, state) in [("k2", State::Pending), ("k2", State::Failed), ("k3", State::Pending)]
        {
            writer.record(&Entry { state, ..entry("id", key) }).unwrap();
        }
        let journal = Journal::open(&path).unwrap();
        let found = journal.find("id", "b", None).unwrap();
        assert_eq!((found.key.as_str(), found.state), ("k3", State::Pending));
        writer.record(&Entry { state: State::Failed, ..entry("id", "k3") }).unwrap();
        let journal = Journal::open(&path).unwrap();
        assert_eq!(journal.find("id", "b", None).map(|e| e.key.as_str()), Some("k1"));
    }

    #[test]
    fn a_corrupt_line_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        std::fs::write(&path, "\n{not json\n").unwrap();
        let err = Journal::open(&path).unwrap_err();
        assert!(matches!(err, DeliverError::JournalCorrupt { line: 2, .. }), "{err:?}");
    }
}
