#!/usr/bin/env python3
"""The script a user would write with pandas for the bank statement job of
`mappings/bank-statement.toml`: read the Windows-1252 export, skip the
preamble and the totals, parse French dates and amounts, hash stable ids,
write a loader document. Used by bench/run.sh as a point of comparison.

    python3 bench/pandas_convert.py releve.csv out.json
"""

import hashlib
import json
import sys
from decimal import Decimal

import pandas as pd


def amount(text):
    if not isinstance(text, str) or not text.strip():
        return Decimal(0)
    return Decimal(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))


def main():
    source, target = sys.argv[1], sys.argv[2]
    df = pd.read_csv(source, sep=";", encoding="cp1252", skiprows=4, dtype=str, keep_default_na=False)
    df = df[~df["Date"].str.match(r"^(Total|Solde)")]
    dates = pd.to_datetime(df["Date"], format="%d/%m/%Y").dt.strftime("%Y-%m-%d")
    amounts = [amount(c) - amount(d) for d, c in zip(df["Débit"], df["Crédit"])]
    keys = df["Date"] + "\x1f" + df["Libellé"] + "\x1f" + df["Débit"] + "\x1f" + df["Crédit"]
    ids = ["BQ-" + hashlib.sha256(k.encode()).hexdigest()[:16] for k in keys]
    transactions = [
        {"id": i, "reqdExctnDt": d, "id-prty": "BIEN-001", "amt": float(a), "ccy": "EUR", "ref": r}
        for i, d, a, r in zip(ids, dates, amounts, df["Libellé"])
    ]
    document = {
        "inigPtynm": "demo-partner", "apiKey": "k", "creDtTm": "2024-04-02T09:30:00+02:00",
        "versionId": "2.0", "declarants": [], "properties": [], "transactions": transactions,
        "documents": [],
    }
    with open(target, "w", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
