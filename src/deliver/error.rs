//! Every way a delivery can fail, one variant per cause. Messages name the
//! bucket, the key and the access key id a user can check; never a secret.

use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

use crate::exit;

/// Why a document was not delivered (or was delivered but not confirmed).
#[derive(Debug, Error, Diagnostic)]
pub enum DeliverError {
    /// A `--known` document cannot be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Known(#[from] crate::validate::KnownError),

    /// The document file cannot be read.
    #[error("cannot read `{path}`")]
    #[diagnostic(code(deliver::read), help("check the path and its permissions"))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The validation gate found failed objects and `--allow-partial` was not given.
    #[error("`{file}` validates as {status}: not uploaded")]
    #[diagnostic(
        code(deliver::not_valid),
        help(
            "run `qload validate {file}` to see the failed objects, or pass `--allow-partial` \
             to upload the document as it is (the platform then loads only the valid objects)"
        )
    )]
    NotValid { file: String, status: &'static str },

    /// The validation gate rejects the whole document: it is never uploaded.
    #[error("`{file}` is rejected whole (KO): {reason}")]
    #[diagnostic(
        code(deliver::rejected),
        help(
            "a KO document is never uploaded, even with `--allow-partial`: \
             fix it and convert again"
        )
    )]
    Rejected { file: String, reason: String },

    /// No partner was given anywhere, so no bucket can be named.
    #[error("no partner to name the bucket `ql-loader-{{env}}-{{partner}}`")]
    #[diagnostic(
        code(deliver::no_partner),
        help("pass `--partner`, set `partner` in the mapping's `[loader]`, or fill `inigPtynm`")
    )]
    NoPartner,

    /// The partner id cannot be part of an S3 bucket name.
    #[error("partner `{partner}` cannot name a bucket")]
    #[diagnostic(
        code(deliver::bad_partner),
        help(
            "bucket names take lowercase letters, digits and hyphens (`ql-loader-stg-mypartner`): \
             pass the partner id the platform gave you with `--partner`"
        )
    )]
    BadPartner { partner: String },

    /// The environment is neither `stg` nor `prod`.
    #[error("unknown environment `{environment}`")]
    #[diagnostic(
        code(deliver::bad_environment),
        help("use `stg` (staging) or `prod` (production)")
    )]
    BadEnvironment { environment: String },

    /// The endpoint override is not an http(s) URL.
    #[error("endpoint `{url}` is not an http:// or https:// URL")]
    #[diagnostic(
        code(deliver::bad_endpoint),
        help(
            "give a full URL such as `http://127.0.0.1:9000` \
             (`--endpoint-url` or `AWS_ENDPOINT_URL`)"
        )
    )]
    BadEndpoint { url: String },

    /// The multipart part size is below what S3 accepts.
    #[error("part size `{size}` bytes is below the 5 MiB S3 accepts")]
    #[diagnostic(code(deliver::part_size), help("use a part size of at least 5242880 bytes"))]
    PartSize { size: u64 },

    /// No data directory could be found for the journal.
    #[error("no data directory for the delivery journal")]
    #[diagnostic(
        code(deliver::journal_dir),
        help("set `HOME` or `XDG_DATA_HOME`, or name a journal file with `--journal FILE`")
    )]
    JournalDir,

    /// The journal exists but cannot be read.
    #[error("cannot read the delivery journal `{path}`")]
    #[diagnostic(
        code(deliver::journal_read),
        help("check its permissions, or pass `--journal FILE`")
    )]
    JournalRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A journal line is not a delivery record: the duplicate check cannot be trusted.
    #[error("line {line} of the delivery journal `{path}` is not a delivery record")]
    #[diagnostic(
        code(deliver::journal_corrupt),
        help("the journal is one JSON object per line: repair or remove that line")
    )]
    JournalCorrupt { path: PathBuf, line: usize },

    /// The journal cannot be opened for writing, checked before anything is sent.
    #[error("cannot write the delivery journal `{path}`")]
    #[diagnostic(
        code(deliver::journal_write),
        help("nothing was sent; check the directory's permissions, or pass `--journal FILE`")
    )]
    JournalWrite {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The object was delivered but its journal record could not be written.
    #[error("delivered to `s3://{bucket}/{key}` but the journal `{path}` was not updated")]
    #[diagnostic(
        code(deliver::journal_record),
        help("the document IS in the bucket: do not send it again; check the journal's disk")
    )]
    JournalRecord {
        path: PathBuf,
        bucket: String,
        key: String,
        #[source]
        source: std::io::Error,
    },

    /// The same document already went to this bucket.
    #[error("`{file}` was already delivered to `{bucket}` as `{key}` on {time}")]
    #[diagnostic(
        code(deliver::already_delivered),
        help(
            "the platform loads every new file: sending it again loads it twice; \
             pass `--force` if that is what you want"
        )
    )]
    AlreadyDelivered { file: String, bucket: String, key: String, time: String },

    /// An earlier send of the same document did not finish: it may be in the bucket.
    #[error("an earlier send of `{file}` to `s3://{bucket}/{key}` on {time} did not finish")]
    #[diagnostic(
        code(deliver::unfinished),
        help(
            "the connection broke or the run stopped mid-send, so the object may be there: \
             look for it (`aws s3 ls s3://{bucket}/{key}`), then pass `--force` if it is not"
        )
    )]
    Unfinished { file: String, bucket: String, key: String, time: String },

    /// The async runtime for the network calls could not start.
    #[error("cannot start the network runtime")]
    #[diagnostic(code(deliver::runtime))]
    Runtime {
        #[source]
        source: std::io::Error,
    },

    /// The credential chain found nothing usable.
    #[error("no AWS credentials found{}: {detail}", profile_note(.profile))]
    #[diagnostic(
        code(deliver::no_credentials),
        help(
            "set `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (given by Qlower), \
             name a profile with `--profile`, or run `aws sso login`"
        )
    )]
    NoCredentials { profile: Option<String>, detail: String },

    /// The server does not know the access key id.
    #[error("access key `{access_key_id}` is unknown to the server of bucket `{bucket}`")]
    #[diagnostic(
        code(deliver::unknown_key),
        help("check `AWS_ACCESS_KEY_ID` (or the profile) against the keys Qlower gave you")
    )]
    UnknownAccessKey { access_key_id: String, bucket: String },

    /// The signature does not match: the secret is wrong for that key.
    #[error("the secret for access key `{access_key_id}` is refused by bucket `{bucket}`")]
    #[diagnostic(
        code(deliver::wrong_secret),
        help(
            "the secret does not match the key: check `AWS_SECRET_ACCESS_KEY` (or the profile's \
             `aws_secret_access_key`); also check the machine's clock"
        )
    )]
    WrongSecret { access_key_id: String, bucket: String },

    /// The credentials expired (SSO or temporary keys).
    #[error("the credentials of access key `{access_key_id}` have expired")]
    #[diagnostic(code(deliver::expired), help("renew them (`aws sso login`) and run again"))]
    Expired { access_key_id: String },

    /// The bucket does not exist.
    #[error("bucket `{bucket}` does not exist at {endpoint}")]
    #[diagnostic(
        code(deliver::no_such_bucket),
        help(
            "check `--partner` and `--env` (the platform creates `ql-loader-{{env}}-{{partner}}`) \
             and the region (`--region`)"
        )
    )]
    NoSuchBucket { bucket: String, endpoint: String },

    /// The key may not write to that bucket.
    #[error("access key `{access_key_id}` may not write `{key}` to bucket `{bucket}`")]
    #[diagnostic(
        code(deliver::access_denied),
        help(
            "a partner key writes only to its own bucket: check `--partner`, `--env` and \
             `--prefix`, or ask Qlower for the bucket's permissions"
        )
    )]
    AccessDenied { access_key_id: String, bucket: String, key: String },

    /// No connection could be made, even after the retries: nothing was sent.
    #[error("cannot reach {endpoint} after {attempts} attempts: {detail}")]
    #[diagnostic(
        code(deliver::unreachable),
        help(
            "check the network, the endpoint (`--endpoint-url`) and the region; nothing was sent"
        )
    )]
    Unreachable { endpoint: String, attempts: u32, detail: String },

    /// Connections broke mid-request, even after the retries: the object may be there.
    #[error("the connection to {endpoint} broke ({action}, after {attempts} attempts): {detail}")]
    #[diagnostic(
        code(deliver::interrupted),
        help(
            "the document may have arrived: the journal keeps this send pending and the next \
             run tells you how to check before sending again"
        )
    )]
    Interrupted { endpoint: String, action: &'static str, attempts: u32, detail: String },

    /// The server stopped answering within the time limits.
    #[error("{endpoint} did not answer in time ({action}, after {attempts} attempts)")]
    #[diagnostic(
        code(deliver::timeout),
        help("the document may have arrived: the journal keeps this send pending")
    )]
    TimedOut { endpoint: String, action: &'static str, attempts: u32 },

    /// Any other refusal by the server, after the retries it deserved.
    #[error("{action} of `s3://{bucket}/{key}` failed: {code}: {message}")]
    #[diagnostic(
        code(deliver::service),
        help("the server's own words are above; nothing was stored")
    )]
    Service { action: &'static str, bucket: String, key: String, code: String, message: String },

    /// The response could not be understood (the connection broke mid-answer).
    #[error("{action} of `s3://{bucket}/{key}` got no usable answer: {detail}")]
    #[diagnostic(
        code(deliver::response),
        help("the document may have arrived: the journal keeps this send pending")
    )]
    Response { action: &'static str, bucket: String, key: String, detail: String },

    /// A multipart upload failed and its parts could not be removed.
    #[error("multipart upload `{upload_id}` of `s3://{bucket}/{key}` failed and was not aborted")]
    #[diagnostic(
        code(deliver::parts_left),
        help("parts may remain in the bucket: `aws s3api abort-multipart-upload` with that id")
    )]
    PartsLeft {
        bucket: String,
        key: String,
        upload_id: String,
        #[source]
        cause: Box<DeliverError>,
    },

    /// The object was sent, but reading it back failed.
    #[error("delivered `s3://{bucket}/{key}` but could not read it back: {detail}")]
    #[diagnostic(
        code(deliver::unconfirmed),
        help("the journal records it as delivered; check the object in the bucket")
    )]
    Unconfirmed { bucket: String, key: String, detail: String },

    /// The object read back differs from the document sent.
    #[error("`s3://{bucket}/{key}` reads back with {what} `{found}`, sent `{expected}`")]
    #[diagnostic(
        code(deliver::mismatch),
        help("the object is recorded in the journal; check it in the bucket before any new send")
    )]
    Mismatch { bucket: String, key: String, what: &'static str, expected: String, found: String },
}

impl DeliverError {
    /// The exit status this error ends a run with (see `crate::exit`).
    pub fn exit_status(&self) -> u8 {
        match self {
            DeliverError::AlreadyDelivered { .. } => exit::ALREADY_DELIVERED,
            _ => exit::FAILURE,
        }
    }

    /// Whether this failure leaves nothing in the bucket for sure (the server
    /// refused, or was never reached); otherwise the send stays pending.
    pub fn nothing_sent(&self) -> bool {
        !matches!(
            self,
            DeliverError::Interrupted { .. }
                | DeliverError::TimedOut { .. }
                | DeliverError::Response { .. }
        )
    }
}

/// " for profile `name`" when a profile was named.
fn profile_note(profile: &Option<String>) -> String {
    profile.as_ref().map(|p| format!(" for profile `{p}`")).unwrap_or_default()
}
