#!/usr/bin/env bash
# The Excel import/export benchmark of the README, in one run on one file:
#   1. a national-layout workbook of ~1.06M people (305,000 households,
#      two sheets) made by `fupin demo --out`;
#   2. the floors on that file: excelize's Rows(), our reader, decoding,
#      bare single-row INSERTs into SQLite, bare COPY into PostgreSQL;
#   3. `fupin import` into an empty SQLite file and an empty PostgreSQL
#      schema, and `fupin export` back out: seconds and peak memory.
#   4. the export imported back into the same SQLite file (nothing changes),
#      then a copy with 1% of the households changed, and the export into
#      PostgreSQL: the re-import a township does each month.
# Usage: scripts/bench-exchange.sh [WORKDIR]   (PostgreSQL: FUPIN_BENCH_PG,
# default the local test database; set FUPIN_BENCH_PG= to skip it.)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/fupin-bench}
pg=${FUPIN_BENCH_PG-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
mkdir -p "$work"
go build -o "$work/fupin" ./cmd/fupin
timed() { /usr/bin/time -f "  -> %e s wall, %U s user, %S s sys, peak RSS %M KB" "$@"; }

echo "== generate"
[ -f "$work/county.xlsx" ] || timed "$work/fupin" demo --households 305000 --out "$work/county.xlsx"
ls -l "$work/county.xlsx"

echo "== floors (same file)"
FUPIN_BENCH_FILE="$work/county.xlsx" FUPIN_TEST_POSTGRES_URL="$pg" \
  go test -run '^$' -bench FileFloors -benchtime 1x -timeout 60m ./internal/sqlstore | grep -E '^Benchmark|ok|FAIL'

echo "== import into SQLite"
rm -f "$work/imported.db"*
timed "$work/fupin" import "$work/county.xlsx" --db "$work/imported.db"

if [ -n "$pg" ]; then
  echo "== import into PostgreSQL (schema fupin_bench)"
  psql "$pg" -qc 'DROP SCHEMA IF EXISTS fupin_bench CASCADE; CREATE SCHEMA fupin_bench'
  timed "$work/fupin" import "$work/county.xlsx" --db "$pg&search_path=fupin_bench"
fi

echo "== export from SQLite"
timed "$work/fupin" export --db "$work/imported.db" --out "$work/export.xlsx"
ls -l "$work/export.xlsx"

echo "== re-import the export into the same SQLite file (nothing changed)"
timed "$work/fupin" import "$work/export.xlsx" --db "$work/imported.db"

if command -v sqlite3 >/dev/null; then
  echo "== re-import with 1% of the households changed (address of every 100th)"
  rm -f "$work/changed.db"*
  for f in "$work/imported.db"*; do cp "$f" "$work/changed.db${f#"$work/imported.db"}"; done
  sqlite3 "$work/changed.db" "UPDATE households SET address = address || '东' WHERE id % 100 = 0"
  "$work/fupin" export --db "$work/changed.db" --out "$work/changed.xlsx" >/dev/null
  timed "$work/fupin" import "$work/changed.xlsx" --db "$work/imported.db"
fi

if [ -n "$pg" ]; then
  echo "== re-import the export into PostgreSQL (nothing changed)"
  timed "$work/fupin" import "$work/export.xlsx" --db "$pg&search_path=fupin_bench"
fi
