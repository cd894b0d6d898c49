//! The source stage on every format: CSV dialects and encodings, workbooks in
//! xlsx, xlsm, xls and ods, with their header rows, dates, errors and blanks.

use qload::source::{self, Cell, InputSpec, SheetRef};

use super::harness::repo;

fn rows_of(spec: &InputSpec) -> (std::sync::Arc<source::Table>, Vec<source::Row>) {
    let opened = source::open(spec).expect("source opens");
    let rows = opened.rows.map(|r| r.expect("row reads")).collect();
    (opened.table, rows)
}

fn csv_file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> InputSpec {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("fixture written");
    InputSpec { path, ..InputSpec::default() }
}

#[test]
fn workbooks_of_every_format_read_the_same() {
    for ext in ["xlsx", "xlsm", "xls", "ods"] {
        let spec = InputSpec {
            path: repo(&format!("tests/fixtures/cells.{ext}")),
            ..InputSpec::default()
        };
        let (table, rows) = rows_of(&spec);
        assert_eq!(table.header_row, 3, "{ext}: header found under the merged title");
        assert_eq!(
            table.columns,
            ["Code", "Date", "Date texte", "Surface", "Actif", "Calcul"],
            "{ext}"
        );
        let b1 = &rows[0];
        assert_eq!(b1.number, 4, "{ext}");
        assert_eq!(b1.cell(0), &Cell::Text("B1".into()), "{ext}");
        let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        match b1.cell(1) {
            Cell::Date(when) => assert_eq!(when.date(), date, "{ext}"),
            Cell::Number(serial) => assert_eq!(*serial, 45322.0, "{ext}: a serial"),
            other => panic!("{ext}: date cell read as {other:?}"),
        }
        assert_eq!(b1.cell(3), &Cell::Number(68.5), "{ext}");
        assert_eq!(b1.cell(4), &Cell::Bool(true), "{ext}");
        assert!(rows.iter().any(|r| r.is_blank()), "{ext}: the empty row is kept as blank");
        assert_eq!(table.at(b1.number, Some(3)).to_string(), "Biens!D4 \"Surface\"", "{ext}");
    }
}

#[test]
fn error_cells_are_read_as_errors() {
    let spec = InputSpec { path: repo("tests/fixtures/cells.xlsx"), ..InputSpec::default() };
    let (_, rows) = rows_of(&spec);
    assert_eq!(rows[1].cell(5), &Cell::Error("#N/A".into()));
    assert_eq!(rows[3].cell(5), &Cell::Error("#DIV/0!".into()));
}

#[test]
fn a_sheet_is_chosen_by_name_or_number() {
    let by_index = InputSpec {
        path: repo("tests/fixtures/cells.xlsx"),
        sheet: Some(SheetRef::Index(1)),
        header_row: Some(3),
        ..InputSpec::default()
    };
    assert_eq!(rows_of(&by_index).0.sheet.as_deref(), Some("Biens"));
    let missing = InputSpec { sheet: Some(SheetRef::Name("Bien".into())), ..by_index };
    let err = source::open(&missing).err().expect("no such sheet").to_string();
    assert!(err.contains("has no sheet `Bien`"), "{err}");
}

#[test]
fn csv_dialects_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8]); 4] = [
        ("comma.csv", b"Date,Libelle,Montant\n01/03/2024,\"Loyer, mars\",850.00\n"),
        ("tab.tsv", b"Date\tLibelle\tMontant\n01/03/2024\tLoyer mars\t850,00\n"),
        ("pipe.txt", b"Date|Libelle|Montant\n01/03/2024|Loyer mars|850,00\n"),
        ("bom.csv", b"\xEF\xBB\xBFDate;Libell\xC3\xA9;Montant\n01/03/2024;Loyer mars;850,00\n"),
    ];
    for (name, bytes) in cases {
        let (table, rows) = rows_of(&csv_file(&dir, name, bytes));
        assert_eq!(table.columns.len(), 3, "{name}: {:?}", table.columns);
        assert_eq!(table.columns[0], "Date", "{name}: no BOM left in the first header");
        assert_eq!(rows[0].cells.len(), 3, "{name}");
    }
}

#[test]
fn windows_1252_and_latin1_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = b"Date;D\xe9bit;Cr\xe9dit\n01/03/2024;12,50;\n";
    let (table, _) = rows_of(&csv_file(&dir, "cp1252.csv", bytes));
    assert_eq!(table.columns, ["Date", "Débit", "Crédit"], "detected");
    let mut named = csv_file(&dir, "latin1.csv", bytes);
    named.encoding = Some("iso-8859-1".into());
    assert_eq!(rows_of(&named).0.columns[1], "Débit", "named in the mapping");
}

#[test]
fn quoted_fields_keep_delimiters_and_newlines_and_lines_stay_right() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = b"Export du 01/04/2024;;\r\n\r\nDate;Libell\xe9;Montant\r\n01/03/2024;\"Loyer; appt 3\r\nsuite\";850,00\r\n02/03/2024;EDF;-45,10\r\n";
    let (table, rows) = rows_of(&csv_file(&dir, "releve.csv", bytes));
    assert_eq!(table.header_row, 3);
    assert_eq!(rows[0].cell(1), &Cell::Text("Loyer; appt 3\r\nsuite".into()));
    assert_eq!(rows[0].number, 4);
    assert_eq!(rows[1].number, 6, "the quoted newline counts as a line");
    assert!(table.at(6, Some(2)).to_string().ends_with("/releve.csv:6 \"Montant\""));
}

#[test]
fn the_header_row_can_be_given() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = csv_file(&dir, "h.csv", b"a;b;c\nDate;Libelle;Montant\n1;2;3\n");
    spec.header_row = Some(2);
    let (table, rows) = rows_of(&spec);
    assert_eq!(table.columns[0], "Date");
    assert_eq!(rows.len(), 1);
}
