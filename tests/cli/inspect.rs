//! `inspect` on the shipped samples: dialect, sheets, header, footer and
//! column types, as text within 80 columns and as JSON.

use crate::harness::{repo, Run};

fn inspect(args: &[&str], file: &str) -> crate::harness::Done {
    Run::new(&["inspect"]).path(repo(file)).args(args).run()
}

fn assert_fits_80_columns(text: &str) {
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "line wider than 80 columns: {line:?}");
    }
}

#[test]
fn bank_statement_shows_its_dialect_preamble_and_footer() {
    let done = inspect(&[], "samples/releve-2024-03.csv");
    done.status(0).stdout_has(&[
        "encoding   windows-1252",
        "delimiter  ;",
        "preamble   4 line(s) above the header:",
        "      1  Banque Exemple - Relevé de compte;;;;",
        "header     line 5",
        "data       15 row(s)",
        "footer     line 22: `Total des opérations` (the data ends above)",
        "A    Date                   date %d/%m/%Y        01/03/2024 | 02/03/2024",
        "D    Débit                  number, decimal ','  1\u{a0}234,56 | 64,18 | 187,40",
    ]);
    assert_fits_80_columns(&done.stdout());
}

#[test]
fn workbook_lists_its_sheets_and_their_columns() {
    let done = inspect(&[], "samples/patrimoine.xlsx");
    done.status(0).stdout_has(&[
        "samples/patrimoine.xlsx: workbook, 4 sheet(s)",
        "  Biens                    A1:X7",
        "sheet `Biens`",
        "footer     row 7: `Total`",
        "P    Date d'acquisition     date (date cells)    2016-05-20 | 2019-10-03",
        "O    Email                  text (email)",
    ]);
    assert_fits_80_columns(&done.stdout());
}

#[test]
fn one_sheet_by_name_or_number() {
    let by_name = inspect(&["--sheet", "Documents"], "samples/patrimoine.xlsx");
    by_name.status(0).stdout_has(&["workbook, 1 sheet(s)", "sheet `Documents`"]);
    assert!(!by_name.stdout().contains("sheet `Biens`"));
    let by_number = inspect(&["--sheet", "4"], "samples/patrimoine.xlsx");
    assert_eq!(by_number.stdout(), by_name.stdout());
}

#[test]
fn unknown_sheet_names_the_sheets_there_are() {
    inspect(&["--sheet", "Bien"], "samples/patrimoine.xlsx")
        .status(1)
        .stderr_has(&["has no sheet `Bien`", "the workbook's sheets are `Déclarants`, `Biens`"]);
}

#[test]
fn json_carries_the_same_facts() {
    let done = inspect(&["--json"], "samples/releve-2024-03.csv");
    let json: serde_json::Value = serde_json::from_str(&done.status(0).stdout()).expect("json");
    assert_eq!(json["format"], "csv");
    assert_eq!(json["encoding"], "windows-1252");
    assert_eq!(json["delimiter"], ";");
    assert_eq!(json["header_row"], 5);
    assert_eq!(json["preamble"].as_array().map(Vec::len), Some(4));
    assert_eq!(json["footer"]["row"], 22);
    assert_eq!(json["columns"][0]["type"], "date");
    assert_eq!(json["columns"][0]["format"], "%d/%m/%Y");
    assert_eq!(json["columns"][3]["decimal"], ",");
    assert_eq!(json["columns"][2]["values"][0], "PRLV SEPA ECHEANCE PRET IMMO 0045871");
}

#[test]
fn json_for_a_workbook_lists_sheets_even_with_logs_on() {
    let done = Run::new(&["-vv", "inspect", "--json"]).path(repo("samples/patrimoine.xlsx")).run();
    let json: serde_json::Value = serde_json::from_str(&done.status(0).stdout()).expect("json");
    assert_eq!(json["sheets"][1]["name"], "Biens");
    assert_eq!(json["sheets"][1]["range"], "A1:X7");
    assert_eq!(json["sheets"][1]["header_row"], 3);
    assert_eq!(json["sheets"][0]["columns"][3]["shape"], "SIREN");
}

#[test]
fn fec_is_tab_separated_with_compact_dates() {
    inspect(&[], "samples/812345676FEC20231231.txt").status(0).stdout_has(&[
        "delimiter  tab",
        "preamble   none",
        "D    EcritureDate           date %Y%m%d",
        "L    Debit                  number, decimal ','",
    ]);
    inspect(&[], "samples/532109873FEC20231231.txt")
        .status(0)
        .stdout_has(&["encoding   utf-8", "delimiter  |"]);
}

#[test]
fn missing_file_is_an_error_with_its_name() {
    Run::new(&["inspect", "nope.csv"]).run().status(1).stderr_has(&["cannot read `nope.csv`"]);
}
