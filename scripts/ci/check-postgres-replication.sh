#!/usr/bin/env bash
# Runs compose's PostgreSQL scripts (deploy/postgres/) with Debian's PostgreSQL binaries, as
# scripts/pg-cluster.sh does, and requires a streaming replica: primary-init.sh on a fresh primary
# (host connections need a password, as in the image), then replica-start.sh cloning it; a row
# written on the primary must appear on the replica.
set -euo pipefail
cd "$(dirname "$0")/../.."

BINDIR=${PG_BINDIR:-$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV | head -n 1)}
[[ -x $BINDIR/initdb ]] || { echo "PostgreSQL server binaries not found (set PG_BINDIR)" >&2; exit 1; }
DIR=$(mktemp -d)
chmod 0755 "$DIR"
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PRIMARY_PORT=$(free_port)
REPLICA_PORT=$(free_port)
REPLICA_PID=

as_pg() {
  if ((EUID == 0)); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}
cleanup() {
  as_pg "$BINDIR/pg_ctl" -D "$DIR/replica" -m immediate stop >/dev/null 2>&1 || true
  [[ -n $REPLICA_PID ]] && kill "$REPLICA_PID" 2>/dev/null || true
  as_pg "$BINDIR/pg_ctl" -D "$DIR/primary" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
# The scripts run as the server's account, which may not read the checkout: copies of them do.
cp deploy/postgres/primary-init.sh deploy/postgres/replica-start.sh "$DIR/"
((EUID == 0)) && chown -R postgres "$DIR"

as_pg "$BINDIR/initdb" -D "$DIR/primary" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
as_pg "$BINDIR/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w start -o \
  "-c port=$PRIMARY_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR -c wal_level=replica -c max_wal_senders=10 -c max_replication_slots=10" >/dev/null

# As the image's entry point runs its init scripts: over the local socket, as the superuser.
as_pg env PGHOST="$DIR" PGPORT="$PRIMARY_PORT" PGDATA="$DIR/primary" POSTGRES_USER=postgres \
  REPLICATION_USER=replicator REPLICATION_PASSWORD=replica-secret bash "$DIR"/primary-init.sh
as_pg "$BINDIR/pg_ctl" -D "$DIR/primary" reload >/dev/null

as_pg env PGDATA="$DIR/replica" PG_BINDIR="$BINDIR" PRIMARY_HOST=127.0.0.1 PRIMARY_PORT="$PRIMARY_PORT" \
  REPLICATION_USER=replicator REPLICATION_PASSWORD=replica-secret \
  bash "$DIR"/replica-start.sh -c port="$REPLICA_PORT" -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories="$DIR" >"$DIR/replica.log" 2>&1 &
REPLICA_PID=$!

psql_on() { as_pg "$BINDIR/psql" -h "$DIR" -p "$1" -U postgres -d postgres -AtX -v ON_ERROR_STOP=1 -c "$2"; }
for _ in $(seq 1 60); do
  [[ $(psql_on "$REPLICA_PORT" 'SELECT pg_is_in_recovery()' 2>/dev/null) == t ]] && break
  sleep 1
done
[[ $(psql_on "$REPLICA_PORT" 'SELECT pg_is_in_recovery()') == t ]] || { cat "$DIR/replica.log" >&2; exit 1; }

state=$(psql_on "$PRIMARY_PORT" "SELECT state FROM pg_stat_replication WHERE usename = 'replicator'")
slot=$(psql_on "$PRIMARY_PORT" "SELECT active FROM pg_replication_slots WHERE slot_name = 'replica_1'")
psql_on "$PRIMARY_PORT" "CREATE TABLE replication_check (value text); INSERT INTO replication_check VALUES ('streamed')" >/dev/null
seen=
for _ in $(seq 1 30); do
  seen=$(psql_on "$REPLICA_PORT" 'SELECT value FROM replication_check' 2>/dev/null || true)
  [[ $seen == streamed ]] && break
  sleep 1
done
if [[ $state != streaming || $slot != t || $seen != streamed ]]; then
  echo "replica not streaming: state=$state slot_active=$slot row=$seen" >&2
  cat "$DIR/replica.log" >&2
  exit 1
fi
echo "compose PostgreSQL scripts: the replica streams from the primary (slot replica_1, row replicated)"
