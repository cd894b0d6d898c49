//! Rows that cannot be converted: each rejected with its location and reason,
//! all written by `--rejects`, counted in the summary; `--strict` stops at the first.

use super::harness::Run;

const MAPPING: &str = r#"
[loader]
partner = "p"
[inputs.bank]
[transactions]
from = "bank"
[transactions.fields]
id = "Réf"
reqdExctnDt = { column = "Date", date = "%d/%m/%Y" }
"id-prty" = { const = "B1" }
amt = { debit = "Débit", credit = "Crédit" }
ref = "Libellé"
purpose = { column = "Nature", map = { Loyer = "rent", Travaux = "works" } }
"#;

const CSV: &str = "Réf;Date;Libellé;Débit;Crédit;Nature\n\
T1;01/03/2024;Loyer mars;;850,00;Loyer\n\
T2;31/02/2024;Date impossible;12,00;;Travaux\n\
T3;05/03/2024;Montant faux;12,3x;;Travaux\n\
T4;06/03/2024;;45,00;;Travaux\n\
T5;07/03/2024;Nature inconnue;10,00;;Divers\n\
\n\
T6;08/03/2024;Peinture;\"1 234,56\";;Travaux\n";

fn run(extra: &[&str]) -> super::harness::Done {
    Run::new(&["convert", "--mapping", "m.toml", "releve.csv", "-o", "out.json"])
        .args(extra)
        .file("m.toml", MAPPING)
        .file("releve.csv", CSV)
        .env("QLOWER_API_KEY", "k")
        .known_properties(&["B1"])
        .run()
}

#[test]
fn bad_rows_are_rejected_with_location_and_reason() {
    let done = run(&[]);
    done.status(0).stderr_has(&[
        "releve.csv:3 \"Date\": reqdExctnDt: `31/02/2024` is not a date in the format `%d/%m/%Y`",
        "releve.csv:4 \"Débit\": amt: `12,3x` is not a number",
        "releve.csv:5 \"Libellé\": ref: required value missing (column `Libellé` is empty)",
        "releve.csv:6 \"Nature\": purpose: `Divers` is not in the value map (expected `Loyer`, `Travaux`)",
        "--rejects FILE.csv",
    ]);
    let document = done.read_text("out.json");
    assert!(document.contains("\"T1\"") && document.contains("\"T6\""));
    assert!(document.contains("\"amt\": -1234.56"), "{document}");
    assert!(!document.contains("\"T2\""));
}

#[test]
fn the_summary_counts_every_row_once() {
    let done = run(&[]);
    let total = done
        .stderr()
        .lines()
        .find(|l| l.starts_with("transactions"))
        .unwrap_or_default()
        .to_string();
    let numbers: Vec<&str> = total.split_whitespace().skip(1).collect();
    assert_eq!(numbers, ["6", "2", "0", "4"], "{total}");
}

#[test]
fn rejects_file_lists_every_rejected_row() {
    let done = run(&["--rejects", "rejets.csv"]);
    done.status(0);
    let rejects = done.read_text("rejets.csv");
    let lines: Vec<&str> = rejects.lines().collect();
    assert_eq!(lines[0], "section,file,sheet,row,column,location,reason,value");
    assert_eq!(lines.len(), 5, "{rejects}");
    assert!(lines[1].starts_with("transactions,releve.csv,,3,Date,"), "{}", lines[1]);
    assert!(rejects.contains("12,3x"));
}

#[test]
fn strict_fails_on_the_first_rejected_row() {
    let done = run(&["--strict"]);
    done.status(1).stderr_has(&["releve.csv:3 \"Date\"", "reqdExctnDt", "--strict"]);
    assert!(!done.dir.join("out.json").exists(), "no document after a strict failure");
}

#[test]
fn filters_leave_rows_out_and_count_them() {
    let mapping = MAPPING.replace(
        "from = \"bank\"",
        "from = \"bank\"\nfilter = { column = \"Nature\", equals = \"Loyer\" }",
    );
    let done = Run::new(&["convert", "--mapping", "m.toml", "releve.csv", "-o", "out.json"])
        .file("m.toml", mapping)
        .file("releve.csv", CSV)
        .env("QLOWER_API_KEY", "k")
        .known_properties(&["B1"])
        .run();
    let line = done
        .status(0)
        .stderr()
        .lines()
        .find(|l| l.starts_with("transactions"))
        .unwrap_or_default()
        .to_string();
    assert_eq!(line.split_whitespace().skip(1).collect::<Vec<_>>(), ["6", "1", "5", "0"]);
}

#[test]
fn identical_rows_get_distinct_stable_ids() {
    let mapping = MAPPING.replace(
        "id = \"Réf\"",
        "id = { hash = [\"Date\", \"Libellé\", \"Débit\"], prefix = \"BQ-\" }",
    );
    let csv = "Réf;Date;Libellé;Débit;Crédit;Nature\n\
        a;01/03/2024;CB MAGASIN;10,00;;Travaux\n\
        b;01/03/2024;CB MAGASIN;10,00;;Travaux\n";
    let convert = || {
        Run::new(&[
            "convert",
            "--mapping",
            "m.toml",
            "r.csv",
            "-o",
            "out.json",
            "--now",
            "2024-04-01T10:00:00",
        ])
        .file("m.toml", &mapping)
        .file("r.csv", csv)
        .env("QLOWER_API_KEY", "k")
        .known_properties(&["B1"])
        .run()
    };
    let first = convert();
    let text = first.status(0).read_text("out.json");
    let ids: Vec<&str> = text.lines().filter(|l| l.contains("\"id\"")).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids[1].contains("-2\""), "{ids:?}");
    assert_eq!(text, convert().read_text("out.json"), "ids are stable across runs");
}

#[test]
fn objects_the_platform_would_refuse_stop_the_document_and_name_their_rows() {
    // `ccy` accepts EUR, USD, GBP: the mapping lets a column's value through.
    let mapping = format!("{MAPPING}ccy = \"Devise\"\n");
    let csv = "Réf;Date;Libellé;Débit;Crédit;Nature;Devise\n\
        T1;01/03/2024;Loyer;;850,00;Loyer;EUR\n\
        T2;02/03/2024;Achat;10,00;;Travaux;CHF\n";
    let run = |extra: &[&str]| {
        Run::new(&["convert", "--mapping", "m.toml", "r.csv", "-o", "out.json"])
            .args(extra)
            .file("m.toml", &mapping)
            .file("r.csv", csv)
            .env("QLOWER_API_KEY", "k")
            .known_properties(&["B1"])
            .run()
    };
    let refused = run(&[]);
    refused.status(1).stderr_has(&[
        "transactions: 1 of 2 failed",
        "r.csv:3 \"Devise\"",
        "PARTIAL_SUCCESS",
        "nothing was written",
        "--allow-partial",
    ]);
    assert!(!refused.dir.join("out.json").exists());
    let written = run(&["--allow-partial"]);
    written.status(0);
    assert!(written.read_text("out.json").contains("\"CHF\""));
}

#[test]
fn unreadable_inputs_get_a_clear_error_never_a_panic() {
    let header_only = "Réf;Date;Libellé;Débit;Crédit;Nature\n";
    let garbage: Vec<u8> =
        (0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let cases: [(&str, &[u8], &str); 4] = [
        ("releve.csv", b"", "has no header row"),
        ("releve.csv", header_only.as_bytes(), "transactions           0         0"),
        ("releve.csv", &garbage, "unknown column `Réf` in `releve.csv`"),
        ("releve.xlsx", CSV.as_bytes(), "cannot open workbook `releve.xlsx`"),
    ];
    for (name, bytes, says) in cases {
        let done = Run::new(&["convert", "--mapping", "m.toml", name, "-o", "out.json"])
            .file("m.toml", MAPPING)
            .file(name, bytes)
            .env("QLOWER_API_KEY", "k")
            .known_properties(&["B1"])
            .run();
        let err = done.stderr();
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
    }
    let short = MAPPING.replace("[inputs.bank]", "[inputs.bank]\nheader_row = 5");
    Run::new(&["convert", "--mapping", "m.toml", "releve.csv", "-o", "out.json"])
        .file("m.toml", short)
        .file("releve.csv", header_only)
        .env("QLOWER_API_KEY", "k")
        .run()
        .status(1)
        .stderr_has(&["has no row 5: it ends at row 1", "lower `header_row`"]);
}
