#!/usr/bin/env bash
# The county-scale table of issue 14 in one run: every row with its floor,
# measured in the same run, and the ratio.
#   1. the 300,000-household demo (about 1.04M people), made once and reused
#      (delete DIR/big.db, or the PostgreSQL schema, to measure `demo`
#      again), and its export;
#   2. export and `assess` against a plain streaming SELECT * (time, CPU,
#      peak RSS);
#   3. re-import of the registry's own unchanged export, of the export with
#      1 % of households changed, and a fresh import of it into an empty
#      database, against a bare single-transaction INSERT (COPY on
#      PostgreSQL) of the same rows and, on SQLite, the sqlite3 shell's own
#      `.import` of the same rows as CSV (86 text columns, one table, a
#      unique index on the ID number), and fupin's own import of that
#      same CSV against it;
#   4. the HTTP rows through the real handler on a loopback server
#      (BenchmarkScale in internal/httpapi: /me, a village's first page at
#      c=64, the dashboard at c=8 with and without household views, name and
#      ID search, every sort).
# Usage: scripts/bench-scale.sh [DIR]   (default /tmp/fupin-scale)
# FUPIN_SCALE_DB=FILE uses that SQLite file for the demo instead of DIR/big.db.
# FUPIN_SCALE_POSTGRES=postgres://… runs everything on PostgreSQL instead, in
# the schemas scale_big and scale_fresh of that database (created here),
# with the audit key files in FUPIN_AUDIT_DIR (default DIR); there the CPU
# column adds the CPU of the run's PostgreSQL backends (sampled from /proc:
# the server must run on this machine) to the process's own.
# FUPIN_BENCH_SECONDS sets the length of each HTTP load phase (default 5).
# The machine should be otherwise idle; note the load average printed first.
# Wall times on a shared machine are noisy: compare the CPU column.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/fupin-scale}
mkdir -p "$work"
go build -o "$work/fupin" ./cmd/fupin
go test -c -o "$work/sqlstore.test" ./internal/sqlstore
go test -c -o "$work/httpapi.test" ./internal/httpapi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

pg=${FUPIN_SCALE_POSTGRES:-}
# withSchema URL SCHEMA: URL with search_path set to SCHEMA.
withSchema() { case $1 in *\?*) echo "$1&search_path=$2" ;; *) echo "$1?search_path=$2" ;; esac; }
if [ -n "$pg" ]; then
  # The run's connections carry a name of their own, so that the CPU of
  # their backends is told apart from other work on the same server.
  pg=$(withSchema "$pg" x | sed 's/search_path=x$/application_name=fupin-bench-scale/')
  # The audit key and checkpoints of a PostgreSQL database sit in
  # FUPIN_AUDIT_DIR (default: the working directory, here the repository):
  # keep them with the run's files, and reuse them with its demo.
  export FUPIN_AUDIT_DIR=${FUPIN_AUDIT_DIR:-$work}
  big=$(withSchema "$pg" scale_big)
  fresh=$(withSchema "$pg" scale_fresh)
  psql -q "$pg" -c 'SET client_min_messages = warning' -c 'CREATE SCHEMA IF NOT EXISTS scale_big'
  engine=postgres
else
  big=${FUPIN_SCALE_DB:-$work/big.db}
  fresh=$work/fresh.db
  engine=sqlite
fi
echo "engine: $engine"

# pgWatch FILE: on PostgreSQL the server's share of the work runs in the
# backends of the run's connections, not in the measured process. Until
# killed, appends "pid ticks" (user + system CPU in clock ticks) for each of
# them every 0.2 s, the first round marked "base" (backends that were
# there before); a backend's last line is its CPU up to then (what it
# spends after the last sample, at most 0.2 s, is missed, and so is a
# backend that lives less than that).
pgWatch() {
  local pids="" i=0 mark=base
  while :; do
    if [ $((i % 5)) = 0 ]; then
      pids=$(psql -qtA "$pg" -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'fupin-bench-scale' AND pid <> pg_backend_pid()" 2> /dev/null || true)
    fi
    i=$((i + 1))
    for p in $pids; do
      if [ -r "/proc/$p/stat" ]; then awk -v p="$p" -v m="$mark" '{ print p, $14 + $15, m }' "/proc/$p/stat" 2> /dev/null || true; fi
    done
    mark=""
    sleep 0.2
  done >> "$1"
}
# pgServerCPU FILE: the seconds of CPU the backends in FILE spent while
# watched.
pgServerCPU() {
  awk -v hz="$(getconf CLK_TCK)" '$3 == "base" { base[$1] = $2 } $2 > m[$1] { m[$1] = $2 }
    END { for (p in m) s += m[p] - base[p]; printf "%.1f", s / hz }' "$1"
}

# measure NAME CMD…: runs CMD, records wall seconds, CPU seconds (user +
# system; on PostgreSQL plus its backends' CPU, also kept as srv[NAME]) and
# peak RSS (MB) as secs[NAME], cpu[NAME] and mb[NAME], and prints them.
declare -A secs cpu mb srv
measure() {
  local name=$1 watch=""
  shift
  if [ -n "$pg" ]; then
    rm -f "$work/$name.pgcpu"
    pgWatch "$work/$name.pgcpu" &
    watch=$!
  fi
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" > "$work/$name.out" 2>&1 || {
    if [ -n "$watch" ]; then kill "$watch"; fi
    cat "$work/$name.out"
    return 1
  }
  read -r s u sy kb < <(tail -1 "$work/time.txt")
  secs[$name]=$s
  cpu[$name]=$(awk -v a="$u" -v b="$sy" 'BEGIN { printf "%.1f", a + b }')
  mb[$name]=$((kb / 1024))
  if [ -n "$watch" ]; then
    kill "$watch"
    wait "$watch" 2> /dev/null || true
    srv[$name]=$(pgServerCPU "$work/$name.pgcpu")
    cpu[$name]=$(awk -v a="${cpu[$name]}" -v b="${srv[$name]}" 'BEGIN { printf "%.1f", a + b }')
    printf '  %-28s %8.1f s  %8.1f s CPU (%.1f s in PostgreSQL)  %6d MB peak\n' "$name" "$s" "${cpu[$name]}" "${srv[$name]}" "${mb[$name]}"
    return
  fi
  printf '  %-28s %8.1f s  %8.1f s CPU  %6d MB peak\n' "$name" "$s" "${cpu[$name]}" "${mb[$name]}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
# row PATH NAME FLOOR-TEXT FLOOR-CPU: one line of the table, ratio on CPU.
row() {
  printf '%-40s | %-34s | %-40s | %s\n' "$1" "${secs[$2]} s, CPU ${cpu[$2]} s, ${mb[$2]} MB" "$3" "$(ratio "${cpu[$2]}" "${4:-0}")"
}

echo "== demo and export"
demo_needed=0
if [ -n "$pg" ]; then
  n=$(psql -qtA "$pg" -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'scale_big' AND table_name = 'households'")
  if [ "$n" = 0 ] || [ "$(psql -qtA "$pg" -c 'SELECT count(*) FROM scale_big.households')" = 0 ]; then demo_needed=1; fi
elif [ ! -f "$big" ]; then
  demo_needed=1
fi
if [ "$demo_needed" = 1 ]; then
  measure demo "$work/fupin" demo --db "$big" --households 300000
  grep -v '^{' "$work/demo.out" || true
fi
"$work/fupin" migrate --db "$big" > /dev/null
measure export "$work/fupin" export --db "$big" --out "$work/export.xlsx"
measure scan_floor env FUPIN_BENCH_DB="$big" "$work/sqlstore.test" -test.run '^$' -test.bench ScanFloor -test.benchtime 1x
grep 'scan floor' "$work/scan_floor.out" || true
measure assess "$work/fupin" assess --db "$big" --area 500236266

echo "== import"
measure reimport "$work/fupin" import "$work/export.xlsx" --db "$big"
tail -1 "$work/reimport.out"
if [ -z "$pg" ] && command -v sqlite3 > /dev/null; then
  # 1 % of the households changed: the address of every 100th, in a copy.
  rm -f "$work/changed.db"*
  sqlite3 "$big" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
  cp "$big" "$work/changed.db"
  # The copy keeps its audit chain only with the original's key (export
  # audits); the checkpoints file keeps the chain's published heads.
  for f in audit-key audit-checkpoints; do
    if [ -f "$big.$f" ]; then cp "$big.$f" "$work/changed.db.$f"; fi
  done
  sqlite3 "$work/changed.db" "UPDATE households SET address = address || '东' WHERE id % 100 = 0"
  "$work/fupin" export --db "$work/changed.db" --out "$work/changed.xlsx" > /dev/null
  rm -f "$work/changed.db"*
  measure reimport_1pct "$work/fupin" import "$work/changed.xlsx" --db "$big"
  tail -1 "$work/reimport_1pct.out"
fi
if [ -n "$pg" ]; then
  # 1 % of the households changed: the address of every 100th changed in
  # the database behind the registry's back, then the unchanged export
  # imported over it, which changes those households back (the registry is
  # left as the export has it).
  # (On the schema's search path: the copy-on-write trigger calls its
  # function unqualified.)
  psql -q "$pg" -c 'SET search_path = scale_big' -c "UPDATE households SET address = address || '东' WHERE id % 100 = 0"
  measure reimport_1pct "$work/fupin" import "$work/export.xlsx" --db "$big"
  tail -1 "$work/reimport_1pct.out"
fi
if [ -n "$pg" ]; then
  psql -q "$pg" -c 'SET client_min_messages = warning' -c 'DROP SCHEMA IF EXISTS scale_fresh CASCADE' -c 'CREATE SCHEMA scale_fresh'
else
  rm -f "$fresh"*
fi
measure fresh_import "$work/fupin" import "$work/export.xlsx" --db "$fresh"
tail -1 "$work/fresh_import.out"
if [ -n "$pg" ]; then
  floor_bench=bare-copy-postgres
else
  floor_bench=bare-insert-sqlite
fi
floor_cmd=(env FUPIN_BENCH_FILE="$work/export.xlsx" FUPIN_TEST_POSTGRES_URL="$pg" "$work/sqlstore.test" -test.run '^$'
  -test.bench "FileFloors/$floor_bench" -test.benchtime 1x -test.timeout 60m)
if [ -n "$pg" ]; then
  # Measured too for the CPU of its backends: nearly all of it is the COPY.
  measure insert_floor "${floor_cmd[@]}" || true
else
  "${floor_cmd[@]}" > "$work/insert_floor.out" 2>&1 || true
fi
# insert-s on SQLite, copy-s on PostgreSQL; none when the floor failed.
insert_floor=$(grep -o -E '[0-9.]+ (insert|copy)-s' "$work/insert_floor.out" | cut -d' ' -f1 || true)
echo "  bare single-transaction INSERT/COPY of the same rows (rows already decoded): ${insert_floor:-?} s"
if [ -z "$pg" ] && command -v sqlite3 > /dev/null; then
  # The sqlite3 shell's C .import of the same rows as CSV: one table of
  # text columns, a unique index on the ID number, one transaction.
  "$work/fupin" export --db "$big" --out "$work/export.csv" > /dev/null
  header=$(head -1 "$work/export.csv" | sed 's/^\xef\xbb\xbf//')
  ncol=$(awk -F, '{ print NF; exit }' <<< "$header")
  idcol=$(tr , '\n' <<< "$header" | grep -n '^证件号码$' | cut -d: -f1)
  cols=$(seq 1 "$ncol" | sed 's/^/c/; s/$/ TEXT/' | paste -sd,)
  rm -f "$work/native.db"*
  sqlite3 "$work/native.db" "CREATE TABLE registry($cols); CREATE UNIQUE INDEX registry_id ON registry(c$idcol);"
  measure sqlite3_import sqlite3 "$work/native.db" -cmd '.mode csv' '.import --skip 1 '"$work/export.csv"' registry'
  echo "  rows: $(sqlite3 "$work/native.db" 'SELECT count(*) FROM registry') in $ncol text columns"
  # That very CSV through fupin import into an empty database: the same
  # input format as the .import above.
  rm -f "$work/fresh_csv.db"*
  measure fresh_csv_import "$work/fupin" import "$work/export.csv" --db "$work/fresh_csv.db"
  tail -1 "$work/fresh_csv_import.out"
  rm -f "$work/fresh_csv.db"*
fi

echo "== HTTP (BenchmarkScale)"
FUPIN_BENCH_DB="$big" "$work/httpapi.test" -test.run '^$' -test.bench Scale -test.benchtime 1x -test.timeout 30m \
  | grep -v -E '^(goos|goarch|pkg|cpu|PASS|ok)' | tee "$work/http.out"

echo
echo "== the table ($engine; ratio = Fupin CPU / floor CPU, or for the bare INSERT wall / wall;"
if [ -n "$pg" ]; then echo "   CPU = the process's own plus its PostgreSQL backends';"; fi
echo "   for req/s rows = Fupin / floor throughput)"
printf '%-40s | %-34s | %-40s | %s\n' "path" "Fupin" "floor in the same run" "ratio"
native="-"
if [ -n "${cpu[sqlite3_import]:-}" ]; then
  native="sqlite3 .import ${secs[sqlite3_import]} s, CPU ${cpu[sqlite3_import]} s"
fi
row "re-import of own unchanged export" reimport "fresh import CPU ${cpu[fresh_import]} s" "${cpu[fresh_import]}"
if [ -n "${cpu[reimport_1pct]:-}" ]; then
  row "re-import, 1 % of households changed" reimport_1pct "fresh import CPU ${cpu[fresh_import]} s" "${cpu[fresh_import]}"
fi
# The floor reports wall seconds of its insert phase only (decoding
# excluded), so this row compares wall times: meaningful on a quiet machine.
printf '%-40s | %-34s | %-40s | %s (wall)\n' "fresh import vs bare INSERT/COPY (wall)" \
  "${secs[fresh_import]} s, CPU ${cpu[fresh_import]} s, ${mb[fresh_import]} MB" "bare ${insert_floor:-?} s wall (decoded rows)" \
  "$(ratio "${secs[fresh_import]}" "${insert_floor:-0}")"
if [ -n "${cpu[sqlite3_import]:-}" ]; then
  row "fresh import vs sqlite3 .import" fresh_import "$native" "${cpu[sqlite3_import]}"
  row "fresh CSV import vs .import of that CSV" fresh_csv_import "$native" "${cpu[sqlite3_import]}"
fi
if [ -n "${srv[insert_floor]:-}" ]; then
  # The server's side of both: what the database itself did to store the rows.
  printf '%-40s | %-34s | %-40s | %s (PostgreSQL CPU)\n' "fresh import vs bare COPY (PostgreSQL CPU)" \
    "${srv[fresh_import]} s CPU in PostgreSQL" "bare COPY ${srv[insert_floor]} s CPU in PostgreSQL" \
    "$(ratio "${srv[fresh_import]}" "${srv[insert_floor]}")"
fi
row "export 300k households" export "SELECT * ${secs[scan_floor]} s, CPU ${cpu[scan_floor]} s, ${mb[scan_floor]} MB" "${cpu[scan_floor]}"
row "assess 300k" assess "SELECT * ${secs[scan_floor]} s, CPU ${cpu[scan_floor]} s, ${mb[scan_floor]} MB" "${cpu[scan_floor]}"
if [ -n "${secs[demo]:-}" ]; then
  # Its floor: the bare INSERT/COPY of the rows of its export (wall / wall);
  # the demo also makes aid, visits and ledgers, which the export lacks.
  printf '%-40s | %-34s | %-40s | %s (wall)\n' "demo 300k" "${secs[demo]} s, CPU ${cpu[demo]} s, ${mb[demo]} MB" \
    "bare ${insert_floor:-?} s wall (its export's rows)" "$(ratio "${secs[demo]}" "${insert_floor:-0}")"
fi
echo "HTTP rows (each line: Fupin | floor | ratio):"
cat "$work/http.out"
