#!/usr/bin/env bash
# Failover drill with pg_auto_failover (Debian: postgresql-15-auto-failover, pg-auto-failover-cli).
#
# Builds a monitor, a primary and a secondary on loopback ports under a scratch directory
# (synchronous replication: pg_auto_failover's default with one standby), starts `fupin serve`
# on a multi-host URL with target_session_attrs=read-write, writes households continuously
# through the API (`fupin bench writes`, one writer, each acknowledged id recorded), kills the
# primary (its pg_autoctl keeper and PostgreSQL, SIGKILL), and reports:
#   - time to recover: from the kill to the first acknowledged write after it;
#   - acknowledged writes lost: acknowledged ids missing from the new primary (must be 0);
#   - writes whose answer was an error but that committed all the same (not a loss).
# Exits non-zero when an acknowledged write is lost or the drill cannot run.
#
# Usage (as root: the cluster runs as postgres, each node in a session of its own):
#   scripts/failover-drill.sh [--dir /tmp/fupin-failover] [--port 6000] [--before 20] [--after 60] [--fast-detection]
# Ports used: PORT (monitor), PORT+1, PORT+2 (nodes), PORT+80 (fupin). Takes about 2–3 minutes;
# not run in CI (deploy/HA.md has recorded runs).
set -euo pipefail

DIR=/tmp/fupin-failover
PORT=6000
BEFORE=20 # seconds of writes before the kill
AFTER=60  # seconds of writes after the kill
FAST=0    # --fast-detection: the monitor declares a node dead after 5 s, not 20 s
while [ $# -gt 0 ]; do
	case "$1" in
	--dir) DIR=$2; shift 2 ;;
	--port) PORT=$2; shift 2 ;;
	--before) BEFORE=$2; shift 2 ;;
	--after) AFTER=$2; shift 2 ;;
	--fast-detection) FAST=1; shift ;;
	*) echo "unknown option $1" >&2; exit 2 ;;
	esac
done

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PATH=$PGBIN:$PATH PG_CONFIG=$PGBIN/pg_config
command -v pg_autoctl >/dev/null || { echo "pg_autoctl not found (apt install pg-auto-failover-cli postgresql-15-auto-failover)" >&2; exit 2; }

[ "$(id -u)" = 0 ] || { echo "run as root (the cluster runs as postgres)" >&2; exit 2; }
# pg_autoctl keeps its state under XDG directories: the scratch directory's own, so that a
# previous run leaves nothing behind
PGENV=(env PATH="$PATH" PG_CONFIG="$PG_CONFIG" XDG_CONFIG_HOME="$DIR/xdg/config" XDG_DATA_HOME="$DIR/xdg/data" XDG_RUNTIME_DIR="$DIR/xdg/run")
as_pg() { runuser -u postgres -- "${PGENV[@]}" "$@"; }
now_ms() { date +%s%3N; }
say() { echo "[$(date -u +%H:%M:%S)] $*"; }

MON="postgres://autoctl_node@127.0.0.1:$PORT/pg_auto_failover?sslmode=disable"
P1=$((PORT + 1)) P2=$((PORT + 2)) FPORT=$((PORT + 80))
DSN="postgres://postgres@127.0.0.1:$P1,127.0.0.1:$P2/fupin?sslmode=disable&target_session_attrs=read-write&connect_timeout=2"

PIDS=() NODES=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${NODES[@]}"; do kill -- "-$p" 2>/dev/null || true; done
	sleep 3
	for n in node1 node2 monitor; do
		[ -f "$DIR/$n/postmaster.pid" ] && as_pg pg_ctl -D "$DIR/$n" -m immediate stop >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT

rm -rf "$DIR"
mkdir -p "$DIR/audit" "$DIR/xdg/config" "$DIR/xdg/data" "$DIR/xdg/run"
chmod 700 "$DIR/xdg/run"
chown -R postgres:postgres "$DIR" 2>/dev/null || true
cd "$DIR"

say "building fupin"
(cd "$ROOT" && go build -o "$DIR/fupin" ./cmd/fupin)

state() { as_pg pg_autoctl show state --monitor "$MON" 2>/dev/null || true; }
wait_for() { # wait_for SECONDS PATTERN: until the state table matches
	local end=$(($(date +%s) + $1))
	until state | grep -Eq "$2"; do
		[ "$(date +%s)" -lt "$end" ] || { echo "timed out waiting for: $2" >&2; state >&2; exit 1; }
		sleep 1
	done
}

say "monitor on port $PORT"
setsid runuser -u postgres -- "${PGENV[@]}" pg_autoctl create monitor --pgdata "$DIR/monitor" --pgport "$PORT" \
	--hostname 127.0.0.1 --auth trust --no-ssl --run >"$DIR/monitor.log" 2>&1 &
NODES+=($!)
for _ in $(seq 60); do as_pg "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break; sleep 1; done
sleep 2
if [ "$FAST" = 1 ]; then
	# pg_auto_failover's defaults: health checks every 5 s, a node unhealthy after 20 s, and a
	# dead primary given 30 s to acknowledge its demotion before the standby is promoted
	as_pg psql -qh 127.0.0.1 -p "$PORT" -d pg_auto_failover -c "ALTER SYSTEM SET pgautofailover.health_check_period = 1000" \
		-c "ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 5000" \
		-c "ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 10000" -c "SELECT pg_reload_conf()" >/dev/null
	echo "monitor: health checks every 1 s, node unhealthy after 5 s, demotion timeout 10 s"
fi

node() { # node NAME PORT: in a session of its own, so that killing it kills the node only
	setsid runuser -u postgres -- "${PGENV[@]}" pg_autoctl create postgres --pgdata "$DIR/$1" --pgport "$2" --hostname 127.0.0.1 --name "$1" \
		--dbname fupin --monitor "$MON" --auth trust --no-ssl --run >"$DIR/$1.log" 2>&1 &
	NODES+=($!)
}
say "primary node1 on port $P1"
node node1 "$P1"
wait_for 120 "node1 .*\| +single +\| +single"
say "secondary node2 on port $P2"
node node2 "$P2"
wait_for 180 "node2 .*\| +secondary +\| +secondary"
wait_for 60 "node1 .*\| +primary +\| +primary"
state
echo "synchronous_standby_names on the primary: $(as_pg psql -Atqh 127.0.0.1 -p "$P1" -d fupin -c 'SHOW synchronous_standby_names')"
echo "synchronous_commit: $(as_pg psql -Atqh 127.0.0.1 -p "$P1" -d fupin -c 'SHOW synchronous_commit')"

export FUPIN_AUDIT_DIR=$DIR/audit
say "fupin serve on 127.0.0.1:$FPORT, --db $DSN"
"$DIR/fupin" migrate --db "$DSN" >"$DIR/migrate.log" 2>&1
TOKEN=$("$DIR/fupin" token add drill --role township --area 500236266 --db "$DSN" | sed -n 2p)
"$DIR/fupin" serve --db "$DSN" --addr "127.0.0.1:$FPORT" >"$DIR/serve.out" 2>"$DIR/serve.log" &
FUPIN=$!
PIDS+=($FUPIN)
for _ in $(seq 30); do curl -fs "http://127.0.0.1:$FPORT/readyz" >/dev/null && break; sleep 1; done

say "writing for $((BEFORE + AFTER)) s; the primary is killed after $BEFORE s"
"$DIR/fupin" bench writes --url "http://127.0.0.1:$FPORT" --token "$TOKEN" --acked "$DIR/acked.txt" \
	--duration "$((BEFORE + AFTER))s" --seed 1 >"$DIR/writes.txt" 2>&1 &
WRITER=$!
PIDS+=($WRITER)
sleep "$BEFORE"

PRIMARY_DIR=$DIR/node1
POSTMASTER=$(head -1 "$PRIMARY_DIR/postmaster.pid")
ACKED_BEFORE=$(wc -l <"$DIR/acked.txt")
KILL_MS=$(now_ms)
say "killing the primary (node1): its pg_autoctl session ${NODES[1]} and postmaster $POSTMASTER, SIGKILL; $ACKED_BEFORE writes acknowledged so far"
kill -9 -- "-${NODES[1]}" 2>/dev/null || true
kill -9 "$POSTMASTER" 2>/dev/null || true
pkill -9 -P "$POSTMASTER" 2>/dev/null || true

wait "$WRITER" || true
say "writer done"
cat "$DIR/writes.txt"
state

# the outage: the longest pause between two acknowledgements that ends after the kill
read -r GAP_FROM FIRST_AFTER < <(awk -v k="$KILL_MS" 'prev && $2 > k && $2 - prev > best {best = $2 - prev; from = prev; to = $2}
	{prev = $2} END {print from + 0, to + 0}' "$DIR/acked.txt")
[ "$FIRST_AFTER" != 0 ] || FIRST_AFTER=
NEWPORT=$(state | awk -F'|' '$7 ~ /^ *(wait_)?primary *$/ {sub(/.*:/, "", $3); gsub(/ /, "", $3); print $3}' | head -1)
[ -n "$NEWPORT" ] || NEWPORT=$P2
as_pg psql -qh 127.0.0.1 -p "$NEWPORT" -d fupin -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE TABLE IF NOT EXISTS drill_acked (id bigint PRIMARY KEY, acked_ms bigint);
TRUNCATE drill_acked;
\copy drill_acked FROM '$DIR/acked.txt' WITH (DELIMITER ' ')
SQL
q() { as_pg psql -Atqh 127.0.0.1 -p "$NEWPORT" -d fupin -c "$1"; }
ACKED=$(q "SELECT count(*) FROM drill_acked")
LOST=$(q "SELECT count(*) FROM drill_acked a WHERE NOT EXISTS (SELECT 1 FROM households h WHERE h.id = a.id)")
STORED=$(q "SELECT count(*) FROM households")
EXTRA=$(q "SELECT count(*) FROM households h WHERE NOT EXISTS (SELECT 1 FROM drill_acked a WHERE a.id = h.id)")
q "DROP TABLE drill_acked" >/dev/null

echo
echo "== failover drill result =="
echo "primary killed at            $(date -u -d @$((KILL_MS / 1000)) +%H:%M:%S) UTC (node1, port $P1)"
echo "new primary                  port $NEWPORT"
if [ -n "$FIRST_AFTER" ]; then
	echo "time to recover              $(awk -v a="$FIRST_AFTER" -v k="$KILL_MS" 'BEGIN {printf "%.1f s", (a - k) / 1000}') (kill → first acknowledged write after the outage)"
	echo "writes stalled for           $(awk -v a="$FIRST_AFTER" -v b="$GAP_FROM" 'BEGIN {printf "%.1f s", (a - b) / 1000}') (last acknowledgement before → first after)"
else
	echo "time to recover              no acknowledged write after the kill within $AFTER s"
fi
echo "acknowledged writes          $ACKED ($ACKED_BEFORE before the kill)"
echo "households on the new primary $STORED"
echo "committed but not acknowledged $EXTRA (the answer was an error or was cut off; not a loss)"
echo "acknowledged writes lost     $LOST"
[ "$LOST" = 0 ] && [ -n "$FIRST_AFTER" ]
