//! `qload upload`: delivery to a real S3 server (s3s-fs, signatures checked)
//! over loopback, through a fault-injecting proxy where a test needs faults.

use std::path::Path;

use serde_json::Value;

use crate::harness::{Done, Run};
use crate::s3_proxy::{Fault, Proxy};
use crate::s3_server::{closed_port, S3Server, ACCESS_KEY, SECRET_KEY};

const BUCKET: &str = "ql-loader-stg-acme";

/// A small valid loader document for partner `acme`, stamped `stamp`.
fn document(stamp: &str) -> String {
    format!(
        r#"{{"inigPtynm":"acme","apiKey":"api-key-secret","creDtTm":"{stamp}","versionId":"2.0",
"declarants":[],"properties":[],"documents":[],"transactions":[
{{"id":"T-1","reqdExctnDt":"2024-01-05","id-prty":"P-1","amt":-1500.50,"ccy":"EUR",
"ref":"Loyer janvier"}}]}}
"#
    )
}

const STAMP: &str = "2024-01-15T10:30:00+01:00";

/// A document of at least `bytes` bytes: few transactions with long labels,
/// so that the debug build parses it quickly.
fn large_document(bytes: usize) -> String {
    let label = "Prélèvement SEPA loyer ".repeat(400);
    let fields = r#""reqdExctnDt":"2024-01-05","id-prty":"P-1","amt":-12.34"#;
    let row = |i: usize| format!(r#"{{"id":"T-{i:05}",{fields},"ref":"{label}"}}"#);
    let rows: Vec<String> = (0..bytes / label.len() + 1).map(row).collect();
    format!(
        r#"{{"inigPtynm":"acme","apiKey":"k","creDtTm":"{STAMP}","versionId":"2.0",
"transactions":[{}]}}"#,
        rows.join(",")
    )
}

/// An `upload loader.json` run against `endpoint`, with the test credentials
/// and the machine's AWS configuration kept out.
fn upload(endpoint: &str, contents: &str) -> Run {
    let run = Run::new(&["upload", "loader.json", "--endpoint-url", endpoint]);
    let dir = run.dir().to_path_buf();
    run.file("loader.json", contents)
        .file("aws/config", "")
        .file("aws/credentials", "")
        .env("AWS_CONFIG_FILE", &dir.join("aws/config").display().to_string())
        .env("AWS_SHARED_CREDENTIALS_FILE", &dir.join("aws/credentials").display().to_string())
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .env("AWS_REGION", "eu-west-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("QLOAD_RETRY_BACKOFF_MS", "5")
        .known_properties(&["P-1"])
}

/// The `--json` result of a run.
fn result(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("--json output: {e}\n{stdout}"))
}

/// How many deliveries the run's default journal records.
fn journaled(done: &Done) -> usize {
    let path = done.dir.join(".data/qload/journal.jsonl");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines().filter(|line| line.contains(r#""state":"delivered""#)).count()
}

/// Asserts that stderr holds each fragment, whatever miette's line wrapping.
fn stderr_says(done: &Done, fragments: &[&str]) {
    let squeeze =
        |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != '│').collect::<String>();
    let err = squeeze(&done.stderr());
    for fragment in fragments {
        assert!(err.contains(&squeeze(fragment)), "stderr lacks {fragment:?}\n{}", done.stderr());
    }
}

/// A journal path shared by several runs.
fn shared_journal(dir: &Path) -> String {
    dir.join("journal.jsonl").display().to_string()
}

#[test]
fn upload_is_read_back_byte_for_byte_with_its_content_type() {
    let server = S3Server::start(&[BUCKET]);
    let doc = document(STAMP);
    let done = upload(&server.url(), &doc).args(&["--json"]).run();
    done.status(0);
    stderr_says(&done, &["sending loader.json", "s3://ql-loader-stg-acme/loader-"]);
    let out = result(&done.stdout());
    let key = out["key"].as_str().expect("key");
    assert!(key.starts_with("loader-") && key.ends_with(".json"), "{key}");
    assert_eq!(out["outcome"], "delivered");
    assert_eq!(out["verified"], "size-and-checksum");
    assert_eq!(out["size"], doc.len());
    let (bytes, content_type) = server.object(BUCKET, key);
    assert_eq!(bytes, doc.as_bytes());
    assert_eq!(content_type.as_deref(), Some("application/json"));

    let journal = done.read_text(".data/qload/journal.jsonl");
    assert!(journal.contains(key) && journal.contains(BUCKET), "{journal}");
    for secret in [SECRET_KEY, "api-key-secret"] {
        assert!(!done.stdout().contains(secret) && !done.stderr().contains(secret));
    }
}

#[test]
fn a_wrong_secret_names_the_key_and_bucket_never_the_secret() {
    let server = S3Server::start(&[BUCKET]);
    let wrong = "wrong-secret-value-0123456789";
    let done = upload(&server.url(), &document(STAMP))
        .env("AWS_SECRET_ACCESS_KEY", wrong)
        .env("QLOAD_MAX_ATTEMPTS", "2")
        .run();
    done.status(1);
    stderr_says(&done, &["secret for access key", ACCESS_KEY, BUCKET]);
    assert!(!done.stderr().contains(wrong), "{}", done.stderr());
    assert!(server.keys(BUCKET).is_empty());
    assert_eq!(journaled(&done), 0);
}

#[test]
fn an_unknown_access_key_is_named() {
    let server = S3Server::start(&[BUCKET]);
    let done = upload(&server.url(), &document(STAMP))
        .env("AWS_ACCESS_KEY_ID", "QLOADUNKNOWNACCESSKEY")
        .run();
    done.status(1);
    stderr_says(&done, &["access key `QLOADUNKNOWNACCESSKEY` is unknown", BUCKET]);
}

#[test]
fn a_missing_bucket_is_named_with_a_remedy() {
    let server = S3Server::start(&[]);
    let done = upload(&server.url(), &document(STAMP)).run();
    done.status(1);
    stderr_says(&done, &["bucket `ql-loader-stg-acme` does not exist", "--partner"]);
}

#[test]
fn a_server_down_ends_in_a_clear_error_after_the_retries() {
    let done = upload(&closed_port(), &document(STAMP)).env("QLOAD_MAX_ATTEMPTS", "3").run();
    done.status(1);
    stderr_says(&done, &["cannot reach", "after 3 attempts", "nothing was sent"]);
    assert_eq!(journaled(&done), 0);
}

#[test]
fn throttling_is_retried_until_the_upload_goes_through() {
    let server = S3Server::start(&[BUCKET]);
    let proxy = Proxy::start(&server, Fault::Throttle(2));
    let done = upload(&proxy.url(), &document(STAMP)).args(&["--json"]).run();
    done.status(0);
    assert_eq!(proxy.count("PUT"), 3, "{:?}", proxy.requests());
    assert_eq!(proxy.count("HEAD"), 1, "{:?}", proxy.requests());
    let key = result(&done.stdout())["key"].as_str().expect("key").to_string();
    assert_eq!(server.keys(BUCKET), vec![key]);
}

#[test]
fn dropped_connections_are_retried() {
    let server = S3Server::start(&[BUCKET]);
    let proxy = Proxy::start(&server, Fault::Drop(2));
    upload(&proxy.url(), &document(STAMP)).run().status(0);
    assert_eq!(proxy.count("PUT"), 3, "{:?}", proxy.requests());
    assert_eq!(server.keys(BUCKET).len(), 1);
}

#[test]
fn endless_throttling_stops_at_the_attempt_limit() {
    let server = S3Server::start(&[BUCKET]);
    let proxy = Proxy::start(&server, Fault::Throttle(1000));
    let done = upload(&proxy.url(), &document(STAMP)).env("QLOAD_MAX_ATTEMPTS", "3").run();
    done.status(1);
    stderr_says(&done, &["upload of `s3://ql-loader-stg-acme/loader-", "SlowDown"]);
    assert_eq!(proxy.count("PUT"), 3);
    assert_eq!(journaled(&done), 0);
}

#[test]
fn access_denied_names_the_key_and_bucket() {
    let server = S3Server::start(&[BUCKET]);
    let proxy = Proxy::start(&server, Fault::Deny);
    let done = upload(&proxy.url(), &document(STAMP)).run();
    done.status(1);
    stderr_says(&done, &[ACCESS_KEY, "may not write", BUCKET]);
    assert_eq!(proxy.count("PUT"), 1, "access denied is not retried");
}

#[test]
fn a_large_document_goes_in_parts_and_reads_back_whole() {
    let server = S3Server::start(&[BUCKET]);
    let doc = large_document(5 * 1024 * 1024 + 300 * 1024);
    let done = upload(&server.url(), &doc)
        .env("QLOAD_MULTIPART_THRESHOLD", "1048576")
        .env("QLOAD_PART_SIZE", "5242880")
        .args(&["--json"])
        .run();
    done.status(0);
    stderr_says(&done, &["in 2 parts"]);
    let out = result(&done.stdout());
    assert_eq!(out["parts"], 2);
    assert!(out["checksum_sha256"].as_str().expect("checksum").ends_with("-2"));
    let (bytes, content_type) = server.object(BUCKET, out["key"].as_str().expect("key"));
    assert!(bytes == doc.as_bytes(), "multipart object differs from the document");
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert_eq!(server.leftover_parts(), 0);
}

#[test]
fn a_failed_multipart_upload_is_aborted_leaving_no_parts() {
    let server = S3Server::start(&[BUCKET]);
    let proxy = Proxy::start(&server, Fault::FailPart(2));
    let done = upload(&proxy.url(), &large_document(5 * 1024 * 1024 + 300 * 1024))
        .env("QLOAD_MULTIPART_THRESHOLD", "1048576")
        .env("QLOAD_PART_SIZE", "5242880")
        .env("QLOAD_MAX_ATTEMPTS", "2")
        .run();
    done.status(1);
    stderr_says(&done, &["part upload of `s3://ql-loader-stg-acme/loader-", "InternalError"]);
    assert_eq!(proxy.count("DELETE"), 1, "abort sent: {:?}", proxy.requests());
    assert_eq!(server.leftover_parts(), 0);
    assert!(server.keys(BUCKET).is_empty());
}

#[test]
fn the_same_document_is_refused_then_sent_again_with_force() {
    let server = S3Server::start(&[BUCKET]);
    let shared = tempfile::tempdir().expect("shared directory");
    let journal = shared_journal(shared.path());
    let first =
        upload(&server.url(), &document(STAMP)).args(&["--journal", &journal, "--json"]).run();
    first.status(0);
    let first_key = result(&first.stdout())["key"].as_str().expect("key").to_string();

    // Converted again later: another creDtTm, the same data.
    let again = document("2024-02-01T09:00:00+01:00");
    let refused = upload(&server.url(), &again).args(&["--journal", &journal]).run();
    refused.status(6);
    stderr_says(&refused, &["already delivered", BUCKET, &first_key, "--force"]);
    assert_eq!(server.keys(BUCKET).len(), 1);

    let forced =
        upload(&server.url(), &again).args(&["--journal", &journal, "--force", "--json"]).run();
    forced.status(0);
    assert_eq!(result(&forced.stdout())["previous_key"], first_key.as_str());
    assert_eq!(server.keys(BUCKET).len(), 2);
}

#[test]
fn changed_data_is_a_new_document() {
    let server = S3Server::start(&[BUCKET]);
    let shared = tempfile::tempdir().expect("shared directory");
    let journal = shared_journal(shared.path());
    upload(&server.url(), &document(STAMP)).args(&["--journal", &journal]).run().status(0);
    let changed = document(STAMP).replace("-1500.50", "-1500.51");
    upload(&server.url(), &changed).args(&["--journal", &journal]).run().status(0);
    assert_eq!(server.keys(BUCKET).len(), 2);
}

#[test]
fn dry_run_makes_no_request_and_needs_no_credentials() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("non-blocking");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    let doc = document(STAMP);
    let done = upload(&endpoint, &doc)
        .env("AWS_ACCESS_KEY_ID", "")
        .env("AWS_SECRET_ACCESS_KEY", "")
        .args(&["--dry-run", "--json"])
        .run();
    done.status(0);
    stderr_says(&done, &["dry run", "nothing sent", "s3://ql-loader-stg-acme/loader-"]);
    let out = result(&done.stdout());
    assert_eq!(out["outcome"], "dry-run");
    assert_eq!(out["bucket"], BUCKET);
    assert_eq!(out["size"], doc.len());
    assert_eq!(out["sha256"].as_str().map(str::len), Some(64));
    let err = listener.accept().expect_err("no connection was attempted");
    assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);
    assert_eq!(journaled(&done), 0);
}

#[test]
fn prod_only_when_named_and_flags_shape_the_destination() {
    let run = |args: &[&str]| {
        let done = upload(&closed_port(), &document(STAMP))
            .args(&["--dry-run", "--json"])
            .args(args)
            .run();
        done.status(0);
        result(&done.stdout())
    };
    assert_eq!(run(&[])["environment"], "stg");
    let out =
        run(&["--env", "prod", "--partner", "other", "--prefix", "in/", "--region", "eu-west-3"]);
    assert_eq!(out["bucket"], "ql-loader-prod-other");
    assert!(out["key"].as_str().expect("key").starts_with("in/loader-"));
    assert_eq!(out["region"], "eu-west-3");
}

#[test]
fn a_ko_document_is_never_uploaded() {
    let no_key = document(STAMP).replace(r#""apiKey":"api-key-secret","#, "");
    let done = upload(&closed_port(), &no_key).args(&["--allow-partial"]).run();
    done.status(1);
    stderr_says(&done, &["rejected whole (KO)", "Missing key 'apiKey'"]);
    let done = upload(&closed_port(), "{not json").run();
    done.status(1);
    stderr_says(&done, &["Malformed JSON", "line 1 column 2"]);
}

#[test]
fn bad_partner_and_environment_are_refused_before_sending() {
    let done = upload(&closed_port(), &document(STAMP)).args(&["--partner", "Acme Corp"]).run();
    done.status(1);
    stderr_says(&done, &["partner `Acme Corp` cannot name a bucket"]);
    let done = upload(&closed_port(), &document(STAMP)).args(&["--env", "production"]).run();
    done.status(2);
    let nameless = document(STAMP).replace(r#""inigPtynm":"acme""#, r#""inigPtynm":"""#);
    let done = upload(&closed_port(), &nameless).run();
    done.status(1);
    stderr_says(&done, &["rejected whole (KO)", "'inigPtynm' must not be empty"]);
}

#[test]
fn a_missing_file_is_named() {
    upload(&closed_port(), "").args(&["--dry-run"]).path("absent.json").run().status(2);
    let run = Run::new(&["upload", "absent.json", "--dry-run"]).run();
    run.status(1);
    stderr_says(&run, &["cannot read `absent.json`"]);
}

#[test]
fn a_send_cut_mid_request_stays_pending_and_blocks_a_blind_resend() {
    let server = S3Server::start(&[BUCKET]);
    let proxy = Proxy::start(&server, Fault::Drop(2));
    let shared = tempfile::tempdir().expect("shared directory");
    let journal = shared_journal(shared.path());
    let cut = upload(&proxy.url(), &document(STAMP))
        .env("QLOAD_MAX_ATTEMPTS", "2")
        .args(&["--journal", &journal])
        .run();
    cut.status(1);
    stderr_says(&cut, &["the connection to", "broke", "may have arrived"]);
    assert_eq!(proxy.count("PUT"), 2);

    // The same bucket on the same endpoint, now answering.
    let blind = upload(&proxy.url(), &document(STAMP)).args(&["--journal", &journal]).run();
    blind.status(1);
    stderr_says(&blind, &["an earlier send of `loader.json`", "did not finish", "--force"]);
    assert!(server.keys(BUCKET).is_empty());
    let forced =
        upload(&proxy.url(), &document(STAMP)).args(&["--journal", &journal, "--force"]).run();
    forced.status(0);
    assert_eq!(server.keys(BUCKET).len(), 1);
}

#[test]
fn a_send_refused_or_never_connected_does_not_block_the_next_one() {
    let shared = tempfile::tempdir().expect("shared directory");
    let journal = shared_journal(shared.path());
    let down = upload(&closed_port(), &document(STAMP))
        .env("QLOAD_MAX_ATTEMPTS", "1")
        .args(&["--journal", &journal])
        .run();
    down.status(1);
    let text = std::fs::read_to_string(&journal).expect("journal");
    assert!(text.contains(r#""state":"pending""#) && text.contains(r#""state":"failed""#));

    let server = S3Server::start(&[BUCKET]);
    let refused = upload(&server.url(), &document(STAMP))
        .env("AWS_SECRET_ACCESS_KEY", "not-the-secret")
        .args(&["--journal", &journal])
        .run();
    refused.status(1);
    upload(&server.url(), &document(STAMP)).args(&["--journal", &journal]).run().status(0);
    assert_eq!(server.keys(BUCKET).len(), 1);
}

#[test]
fn credentials_come_from_a_named_profile() {
    let server = S3Server::start(&[BUCKET]);
    let profile = format!(
        "[qload-test]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
    );
    let done = upload(&server.url(), &document(STAMP))
        .env("AWS_ACCESS_KEY_ID", "")
        .env("AWS_SECRET_ACCESS_KEY", "")
        .file("aws/credentials", profile)
        .args(&["--profile", "qload-test"])
        .run();
    done.status(0);
    assert_eq!(server.keys(BUCKET).len(), 1);
}

#[test]
fn no_credentials_is_a_clear_error_before_sending() {
    let done = upload(&closed_port(), &document(STAMP))
        .env("AWS_ACCESS_KEY_ID", "")
        .env("AWS_SECRET_ACCESS_KEY", "")
        .args(&["--profile", "ghost"])
        .run();
    done.status(1);
    stderr_says(&done, &["no AWS credentials found for profile `ghost`", "aws sso login"]);
}

#[test]
fn failed_objects_stop_the_upload_unless_partial_is_allowed() {
    let server = S3Server::start(&[BUCKET]);
    let broken = document(STAMP).replace(r#""amt":-1500.50,"#, "");
    let refused = upload(&server.url(), &broken).run();
    refused.status(1);
    stderr_says(&refused, &["ERROR", "--allow-partial"]);
    assert!(server.keys(BUCKET).is_empty(), "nothing sent");
    let sent = upload(&server.url(), &broken).args(&["--allow-partial"]).run();
    sent.status(0);
    assert_eq!(server.keys(BUCKET).len(), 1);
}
