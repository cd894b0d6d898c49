//! A wrong mapping is refused before any row is read, with every problem
//! pointing at its line in the TOML file and a hint when one is close.

use super::harness::Run;

const CSV: &str = "Date;Libellé;Montant\n01/03/2024;Loyer mars;850,00\n";

fn convert(mapping: &str) -> super::harness::Done {
    Run::new(&["convert", "--mapping", "m.toml", "releve.csv", "-o", "out.json"])
        .file("m.toml", mapping)
        .file("releve.csv", CSV)
        .env("QLOWER_API_KEY", "k")
        .known_properties(&["B1"])
        .run()
}

const HEAD: &str = "[loader]\npartner = \"p\"\n[inputs.bank]\ndelimiter = \";\"\n";

fn with_fields(fields: &str) -> String {
    format!("{HEAD}[transactions]\nfrom = \"bank\"\n[transactions.fields]\n{fields}")
}

const GOOD: &str = "id = { hash = [\"Date\", \"Libellé\"] }\n\
    reqdExctnDt = { column = \"Date\", date = \"%d/%m/%Y\" }\n\
    \"id-prty\" = { const = \"B1\" }\n\
    amt = { column = \"Montant\" }\n\
    ref = \"Libellé\"\n";

#[test]
fn the_reference_mapping_of_these_tests_converts() {
    convert(&with_fields(GOOD)).status(0);
}

#[test]
fn a_typo_in_a_key_is_located_with_a_hint() {
    let mapping = with_fields(GOOD).replace("from = \"bank\"", "form = \"bank\"");
    convert(&mapping).status(1).stderr_has(&[
        "unknown key `form` in `[transactions]`",
        "did you mean `from`?",
        "m.toml:6:1",
    ]);
}

#[test]
fn an_unknown_column_is_located_with_the_closest_header() {
    let mapping = with_fields(GOOD)
        .replace("amt = { column = \"Montant\" }", "amt = { column = \"Montnat\" }");
    convert(&mapping).status(1).stderr_has(&[
        "unknown column `Montnat` in `releve.csv`",
        "did you mean `Montant`?",
        "m.toml:11:18",
    ]);
}

#[test]
fn a_column_without_its_accent_is_suggested_with_it() {
    let mapping = with_fields(GOOD).replace("ref = \"Libellé\"", "ref = \"Libelle\"");
    convert(&mapping)
        .status(1)
        .stderr_has(&["unknown column `Libelle`", "did you mean `Libellé`?"]);
}

#[test]
fn a_bad_date_format_is_refused() {
    let mapping = with_fields(GOOD).replace("%d/%m/%Y", "%d/%m/%Y%");
    convert(&mapping)
        .status(1)
        .stderr_has(&["date format `%d/%m/%Y%` is not a valid strftime format", "m.toml:9:"]);
    let incomplete = with_fields(GOOD).replace("%d/%m/%Y", "%d/%m");
    convert(&incomplete).status(1).stderr_has(&["does not give a year, a month and a day"]);
}

#[test]
fn an_unknown_loader_field_gets_a_hint() {
    let mapping = with_fields(GOOD).replace("reqdExctnDt =", "reqdExctDt =");
    convert(&mapping).status(1).stderr_has(&[
        "unknown loader field `reqdExctDt` for transactions",
        "did you mean `reqdExctnDt`?",
        "required field `reqdExctnDt` of transactions is not mapped",
    ]);
}

#[test]
fn every_problem_is_reported_at_once() {
    let mapping = with_fields(GOOD)
        .replace("from = \"bank\"", "from = \"bank\"\nsheet_name = \"x\"")
        .replace("ref = \"Libellé\"", "ref = \"Libelle\"\ncurrency = \"EUR\"");
    convert(&mapping).status(1).stderr_has(&[
        "has 3 problems",
        "unknown key `sheet_name`",
        "unknown column `Libelle`",
        "unknown loader field `currency`",
    ]);
}

#[test]
fn the_api_key_cannot_be_written_in_the_mapping() {
    let mapping =
        with_fields(GOOD).replace("partner = \"p\"", "partner = \"p\"\napi_key = \"abc123\"");
    let done = convert(&mapping);
    done.status(1).stderr_has(&["the api key must come from the environment", "api_key = { env ="]);
}

#[test]
fn invalid_toml_is_located() {
    convert("[loader\npartner = 1").status(1).stderr_has(&["invalid TOML", "m.toml:1:"]);
}

#[test]
fn wrong_value_types_and_choices_are_located() {
    let mapping = with_fields(GOOD)
        .replace("partner = \"p\"", "partner = \"p\"\nenvironment = \"production\"");
    convert(&mapping)
        .status(1)
        .stderr_has(&["`environment` is `production`, expected one of stg, prod"]);
}

#[test]
fn a_nested_section_needs_its_parent() {
    let mapping = format!(
        "{HEAD}[associates]\nfrom = \"bank\"\n[associates.fields]\nid = \"Date\"\ncivility = {{ const = \"M\" }}\nemail = \"Libellé\"\n"
    );
    convert(&mapping).status(1).stderr_has(&["associates exist only inside a declarant"]);
}
