//! Converting from workbooks: cells located as `Sheet!C17`, error cells and
//! empty rows handled, a totals row ending the data; and the 2.2 grouping
//! of every section by client.

use super::harness::{repo, Run};

const MAPPING: &str = r#"
[loader]
partner = "p"
[inputs.wb]
sheet = 1
stop_at = "^Total$"
[transactions]
from = "wb"
[transactions.fields]
id = "Code"
reqdExctnDt = "Date"
"id-prty" = { const = "B1" }
amt = "Surface"
ref = { template = "{Code} du {Date texte}" }
purpose = "Calcul"
"#;

#[test]
fn error_cells_reject_their_row_with_the_cell_named() {
    for ext in ["xlsx", "ods"] {
        let done = Run::new(&["convert", "--mapping", "m.toml", "-o", "out.json"])
            .path(repo(&format!("tests/fixtures/cells.{ext}")))
            .file("m.toml", MAPPING)
            .env("QLOWER_API_KEY", "k")
            .known_properties(&["B1"])
            .run();
        let err = done.status(0).stderr();
        if ext == "xlsx" {
            assert!(err.contains("Biens!F5 \"Calcul\": purpose: error cell `#N/A`"), "{err}");
        }
        let line =
            err.lines().find(|l| l.starts_with("transactions")).unwrap_or_default().to_string();
        let counts: Vec<&str> = line.split_whitespace().skip(1).collect();
        assert_eq!(
            counts[0], "3",
            "{ext}: three data rows, the blank row and the totals row left out: {err}"
        );
        let doc = done.read_text("out.json");
        assert!(doc.contains(r#""reqdExctnDt": "2024-01-31""#), "{ext}: {doc}");
        assert!(doc.contains(r#""ref": "B1 du 15/06/1975""#), "{ext}");
    }
}

const CLIENTS: &str = r#"
[loader]
partner = "agency"
[inputs.props]
path = "biens.csv"
[inputs.bank]
path = "releve.csv"

[clients]
key = "Email client"
[clients.fields]
email = "Email client"
firstName = "Prénom client"
lastName = "Nom client"

[properties]
from = "props"
[properties.fields]
id = "Code"
description = "Désignation"
streetName = "Rue"
townName = "Ville"
postCode = "CP"
lastName = "Nom client"
firstName = "Prénom client"
email = "Email client"
acquisitionDate = { column = "Achat", date = "%d/%m/%Y" }

[transactions]
from = "bank"
[transactions.fields]
id = "Réf"
reqdExctnDt = { column = "Date", date = "%d/%m/%Y" }
"id-prty" = "Bien"
amt = "Montant"
ref = "Libellé"
"id-tenant" = "Locataire"
"#;

#[test]
fn a_client_key_groups_sections_by_client_in_profile_2_2() {
    let props = "Code;Désignation;Rue;Ville;CP;Achat;Email client;Prénom client;Nom client\n\
        P1;Studio;rue A;Lyon;69001;01/02/2020;ana@example.fr;Ana;Roux\n\
        P2;Maison;rue B;Nice;06000;03/04/2021;bo@example.fr;Bo;Lin\n";
    let bank = "Réf;Date;Bien;Montant;Libellé;Locataire;Email client;Prénom client;Nom client\n\
        T1;01/03/2024;P1;500,00;Loyer;L-9;ana@example.fr;Ana;Roux\n\
        T2;02/03/2024;P2;-80,00;Eau;;bo@example.fr;Bo;Lin\n\
        T3;03/03/2024;P1;-20,00;Frais;;ana@example.fr;Ana;Roux\n";
    let done = Run::new(&[
        "convert",
        "--mapping",
        "m.toml",
        "-o",
        "out.json",
        "--now",
        "2024-04-01T10:00:00",
    ])
    .file("m.toml", CLIENTS)
    .file("biens.csv", props)
    .file("releve.csv", bank)
    .env("QLOWER_API_KEY", "k")
    .run();
    done.status(0);
    let doc: serde_json::Value = serde_json::from_str(&done.read_text("out.json")).expect("json");
    let clients = doc["clients"].as_array().expect("a clients array");
    assert_eq!(clients.len(), 2);
    assert_eq!(clients[0]["client"]["email"], "ana@example.fr");
    assert_eq!(clients[0]["transactions"].as_array().map(Vec::len), Some(2));
    assert_eq!(clients[0]["transactions"][0]["id-tenant"], "L-9");
    assert_eq!(clients[1]["properties"][0]["id"], "P2");
    assert!(doc.get("transactions").is_none(), "no root sections in 2.2");
}
