#!/usr/bin/env bash
# The county-scale table of issue 14 in one run: every row with its floor,
# measured in the same run, and the ratio.
#   1. the 300,000-household demo (about 1.04M people) in DIR/big.db, made
#      once and reused (delete it to measure `demo` again), and its export;
#   2. export and `assess` against a plain streaming SELECT * (time, peak RSS);
#   3. re-import of the registry's own unchanged export, and a fresh import of
#      it into an empty file, against a bare single-transaction INSERT;
#   4. the HTTP rows through the real handler on a loopback server
#      (BenchmarkScale in internal/httpapi: /me, a village's first page at
#      c=64, the dashboard at c=8 with and without household views, name and
#      ID search, every sort).
# Usage: scripts/bench-scale.sh [DIR]   (default /tmp/fupin-scale)
# FUPIN_BENCH_SECONDS sets the length of each HTTP load phase (default 5).
# The machine should be otherwise idle; note the load average printed first.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/fupin-scale}
mkdir -p "$work"
go build -o "$work/fupin" ./cmd/fupin
go test -c -o "$work/sqlstore.test" ./internal/sqlstore
go test -c -o "$work/httpapi.test" ./internal/httpapi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

# measure NAME CMD…: runs CMD, records wall seconds and peak RSS (MB) as
# secs[NAME] and mb[NAME], and prints them.
declare -A secs mb
measure() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/$name.out" 2>&1 || {
    cat "$work/$name.out"
    return 1
  }
  read -r s kb < <(tail -1 "$work/time.txt")
  secs[$name]=$s
  mb[$name]=$((kb / 1024))
  printf '  %-28s %8.1f s  %6d MB peak\n' "$name" "$s" "${mb[$name]}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo "== demo and export"
if [ ! -f "$work/big.db" ]; then
  measure demo "$work/fupin" demo --db "$work/big.db" --households 300000
  cat "$work/demo.out"
fi
"$work/fupin" migrate --db "$work/big.db" > /dev/null
measure export "$work/fupin" export --db "$work/big.db" --out "$work/export.xlsx"
measure scan_floor env FUPIN_BENCH_DB="$work/big.db" "$work/sqlstore.test" -test.run '^$' -test.bench ScanFloor -test.benchtime 1x
grep 'scan floor' "$work/scan_floor.out"
measure assess "$work/fupin" assess --db "$work/big.db" --area 500236266

echo "== import"
measure reimport "$work/fupin" import "$work/export.xlsx" --db "$work/big.db"
tail -1 "$work/reimport.out"
rm -f "$work/fresh.db"*
measure fresh_import "$work/fupin" import "$work/export.xlsx" --db "$work/fresh.db"
FUPIN_BENCH_FILE="$work/export.xlsx" "$work/sqlstore.test" -test.run '^$' -test.bench 'FileFloors/bare-insert-sqlite' \
  -test.benchtime 1x > "$work/insert_floor.out" 2>&1
insert_floor=$(grep -o '[0-9.]* insert-s' "$work/insert_floor.out" | cut -d' ' -f1)
echo "  bare single-transaction INSERT of the same rows: ${insert_floor:-?} s"

echo "== HTTP (BenchmarkScale)"
FUPIN_BENCH_DB="$work/big.db" "$work/httpapi.test" -test.run '^$' -test.bench Scale -test.benchtime 1x -test.timeout 30m \
  | grep -v -E '^(goos|goarch|pkg|cpu|PASS|ok)' | tee "$work/http.out"

echo
echo "== the table (ratio = Fupin / floor; for req/s rows = Fupin / floor throughput)"
printf '%-44s | %-26s | %-34s | %s\n' "path" "Fupin" "floor in the same run" "ratio"
printf '%-44s | %-26s | %-34s | %s\n' "re-import of own unchanged export" "${secs[reimport]} s, ${mb[reimport]} MB" \
  "bare INSERT ${insert_floor:-?} s" "$(ratio "${secs[reimport]}" "${insert_floor:-0}")"
printf '%-44s | %-26s | %-34s | %s\n' "fresh import into an empty file" "${secs[fresh_import]} s, ${mb[fresh_import]} MB" \
  "bare INSERT ${insert_floor:-?} s" "$(ratio "${secs[fresh_import]}" "${insert_floor:-0}")"
printf '%-44s | %-26s | %-34s | %s\n' "export 300k households" "${secs[export]} s, ${mb[export]} MB" \
  "SELECT * ${secs[scan_floor]} s, ${mb[scan_floor]} MB" "$(ratio "${secs[export]}" "${secs[scan_floor]}")"
printf '%-44s | %-26s | %-34s | %s\n' "assess 300k" "${secs[assess]} s, ${mb[assess]} MB" \
  "SELECT * ${secs[scan_floor]} s, ${mb[scan_floor]} MB" "$(ratio "${secs[assess]}" "${secs[scan_floor]}")"
if [ -n "${secs[demo]:-}" ]; then
  printf '%-44s | %-26s | %-34s | %s\n' "demo 300k" "${secs[demo]} s, ${mb[demo]} MB" "-" "-"
fi
echo "HTTP rows (each line: Fupin | floor | ratio):"
cat "$work/http.out"
