//! Where a document goes: environment, partner, bucket, key, region and
//! endpoint, each resolved from the command line, the mapping's `[loader]`,
//! the environment and the document, in that order.

use serde::Serialize;

use super::{Defaults, DeliverError, UploadFlags};

/// The region used when nothing names one.
pub const DEFAULT_REGION: &str = "eu-west-1";

/// A resolved destination, printed before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// `stg` or `prod`.
    pub environment: String,
    /// The partner id in the bucket name.
    pub partner: String,
    /// `ql-loader-{environment}-{partner}`.
    pub bucket: String,
    /// `[prefix/]loader-{epoch ms}.json`.
    pub key: String,
    /// The bucket's region.
    pub region: String,
    /// An S3-compatible endpoint, addressed path-style; `None` for AWS itself.
    pub endpoint: Option<String>,
}

impl Target {
    /// Resolves the destination; `now_ms` stamps the key, `doc_partner` is
    /// the document's `inigPtynm`.
    pub fn resolve(
        flags: &UploadFlags,
        defaults: &Defaults,
        doc_partner: Option<&str>,
        now_ms: i64,
    ) -> Result<Target, DeliverError> {
        let environment = environment(flags, defaults)?;
        let partner = partner(flags, defaults, doc_partner)?;
        let prefix = flags.prefix.as_deref().or(defaults.prefix.as_deref());
        Ok(Target {
            bucket: format!("ql-loader-{environment}-{partner}"),
            key: key(prefix, now_ms),
            region: region(flags, defaults),
            endpoint: endpoint(flags)?,
            environment,
            partner,
        })
    }

    /// `s3://bucket/key`.
    pub fn uri(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.key)
    }

    /// The server, as messages name it.
    pub fn server(&self) -> String {
        match &self.endpoint {
            Some(url) => format!("`{url}`"),
            None => format!("AWS S3 in `{}`", self.region),
        }
    }
}

/// `stg` unless the command line or the mapping names `prod`.
fn environment(flags: &UploadFlags, defaults: &Defaults) -> Result<String, DeliverError> {
    let named = flags.env.as_deref().or(defaults.environment.as_deref());
    let environment = named.map(str::trim).unwrap_or("stg");
    match environment {
        "stg" | "prod" => Ok(environment.to_string()),
        other => Err(DeliverError::BadEnvironment { environment: other.to_string() }),
    }
}

/// The partner from the flag, the mapping, then the document.
fn partner(
    flags: &UploadFlags,
    defaults: &Defaults,
    doc_partner: Option<&str>,
) -> Result<String, DeliverError> {
    let named = flags.partner.as_deref().or(defaults.partner.as_deref()).or(doc_partner);
    let partner = named.map(str::trim).filter(|p| !p.is_empty()).ok_or(DeliverError::NoPartner)?;
    if bucket_safe(partner) {
        Ok(partner.to_string())
    } else {
        Err(DeliverError::BadPartner { partner: partner.to_string() })
    }
}

/// Whether a partner id fits an S3 bucket name after `ql-loader-prod-`.
fn bucket_safe(partner: &str) -> bool {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    partner.len() <= 63 - "ql-loader-prod-".len()
        && partner.chars().all(allowed)
        && !partner.ends_with('-')
}

/// `loader-{ms}.json` under the prefix, read as a folder (`in/` and `/in` alike).
fn key(prefix: Option<&str>, now_ms: i64) -> String {
    let name = format!("loader-{now_ms}.json");
    match prefix.map(|p| p.trim_matches('/')).filter(|p| !p.is_empty()) {
        Some(folder) => format!("{folder}/{name}"),
        None => name,
    }
}

/// The flag, the mapping, `AWS_REGION`, `AWS_DEFAULT_REGION`, then `eu-west-1`.
fn region(flags: &UploadFlags, defaults: &Defaults) -> String {
    let named = flags.region.clone().or_else(|| defaults.region.clone());
    named
        .or_else(|| env_var("AWS_REGION"))
        .or_else(|| env_var("AWS_DEFAULT_REGION"))
        .unwrap_or_else(|| DEFAULT_REGION.to_string())
}

/// The flag, `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`; checked to be a URL.
fn endpoint(flags: &UploadFlags) -> Result<Option<String>, DeliverError> {
    let named = flags.endpoint_url.clone().filter(|u| !u.trim().is_empty());
    let Some(url) =
        named.or_else(|| env_var("AWS_ENDPOINT_URL_S3")).or_else(|| env_var("AWS_ENDPOINT_URL"))
    else {
        return Ok(None);
    };
    let url = url.trim().trim_end_matches('/').to_string();
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(Some(url))
    } else {
        Err(DeliverError::BadEndpoint { url })
    }
}

/// An environment variable, unless unset or blank.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags() -> UploadFlags {
        UploadFlags { endpoint_url: Some("http://127.0.0.1:9".into()), ..UploadFlags::default() }
    }

    #[test]
    fn staging_and_the_document_partner_by_default() {
        let t = Target::resolve(&flags(), &Defaults::default(), Some("acme"), 42).unwrap();
        assert_eq!(t.bucket, "ql-loader-stg-acme");
        assert_eq!(t.key, "loader-42.json");
        assert_eq!(t.uri(), "s3://ql-loader-stg-acme/loader-42.json");
    }

    #[test]
    fn flags_override_the_mapping() {
        let defaults = Defaults {
            partner: Some("mapped".into()),
            environment: Some("prod".into()),
            region: Some("eu-west-3".into()),
            prefix: Some("/incoming/".into()),
        };
        let t = Target::resolve(&flags(), &defaults, Some("doc"), 7).unwrap();
        assert_eq!(
            (t.bucket.as_str(), t.key.as_str()),
            ("ql-loader-prod-mapped", "incoming/loader-7.json")
        );
        assert_eq!(t.region, "eu-west-3");
        let mut f = flags();
        f.partner = Some("cli".into());
        f.env = Some("stg".into());
        f.region = Some("us-east-1".into());
        let t = Target::resolve(&f, &defaults, Some("doc"), 7).unwrap();
        assert_eq!((t.bucket.as_str(), t.region.as_str()), ("ql-loader-stg-cli", "us-east-1"));
    }

    #[test]
    fn bad_names_are_refused() {
        let bad = |p: &str| Target::resolve(&flags(), &Defaults::default(), Some(p), 1).is_err();
        assert!(bad("My Partner"));
        assert!(bad("UPPER"));
        assert!(bad("  "));
        assert!(!bad("my-partner-2"));
        let defaults = Defaults { environment: Some("production".into()), ..Defaults::default() };
        assert!(Target::resolve(&flags(), &defaults, Some("p"), 1).is_err());
    }

    #[test]
    fn endpoint_must_be_a_url() {
        let f = UploadFlags { endpoint_url: Some("localhost:9000/".into()), ..flags() };
        assert!(Target::resolve(&f, &Defaults::default(), Some("p"), 1).is_err());
        let f = UploadFlags { endpoint_url: Some("http://127.0.0.1:9000/".into()), ..flags() };
        let t = Target::resolve(&f, &Defaults::default(), Some("p"), 1).unwrap();
        assert_eq!(t.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
    }
}
