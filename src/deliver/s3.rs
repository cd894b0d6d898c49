//! The S3 side of a delivery: the aws-sdk-s3 client (credential chain, retry
//! policy, path-style endpoint), the upload in one PUT or in parts, the HEAD
//! read-back, and SDK errors turned into messages naming bucket and key id.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::config::{ProvideCredentials, Region};
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{ChecksumAlgorithm, ChecksumMode, CompletedMultipartUpload, CompletedPart};
use aws_sdk_s3::Client;

use super::digest::{self, Fingerprint};
use super::{DeliverError, Target, UploadFlags};

/// The longest pause between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(20);
/// How long a TCP connection may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the server may stay silent while answering.
const READ_TIMEOUT: Duration = Duration::from_secs(120);
/// S3 accepts at most this many parts.
const MAX_PARTS: u64 = 10_000;
/// The application/json content type the platform expects.
const JSON: &str = "application/json";

/// A client bound to one destination, with the access key id it signs with.
pub(super) struct Sender {
    client: Client,
    target: Target,
    access_key_id: String,
    attempts: u32,
}

/// What an upload left in the bucket.
pub(super) struct Sent {
    /// The SHA-256 checksum S3 should report (composite `...-N` for parts).
    pub checksum: String,
    /// The number of parts (1 for a single PUT).
    pub parts: u32,
}

/// The outcome of reading the object back.
pub(super) enum ReadBack {
    /// Size and SHA-256 checksum match.
    Confirmed,
    /// Size matches; the server reported no checksum to compare.
    SizeOnly,
    /// The key may write but not read (HEAD answered 403).
    NotReadable,
    /// The read-back failed or found a difference.
    Failed(DeliverError),
}

impl Sender {
    /// Loads the credential chain and builds the client; fails early, before
    /// anything is sent, when no credentials are found.
    pub async fn connect(target: &Target, flags: &UploadFlags) -> Result<Sender, DeliverError> {
        let config = load_config(target, flags).await;
        let access_key_id = access_key_id(&config, flags.profile.as_deref()).await?;
        let mut s3 = aws_sdk_s3::config::Builder::from(&config);
        if target.endpoint.is_some() {
            s3 = s3.force_path_style(true);
        }
        tracing::debug!(access_key_id = %access_key_id, "credentials resolved");
        Ok(Sender {
            client: Client::from_conf(s3.build()),
            target: target.clone(),
            access_key_id,
            attempts: flags.max_attempts,
        })
    }

    /// Sends the document whole, or in parts above the threshold.
    pub async fn send(
        &self,
        body: &[u8],
        print: &Fingerprint,
        flags: &UploadFlags,
    ) -> Result<Sent, DeliverError> {
        if print.size > flags.multipart_threshold {
            self.multipart(body, part_size(print.size, flags.part_size)).await
        } else {
            self.single(body, print).await
        }
    }

    /// One PUT; the SDK computes the SHA-256 and the server checks it.
    async fn single(&self, body: &[u8], print: &Fingerprint) -> Result<Sent, DeliverError> {
        self.client
            .put_object()
            .bucket(&self.target.bucket)
            .key(&self.target.key)
            .content_type(JSON)
            .checksum_algorithm(ChecksumAlgorithm::Sha256)
            .body(ByteStream::from(body.to_vec()))
            .send()
            .await
            .map_err(|err| self.classify("upload", err))?;
        Ok(Sent { checksum: print.sha256_base64.clone(), parts: 1 })
    }

    /// A multipart upload, aborted on any failure so that no part is left.
    async fn multipart(&self, body: &[u8], part_size: usize) -> Result<Sent, DeliverError> {
        let upload_id = self.start_multipart().await?;
        tracing::debug!(upload_id = %upload_id, part_size, "multipart upload started");
        match self.send_parts(body, part_size, &upload_id).await {
            Ok(sent) => Ok(sent),
            Err(cause) => Err(self.abort(&upload_id, cause).await),
        }
    }

    /// Opens the multipart upload and returns its id.
    async fn start_multipart(&self) -> Result<String, DeliverError> {
        let started = self
            .client
            .create_multipart_upload()
            .bucket(&self.target.bucket)
            .key(&self.target.key)
            .content_type(JSON)
            .checksum_algorithm(ChecksumAlgorithm::Sha256)
            .send()
            .await
            .map_err(|err| self.classify("multipart start", err))?;
        let id = started.upload_id().filter(|id| !id.is_empty());
        id.map(str::to_string).ok_or_else(|| self.unusable("multipart start", "no upload id"))
    }

    /// Sends every part in order, then completes the upload.
    async fn send_parts(
        &self,
        body: &[u8],
        part_size: usize,
        upload_id: &str,
    ) -> Result<Sent, DeliverError> {
        let mut completed = Vec::new();
        let mut digests = Vec::new();
        for (number, chunk) in (1..).zip(body.chunks(part_size)) {
            let digest = digest::part_digest(chunk);
            completed.push(self.send_part(chunk, number, &digest, upload_id).await?);
            digests.push(digest);
        }
        self.complete(completed, upload_id).await?;
        Ok(Sent { checksum: digest::composite(&digests), parts: digests.len() as u32 })
    }

    /// Sends one part, checksummed by the SDK, and returns its completion record.
    async fn send_part(
        &self,
        chunk: &[u8],
        number: i32,
        digest: &[u8; 32],
        upload_id: &str,
    ) -> Result<CompletedPart, DeliverError> {
        tracing::debug!(part = number, bytes = chunk.len(), "sending part");
        let sent = self
            .client
            .upload_part()
            .bucket(&self.target.bucket)
            .key(&self.target.key)
            .upload_id(upload_id)
            .part_number(number)
            .checksum_algorithm(ChecksumAlgorithm::Sha256)
            .body(ByteStream::from(chunk.to_vec()))
            .send()
            .await
            .map_err(|err| self.classify("part upload", err))?;
        Ok(CompletedPart::builder()
            .part_number(number)
            .set_e_tag(sent.e_tag().map(str::to_string))
            .checksum_sha256(digest::base64(digest))
            .build())
    }

    /// Asks the server to assemble the parts into the object.
    async fn complete(
        &self,
        parts: Vec<CompletedPart>,
        upload_id: &str,
    ) -> Result<(), DeliverError> {
        let parts = CompletedMultipartUpload::builder().set_parts(Some(parts)).build();
        self.client
            .complete_multipart_upload()
            .bucket(&self.target.bucket)
            .key(&self.target.key)
            .upload_id(upload_id)
            .multipart_upload(parts)
            .send()
            .await
            .map_err(|err| self.classify("multipart completion", err))?;
        Ok(())
    }

    /// Aborts a failed multipart upload; says so when parts may remain.
    async fn abort(&self, upload_id: &str, cause: DeliverError) -> DeliverError {
        let aborted = self
            .client
            .abort_multipart_upload()
            .bucket(&self.target.bucket)
            .key(&self.target.key)
            .upload_id(upload_id)
            .send()
            .await;
        match aborted {
            Ok(_) => {
                tracing::debug!(upload_id = %upload_id, "multipart upload aborted");
                cause
            }
            Err(_) => DeliverError::PartsLeft {
                bucket: self.target.bucket.clone(),
                key: self.target.key.clone(),
                upload_id: upload_id.to_string(),
                cause: Box::new(cause),
            },
        }
    }

    /// Reads the object's size and SHA-256 back with a HEAD and compares them.
    pub async fn read_back(&self, size: u64, checksum: &str) -> ReadBack {
        let head = self
            .client
            .head_object()
            .bucket(&self.target.bucket)
            .key(&self.target.key)
            .checksum_mode(ChecksumMode::Enabled)
            .send()
            .await;
        let head = match head {
            Ok(head) => head,
            Err(err) if status(&err) == Some(403) => return ReadBack::NotReadable,
            Err(err) => return ReadBack::Failed(self.unconfirmed(err)),
        };
        let found_size = head.content_length().map(|n| n.to_string()).unwrap_or_default();
        if found_size != size.to_string() {
            return ReadBack::Failed(self.mismatch("size", size.to_string(), found_size));
        }
        match head.checksum_sha256() {
            None => ReadBack::SizeOnly,
            Some(found) if same_checksum(found, checksum) => ReadBack::Confirmed,
            Some(found) => {
                ReadBack::Failed(self.mismatch("SHA-256", checksum.into(), found.into()))
            }
        }
    }

    /// A read-back that failed after the object was sent.
    fn unconfirmed<E>(&self, err: SdkError<E, HttpResponse>) -> DeliverError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        DeliverError::Unconfirmed {
            bucket: self.target.bucket.clone(),
            key: self.target.key.clone(),
            detail: self.classify("read-back", err).to_string(),
        }
    }

    /// A read-back difference.
    fn mismatch(&self, what: &'static str, expected: String, found: String) -> DeliverError {
        let (bucket, key) = (self.target.bucket.clone(), self.target.key.clone());
        DeliverError::Mismatch { bucket, key, what, expected, found }
    }

    /// An answer the tool cannot use.
    fn unusable(&self, action: &'static str, detail: &str) -> DeliverError {
        DeliverError::Response {
            action,
            bucket: self.target.bucket.clone(),
            key: self.target.key.clone(),
            detail: detail.to_string(),
        }
    }

    /// Turns an SDK error, after its retries, into the message a user acts on.
    fn classify<E>(&self, action: &'static str, err: SdkError<E, HttpResponse>) -> DeliverError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        tracing::debug!(action, error = %DisplayErrorContext(&err), "request failed");
        let (endpoint, attempts) = (self.target.server(), self.attempts);
        match &err {
            SdkError::ServiceError(_) => self.refused(action, &err),
            SdkError::TimeoutError(_) => DeliverError::TimedOut { endpoint, action, attempts },
            SdkError::DispatchFailure(failure) if failure.is_timeout() => {
                DeliverError::TimedOut { endpoint, action, attempts }
            }
            SdkError::DispatchFailure(_) if refused(&err) => {
                DeliverError::Unreachable { endpoint, attempts, detail: root_cause(&err) }
            }
            SdkError::DispatchFailure(_) => {
                DeliverError::Interrupted { endpoint, action, attempts, detail: root_cause(&err) }
            }
            _ => self.unusable(action, &root_cause(&err)),
        }
    }

    /// A refusal by the server, by its error code.
    fn refused<E>(&self, action: &'static str, err: &SdkError<E, HttpResponse>) -> DeliverError
    where
        E: ProvideErrorMetadata,
    {
        let access_key_id = self.access_key_id.clone();
        let (bucket, key) = (self.target.bucket.clone(), self.target.key.clone());
        match (err.code().unwrap_or_default(), status(err)) {
            ("InvalidAccessKeyId" | "NotSignedUp", _) => {
                DeliverError::UnknownAccessKey { access_key_id, bucket }
            }
            ("SignatureDoesNotMatch", _) => DeliverError::WrongSecret { access_key_id, bucket },
            ("ExpiredToken" | "TokenRefreshRequired", _) => DeliverError::Expired { access_key_id },
            ("NoSuchBucket", _) => {
                DeliverError::NoSuchBucket { bucket, endpoint: self.target.server() }
            }
            ("AccessDenied", _) | ("", Some(403)) => {
                DeliverError::AccessDenied { access_key_id, bucket, key }
            }
            (code, status) => {
                let code = if code.is_empty() { http_code(status) } else { code.to_string() };
                let message = err.message().unwrap_or("no message").to_string();
                DeliverError::Service { action, bucket, key, code, message }
            }
        }
    }
}

/// The client configuration: region, endpoint, profile, retries, timeouts.
async fn load_config(target: &Target, flags: &UploadFlags) -> SdkConfig {
    let retry = RetryConfig::standard()
        .with_max_attempts(flags.max_attempts)
        .with_initial_backoff(Duration::from_millis(flags.retry_backoff_ms))
        .with_max_backoff(MAX_BACKOFF);
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(READ_TIMEOUT)
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(target.region.clone()))
        .retry_config(retry)
        .timeout_config(timeouts);
    if let Some(profile) = &flags.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &target.endpoint {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

/// Resolves the credential chain once, for its access key id.
async fn access_key_id(config: &SdkConfig, profile: Option<&str>) -> Result<String, DeliverError> {
    let missing = |detail: String| DeliverError::NoCredentials {
        profile: profile.map(str::to_string),
        detail,
    };
    let provider = config
        .credentials_provider()
        .ok_or_else(|| missing("no credential provider is configured".into()))?;
    let credentials = provider.provide_credentials().await.map_err(|err| missing(causes(&err)))?;
    Ok(credentials.access_key_id().to_string())
}

/// The part size for a document: the configured one, grown so that no more
/// than 10 000 parts are needed.
fn part_size(size: u64, configured: u64) -> usize {
    let needed = size.div_ceil(MAX_PARTS);
    usize::try_from(configured.max(needed)).unwrap_or(usize::MAX)
}

/// The HTTP status of an error response, when there was one.
fn status<E>(err: &SdkError<E, HttpResponse>) -> Option<u16> {
    err.raw_response().map(|response| response.status().as_u16())
}

/// `HTTP 503` and the like, for a refusal without an S3 error code.
fn http_code(status: Option<u16>) -> String {
    status.map(|s| format!("HTTP {s}")).unwrap_or_else(|| "no status".into())
}

/// An error and its causes, each in its own words, joined by `: `.
fn causes(err: &(dyn std::error::Error + 'static)) -> String {
    let mut words = vec![err.to_string()];
    let mut cause = err.source();
    while let Some(current) = cause {
        let text = current.to_string();
        if !words.iter().any(|w| w.contains(&text)) {
            words.push(text);
        }
        cause = current.source();
    }
    words.join(": ")
}

/// The innermost cause of an error: the part a person can act on.
fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// Whether the connection itself failed (refused, no route, unknown host):
/// then no byte of the request left this machine. The HTTP client names a
/// failure to connect `client error (Connect)`; its type is not ours to match.
fn refused(err: &(dyn std::error::Error + 'static)) -> bool {
    use std::io::ErrorKind::{AddrNotAvailable, ConnectionRefused, HostUnreachable};
    let mut cause = Some(err);
    while let Some(current) = cause {
        let io = current.downcast_ref::<std::io::Error>().map(std::io::Error::kind);
        if matches!(io, Some(ConnectionRefused | AddrNotAvailable | HostUnreachable))
            || current.to_string() == "client error (Connect)"
        {
            return true;
        }
        cause = current.source();
    }
    false
}

/// Whether a reported checksum is the one expected; a composite checksum may
/// be reported with or without its `-N` part count.
fn same_checksum(found: &str, expected: &str) -> bool {
    found == expected || expected.split('-').next() == Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_size_grows_for_huge_documents() {
        assert_eq!(part_size(100, 8), 8);
        assert_eq!(part_size(200_000, 8), 20);
    }

    #[test]
    fn composite_checksums_compare_with_or_without_count() {
        assert!(same_checksum("abc=-3", "abc=-3"));
        assert!(same_checksum("abc=", "abc=-3"));
        assert!(!same_checksum("abd=", "abc=-3"));
    }
}
