//! `init` drafts a mapping that converts the shipped samples as generated,
//! guesses fields from French and English headers and values, and marks what
//! is left to decide.

use crate::harness::{repo, Done, Run};

/// Runs `init` on a file and returns the mapping it wrote.
fn init(file: &str, args: &[&str]) -> String {
    let done = Run::new(&["init"]).path(repo(file)).args(args).args(&["-o", "m.toml"]).run();
    done.status(0);
    assert!(done.stdout().is_empty(), "stdout: {}", done.stdout());
    done.read_text("m.toml")
}

/// Converts `file` with a mapping's text.
fn convert(mapping: &str, file: &str, vars: &[&str]) -> Done {
    let mut run = Run::new(&["convert", "--mapping", "m.toml", "-o", "out.json"]);
    for var in vars {
        run = run.args(&["--var", var]);
    }
    run.path(repo(file))
        .args(&["--now", "2024-04-02T09:30:00"])
        .file("m.toml", mapping)
        .env("QLOWER_API_KEY", "test-key")
        .known_properties(&["BIEN-01"])
        .run()
}

#[test]
fn bank_statement_mapping_converts_as_generated() {
    let mapping = init("samples/releve-2024-03.csv", &[]);
    for line in [
        "encoding = \"windows-1252\"",
        "delimiter = \";\"",
        "header_row = 5                           # 4 preamble line(s) sit above the header",
        "stop_at = \"^Total\"",
        "reqdExctnDt = { column = \"Date\", date = \"%d/%m/%Y\" }",
        "id-prty = { var = \"property\" }",
        "amt = { debit = \"Débit\", credit = \"Crédit\", decimal = \",\" }",
        "ref = \"Libellé\"",
        "#   \"Date valeur\" (date %d/%m/%Y): 01/03/2024",
        "# DECIDE: the partner id",
        "--var property=BIEN-01 releve-2024-03.csv",
    ] {
        assert!(mapping.contains(line), "mapping lacks {line:?}\n{mapping}");
    }
    convert(&mapping, "samples/releve-2024-03.csv", &["property=BIEN-01"])
        .status(0)
        .stderr_has(&["transactions          15        15", "validation: SUCCESS: 15 objects"]);
}

#[test]
fn register_workbook_maps_every_sheet_nested_by_key() {
    let mapping = init("samples/patrimoine.xlsx", &[]);
    for line in [
        "sheet = \"Biens\"",
        "header_row = 3",
        "stop_at = \"^Total\"",
        "parent = { section = \"declarants\", key = \"Code déclarant\" }",
        "parent = { section = \"properties\", key = \"Code bien\" }",
        "legalStatusId = { column = \"Forme juridique\", map = { SCI = \"6540\", \"Nom propre\" = \"1000\" } }",
        "furnished = { column = \"Meublé\", map = { Non = \"N\", Oui = \"O\" } }",
        "constructionDate = { column = \"Date de construction\", date = \"%d/%m/%Y\" }",
        "civility = { column = \"Civilité\", map = { \"M.\" = \"M\", Mme = \"MME\" } }",
    ] {
        assert!(mapping.contains(line), "mapping lacks {line:?}\n{mapping}");
    }
    convert(&mapping, "samples/patrimoine.xlsx", &[])
        .status(0)
        .stderr_has(&["validation: SUCCESS: 10 objects, 10 passed, 0 failed"]);
}

#[test]
fn one_sheet_as_one_section() {
    let mapping =
        init("samples/patrimoine.xlsx", &["--sheet", "Déclarants", "--section", "declarants"]);
    assert!(!mapping.contains("[properties]"));
    convert(&mapping, "samples/patrimoine.xlsx", &[])
        .status(0)
        .stderr_has(&["validation: SUCCESS: 2 objects, 2 passed, 0 failed"]);
}

#[test]
fn stdout_gets_the_same_mapping_as_the_output_file() {
    let file = init("samples/releve-2024-03.csv", &["--partner", "acme"]);
    let done =
        Run::new(&["init", "--partner", "acme"]).path(repo("samples/releve-2024-03.csv")).run();
    assert_eq!(done.status(0).stdout(), file);
    assert!(file.contains("partner = \"acme\""));
    assert!(!file.contains("my-partner"));
}

#[test]
fn english_headers_and_a_signed_amount() {
    let csv = "Transaction date,Description,Amount,Notes\n\
               2024-01-05,Rent January,850.00,\n\
               2024-01-09,Insurance,-23.90,yearly\n";
    let done = Run::new(&["init", "bank.csv"]).file("bank.csv", csv).run();
    let mapping = done.status(0).stdout();
    for line in [
        "delimiter = \",\"",
        "header_row = 1",
        "reqdExctnDt = { column = \"Transaction date\", date = \"%Y-%m-%d\" }",
        "amt = \"Amount\"",
        "ref = \"Description\"",
        "#   \"Notes\" (text): yearly",
    ] {
        assert!(mapping.contains(line), "mapping lacks {line:?}\n{mapping}");
    }
    Run::new(&["convert", "--mapping", "m.toml", "--var", "property=B1", "-o", "out.json"])
        .args(&["bank.csv"])
        .known_properties(&["B1"])
        .file("m.toml", &mapping)
        .file("bank.csv", csv)
        .env("QLOWER_API_KEY", "test-key")
        .run()
        .status(0);
}

#[test]
fn a_required_field_no_column_holds_is_left_to_decide() {
    let csv = "Code;Raison sociale;Forme juridique;Ville;CP\nD1;SCI A;SCI;Lyon;69002\n";
    let done =
        Run::new(&["init", "decl.csv", "--section", "declarants"]).file("decl.csv", csv).run();
    let mapping = done.status(0).stdout();
    assert!(mapping.contains("# DECIDE: no column holds `address`"), "{mapping}");
    assert!(mapping.contains("address = { var = \"address\" }"), "{mapping}");
    assert!(mapping.contains("postCode = { column = \"CP\", pad = 5 }"), "{mapping}");
    Run::new(&["convert", "--mapping", "m.toml", "decl.csv"])
        .file("m.toml", &mapping)
        .file("decl.csv", csv)
        .env("QLOWER_API_KEY", "test-key")
        .run()
        .status(1)
        .stderr_has(&["variable `address` is not set"]);
}

#[test]
fn unknown_codes_are_marked_and_left_out_of_the_map() {
    let csv = "Code;Raison sociale;Forme juridique;Adresse;Ville;Code postal\n\
               D1;SCI A;SCI;1 rue A;Lyon;69002\nD2;GIE B;GIE;2 rue B;Lyon;69003\n";
    let done = Run::new(&["init", "decl.csv"]).file("decl.csv", csv).run();
    let mapping = done.status(0).stdout();
    assert!(mapping.contains("[declarants]"), "{mapping}");
    assert!(mapping.contains("# DECIDE: no code known for `GIE`"), "{mapping}");
    assert!(mapping.contains("map = { SCI = \"6540\" }"), "{mapping}");
}

#[test]
fn fec_points_to_the_shipped_mappings() {
    let mapping = init("samples/812345676FEC20231231.txt", &[]);
    assert!(mapping.contains("# mappings/fec.toml (Debit/Credit)"), "{mapping}");
    assert!(mapping.contains("delimiter = \"tab\""), "{mapping}");
    assert!(mapping.contains("reqdExctnDt = { column = \"EcritureDate\", date = \"%Y%m%d\" }"));
}

#[test]
fn unknown_section_is_a_usage_error() {
    Run::new(&["init", "x.csv", "--section", "biens"])
        .run()
        .status(2)
        .stderr_has(&["invalid value 'biens'", "declarants, properties"]);
}
