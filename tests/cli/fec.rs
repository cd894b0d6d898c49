//! The shipped FEC mappings on the sample FEC files, both variants, compared
//! byte for byte with golden documents (`QLOAD_BLESS=1` rewrites them).

use crate::golden::assert_golden;
use crate::harness::{repo, Run};

fn convert(mapping: &str, sample: &str) -> crate::harness::Done {
    Run::new(&["convert", "--mapping"])
        .path(repo(mapping))
        .args(&["--var", "property=BIEN-001", "--now", "2024-04-02T09:30:00", "-o", "out.json"])
        .args(&["--known"])
        .path(repo("tests/golden/property-register.json"))
        .path(repo(sample))
        .env("QLOWER_API_KEY", "test-key")
        .run()
}

#[test]
fn debit_credit_fec_keeps_bank_lines_seen_from_the_bank() {
    let done = convert("mappings/fec.toml", "samples/812345676FEC20231231.txt");
    done.status(0).stderr_has(&["transactions          24         8        16         0"]);
    assert_golden("fec-debit-credit.json", &done.read("out.json"));
}

#[test]
fn montant_sens_fec_gives_the_same_transactions() {
    let done = convert("mappings/fec-montant-sens.toml", "samples/532109873FEC20231231.txt");
    done.status(0);
    assert_golden("fec-montant-sens.json", &done.read("out.json"));
    let other = convert("mappings/fec.toml", "samples/812345676FEC20231231.txt");
    assert_eq!(done.read("out.json"), other.read("out.json"));
}

#[test]
fn fec_mapping_needs_the_property_variable() {
    Run::new(&["convert", "--mapping"])
        .path(repo("mappings/fec.toml"))
        .path(repo("samples/812345676FEC20231231.txt"))
        .env("QLOWER_API_KEY", "test-key")
        .run()
        .status(1)
        .stderr_has(&["variable `property` is not set", "--var property=VALUE"]);
}

#[test]
fn wrong_sense_value_is_rejected_with_its_line() {
    let fec = "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|\
CompAuxLib|PieceRef|PieceDate|EcritureLib|Montant|Sens|EcritureLet|DateLet|ValidDate|\
Montantdevise|Idevise\n\
BQ|Banque|1|20230105|512000|Banque|||R1|20230105|Loyer|850,00|X|||20230105||\n\
BQ|Banque|1|20230105|411000|Locataires|||R1|20230105|Loyer|850,00|C|||20230105||\n";
    Run::new(&["convert", "--mapping"])
        .path(repo("mappings/fec-montant-sens.toml"))
        .args(&[
            "--var",
            "property=BIEN-01",
            "--strict",
            "-o",
            "out.json",
            "123456789FEC20231231.txt",
        ])
        .file("123456789FEC20231231.txt", fec)
        .env("QLOWER_API_KEY", "test-key")
        .run()
        .status(1)
        .stderr_has(&["123456789FEC20231231.txt:2", "sense `X`"]);
}
