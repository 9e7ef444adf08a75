#!/usr/bin/env bash
# Restore drill with pgBackRest (Debian: pgbackrest) and point-in-time recovery.
#
# Builds a scratch source cluster with WAL archiving to a pgBackRest repository (both under a
# scratch directory), loads the demo township into it with fupin, takes a full backup, writes
# more (an assessment, audited), notes the time T and the row count of every table, writes
# more again, then restores the backup into a second scratch cluster up to T. It compares:
#   - the row count of every table of the restored cluster with the counts at T;
#   - `fupin audit verify` on the source and on the restored cluster (with the audit directory
#     as it was at T: its checkpoints name the chain's last entry, so today's file rightly
#     reports the entries after T as missing; back the audit directory up with the database).
# Exits non-zero on any difference. Takes about a minute (3,000 households). deploy/pgbackrest.conf is the production example; this
# script writes its own configuration for the scratch directory.
#
# To drill a production backup instead, restore it the same way (pgbackrest restore
# --stanza fupin --pg1-path SCRATCH --type time --target T) into a scratch directory on another
# port and run the comparison part against the production database.
#
# Usage (as root: the clusters run as postgres):
#   scripts/restore-drill.sh [--dir /tmp/fupin-restore] [--port 6200] [--households 3000]
set -euo pipefail

DIR=/tmp/fupin-restore
PORT=6200
HOUSEHOLDS=3000
while [ $# -gt 0 ]; do
	case "$1" in
	--dir) DIR=$2; shift 2 ;;
	--port) PORT=$2; shift 2 ;;
	--households) HOUSEHOLDS=$2; shift 2 ;;
	*) echo "unknown option $1" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" = 0 ] || { echo "run as root (the clusters run as postgres)" >&2; exit 2; }
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$DIR/source RESTORED=$DIR/restored CONF=$DIR/pgbackrest.conf
P1=$PORT P2=$((PORT + 1))
as_pg() { runuser -u postgres -- "$@"; }
say() { echo "[$(date -u +%H:%M:%S)] $*"; }
br() { as_pg pgbackrest --config="$CONF" --stanza=fupin "$@"; }

cleanup() {
	for d in "$SRC" "$RESTORED"; do
		[ -f "$d/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$d" -m fast stop >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT
cleanup
rm -rf "$DIR"
mkdir -p "$DIR/repo" "$DIR/log" "$DIR/lock" "$DIR/audit"
cat >"$CONF" <<EOF
[global]
repo1-path=$DIR/repo
repo1-retention-full=2
log-path=$DIR/log
lock-path=$DIR/lock
log-level-console=warn
log-level-file=info
compress-type=zst
start-fast=y

[fupin]
pg1-path=$SRC
pg1-port=$P1
pg1-socket-path=/tmp
EOF
chown -R postgres:postgres "$DIR"

say "source cluster on port $P1 (archive_command: pgbackrest archive-push)"
as_pg "$PGBIN/initdb" -D "$SRC" -U postgres --auth=trust >/dev/null
cat >>"$SRC/postgresql.conf" <<EOF
port = $P1
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
archive_mode = on
archive_command = 'pgbackrest --config=$CONF --stanza=fupin archive-push %p'
wal_level = replica
max_wal_senders = 3
EOF
as_pg "$PGBIN/pg_ctl" -D "$SRC" -l "$DIR/source.log" -w start >/dev/null
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$P1" fupin
br stanza-create
br check

say "building fupin; loading the demo township ($HOUSEHOLDS households)"
(cd "$ROOT" && go build -o "$DIR/fupin" ./cmd/fupin)
export FUPIN_AUDIT_DIR=$DIR/audit
DSN="postgres://postgres@127.0.0.1:$P1/fupin?sslmode=disable"
"$DIR/fupin" demo --db "$DSN" --households "$HOUSEHOLDS" >"$DIR/demo.log" 2>&1

say "full backup"
br backup --type=full
br info | sed -n 1,12p

counts() { # counts PORT: "table rows" for every table of the schema, sorted
	local tables
	tables=$(as_pg psql -Atqh 127.0.0.1 -p "$1" -d fupin -c \
		"SELECT string_agg(format('SELECT %L, count(*) FROM %I', tablename, tablename), ' UNION ALL ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'")
	as_pg psql -AtqF ' ' -h 127.0.0.1 -p "$1" -d fupin -c "$tables" | sort
}

say "after the backup: an assessment (audited), then the recovery target"
"$DIR/fupin" assess --db "$DSN" --area 500236266 >/dev/null 2>&1
sleep 1
TARGET=$(as_pg psql -Atqh 127.0.0.1 -p "$P1" -d fupin -c "SELECT now()")
counts "$P1" >"$DIR/counts-at-target.txt"
# the audit key and checkpoint file as a file backup taken with the database would have them
cp -a "$DIR/audit" "$DIR/audit-at-target"
as_pg psql -qh 127.0.0.1 -p "$P1" -d fupin -c "SELECT pg_switch_wal()" >/dev/null
sleep 1
say "after the target: more writes, which the restore must not contain"
"$DIR/fupin" policy set --area 500236266 --year 2025 --db "$DSN" water_min_lpd 70 >/dev/null
"$DIR/fupin" token add after-target --role township --area 500236266 --db "$DSN" >/dev/null
counts "$P1" >"$DIR/counts-final.txt"
as_pg psql -qh 127.0.0.1 -p "$P1" -d fupin -c "SELECT pg_switch_wal()" >/dev/null
br check >/dev/null # waits for the WAL to be archived
"$DIR/fupin" audit verify --db "$DSN" >"$DIR/verify-source.txt" 2>&1 || { cat "$DIR/verify-source.txt"; exit 1; }

say "restoring into $RESTORED (port $P2), point in time $TARGET"
mkdir -p "$RESTORED" && chown postgres:postgres "$RESTORED" && chmod 700 "$RESTORED"
START=$(date +%s.%N)
br --pg1-path="$RESTORED" restore --type=time "--target=$TARGET" --target-action=promote
cat >>"$RESTORED/postgresql.conf" <<EOF
port = $P2
archive_mode = off
EOF
as_pg "$PGBIN/pg_ctl" -D "$RESTORED" -l "$DIR/restored.log" -w -t 300 start >/dev/null
until [ "$(as_pg psql -Atqh 127.0.0.1 -p "$P2" -d fupin -c 'SELECT pg_is_in_recovery()')" = f ]; do sleep 1; done
ELAPSED=$(echo "$(date +%s.%N) - $START" | bc)
counts "$P2" >"$DIR/counts-restored.txt"
RDSN="postgres://postgres@127.0.0.1:$P2/fupin?sslmode=disable"
VERIFY=0
FUPIN_AUDIT_DIR=$DIR/audit-at-target "$DIR/fupin" audit verify --db "$RDSN" >"$DIR/verify-restored.txt" 2>&1 || VERIFY=$?
"$DIR/fupin" audit verify --db "$RDSN" >"$DIR/verify-restored-now.txt" 2>&1 || true

echo
echo "== restore drill result =="
echo "backup:             $(br info | grep -m1 'full backup' | sed 's/^ *//')"
echo "recovery target:    $TARGET"
printf 'restore + recovery: %.1f s\n' "$ELAPSED"
echo "tables compared:    $(wc -l <"$DIR/counts-at-target.txt")"
echo "rows at target:     $(awk '{s += $2} END {print s}' "$DIR/counts-at-target.txt"), restored: $(awk '{s += $2} END {print s}' "$DIR/counts-restored.txt"), source now: $(awk '{s += $2} END {print s}' "$DIR/counts-final.txt")"
echo "audit verify, source:   $(tail -1 "$DIR/verify-source.txt")"
echo "audit verify, restored (checkpoints as at the target): $(tail -1 "$DIR/verify-restored.txt")"
echo "audit verify, restored (today's checkpoints, expected to see the later entries missing): $(tail -1 "$DIR/verify-restored-now.txt")"
DIFF=0
if ! diff -u "$DIR/counts-at-target.txt" "$DIR/counts-restored.txt" >"$DIR/counts.diff"; then
	DIFF=1
	echo "row counts differ from the target's:"
	cat "$DIR/counts.diff"
else
	echo "row counts:         identical to the target's in every table"
	echo "changed after the target (absent from the restore, as intended):"
	join "$DIR/counts-at-target.txt" "$DIR/counts-final.txt" | awk '$2 != $3 {print "  " $1 ": " $2 " → " $3}' 
fi
[ "$DIFF" = 0 ] && [ "$VERIFY" = 0 ]
