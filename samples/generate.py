#!/usr/bin/env python3
"""Writes the shipped samples: a bank statement export (Windows-1252 CSV) and
a property register workbook (.xlsx), shaped like real exports.

    pip install openpyxl && python3 samples/generate.py

The files are committed; run this only to change them (then update the
golden outputs under tests/golden/).
"""

import datetime as dt
import pathlib

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

HERE = pathlib.Path(__file__).resolve().parent
NBSP = "\u00a0"


def money(value):
    """French bank formatting: 1 234,56 with a non-breaking space."""
    if value is None:
        return ""
    whole, cents = f"{value:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return NBSP.join(groups) + "," + cents


def bank_statement():
    rows = [
        ("01/03/2024", "01/03/2024", "PRLV SEPA ECHEANCE PRET IMMO 0045871", 1234.56, None),
        ("02/03/2024", "02/03/2024", "VIR SEPA LOYER MARS M. DUPONT", None, 850.00),
        ("04/03/2024", "04/03/2024", "VIR SEPA LOYER MARS MME LEROY", None, 720.00),
        ("05/03/2024", "05/03/2024", "PRLV SEPA EDF FACTURE 000123456", 64.18, None),
        ("07/03/2024", "06/03/2024", "CB LEROY MERLIN 06/03 VALENCE", 187.40, None),
        ("08/03/2024", "08/03/2024", "VIR SYNDIC FONCIA APPEL CHARGES T1", 412.00, None),
        ("11/03/2024", "11/03/2024", "PRLV SEPA AXA ASSURANCE PNO", 23.90, None),
        ("12/03/2024", "12/03/2024", "VIR SEPA LOYER; APPT 3B\nCOMPLEMENT FEVRIER", None, 120.00),
        ("15/03/2024", "15/03/2024", "PRLV TAXE FONCIERE DGFIP MENSUALITE", 96.00, None),
        ("18/03/2024", "18/03/2024", "CB LEROY MERLIN 16/03 VALENCE", 187.40, None),
        ("18/03/2024", "18/03/2024", "CB LEROY MERLIN 16/03 VALENCE", 187.40, None),
        ("20/03/2024", "20/03/2024", "REMISE CHEQUE 1234567 DEPOT GARANTIE", None, 1700.00),
        ("25/03/2024", "25/03/2024", "ARTISAN PLOMBERIE MARTIN FACT 2024-117", 2345.67, None),
        ("29/03/2024", "31/03/2024", "FRAIS TENUE DE COMPTE", 8.50, None),
        ("29/03/2024", "31/03/2024", "COTISATION CARTE VISA", 4.25, None),
    ]
    lines = [
        "Banque Exemple - Relevé de compte;;;;",
        "Compte courant n° 00012345678 - SCI LES TILLEULS;;;;",
        "Période du 01/03/2024 au 31/03/2024;;;;",
        ";;;;",
        "Date;Date valeur;Libellé;Débit;Crédit",
    ]
    for date, value_date, label, debit, credit in rows:
        if ";" in label or "\n" in label:
            label = '"' + label.replace('"', '""') + '"'
        lines.append(f"{date};{value_date};{label};{money(debit)};{money(credit)}")
    debits = sum(r[3] or 0 for r in rows)
    credits = sum(r[4] or 0 for r in rows)
    lines.append(f"Total des opérations;;;{money(debits)};{money(credits)}")
    lines.append("Solde au 31/03/2024;;;;12" + NBSP + "345,67")
    text = "\r\n".join(lines) + "\r\n"
    (HERE / "releve-2024-03.csv").write_bytes(text.encode("cp1252"))


TITLE_FONT = Font(bold=True, size=14)
HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def sheet(workbook, name, title, headers, rows, formats=None, total=None):
    ws = workbook.create_sheet(name)
    ws.cell(row=1, column=1, value=title).font = TITLE_FONT
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=3, column=col, value=header)
        cell.font = HEAD_FONT
        cell.fill = HEAD_FILL
        ws.column_dimensions[cell.column_letter].width = max(12, len(header) + 2)
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            header = headers[c - 1]
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            elif formats and header in formats:
                cell.number_format = formats[header]
    if total:
        r = 4 + len(rows)
        for c, value in total.items():
            ws.cell(row=r, column=c, value=value).font = HEAD_FONT
    return ws


def register():
    wb = Workbook()
    wb.remove(wb.active)
    title = "Registre du patrimoine - Cabinet Martin & Associés"
    sheet(wb, "Déclarants", title, [
        "Code", "Raison sociale", "Forme juridique", "SIREN", "NIC", "Imposition",
        "Catégorie fiscale", "Régime fiscal", "Début d'activité", "Adresse", "Code postal",
        "Ville", "SIRET OGA", "Nom OGA",
    ], [
        ("DEC-001", "SCI LES TILLEULS", "SCI", "812345676", "00017", "IR", "Revenus fonciers",
         "Réel simplifié", dt.date(2016, 4, 1), "12 rue des Tilleuls", "01000",
         "Bourg-en-Bresse", "50312498400017", "OGA Rhône-Alpes"),
        ("DEC-002", "DUPONT Marie", "Nom propre", None, None, "IR", "BIC",
         "Réel normal", dt.date(2019, 9, 15), "4 place Bellecour", "69002", "Lyon", None, None),
    ])
    sheet(wb, "Biens", title, [
        "Code bien", "Code déclarant", "Désignation", "Type de bien", "Meublé", "Gestion", "N°",
        "Rue", "Complément", "Code postal", "Ville", "Nom propriétaire", "Prénom propriétaire",
        "Téléphone", "Email", "Date d'acquisition", "Date de construction", "Pièces",
        "Surface (m²)", "Étage", "TVA", "Régime fiscal", "Prix de revient", "Frais de notaire",
    ], [
        ("BIEN-001", "DEC-001", "Appartement T3 Tilleuls", "Appartement", "Non", "Directe", "12",
         "rue des Tilleuls", "Bâtiment B", "01000", "Bourg-en-Bresse", "Martin", "Paul",
         "0474000001", "paul.martin@example.fr", dt.date(2016, 5, 20), "15/06/1975", 3, 68.5, 2,
         "Non", "Réel", 185000.00, 13250.40),
        ("BIEN-002", "DEC-001", "Parking sous-sol Tilleuls", "Parking", "Non", "Directe", "12",
         "rue des Tilleuls", None, "01000", "Bourg-en-Bresse", "Martin", "Paul", None,
         "paul.martin@example.fr", dt.date(2016, 5, 20), None, None, 12.0, -1, "Non", "Réel",
         15000.00, 1200.00),
        ("BIEN-003", "DEC-002", "Studio meublé Croix-Rousse", "Appartement", "Oui", "Agence", "7",
         "montée de la Grande Côte", None, "69001", "Lyon", "Dupont", "Marie", "0612345678",
         "marie.dupont@example.fr", dt.date(2019, 10, 3), "01/01/1910", 1, 24.75, 3, "Non",
         "LMNP réel", 132500.50, 9800.00),
    ], formats={"Prix de revient": "#,##0.00 €", "Frais de notaire": "#,##0.00 €"},
        total={1: "Total", 19: 105.25, 23: 332500.50})
    sheet(wb, "Associés", title, [
        "Code associé", "Code déclarant", "Civilité", "Prénom", "Nom", "Adresse", "Ville", "Email",
        "Gérant",
    ], [
        ("ASS-001", "DEC-001", "M.", "Paul", "Martin", "3 allée des Pins", "Bourg-en-Bresse",
         "paul.martin@example.fr", "Oui"),
        ("ASS-002", "DEC-001", "Mme", "Claire", "Martin", "3 allée des Pins", "Bourg-en-Bresse",
         "claire.martin@example.fr", "Non"),
    ])
    sheet(wb, "Documents", title, [
        "Référence", "Code bien", "Nom du fichier", "Type de document", "Année", "Lien",
    ], [
        ("DOC-001", "BIEN-001", "acte-vente-tilleuls.pdf", "Acte notarié", 2016,
         "https://docs.example.fr/cabinet-martin/acte-vente-tilleuls.pdf"),
        ("DOC-002", "BIEN-001", "tableau-amortissement-2024.pdf", "Tableau d'amortissement", 2024,
         "https://docs.example.fr/cabinet-martin/tableau-amortissement-2024.pdf"),
        ("DOC-003", "BIEN-003", "liasse-2023.pdf", "Liasse fiscale", 2023,
         "https://docs.example.fr/cabinet-martin/liasse-2023.pdf"),
    ])
    wb.save(HERE / "patrimoine.xlsx")


if __name__ == "__main__":
    bank_statement()
    register()
