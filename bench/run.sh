#!/usr/bin/env bash
# Benchmark: qload against the pandas and DuckDB scripts a user would write
# for the same job (bench/pandas_convert.py, bench/duckdb_convert.py), on one
# generated bank statement, in one run. Reports wall time and peak memory,
# and the ratios to qload. Needs: a release build, python3 with pandas and duckdb.
#
#   cargo build --release && pip install pandas duckdb
#   bench/run.sh 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 bench/make_statement.py "$rows" "$work/releve.csv"
cat > "$work/known.json" <<'JSON'
{"properties": [{"id": "BIEN-001"}]}
JSON

measure() {  # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" > /dev/null 2>&1
  read -r secs kb < "$work/$name.time"
  echo "$name $secs $kb"
}

{
  measure qload env QLOWER_API_KEY=k target/release/qload convert \
    --mapping mappings/bank-statement.toml --var property=BIEN-001 --known "$work/known.json" \
    --now 2024-04-02T09:30:00 -o "$work/qload.json" "$work/releve.csv"
  measure pandas python3 bench/pandas_convert.py "$work/releve.csv" "$work/pandas.json"
  measure duckdb python3 bench/duckdb_convert.py "$work/releve.csv" "$work/duckdb.json"
} > "$work/results"

echo "rows: $rows (input $(du -h "$work/releve.csv" | cut -f1))"
awk 'NR == 1 { base_s = $2; base_m = $3 }
     { printf "%-7s %8.2f s %8.0f MiB   time x%.2f   memory x%.2f\n", $1, $2, $3 / 1024, $2 / base_s, $3 / base_m }' \
  "$work/results"
