#!/usr/bin/env bash
# Peak memory of importing hostile files and files at the limits, through
# the CLI and through HTTP (README, "导入文件的上限"):
#   1. go run ./scripts/hostile DIR (the small hostile files) and, from a
#      2.09M-row registry CSV made by `fupin demo --households 603000 --out`,
#      go run ./scripts/hostile DIR REGISTRY.csv (limit.xlsx: 2.1M rows with
#      the shared strings table at its 160 MB budget; limit.csv: the same
#      rows at the 1 GB upload limit; errwide.csv: 100 MB of rows whose
#      checked cells are 32,000 bytes of errors);
#   2. each file imported with `fupin import` into a fresh SQLite file:
#      wall, CPU and peak RSS (/usr/bin/time);
#   3. each file uploaded to `fupin serve` (a fresh SQLite file, an admin
#      token) with POST /api/v1/imports, polled until the job ends: the
#      server's peak RSS (VmHWM of /proc/PID/status) and the job's outcome.
# Usage: scripts/bench-hostile.sh DIR [FILE…]   (default: every file in DIR)
# FUPIN_HOSTILE_VIA=cli or http measures only one way (default both).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:?usage: scripts/bench-hostile.sh DIR [FILE…]}
shift
[ -x "$work/fupin" ] || go build -o "$work/fupin" ./cmd/fupin
files=("$@")
if [ ${#files[@]} = 0 ]; then
  mapfile -t files < <(ls "$work"/*.xlsx "$work"/*.csv 2> /dev/null)
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-22s | %-5s | %9s | %9s | %8s | %s\n' file via "wall s" "CPU s" "peak MB" outcome
for f in "${files[@]}"; do
  name=$(basename "$f")
  size=$(du -mL "$f" | cut -f1)
  via=${FUPIN_HOSTILE_VIA:-both}
  if [ "$via" != http ]; then
  # CLI
  rm -f "$work/cli-$$.db"*
  "$work/fupin" migrate --db "$work/cli-$$.db" > /dev/null 2>&1
  /usr/bin/time -f "%e %U %S %M" -o "$work/time-$$.txt" "$work/fupin" import "$f" --db "$work/cli-$$.db" > "$work/cli-$$.out" 2>&1 || true
  read -r s u sy kb < <(tail -1 "$work/time-$$.txt")
  outcome=$(grep -v '^{' "$work/cli-$$.out" | tail -1 | cut -c1-150)
  printf '%-22s | %-5s | %9s | %9.1f | %8d | %s\n' "$name ($size MB)" CLI "$s" "$(awk -v a="$u" -v b="$sy" 'BEGIN{print a+b}')" $((kb / 1024)) "$outcome"
  fi
  [ "$via" = cli ] && continue
  # HTTP
  rm -f "$work/http-$$.db"*
  "$work/fupin" migrate --db "$work/http-$$.db" > /dev/null 2>&1
  token=$("$work/fupin" token add --db "$work/http-$$.db" --role admin --area 500236 bench 2> /dev/null | grep -oE '[A-Za-z0-9_-]{30,}' | head -1)
  port=$((20000 + RANDOM % 20000))
  "$work/fupin" serve --db "$work/http-$$.db" --addr "127.0.0.1:$port" > "$work/serve-$$.log" 2>&1 &
  spid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && break; sleep 0.2; done
  start=$(date +%s.%N)
  cpu0=$(awk '{print $14 + $15}' "/proc/$spid/stat")
  answer=$(curl -s -H "Authorization: Bearer $token" -F "file=@$f" "http://127.0.0.1:$port/api/v1/imports")
  id=$(grep -oE '"id":[0-9]+' <<< "$answer" | head -1 | cut -d: -f2 || true)
  state=""
  if [ -n "$id" ]; then
    while :; do
      job=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/imports/$id")
      state=$(grep -oE '"state":"[a-z]+"' <<< "$job" | cut -d'"' -f4)
      case $state in done | rejected | failed) break ;; esac
      sleep 1
    done
    outcome="$state: $(grep -oE '"message":"[^"]*"' <<< "$job" | cut -d'"' -f4 | cut -c1-120)"
  else
    outcome="answer: $(cut -c1-150 <<< "$answer")"
  fi
  end=$(date +%s.%N)
  cpu1=$(awk '{print $14 + $15}' "/proc/$spid/stat")
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$spid/status")
  kill "$spid"
  wait "$spid" 2> /dev/null || true
  printf '%-22s | %-5s | %9.1f | %9.1f | %8d | %s\n' "$name ($size MB)" HTTP "$(awk -v a="$start" -v b="$end" 'BEGIN{print b-a}')" \
    "$(awk -v a="$cpu0" -v b="$cpu1" -v t="$(getconf CLK_TCK)" 'BEGIN{print (b-a)/t}')" $((hwm / 1024)) "$outcome"
done
