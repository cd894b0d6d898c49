//! `convert` end to end on the shipped samples: golden documents, summary,
//! determinism, rejected rows with their location, `--strict`, `--rejects`.

use super::golden::assert_golden;
use super::harness::{repo, Run};

const NOW: &str = "2024-04-02T09:30:00";

fn bank(extra: &[&str]) -> Run {
    bank_at(NOW, extra)
}

fn bank_at(now: &str, extra: &[&str]) -> Run {
    Run::new(&["convert", "--mapping"])
        .path(repo("mappings/bank-statement.toml"))
        .args(&["--var", "property=BIEN-001", "--now", now, "-o", "out.json", "--known"])
        .path(repo("tests/golden/property-register.json"))
        .path(repo("samples/releve-2024-03.csv"))
        .args(extra)
        .env("QLOWER_API_KEY", "test-api-key")
}

#[test]
fn bank_statement_matches_its_golden_document() {
    let done = bank(&[]).run();
    done.status(0).stderr_has(&["transactions", "15", "validation: SUCCESS"]);
    assert_golden("bank-statement.json", &done.read("out.json"));
}

#[test]
fn property_register_matches_its_golden_document() {
    let done = Run::new(&["convert", "--mapping"])
        .path(repo("mappings/property-register.toml"))
        .path(repo("samples/patrimoine.xlsx"))
        .args(&["--now", NOW, "-o", "out.json"])
        .env("QLOWER_API_KEY", "test-api-key")
        .run();
    done.status(0).stderr_has(&["declarants", "properties", "associates", "documents"]);
    assert_golden("property-register.json", &done.read("out.json"));
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let first = bank(&[]).run();
    let second = bank(&[]).run();
    assert_eq!(first.status(0).read("out.json"), second.status(0).read("out.json"));
}

#[test]
fn summary_counts_add_up() {
    let done = bank(&[]).run();
    let line = done.stderr().lines().find(|l| l.starts_with("total")).map(str::to_string);
    let numbers: Vec<u64> = line
        .expect("a total line")
        .split_whitespace()
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(
        numbers[0],
        numbers[1] + numbers[2] + numbers[3],
        "read = written + filtered + rejected"
    );
}

#[test]
fn timestamp_is_paris_time_with_its_offset() {
    let done = bank(&[]).run();
    let text = done.status(0).read_text("out.json");
    assert!(text.contains(r#""creDtTm": "2024-04-02T09:30:00+02:00""#), "{text}");
    let winter = bank_at("2024-01-15T10:30:00Z", &[]).run();
    assert!(winter
        .status(0)
        .read_text("out.json")
        .contains(r#""creDtTm": "2024-01-15T11:30:00+01:00""#));
}

#[test]
fn the_api_key_comes_from_the_environment_and_is_never_printed() {
    let done = bank(&[]).env("QLOWER_API_KEY", "s3cr3t-key-value").run();
    done.status(0);
    assert!(!done.stderr().contains("s3cr3t-key-value"));
    assert!(!done.stdout().contains("s3cr3t-key-value"));
    let missing = Run::new(&["convert", "--mapping"])
        .path(repo("mappings/bank-statement.toml"))
        .args(&["--var", "property=BIEN-001", "-o", "out.json"])
        .path(repo("samples/releve-2024-03.csv"))
        .run();
    missing.status(1).stderr_has(&["QLOWER_API_KEY", "is not set"]);
}

#[test]
fn a_missing_variable_points_at_the_mapping() {
    let done = Run::new(&["convert", "--mapping"])
        .path(repo("mappings/bank-statement.toml"))
        .path(repo("samples/releve-2024-03.csv"))
        .env("QLOWER_API_KEY", "k")
        .run();
    done.status(1).stderr_has(&[
        "variable `property` is not set",
        "--var property=VALUE",
        "bank-statement.toml:",
    ]);
}

/// `convert --upload` against the in-process S3 server, with the machine's
/// AWS configuration kept out.
fn bank_upload(endpoint: &str, extra: &[&str]) -> Run {
    let run = bank(&["--upload", "--endpoint-url", endpoint]).args(extra);
    let dir = run.dir().to_path_buf();
    run.file("aws/config", "")
        .file("aws/credentials", "")
        .env("AWS_CONFIG_FILE", &dir.join("aws/config").display().to_string())
        .env("AWS_SHARED_CREDENTIALS_FILE", &dir.join("aws/credentials").display().to_string())
        .env("AWS_ACCESS_KEY_ID", crate::s3_server::ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", crate::s3_server::SECRET_KEY)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("QLOAD_RETRY_BACKOFF_MS", "5")
}

#[test]
fn convert_upload_delivers_to_the_mappings_bucket() {
    let server = crate::s3_server::S3Server::start(&["ql-loader-stg-demo-partner"]);
    let done = bank_upload(&server.url(), &["--json"]).run();
    done.status(0).stderr_has(&["ql-loader-stg-demo-partner"]);
    let result: serde_json::Value = serde_json::from_str(&done.stdout()).expect("--json result");
    let key = result["key"].as_str().expect("a key").to_string();
    assert!(key.starts_with("loader-") && key.ends_with(".json"), "{key}");
    let (body, content_type) = server.object("ql-loader-stg-demo-partner", &key);
    assert_eq!(body, done.read("out.json"), "the bucket holds the written document");
    assert_eq!(content_type.as_deref(), Some("application/json"));
}

#[test]
fn convert_upload_dry_run_sends_nothing() {
    let closed = crate::s3_server::closed_port();
    let done = bank_upload(&closed, &["--dry-run"]).run();
    done.status(0).stderr_has(&["ql-loader-stg-demo-partner", "loader-"]);
    assert!(!done.stderr().contains("test-api-key"), "the api key is never printed");
}
