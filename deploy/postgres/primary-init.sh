#!/usr/bin/env bash
# Runs once on the primary's first start (compose mounts it into /docker-entrypoint-initdb.d): a
# replication role and a pg_hba.conf line that lets it stream WAL to the replica.
set -euo pipefail
: "${REPLICATION_USER:?}" "${REPLICATION_PASSWORD:?}" "${PGDATA:?}"

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  --set=user="$REPLICATION_USER" --set=password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE :"user" WITH REPLICATION LOGIN PASSWORD :'password';
SQL
printf 'host replication %s all scram-sha-256\n' "$REPLICATION_USER" >>"$PGDATA/pg_hba.conf"
