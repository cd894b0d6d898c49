#!/usr/bin/env python3
"""Writes a large bank statement export shaped like samples/releve-2024-03.csv
(Windows-1252, `;`, preamble, Débit/Crédit with `1 234,56`), for benchmarks.

    python3 bench/make_statement.py 1000000 /tmp/releve-1m.csv
"""

import random
import sys

LABELS = [
    "PRLV SEPA ECHEANCE PRET IMMO {n}",
    "VIR SEPA LOYER M. DUPONT {n}",
    "PRLV SEPA EDF FACTURE {n}",
    "CB LEROY MERLIN {n} VALENCE",
    "VIR SYNDIC FONCIA APPEL CHARGES {n}",
    "PRLV TAXE FONCIERE DGFIP {n}",
    "FRAIS TENUE DE COMPTE {n}",
]


def amount(cents):
    whole, rest = divmod(cents, 100)
    text = f"{whole:,}".replace(",", "\u00a0")
    return f"{text},{rest:02d}"


def main():
    rows = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(42)
    with open(out, "w", encoding="cp1252", newline="") as f:
        f.write("Banque Exemple - Relevé de compte;;;;\r\n")
        f.write("Compte courant n° 00012345678;;;;\r\n")
        f.write("Période du 01/01/2024 au 31/12/2024;;;;\r\n;;;;\r\n")
        f.write("Date;Date valeur;Libellé;Débit;Crédit\r\n")
        for i in range(rows):
            day = f"{1 + i % 28:02d}/{1 + (i // 28) % 12:02d}/2024"
            label = rng.choice(LABELS).format(n=i)
            cents = rng.randint(100, 500000)
            debit, credit = (amount(cents), "") if rng.random() < 0.7 else ("", amount(cents))
            f.write(f"{day};{day};{label};{debit};{credit}\r\n")
        f.write("Total des opérations;;;;\r\n")


if __name__ == "__main__":
    main()
