//! `qload validate`: the corpus of `tests/validate/` (each document's status and
//! failed ids), the report's exact shape, exit statuses and rendering.

use serde_json::Value;

use crate::harness::{repo, Run};

/// One corpus case: a document, extra arguments, the exit status, the report
/// status, and the `model:id` of every object that fails, in report order.
struct Case {
    file: &'static str,
    args: &'static [&'static str],
    exit: i32,
    status: &'static str,
    failed: &'static [&'static str],
}

const fn case(
    file: &'static str,
    args: &'static [&'static str],
    exit: i32,
    status: &'static str,
    failed: &'static [&'static str],
) -> Case {
    Case { file, args, exit, status, failed }
}

const P22: &[&str] = &["--profile", "2.2"];

#[rustfmt::skip]
const CORPUS: &[Case] = &[
    case("minimal-s3", &[], 0, "SUCCESS", &[]),
    case("rich-valid", &[], 0, "SUCCESS", &[]),
    case("rich-valid", P22, 0, "SUCCESS", &[]),
    case("clients-22", P22, 3, "PARTIAL_SUCCESS",
        &["clients:bad-email", "transactions:T-20", "clients:", "transactions:T-30",
          "documents:DOC-40"]),
    case("ko-malformed", &[], 5, "KO:WrongFormat", &[]),
    case("ko-missing-api-key", &[], 5, "KO:KeyError", &[]),
    case("ko-version", &[], 5, "KO:ValueError", &[]),
    case("ko-credttm", &[], 5, "KO:ValueError", &[]),
    case("ko-root-array", &[], 5, "KO:ValidationError", &[]),
    case("ko-section-not-array", &[], 5, "KO:ValidationError", &[]),
    case("ko-clients-under-21", &[], 5, "KO:ValidationError", &[]),
    case("credttm-bare-date", &[], 0, "SUCCESS", &[]),
    case("required-missing", &[], 3, "PARTIAL_SUCCESS", &["transactions:T-2"]),
    case("required-empty", &[], 3, "PARTIAL_SUCCESS", &["declarants:D-1", "declarants:D-2"]),
    case("present-may-be-empty", &[], 3, "PARTIAL_SUCCESS", &["properties:P-2"]),
    case("present-may-be-empty", P22, 0, "SUCCESS", &[]),
    case("defaults-fill", &[], 0, "SUCCESS", &[]),
    case("money-as-string", &[], 3, "PARTIAL_SUCCESS", &["transactions:T-1", "transactions:T-2"]),
    case("money-decimals", &[], 3, "PARTIAL_SUCCESS", &["transactions:T-2", "transactions:T-5"]),
    case("integer-fraction", &[], 3, "PARTIAL_SUCCESS", &["properties:P-1", "properties:P-2"]),
    case("postcode-number", &[], 3, "PARTIAL_SUCCESS", &["declarants:D-1"]),
    case("enum-domain", &[], 3, "PARTIAL_SUCCESS",
        &["properties:P-1", "properties:P-2", "transactions:T-1"]),
    case("code-list-profile", &[], 3, "PARTIAL_SUCCESS", &["declarants:D-2"]),
    case("code-list-profile", P22, 3, "PARTIAL_SUCCESS", &["declarants:D-1"]),
    case("code-types", &[], 3, "PARTIAL_SUCCESS",
        &["properties:P-1", "properties:P-2", "documents:DOC-1", "documents:DOC-2"]),
    case("dates", &[], 3, "PARTIAL_SUCCESS", &["properties:P-1", "properties:P-2"]),
    case("year", &[], 3, "PARTIAL_SUCCESS", &["documents:DOC-3", "documents:DOC-4"]),
    case("siren-length", &[], 4, "ERROR", &["declarants:D-1", "declarants:D-2", "declarants:D-3"]),
    case("siren-luhn", &[], 3, "PARTIAL_SUCCESS", &["declarants:D-1"]),
    case("siret-luhn", &[], 3, "PARTIAL_SUCCESS", &["declarants:D-1", "properties:P-1"]),
    case("la-poste", &[], 3, "PARTIAL_SUCCESS", &["declarants:D-2"]),
    case("siren-nic-pair", &[], 3, "PARTIAL_SUCCESS", &["declarants:D-1", "declarants:D-2"]),
    case("email-url", &[], 3, "PARTIAL_SUCCESS",
        &["properties:P-2", "documents:DOC-1", "documents:DOC-2"]),
    case("duplicates", &[], 3, "PARTIAL_SUCCESS", &["properties:P-1", "transactions:T-1"]),
    case("links", &[], 3, "PARTIAL_SUCCESS",
        &["properties:P-3", "transactions:T-2", "documents:DOC-2"]),
    case("link-to-failed-object", &[], 3, "PARTIAL_SUCCESS", &["properties:P-1"]),
    case("root-property-without-declarant", &[], 0, "SUCCESS", &[]),
    case("root-property-without-declarant", &["--strict"], 3, "PARTIAL_SUCCESS",
        &["properties:P-1"]),
    case("unknown-keys", &[], 0, "SUCCESS", &[]),
    case("judged-alone", &[], 3, "PARTIAL_SUCCESS",
        &["declarants:D-1", "documents:DOC-1", "associates:A-1"]),
    case("all-failed", &[], 4, "ERROR", &["transactions:T-1", "transactions:T-2"]),
    case("item-not-object", &[], 3, "PARTIAL_SUCCESS", &["transactions:"]),
    case("null-is-absent", &[], 3, "PARTIAL_SUCCESS", &["transactions:T-2"]),
    case("nested-not-array", &[], 4, "ERROR", &["declarants:D-1"]),
];

/// Runs `validate --format json` on a corpus document.
fn json_of(file: &str, args: &[&str]) -> (Option<i32>, Value, String) {
    let done = Run::new(&["validate", "--format", "json"])
        .args(args)
        .path(repo(&format!("tests/validate/{file}.json")))
        .run();
    let report = serde_json::from_str(&done.stdout())
        .unwrap_or_else(|e| panic!("{file}: stdout is not JSON ({e}):\n{}", done.stdout()));
    (done.output.status.code(), report, done.stderr())
}

/// The report's status, `KO:<type>` for a rejection.
fn status_of(report: &Value) -> String {
    match report["status"].as_str() {
        Some("KO") => format!("KO:{}", report["type"].as_str().unwrap_or("?")),
        other => other.unwrap_or("?").to_string(),
    }
}

/// `model:id` of each failing object, once, in report order.
fn failed_of(report: &Value) -> Vec<String> {
    let mut failed: Vec<String> = Vec::new();
    for error in report["errors"].as_array().into_iter().flatten() {
        let key = format!(
            "{}:{}",
            error["model"].as_str().unwrap_or("?"),
            error["id"].as_str().unwrap_or("?")
        );
        if !failed.contains(&key) {
            failed.push(key);
        }
    }
    failed
}

#[test]
fn corpus_documents_get_their_status_and_failed_ids() {
    let mut wrong = Vec::new();
    for case in CORPUS {
        let (exit, report, stderr) = json_of(case.file, case.args);
        let got = (exit, status_of(&report), failed_of(&report));
        let want = (
            Some(case.exit),
            case.status.to_string(),
            case.failed.iter().map(|s| s.to_string()).collect(),
        );
        if got != want {
            wrong.push(format!(
                "{} {:?}: got {got:?}, want {want:?}\n{stderr}",
                case.file, case.args
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_corpus_has_thirty_documents_or_more() {
    let count = std::fs::read_dir(repo("tests/validate")).unwrap().count();
    assert!(count >= 30, "{count} documents");
}

#[test]
fn json_report_has_exactly_the_platform_shape() {
    let (_, report, _) =
        json_of("required-missing", &["--now", "2025-12-02T10:46:28.526977+01:00"]);
    let expected = serde_json::json!({
        "status": "PARTIAL_SUCCESS", "total_count": 4, "success_count": 3, "failed_count": 1,
        "end_date": "2025-12-02T09:46:28.526977",
        "errors": [{"model": "transactions", "type": "ValidationError",
                    "error": "Field 'amt' in transactions 'T-2' invalid: Field required",
                    "created_at": "2025-12-02T09:46:28.526977Z", "id": "T-2"}],
        "combined_result": [
            {"model": "declarants", "item": {"success": 1, "error": 0}},
            {"model": "properties", "item": {"success": 1, "error": 0}},
            {"model": "transactions", "item": {"success": 1, "error": 1}}]
    });
    assert_eq!(report, expected);
}

#[test]
fn ko_has_the_platform_shape_and_a_line_and_column() {
    let (_, report, _) = json_of("ko-malformed", &[]);
    let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["status", "type", "message", "errors"]);
    assert!(report["message"].as_str().unwrap().contains("line 8 column 5"), "{report}");
}

#[test]
fn warnings_go_to_stderr_and_json_stays_parseable() {
    let (exit, report, stderr) = json_of("unknown-keys", &["-vv"]);
    assert_eq!(exit, Some(0));
    assert_eq!(report["status"], "SUCCESS");
    assert!(stderr.contains("unknown key `adress`") && stderr.contains("did you mean `address`?"));
}

#[test]
fn creation_date_without_offset_is_paris_time_with_a_warning() {
    let (_, _, stderr) = json_of("credttm-bare-date", &[]);
    assert!(stderr.contains("read as Paris time: `2020-10-10T00:00:00+02:00`"), "{stderr}");
}

#[test]
fn a_root_property_without_declarant_warns_unless_strict() {
    let (_, _, stderr) = json_of("root-property-without-declarant", &[]);
    assert!(stderr.contains("root-level property without `declarantId`"), "{stderr}");
}

#[test]
fn human_rendering_groups_errors_by_model_and_ends_with_the_counts() {
    let done = Run::new(&["validate"]).path(repo("tests/validate/links.json")).run();
    done.status(3).stdout_has(&[
        "properties: 1 of 3 failed",
        "transactions: 1 of 2 failed",
        "documents: 1 of 2 failed",
        "`P-9` names no object of",
        "PARTIAL_SUCCESS: 8 objects, 5 passed, 3 failed",
    ]);
    assert!(done.stdout().lines().all(|line| line.chars().count() <= 80), "{}", done.stdout());
}

#[test]
fn human_rendering_of_a_rejection_says_ko() {
    Run::new(&["validate"])
        .path(repo("tests/validate/ko-missing-api-key.json"))
        .run()
        .status(5)
        .stdout_has(&["Missing key 'apiKey'", "KO (KeyError)"]);
}

#[test]
fn a_dash_reads_standard_input() {
    let document = std::fs::read(repo("tests/validate/minimal-s3.json")).unwrap();
    Run::new(&["validate", "-"])
        .stdin(document)
        .run()
        .status(0)
        .stdout_has(&["SUCCESS: 0 objects"]);
}

#[test]
fn the_api_key_never_appears_in_the_output() {
    let done = Run::new(&["validate", "-", "--format", "json"])
        .stdin(r#"{"inigPtynm": "p", "apiKey": 4242424242, "creDtTm": "2024", "versionId": "2.0"}"#)
        .run();
    done.status(5).stdout_has(&["Field 'apiKey' must be a string"]);
    assert!(!done.stdout().contains("4242424242") && !done.stderr().contains("4242424242"));
}

#[test]
fn an_unreadable_file_is_a_failure() {
    Run::new(&["validate", "missing.json"])
        .run()
        .status(1)
        .stderr_has(&["cannot read `missing.json`"]);
}

#[test]
fn an_empty_input_is_malformed_json() {
    Run::new(&["validate", "-", "--format", "json"])
        .stdin("")
        .run()
        .status(5)
        .stdout_has(&["WrongFormat"]);
}

#[test]
fn a_bad_command_line_is_a_usage_error() {
    Run::new(&["validate", "x.json", "--profile", "2.3"])
        .run()
        .status(2)
        .stderr_has(&["`2.1` or `2.2`"]);
    Run::new(&["validate", "x.json", "--now", "yesterday"])
        .run()
        .status(2)
        .stderr_has(&["RFC 3339"]);
    Run::new(&["validate", "x.json", "--format", "xml"]).run().status(2);
}

#[test]
fn duplicates_fail_from_the_second_occurrence() {
    let (_, report, _) = json_of("duplicates", &[]);
    let counts = &report["combined_result"];
    assert_eq!(
        counts[1],
        serde_json::json!({"model": "properties", "item": {"success": 1, "error": 1}})
    );
    assert_eq!(
        counts[2],
        serde_json::json!({"model": "transactions", "item": {"success": 2, "error": 2}})
    );
}

#[test]
fn known_documents_resolve_links_to_objects_loaded_earlier() {
    let earlier = r#"{"declarants": [{"id": "D-OLD", "properties": [{"id": "P-OLD"}]}]}"#;
    let document = r#"{"inigPtynm": "p", "apiKey": "k", "creDtTm": "2024-01-15T10:30:00Z",
        "versionId": "2.0", "transactions": [
        {"id": "T-1", "reqdExctnDt": "2024-01-05", "id-prty": "P-OLD", "amt": 1, "ref": "r"}]}"#;
    Run::new(&["validate", "-"]).stdin(document).run().status(4);
    Run::new(&["validate", "-", "--known", "earlier.json"])
        .file("earlier.json", earlier)
        .stdin(document)
        .run()
        .status(0)
        .stdout_has(&["SUCCESS: 1 objects, 1 passed, 0 failed"]);
}
