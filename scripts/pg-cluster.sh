#!/usr/bin/env bash
# A throwaway PostgreSQL primary and streaming replica on loopback, for tests and local development.
# Everything lives under one directory (data dirs, unix sockets, logs); `stop` removes it.
set -euo pipefail

readonly PROG=pg-cluster
readonly ENV_FILE=pg-cluster.env
readonly SUPERUSER=postgres
readonly DATABASE=postgres
readonly SLOT=pg_cluster_replica
# PostgreSQL refuses to run as root, so a root caller hands the server binaries to this account.
readonly ROOT_RUNS_AS=postgres
readonly REQUIRED_BINARIES=(initdb pg_ctl postgres pg_basebackup psql)

# The caller's PG_BINDIR replaces the search for binaries.
BINDIR_OVERRIDE=${PG_BINDIR:-}
# A developer's exported connection defaults must not steer the tool to another server.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGOPTIONS PGDATA PGAPPNAME PGTARGETSESSIONATTRS

TIMEOUT=${PG_CLUSTER_TIMEOUT:-60}
# Below the kernel's usual ephemeral range (32768-60999), so outgoing connections rarely hold them.
PORTS=${PG_CLUSTER_PORTS:-20000-31999}
DIR=
BINDIR=

usage() {
  cat <<'EOF'
Usage: pg-cluster.sh COMMAND [ARGS]

  start [DIR]               create a primary and a streaming replica under DIR (default: a new
                            temporary directory) and print their connection facts as KEY=value lines
  stop DIR                  stop both servers and remove DIR (nothing to do when DIR is gone)
  stop-node DIR NODE        stop one server; NODE is primary or replica
  start-node DIR NODE       start one server and wait until it accepts connections
                            (the replica also until it streams from the primary again)
  freeze-node DIR NODE      suspend every process of one server (SIGSTOP): connections stay open
                            but nothing answers, as with a hung server or a dead link
  thaw-node DIR NODE        resume a frozen server (SIGCONT)
  status DIR                print the connection facts, each server's state and the replication state
  check                     exit 0 when the PostgreSQL binaries are usable, printing PG_BINDIR

Environment:
  PG_BINDIR                 directory holding initdb, pg_ctl, postgres, pg_basebackup and psql
                            (default: pg_config --bindir, else the newest /usr/lib/postgresql/*/bin)
  PG_CLUSTER_TIMEOUT        seconds for each bounded wait (default 60)
  PG_CLUSTER_PORTS          LOW-HIGH range the loopback ports are drawn from (default 20000-31999)

Exit status: 0 success, 1 failure, 2 usage error, 3 PostgreSQL binaries missing.
EOF
}

say() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() {
  say "$*"
  exit 1
}
usage_error() {
  say "$*"
  usage >&2
  exit 2
}

has_binaries() {
  local dir=$1 bin
  for bin in "${REQUIRED_BINARIES[@]}"; do
    [[ -x $dir/$bin ]] || return 1
  done
}

missing_binaries() {
  say "PostgreSQL binaries not found: $1"
  say "need ${REQUIRED_BINARIES[*]}; install the server (Debian: apt-get install postgresql) or set PG_BINDIR"
  exit 3
}

find_bindir() {
  local dir candidates
  if [[ -n $BINDIR_OVERRIDE ]]; then
    has_binaries "$BINDIR_OVERRIDE" || missing_binaries "PG_BINDIR=$BINDIR_OVERRIDE lacks some of them"
    BINDIR=$BINDIR_OVERRIDE
    return
  fi
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [[ -n $dir ]] && has_binaries "$dir"; then
      BINDIR=$dir
      return
    fi
  fi
  # pg_config may come from a client-only package; Debian keeps each server major apart.
  candidates=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
  while IFS= read -r dir; do
    if has_binaries "$dir"; then
      BINDIR=$dir
      return
    fi
  done <<<"$candidates"
  missing_binaries "not in pg_config --bindir nor in /usr/lib/postgresql/*/bin"
}

require_run_user() {
  if ((EUID == 0)) && ! id -u "$ROOT_RUNS_AS" >/dev/null 2>&1; then
    missing_binaries "running as root needs the '$ROOT_RUNS_AS' system user, which does not exist"
  fi
}

# Runs a command as the account that owns the servers.
as_pg() {
  if ((EUID == 0)); then
    (cd / && runuser -u "$ROOT_RUNS_AS" -- "$@")
  else
    "$@"
  fi
}

write_as_pg() { as_pg tee "$1" >/dev/null; }
append_as_pg() { as_pg tee -a "$1" >/dev/null; }

# Paths end up in postgresql.conf, connection strings and `eval`ed output; plain characters keep
# all of those free of quoting.
set_dir() {
  [[ -n $1 ]] || usage_error "missing DIR"
  DIR=$(realpath -m -- "$1")
  [[ $DIR =~ ^/[A-Za-z0-9._/+@-]+$ ]] ||
    die "DIR must consist of letters, digits and ._/+@- only: $DIR"
  # A unix socket path holds at most 107 bytes.
  local socket="$DIR/sock/.s.PGSQL.65535"
  ((${#socket} <= 107)) || die "DIR is too long for a unix socket path (${#socket} > 107 bytes): $DIR"
}

require_cluster() {
  [[ -f $DIR/$ENV_FILE ]] || die "$DIR is not a pg-cluster directory (no $ENV_FILE)"
}

require_node() {
  [[ ${1:-} == primary || ${1:-} == replica ]] || usage_error "NODE must be primary or replica, not '${1:-}'"
}

env_get() { sed -n "s/^$1=//p" "$DIR/$ENV_FILE" | head -n 1; }

load_bindir() {
  BINDIR=$(env_get PG_BINDIR)
  has_binaries "$BINDIR" || missing_binaries "the cluster was made with '$BINDIR', which lacks some of them"
}

proc_state() {
  local stat state
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  state=${stat##*) }
  printf '%s\n' "${state%% *}"
}

is_live() {
  local state
  state=$(proc_state "$1") || return 1
  [[ $state != Z && $state != X ]]
}

# The postmaster $1 and every process it started (backends, WAL sender or receiver, checkpointer ...).
server_processes() {
  local main=$1 entry stat ppid
  printf '%s\n' "$main"
  for entry in /proc/[0-9]*/stat; do
    stat=$(cat "$entry" 2>/dev/null) || continue
    read -r _ ppid _ <<<"${stat##*) }"
    [[ $ppid == "$main" ]] && printf '%s\n' "${entry//[^0-9]/}"
  done
  return 0
}

signal_server() {
  local signal=$1 main=$2 pid
  # The postmaster first, so it starts no process the loop would miss.
  for pid in $(server_processes "$main"); do
    kill "-$signal" "$pid" 2>/dev/null || true
  done
}

# The postmaster pid of NODE, only when that process is alive and serves this very data dir
# (the postmaster's working directory is its data dir), so a stale pid file is never trusted.
node_pid() {
  local data="$DIR/$1" pid cwd
  [[ -r $data/postmaster.pid ]] || return 1
  read -r pid <"$data/postmaster.pid" || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  is_live "$pid" || return 1
  cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || return 1
  [[ $cwd == "$data" ]] || return 1
  printf '%s\n' "$pid"
}

sql() {
  PGCONNECT_TIMEOUT=3 "$BINDIR/psql" -X -q -A -t -w -h 127.0.0.1 -p "$1" -U "$SUPERUSER" -d "$DATABASE" \
    -v ON_ERROR_STOP=1 -c "$2" 2>/dev/null
}

pg_start() {
  as_pg "$BINDIR/pg_ctl" start -D "$DIR/$1" -l "$DIR/logs/$1.log" -w -t "$TIMEOUT" -s >&2
}

stop_node() {
  local node=$1 pid
  if ! pid=$(node_pid "$node"); then
    say "$node is not running"
    return 0
  fi
  say "stopping $node (pid $pid)"
  # A frozen server would never act on the shutdown request.
  signal_server CONT "$pid"
  kill -INT "$pid" 2>/dev/null || true # fast shutdown
  wait_gone "$pid" && return 0
  say "$node did not stop within ${TIMEOUT}s; sending immediate shutdown"
  kill -QUIT "$pid" 2>/dev/null || true
  wait_gone "$pid" || die "$node (pid $pid) did not stop"
}

wait_gone() {
  local deadline=$((SECONDS + TIMEOUT))
  while is_live "$1"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

streaming_count() {
  sql "$1" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" || true
}

wait_streaming() {
  local primary_port
  primary_port=$(env_get PG_PRIMARY_PORT)
  local deadline=$((SECONDS + TIMEOUT))
  until [[ $(streaming_count "$primary_port") =~ ^[1-9] ]]; do
    if ((SECONDS >= deadline)); then
      node_pid primary >/dev/null ||
        die "the replica accepts connections but cannot stream: the primary is stopped (start-node $DIR primary)"
      die "the replica was not streaming within ${TIMEOUT}s; see $DIR/logs/replica.log"
    fi
    sleep 0.1
  done
}

parse_ports() {
  if [[ $PORTS =~ ^([0-9]{4,5})-([0-9]{4,5})$ ]]; then
    PORT_LOW=$((10#${BASH_REMATCH[1]}))
    PORT_HIGH=$((10#${BASH_REMATCH[2]}))
    ((PORT_LOW >= 1024 && PORT_LOW < PORT_HIGH && PORT_HIGH <= 65535)) && return 0
  fi
  usage_error "PG_CLUSTER_PORTS must be LOW-HIGH, two ports or more within 1024-65535, not '$PORTS'"
}

# A random port of the range other than $1. Whether it is free is for the server's own bind to
# tell: probing first would still race with every other process on the machine.
pick_port() {
  local span=$((PORT_HIGH - PORT_LOW + 1)) offset
  offset=$(((RANDOM * 32768 + RANDOM) % span))
  if ((PORT_LOW + offset == ${1:-0})); then
    offset=$(((offset + 1) % span))
  fi
  printf '%s\n' "$((PORT_LOW + offset))"
}

write_node_conf() {
  local node=$1 port=$2
  write_as_pg "$DIR/$node/pg-cluster.conf" <<EOF
# Written by scripts/pg-cluster.sh for a throwaway $node; included from postgresql.conf.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$DIR/sock'
cluster_name = 'pg-cluster-$node'
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
# A restarted primary is found again within a fraction of a second rather than the default 5 s.
wal_retrieve_retry_interval = '200ms'
# Throwaway data: no flush to disk. A killed server still recovers, as the OS keeps what it wrote.
fsync = off
EOF
}

# Starts a freshly made NODE on a free port, trying another one when the port was taken.
bring_up() {
  local node=$1 other_port=${2:-} log="$DIR/logs/$1.log" port before attempt
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$(pick_port "$other_port")
    write_node_conf "$node" "$port"
    before=$(stat -c %s "$log" 2>/dev/null || echo 0)
    if pg_start "$node"; then
      BROUGHT_UP_PORT=$port
      return 0
    fi
    tail -c +"$((before + 1))" "$log" 2>/dev/null | grep -q -e 'could not bind' -e 'could not create any TCP/IP' ||
      return 1
    say "port $port is taken (attempt $attempt); trying another"
  done
  say "no free port for the $node in $PORTS"
  return 1
}

print_facts() {
  cat <<EOF
PG_CLUSTER_DIR=$DIR
PG_BINDIR=$BINDIR
PG_SOCKET_DIR=$DIR/sock
PG_PRIMARY_PORT=$1
PG_REPLICA_PORT=$2
POSTGRES_PRIMARY_HOST=127.0.0.1
POSTGRES_PRIMARY_PORT=$1
POSTGRES_PRIMARY_USER=$SUPERUSER
POSTGRES_PRIMARY_DATABASE=$DATABASE
POSTGRES_REPLICA_1_HOST=127.0.0.1
POSTGRES_REPLICA_1_PORT=$2
EOF
}

START_DONE=0
START_CREATED_DIR=0
START_MARKED=0

# When start fails half way it leaves nothing running, and removes the directory when it made it.
start_cleanup() {
  local status=$?
  trap - EXIT
  if ((START_DONE == 0 && (START_MARKED == 1 || START_CREATED_DIR == 1))) && [[ -d $DIR ]]; then
    local log
    for log in "$DIR"/logs/*.log; do
      [[ -f $log ]] || continue
      say "last lines of $log:"
      tail -n 15 "$log" >&2 || true
    done
    stop_node replica
    stop_node primary
    if ((START_CREATED_DIR == 1)); then
      rm -rf -- "$DIR"
    else
      say "left $DIR in place for inspection; remove it with: $0 stop $DIR"
    fi
  fi
  exit "$status"
}

cmd_start() {
  parse_ports
  find_bindir
  require_run_user
  trap start_cleanup EXIT
  trap 'exit 130' INT TERM

  if [[ -z ${1:-} ]]; then
    DIR=$(mktemp -d "${TMPDIR:-/tmp}/pg-cluster.XXXXXXXX")
    START_CREATED_DIR=1
    set_dir "$DIR"
  else
    set_dir "$1"
    if [[ -e $DIR ]]; then
      [[ -d $DIR ]] || die "$DIR exists and is not a directory"
      [[ -z $(ls -A -- "$DIR") ]] || die "$DIR is not empty"
    else
      mkdir -p -- "$DIR"
      START_CREATED_DIR=1
    fi
  fi
  if ((EUID == 0)); then
    chown "$ROOT_RUNS_AS:" "$DIR"
    as_pg test -w "$DIR" ||
      die "the $ROOT_RUNS_AS user cannot write to $DIR (is one of its parent directories closed to it?)"
  fi
  # The marker first, so `stop` can clean up whatever a failed start leaves.
  printf 'PG_CLUSTER_DIR=%s\nPG_BINDIR=%s\n' "$DIR" "$BINDIR" | write_as_pg "$DIR/$ENV_FILE"
  START_MARKED=1
  as_pg mkdir -m 0700 "$DIR/sock" "$DIR/logs"

  say "creating the primary in $DIR/primary"
  as_pg "$BINDIR/initdb" -D "$DIR/primary" -U "$SUPERUSER" -A trust -E UTF8 --locale=C \
    --no-sync --no-instructions >"$DIR/logs/initdb.log" 2>&1 ||
    die "initdb failed; see $DIR/logs/initdb.log"
  write_as_pg "$DIR/primary/pg_hba.conf" <<'EOF'
# Trust, but only over the cluster's own socket directory and loopback.
local   all          all                 trust
host    all          all   127.0.0.1/32  trust
local   replication  all                 trust
host    replication  all   127.0.0.1/32  trust
EOF
  printf "include 'pg-cluster.conf'\n" | append_as_pg "$DIR/primary/postgresql.conf"
  bring_up primary || die "the primary did not start"
  local primary_port=$BROUGHT_UP_PORT

  say "copying the primary into $DIR/replica"
  as_pg "$BINDIR/pg_basebackup" -d "host=127.0.0.1 port=$primary_port user=$SUPERUSER" \
    -D "$DIR/replica" -R -X stream -c fast -C -S "$SLOT" -N -w >"$DIR/logs/basebackup.log" 2>&1 ||
    die "pg_basebackup failed; see $DIR/logs/basebackup.log"
  bring_up replica "$primary_port" || die "the replica did not start"
  local replica_port=$BROUGHT_UP_PORT

  print_facts "$primary_port" "$replica_port" | write_as_pg "$DIR/$ENV_FILE"
  wait_streaming
  START_DONE=1
  say "primary on 127.0.0.1:$primary_port, replica on 127.0.0.1:$replica_port, streaming"
  print_facts "$primary_port" "$replica_port"
}

cmd_stop() {
  set_dir "$1"
  if [[ ! -e $DIR ]]; then
    say "$DIR is already gone"
    return 0
  fi
  require_cluster
  # Replica first: a primary shutting down waits for its connected standbys to receive everything.
  stop_node replica
  stop_node primary
  rm -rf -- "$DIR"
}

cmd_stop_node() {
  set_dir "$1"
  require_node "$2"
  require_cluster
  stop_node "$2"
}

cmd_start_node() {
  local node=$2
  set_dir "$1"
  require_node "$node"
  require_cluster
  load_bindir
  require_run_user
  if node_pid "$node" >/dev/null; then
    say "$node is already running"
  else
    pg_start "$node" || die "the $node did not start; see $DIR/logs/$node.log"
  fi
  if [[ $node == replica ]]; then
    wait_streaming
  fi
}

cmd_freeze_node() {
  local pid
  set_dir "$1"
  require_node "$2"
  require_cluster
  pid=$(node_pid "$2") || die "$2 is not running"
  signal_server STOP "$pid"
  say "froze $2 (pid $pid and its processes)"
}

cmd_thaw_node() {
  local pid
  set_dir "$1"
  require_node "$2"
  require_cluster
  pid=$(node_pid "$2") || die "$2 is not running"
  signal_server CONT "$pid"
  say "thawed $2 (pid $pid and its processes)"
}

cmd_status() {
  local node pid state replication=unknown
  set_dir "$1"
  require_cluster
  cat "$DIR/$ENV_FILE"
  for node in primary replica; do
    if pid=$(node_pid "$node"); then
      state=running
      [[ $(proc_state "$pid") == T ]] && state=frozen
      printf 'PG_%s_STATE=%s\nPG_%s_PID=%s\n' "${node^^}" "$state" "${node^^}" "$pid"
    else
      printf 'PG_%s_STATE=stopped\nPG_%s_PID=\n' "${node^^}" "${node^^}"
    fi
  done
  if pid=$(node_pid primary) && [[ $(proc_state "$pid") != T ]] && BINDIR=$(env_get PG_BINDIR) && [[ -x $BINDIR/psql ]]; then
    replication=$(sql "$(env_get PG_PRIMARY_PORT)" "SELECT coalesce(max(state), 'none') FROM pg_stat_replication") ||
      replication=unknown
  fi
  printf 'PG_REPLICATION_STATE=%s\n' "$replication"
}

cmd_check() {
  find_bindir
  require_run_user
  printf 'PG_BINDIR=%s\n' "$BINDIR"
}

[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || usage_error "PG_CLUSTER_TIMEOUT must be a whole number of seconds, not '$TIMEOUT'"

case ${1:-} in
start)
  (($# <= 2)) || usage_error "start takes at most one DIR"
  cmd_start "${2:-}"
  ;;
stop)
  (($# == 2)) || usage_error "stop takes DIR"
  cmd_stop "$2"
  ;;
stop-node)
  (($# == 3)) || usage_error "stop-node takes DIR and NODE"
  cmd_stop_node "$2" "$3"
  ;;
start-node)
  (($# == 3)) || usage_error "start-node takes DIR and NODE"
  cmd_start_node "$2" "$3"
  ;;
freeze-node)
  (($# == 3)) || usage_error "freeze-node takes DIR and NODE"
  cmd_freeze_node "$2" "$3"
  ;;
thaw-node)
  (($# == 3)) || usage_error "thaw-node takes DIR and NODE"
  cmd_thaw_node "$2" "$3"
  ;;
status)
  (($# == 2)) || usage_error "status takes DIR"
  cmd_status "$2"
  ;;
check)
  (($# == 1)) || usage_error "check takes no arguments"
  cmd_check
  ;;
-h | --help | help) usage ;;
*) usage_error "unknown command '${1:-}'" ;;
esac
