#!/usr/bin/env python3
"""Writes a loader document with N transactions on stdout, for measuring
`qload validate` on large inputs (nothing big is committed).

    python3 bench/gen-transactions.py 1000000 > /tmp/loader-1m.json
    /usr/bin/time -v qload validate /tmp/loader-1m.json --format json > /dev/null

`--forward` writes the transactions before the properties, so that every
`id-prty` link waits for the end of the document (the validator's worst case).
"""
import json
import sys

PROPERTIES = 50


def header():
    return ('{"inigPtynm": "bench", "apiKey": "bench-key", '
            '"creDtTm": "2024-01-15T10:30:00+01:00", "versionId": "2.0"')


def declarants():
    return json.dumps([{
        "id": "D-1", "legalStatusId": "6540", "corporateName": "SCI Bench",
        "address": "1 rue du Banc", "townName": "Lyon", "postCode": "69001",
        "properties": [property_(i) for i in range(PROPERTIES)],
    }])


def property_(i):
    return {
        "id": f"P-{i}", "description": f"Lot {i}", "bldgNb": str(i), "streetName": "rue du Banc",
        "streetName2": "", "townName": "Lyon", "postCode": "69001", "lastName": "Banc",
        "firstName": "Léa", "email": "lea.banc@example.fr", "acquisitionDate": "2020-01-31",
        "tvaOption": "N", "taxRegime": 3,
    }


def transactions(out, count):
    out.write('"transactions": [\n')
    for i in range(count):
        sep = "," if i + 1 < count else ""
        cents = (i * 7919) % 500000 - 100000
        amount = f"{cents // 100}.{abs(cents) % 100:02d}" if cents >= 0 else f"-{abs(cents) // 100}.{abs(cents) % 100:02d}"
        out.write(f'{{"id": "TX-{i:08d}", "reqdExctnDt": "2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}", '
                  f'"id-prty": "P-{i % PROPERTIES}", "amt": {amount}, "ccy": "EUR", '
                  f'"purpose": "RENT", "ref": "Loyer {i}"}}{sep}\n')
    out.write("]")


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    forward = "--forward" in sys.argv
    out = sys.stdout
    out.write(header() + ",\n")
    if forward:
        transactions(out, count)
        out.write(',\n"declarants": ' + declarants())
    else:
        out.write('"declarants": ' + declarants() + ",\n")
        transactions(out, count)
    out.write(',\n"properties": [], "documents": []}\n')


if __name__ == "__main__":
    main()
