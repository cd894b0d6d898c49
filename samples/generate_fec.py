#!/usr/bin/env python3
"""Writes two sample FEC files (Fichier des Écritures Comptables), one per
variant the legal format allows, for the same year of a small property SCI:

- 812345676FEC20231231.txt: `Debit` and `Credit` columns, tab-separated,
  Windows-1252, CRLF line ends, `0,00` on the empty side;
- 532109873FEC20231231.txt: `Montant` and `Sens` (D/C) columns,
  `|`-separated, UTF-8, LF line ends.

    python3 samples/generate_fec.py

The files are committed; run this only to change them (then bless the golden
outputs: `QLOAD_BLESS=1 cargo test --test cli fec`).
"""

import pathlib

HERE = pathlib.Path(__file__).resolve().parent

HEAD = ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
        "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib"]
TAIL = ["EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise"]

JOURNALS = {"AN": "A-nouveaux", "BQ": "Banque", "AC": "Achats", "OD": "Opérations diverses"}

# (journal, number, date, piece, label, [(account, account label, aux, aux label, debit, credit)])
ENTRIES = [
    ("AN", "000001", "20230101", "AN2023", "Reprise des soldes au 01/01/2023", [
        ("512000", "Banque Exemple", "", "", 5432.10, 0),
        ("213000", "Constructions", "", "", 185000.00, 0),
        ("164000", "Emprunts auprès des établissements de crédit", "", "", 0, 120000.00),
        ("101000", "Capital", "", "", 0, 70432.10),
    ]),
    ("BQ", "000001", "20230105", "REL0123", "Loyer janvier M. Dupont", [
        ("512000", "Banque Exemple", "", "", 850.00, 0),
        ("411000", "Locataires", "DUPONT", "Dupont Jean", 0, 850.00),
    ]),
    ("BQ", "000002", "20230110", "REL0123", "Échéance prêt immo 0045871", [
        ("164000", "Emprunts auprès des établissements de crédit", "", "", 980.12, 0),
        ("661100", "Intérêts des emprunts", "", "", 254.44, 0),
        ("512000", "Banque Exemple", "", "", 0, 1234.56),
    ]),
    ("AC", "000001", "20230115", "F-EDF-123456", "EDF facture parties communes", [
        ("606100", "Fournitures non stockables", "", "", 53.48, 0),
        ("445660", "TVA déductible", "", "", 10.70, 0),
        ("401000", "Fournisseurs", "EDF", "EDF Entreprises", 0, 64.18),
    ]),
    ("BQ", "000003", "20230120", "REL0123", "Règlement EDF F-EDF-123456", [
        ("401000", "Fournisseurs", "EDF", "EDF Entreprises", 64.18, 0),
        ("512000", "Banque Exemple", "", "", 0, 64.18),
    ]),
    ("BQ", "000004", "20230205", "REL0223", "Loyer février M. Dupont", [
        ("512000", "Banque Exemple", "", "", 850.00, 0),
        ("411000", "Locataires", "DUPONT", "Dupont Jean", 0, 850.00),
    ]),
    ("BQ", "000005", "20230215", "REL0223", "Virement vers livret travaux", [
        ("512000", "Banque Exemple", "", "", 0, 1000.00),
        ("512100", "Livret travaux", "", "", 1000.00, 0),
    ]),
    ("BQ", "000006", "20230228", "REL0223", "Frais tenue de compte", [
        ("627000", "Services bancaires", "", "", 8.50, 0),
        ("512000", "Banque Exemple", "", "", 0, 8.50),
    ]),
    ("BQ", "000007", "20231215", "REL1223", "Taxe foncière 2023", [
        ("635120", "Taxes foncières", "", "", 1152.00, 0),
        ("512000", "Banque Exemple", "", "", 0, 1152.00),
    ]),
    ("OD", "000001", "20231231", "OD1223", "Dotation aux amortissements 2023", [
        ("681100", "Dotations aux amortissements", "", "", 4625.00, 0),
        ("281300", "Amortissements des constructions", "", "", 0, 4625.00),
    ]),
]


def amount(value):
    """FEC amounts: decimal comma, no thousands separator."""
    return f"{value:.2f}".replace(".", ",")


def lines(variant):
    """Yields the header then one list of fields per entry line."""
    middle = ["Debit", "Credit"] if variant == "debit-credit" else ["Montant", "Sens"]
    yield HEAD + middle + TAIL
    for journal, number, date, piece, label, rows in ENTRIES:
        for account, account_label, aux, aux_label, debit, credit in rows:
            head = [journal, JOURNALS[journal], number, date, account, account_label, aux,
                    aux_label, piece, date, label]
            if variant == "debit-credit":
                middle = [amount(debit), amount(credit)]
            else:
                middle = [amount(debit or credit), "D" if debit else "C"]
            yield head + middle + ["", "", date, "", ""]


def write(name, variant, delimiter, encoding, newline):
    text = newline.join(delimiter.join(fields) for fields in lines(variant)) + newline
    (HERE / name).write_bytes(text.encode(encoding))


if __name__ == "__main__":
    write("812345676FEC20231231.txt", "debit-credit", "\t", "cp1252", "\r\n")
    write("532109873FEC20231231.txt", "montant-sens", "|", "utf-8", "\n")
