#!/usr/bin/env bash
# The replica's entry point: on the first start, clone the primary with pg_basebackup (a physical
# replication slot keeps the WAL it still needs; -R writes primary_conninfo and standby.signal), then
# run the server as a streaming hot standby. Later starts only run the server.
set -euo pipefail
: "${PRIMARY_HOST:?}" "${REPLICATION_USER:?}" "${REPLICATION_PASSWORD:?}" "${PGDATA:?}"
PRIMARY_PORT=${PRIMARY_PORT:-5432}
SLOT=${REPLICATION_SLOT:-replica_1}
PG_BINDIR=${PG_BINDIR:-$(dirname "$(command -v postgres)")}

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  until "$PG_BINDIR/pg_isready" -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT"; do sleep 1; done
  export PGPASSWORD=$REPLICATION_PASSWORD
  "$PG_BINDIR/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$REPLICATION_USER" \
    -D "$PGDATA" -X stream -R -C -S "$SLOT" --checkpoint=fast
  unset PGPASSWORD
  chmod 0700 "$PGDATA"
fi
exec "$PG_BINDIR/postgres" -D "$PGDATA" -c hot_standby=on "$@"
