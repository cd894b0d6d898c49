#!/usr/bin/env python3
"""The same job as bench/pandas_convert.py, scripted with DuckDB: SQL for
parsing and the ids, DuckDB's JSON writer for the transactions.

    python3 bench/duckdb_convert.py releve.csv out.json
"""

import sys

import duckdb


def main():
    source, target = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    # DuckDB reads UTF-8 only: the export is transcoded first, as a user would.
    with open(source, encoding="cp1252") as f, open(target + ".utf8.csv", "w", encoding="utf-8") as g:
        for _ in range(4):
            f.readline()
        for line in f:
            g.write(line)
    amount = "coalesce(try_cast(replace(replace(replace({c}, chr(160), ''), ' ', ''), ',', '.') AS DECIMAL(18,2)), 0)"
    con.execute(f"""
        COPY (
          SELECT 'BQ-' || substr(sha256("Date" || chr(31) || "Libellé" || chr(31) || coalesce("Débit", '') || chr(31) || coalesce("Crédit", '')), 1, 16) AS id,
                 strftime(strptime("Date", '%d/%m/%Y'), '%Y-%m-%d') AS reqdExctnDt,
                 'BIEN-001' AS "id-prty",
                 {amount.format(c='"Crédit"')} - {amount.format(c='"Débit"')} AS amt,
                 'EUR' AS ccy,
                 "Libellé" AS ref
          FROM read_csv('{target}.utf8.csv', delim=';', header=true, all_varchar=true)
          WHERE NOT regexp_matches("Date", '^(Total|Solde)')
        ) TO '{target}.rows.json' (FORMAT json, ARRAY true)
    """)
    with open(target, "w", encoding="utf-8") as out, open(target + ".rows.json", encoding="utf-8") as rows:
        out.write('{"inigPtynm": "demo-partner", "apiKey": "k", "creDtTm": "2024-04-02T09:30:00+02:00", '
                  '"versionId": "2.0", "declarants": [], "properties": [], "transactions": ')
        for chunk in iter(lambda: rows.read(1 << 20), ""):
            out.write(chunk)
        out.write(', "documents": []}\n')


if __name__ == "__main__":
    main()
