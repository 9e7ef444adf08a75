#!/usr/bin/env bash
# Runs every fuzz target of the repository (func FuzzXxx in a _test.go file) for a while each.
# A crash leaves its input in the package's testdata/fuzz/FuzzXxx/ directory, which `go test`
# then runs as an ordinary test case: fix the code, commit the file, and the crash stays a test.
#
# Usage: scripts/fuzz.sh [--time 10m] [--parallel 2] [--match REGEXP]
#   --time      how long each target runs (default 10m; any Go duration)
#   --parallel  fuzzing workers per target (default 2; the machine is shared)
#   --match     only targets whose name matches
# Not run in CI (ten minutes a target). Exit status: 1 when any target failed.
set -uo pipefail

TIME=10m
PARALLEL=2
MATCH=.
while [ $# -gt 0 ]; do
	case "$1" in
	--time) TIME=$2; shift 2 ;;
	--parallel) PARALLEL=$2; shift 2 ;;
	--match) MATCH=$2; shift 2 ;;
	*) echo "unknown option $1" >&2; exit 2 ;;
	esac
done
cd "$(dirname "$0")/.."

failed=()
# "package-dir FuzzName" for every target
targets=$(grep -rlE '^func Fuzz[A-Za-z0-9_]+\(f \*testing\.F\)' --include='*_test.go' . |
	while read -r file; do
		grep -oE '^func Fuzz[A-Za-z0-9_]+' "$file" | sed "s|^func |$(dirname "$file") |"
	done | sort -u | grep -E " .*$MATCH")
[ -n "$targets" ] || { echo "no fuzz target matches $MATCH" >&2; exit 2; }
echo "$(echo "$targets" | wc -l) targets, $TIME each, $PARALLEL workers"
while read -r dir name; do
	log=$(mktemp)
	start=$(date +%s)
	if go test "$dir" -run '^$' -fuzz "^$name\$" -fuzztime "$TIME" -parallel "$PARALLEL" >"$log" 2>&1; then
		execs=$(grep -oE 'execs: [0-9]+' "$log" | tail -1)
		new=$(grep -oE 'new interesting: [0-9]+' "$log" | tail -1)
		printf '%-8s %-32s %-22s %5ss  %s, %s\n' ok "$name" "$dir" "$(($(date +%s) - start))" "${execs:-execs: ?}" "${new:-new interesting: ?}"
	else
		printf '%-8s %-32s %-22s %5ss\n' FAIL "$name" "$dir" "$(($(date +%s) - start))"
		grep -E 'Failing input written to|--- FAIL|panic:|^\s+[a-z_]+_test.go:[0-9]+' "$log" | head -10 | sed 's/^/    /'
		failed+=("$name")
	fi
	rm -f "$log"
done <<<"$targets"
if [ ${#failed[@]} -gt 0 ]; then
	echo "failed: ${failed[*]} (inputs under testdata/fuzz/; go test runs them)"
	exit 1
fi
