//! The deliver stage: sends a loader document to the partner's S3 bucket,
//! exactly once. `deliver` runs the steps in order: validation gate,
//! fingerprint, destination, journal check, upload, read-back, journal record.
//! Async (tokio) lives here only; the rest of the tool is synchronous.

mod digest;
mod error;
mod gate;
mod journal;
mod s3;
mod target;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use error::DeliverError;
pub use gate::{gate, GateVerdict};
pub use journal::{Entry, Journal, State};
pub use target::{Target, DEFAULT_REGION};

use digest::Fingerprint;
use s3::{ReadBack, Sender};

/// 1 MiB.
const MIB: u64 = 1024 * 1024;
/// The smallest part S3 accepts (all but the last).
const MIN_PART: u64 = 5 * MIB;

/// How and where to deliver; flattened into `upload` and `convert`.
#[derive(Debug, Clone, clap::Args)]
pub struct UploadFlags {
    /// Partner id in the bucket name `ql-loader-{env}-{partner}`
    /// [default: the mapping's `partner`, then the document's `inigPtynm`]
    #[arg(long, value_name = "ID")]
    pub partner: Option<String>,

    /// Environment in the bucket name; `prod` is used only when named here or
    /// in the mapping [default: stg]
    #[arg(long = "env", value_name = "ENV", value_parser = ["stg", "prod"])]
    pub env: Option<String>,

    /// An S3-compatible server, addressed path-style (e.g. `http://127.0.0.1:9000`)
    /// [default: `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`, then AWS itself]
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// AWS profile (from `~/.aws/config`, SSO profiles included) [default: `AWS_PROFILE`]
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// The bucket's region [default: the mapping's, then `AWS_REGION`, then eu-west-1]
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// A folder in the bucket for the object key (`PREFIX/loader-{epoch ms}.json`)
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,

    /// Print bucket, key, size and checksum, and send nothing (no network at all)
    #[arg(long)]
    pub dry_run: bool,

    /// Send even if the journal says this document already went to this bucket
    #[arg(long)]
    pub force: bool,

    /// Send a document whose validation is PARTIAL_SUCCESS or ERROR (never a KO one)
    #[arg(long)]
    pub allow_partial: bool,

    /// Print the delivery result as JSON on stdout
    #[arg(long)]
    pub json: bool,

    /// A document delivered earlier: its declarant and property ids count as
    /// existing when links are checked (repeatable)
    #[arg(long, value_name = "FILE.json")]
    pub known: Vec<PathBuf>,

    /// The delivery journal [default: `$XDG_DATA_HOME/qload/journal.jsonl`]
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,

    /// Attempts per request before giving up (throttling, 5xx, dropped connections)
    #[arg(long, value_name = "N", env = "QLOAD_MAX_ATTEMPTS", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: u32,

    /// First retry pause in milliseconds, doubled at each attempt (tests shorten it)
    #[arg(
        long,
        hide = true,
        value_name = "MS",
        env = "QLOAD_RETRY_BACKOFF_MS",
        default_value_t = 1000
    )]
    pub retry_backoff_ms: u64,

    /// Documents above this many bytes go multipart
    #[arg(long, hide = true, value_name = "BYTES", env = "QLOAD_MULTIPART_THRESHOLD",
          default_value_t = 16 * MIB)]
    pub multipart_threshold: u64,

    /// Size of each multipart part in bytes (at least 5 MiB)
    #[arg(long, hide = true, value_name = "BYTES", env = "QLOAD_PART_SIZE",
          default_value_t = 8 * MIB)]
    pub part_size: u64,
}

impl Default for UploadFlags {
    /// The same defaults as the command line.
    fn default() -> Self {
        UploadFlags {
            partner: None,
            env: None,
            endpoint_url: None,
            profile: None,
            region: None,
            prefix: None,
            dry_run: false,
            force: false,
            allow_partial: false,
            json: false,
            journal: None,
            known: Vec::new(),
            max_attempts: 5,
            retry_backoff_ms: 1000,
            multipart_threshold: 16 * MIB,
            part_size: 8 * MIB,
        }
    }
}

/// Delivery settings from the mapping's `[loader]` section; flags win over them.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    /// `partner`: the bucket's partner id.
    pub partner: Option<String>,
    /// `environment`: `stg` or `prod`.
    pub environment: Option<String>,
    /// `region`: the bucket's region.
    pub region: Option<String>,
    /// `prefix`: a folder for the object key.
    pub prefix: Option<String>,
}

/// Whether the document went, or would have gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The object is in the bucket.
    Delivered,
    /// `--dry-run`: nothing was sent.
    DryRun,
}

/// How far the read-back confirmed the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verified {
    /// Size and SHA-256 checksum read back equal.
    SizeAndChecksum,
    /// Size read back equal; the server reported no checksum.
    Size,
    /// The key may not read objects back; the server checked the checksum on upload.
    NotReadable,
    /// Nothing was read back (dry run).
    No,
}

/// The result of a delivery, printed by `--json` and summed up for people.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    /// Delivered, or a dry run.
    pub outcome: Outcome,
    /// The document sent.
    pub file: PathBuf,
    /// The destination bucket.
    pub bucket: String,
    /// The object key.
    pub key: String,
    /// `s3://bucket/key`.
    pub uri: String,
    /// The bucket's region.
    pub region: String,
    /// The S3-compatible endpoint, when not AWS itself.
    pub endpoint: Option<String>,
    /// `stg` or `prod`.
    pub environment: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// The checksum as S3 reports it: base64 SHA-256, `...-N` when sent in N parts.
    pub checksum_sha256: String,
    /// SHA-256 of the document without `creDtTm`: its identity in the journal.
    pub identity: String,
    /// Number of parts (1 for a single PUT, 0 for a dry run).
    pub parts: u32,
    /// What the read-back confirmed.
    pub verified: Verified,
    /// The validation gate's status.
    pub validation: &'static str,
    /// With `--force`, the key of the earlier delivery that was overridden.
    pub previous_key: Option<String>,
    /// The journal consulted (and, unless a dry run, written).
    pub journal: PathBuf,
    /// When the delivery completed (RFC 3339, UTC).
    pub time: String,
}

impl Delivery {
    /// A few lines for people, for stderr.
    pub fn summary(&self) -> String {
        let head = match self.outcome {
            Outcome::Delivered => format!("delivered {}", self.uri),
            Outcome::DryRun => format!("dry run: would deliver {} (nothing sent)", self.uri),
        };
        let parts =
            if self.parts > 1 { format!(" in {} parts", self.parts) } else { String::new() };
        format!(
            "{head}\n  file     {}\n  region   {}{}\n  size     {} bytes{parts}\n  \
             sha256   {}\n  checked  {}",
            self.file.display(),
            self.region,
            self.endpoint.as_ref().map(|e| format!(" via {e}")).unwrap_or_default(),
            self.size,
            self.sha256,
            self.verified_text(),
        )
    }

    /// The read-back result in words.
    fn verified_text(&self) -> &'static str {
        match self.verified {
            Verified::SizeAndChecksum => "size and SHA-256 read back equal",
            Verified::Size => "size read back equal (the server reports no checksum)",
            Verified::NotReadable => {
                "not read back (no read permission); checksum checked on upload"
            }
            Verified::No => "nothing read back",
        }
    }
}

/// Delivers the document at `path`: refused by the gate, refused as a
/// duplicate (`DeliverError::AlreadyDelivered`), or sent, read back and recorded.
pub fn deliver(
    path: &Path,
    flags: &UploadFlags,
    defaults: &Defaults,
) -> Result<Delivery, DeliverError> {
    let verdict = gate(path, &flags.known)?;
    deliver_judged(path, flags, defaults, verdict)
}

/// Delivers a document the validator has already judged (`convert` validates
/// each object as it writes it, so the gate need not read the file again).
pub fn deliver_judged(
    path: &Path,
    flags: &UploadFlags,
    defaults: &Defaults,
    verdict: GateVerdict,
) -> Result<Delivery, DeliverError> {
    let file = path.display().to_string();
    gate::admit(&verdict, &file, flags.allow_partial)?;
    let body =
        std::fs::read(path).map_err(|source| DeliverError::Read { path: path.into(), source })?;
    let print = Fingerprint::of(&body);
    let now = chrono::Utc::now();
    let target =
        Target::resolve(flags, defaults, print.partner.as_deref(), now.timestamp_millis())?;
    check_part_size(flags)?;

    let journal = Journal::open(&journal_path(flags)?)?;
    let previous = journal.find(&print.identity, &target.bucket, target.endpoint.as_deref());
    let previous_key = refuse_duplicate(previous, &file, flags.force)?;
    let delivery = plan(path, &target, &print, &journal, verdict.label(), previous_key);
    if flags.dry_run {
        return Ok(delivery);
    }
    send(delivery, &target, &journal, flags, (&body, &print))
}

/// Sends a planned delivery, journaling it as pending first, then as
/// delivered or failed; a send whose outcome is unknown stays pending.
fn send(
    mut delivery: Delivery,
    target: &Target,
    journal: &Journal,
    flags: &UploadFlags,
    (body, print): (&[u8], &Fingerprint),
) -> Result<Delivery, DeliverError> {
    let runtime = runtime()?;
    let mut writer = journal.writer()?;
    let file = delivery.file.display().to_string();
    let pending = entry(&delivery, &file, State::Pending);
    writer.record(&pending).map_err(|source| DeliverError::JournalWrite {
        path: writer.path().to_path_buf(),
        source,
    })?;
    eprintln!("sending {file} ({} bytes) to {} ({})", print.size, target.uri(), target.server());
    let (sent, read_back) = match runtime.block_on(upload(target, flags, body, print)) {
        Ok(done) => done,
        Err(err) => return Err(fail(&mut writer, pending, err)),
    };
    delivery.finish(sent, chrono::Utc::now());
    let outcome = settle(&mut delivery, read_back);
    writer.record(&entry(&delivery, &file, State::Delivered)).map_err(|source| {
        let (bucket, key) = (delivery.bucket.clone(), delivery.key.clone());
        DeliverError::JournalRecord { path: writer.path().to_path_buf(), bucket, key, source }
    })?;
    outcome.map(|()| delivery)
}

/// Records a failed send as failed when nothing reached the bucket.
fn fail(writer: &mut journal::Writer, pending: Entry, err: DeliverError) -> DeliverError {
    if err.nothing_sent() {
        let failed = Entry { state: State::Failed, ..pending };
        if let Err(io) = writer.record(&failed) {
            tracing::warn!(error = %io, "the failed send could not be journaled; it stays pending");
        }
    }
    err
}

/// Where the journal is: `--journal`, or the data directory.
fn journal_path(flags: &UploadFlags) -> Result<PathBuf, DeliverError> {
    match &flags.journal {
        Some(path) => Ok(path.clone()),
        None => Journal::default_path(),
    }
}

/// Refuses a repeat (or a send after an unfinished one) unless `--force`;
/// returns the overridden key when forced.
fn refuse_duplicate(
    previous: Option<&Entry>,
    file: &str,
    force: bool,
) -> Result<Option<String>, DeliverError> {
    let Some(entry) = previous else { return Ok(None) };
    if force {
        return Ok(Some(entry.key.clone()));
    }
    let (file, bucket, key, time) =
        (file.to_string(), entry.bucket.clone(), entry.key.clone(), entry.time.clone());
    Err(match entry.state {
        State::Pending => DeliverError::Unfinished { file, bucket, key, time },
        _ => DeliverError::AlreadyDelivered { file, bucket, key, time },
    })
}

/// Refuses a part size S3 would reject.
fn check_part_size(flags: &UploadFlags) -> Result<(), DeliverError> {
    if flags.part_size < MIN_PART {
        return Err(DeliverError::PartSize { size: flags.part_size });
    }
    Ok(())
}

/// The delivery as planned, before anything is sent (what a dry run prints).
fn plan(
    path: &Path,
    target: &Target,
    print: &Fingerprint,
    journal: &Journal,
    validation: &'static str,
    previous_key: Option<String>,
) -> Delivery {
    Delivery {
        outcome: Outcome::DryRun,
        file: path.to_path_buf(),
        bucket: target.bucket.clone(),
        key: target.key.clone(),
        uri: target.uri(),
        region: target.region.clone(),
        endpoint: target.endpoint.clone(),
        environment: target.environment.clone(),
        size: print.size,
        sha256: print.sha256.clone(),
        checksum_sha256: print.sha256_base64.clone(),
        identity: print.identity.clone(),
        parts: 0,
        verified: Verified::No,
        validation,
        previous_key,
        journal: journal.path().to_path_buf(),
        time: stamp(chrono::Utc::now()),
    }
}

impl Delivery {
    /// Marks the plan as sent.
    fn finish(&mut self, sent: s3::Sent, now: chrono::DateTime<chrono::Utc>) {
        self.outcome = Outcome::Delivered;
        self.checksum_sha256 = sent.checksum;
        self.parts = sent.parts;
        self.time = stamp(now);
    }
}

/// Records the read-back; a failed one is still journaled, then reported.
fn settle(delivery: &mut Delivery, read_back: ReadBack) -> Result<(), DeliverError> {
    delivery.verified = match read_back {
        ReadBack::Confirmed => Verified::SizeAndChecksum,
        ReadBack::SizeOnly => Verified::Size,
        ReadBack::NotReadable => Verified::NotReadable,
        ReadBack::Failed(err) => return Err(err),
    };
    Ok(())
}

/// The journal line for a delivery in a given state.
fn entry(delivery: &Delivery, file: &str, state: State) -> Entry {
    Entry {
        state,
        identity: delivery.identity.clone(),
        sha256: delivery.sha256.clone(),
        bucket: delivery.bucket.clone(),
        key: delivery.key.clone(),
        endpoint: delivery.endpoint.clone(),
        size: delivery.size,
        time: delivery.time.clone(),
        file: file.to_string(),
        verified: matches!(delivery.verified, Verified::SizeAndChecksum | Verified::Size),
    }
}

/// Connects, sends and reads back: the only async part of the tool.
async fn upload(
    target: &Target,
    flags: &UploadFlags,
    body: &[u8],
    print: &Fingerprint,
) -> Result<(s3::Sent, ReadBack), DeliverError> {
    let sender = Sender::connect(target, flags).await?;
    let sent = sender.send(body, print, flags).await?;
    let read_back = sender.read_back(print.size, &sent.checksum).await;
    Ok((sent, read_back))
}

/// A single-threaded tokio runtime for one delivery.
fn runtime() -> Result<tokio::runtime::Runtime, DeliverError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| DeliverError::Runtime { source })
}

/// RFC 3339 in UTC, to the millisecond.
fn stamp(time: chrono::DateTime<chrono::Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
