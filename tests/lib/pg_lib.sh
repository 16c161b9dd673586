# Helpers for the tests that need a real PostgreSQL (sourced, bash): a
# throwaway cluster in a temporary folder, reached over a Unix socket only,
# stopped by PID and removed at exit. Skips (pg_skip) when PostgreSQL is not
# installed: on Debian, apt-get install postgresql.

pg_bin=""
pg_dir=""
pg_pid=""
pg_port=""
pg_owner=""
pg_db=""
PG_CONNINFO=""
# A hot standby of the cluster (pg_start_standby), if any.
pg_standby_dir=""
pg_standby_pid=""
pg_standby_port=""
PG_STANDBY_CONNINFO=""

# Runs a PostgreSQL program as the cluster's owner: postgres refuses to run as
# root, so a root test runs it as the postgres user.
pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_find() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && pg_bin=$d
    done
    if [ -z "$pg_bin" ] && command -v initdb >/dev/null 2>&1; then
        pg_bin=$(dirname "$(command -v initdb)")
    fi
    [ -n "$pg_bin" ]
}

# pg_kill PID: a postmaster's fast shutdown, waited for (10 s, then SIGKILL).
pg_kill() {
    kill -INT "$1" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$1" 2>/dev/null || true
}

# pg_stop: stops the cluster (its standby first, if any) by its postmaster's
# PID (fast shutdown), then removes its folder. Safe to call twice.
pg_stop() {
    if [ -n "$pg_standby_pid" ]; then
        pg_kill "$pg_standby_pid"
        pg_standby_pid=""
    fi
    if [ -n "$pg_standby_dir" ]; then
        rm -rf "$pg_standby_dir"
        pg_standby_dir=""
    fi
    if [ -n "$pg_pid" ]; then
        pg_kill "$pg_pid"
        pg_pid=""
    fi
    if [ -n "$pg_dir" ]; then
        rm -rf "$pg_dir"
        pg_dir=""
    fi
}

# pg_halt: stops the server as an administrator would (pg_ctl stop -m fast:
# sessions are ended, the data stays); pg_resume starts it again on the same
# socket. For the tests of a database that goes away and comes back.
pg_halt() {
    pg_server_stop "$pg_dir"
    pg_pid=""
}

pg_resume() {
    pg_pid=$(pg_server_start "$pg_dir" "$pg_port") || return 1
}

# pg_server_start DIR PORT: starts the cluster of DIR/data on a socket in DIR
# and prints the postmaster's PID; pg_server_stop DIR stops it (-m fast).
pg_server_start() {
    # No TCP at all: the port only names the socket file in the folder.
    pg_as_owner "$pg_bin/pg_ctl" -D "$1/data" -l "$1/server.log" -w -s \
        -o "-k $1 -p $2 -c listen_addresses='' -c fsync=off" start >&2 ||
        { cat "$1/server.log" >&2; return 1; }
    head -n 1 "$1/data/postmaster.pid"
}

pg_server_stop() {
    pg_as_owner "$pg_bin/pg_ctl" -D "$1/data" -m fast -w -s stop
}

# pg_psql CONNINFO SQL: runs SQL with psql, never asking for a password;
# prints the rows unaligned, without headers. pg_sql SQL: on the test database.
pg_psql() {
    "$pg_bin/psql" -X -q -A -t -w -v ON_ERROR_STOP=1 "$1" -c "$2"
}

pg_sql() { pg_psql "$PG_CONNINFO" "$1"; }

# pg_uri [USERINFO]: the test database as a postgresql:// URI (the socket
# folder percent-encoded as its host); USERINFO (e.g. "user:password")
# replaces the plain user name.
pg_uri() {
    local host="" c i
    for ((i = 0; i < ${#pg_dir}; i++)); do
        c=${pg_dir:i:1}
        case "$c" in
        [A-Za-z0-9._~-]) host+=$c ;;
        *) host+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    echo "postgresql://${1:-$pg_owner}@$host:$pg_port/$pg_db"
}

# pg_skip REASON: the test cannot run without PostgreSQL: skip_all when the
# test uses tests/lib/lib.sh, else TAP's plan of a skipped test.
pg_skip() {
    if command -v skip_all >/dev/null; then skip_all "$1"; fi
    echo "1..0 # SKIP $1"
    exit 0
}

# pg_start DBNAME: makes a cluster, starts it on a socket in its folder and
# creates DBNAME; sets PG_CONNINFO. Exits 77 when PostgreSQL is missing.
pg_start() {
    local db=$1
    if ! pg_find; then
        pg_skip "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin)"
    fi
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        pg_skip "running as root and there is no postgres user to run the server"
    fi
    pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/dcmfeed-pg.XXXXXX")
    [ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir"
    pg_owner=$(pg_as_owner id -un)
    pg_as_owner "$pg_bin/initdb" -D "$pg_dir/data" -U "$pg_owner" --auth=trust -E UTF8 \
        --no-sync >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log"; return 1; }
    pg_port=$((20000 + RANDOM % 20000))
    pg_resume
    pg_db=$db
    PG_CONNINFO="host=$pg_dir port=$pg_port user=$pg_owner dbname=$db"
    pg_as_owner "$pg_bin/createdb" -h "$pg_dir" -p "$pg_port" -U "$pg_owner" "$db"
}

# pg_start_standby: a hot standby of the running cluster, made with
# pg_basebackup -R (streaming replication over the primary's Unix socket: the
# trust pg_hba.conf of pg_start admits the local user to "replication") and
# started on a socket in a folder of its own; sets PG_STANDBY_CONNINFO (the
# same database and user). Read-only: it replays what the primary writes.
# pg_stop stops it too.
pg_start_standby() {
    pg_standby_dir=$(mktemp -d "${TMPDIR:-/tmp}/dcmfeed-pg.XXXXXX")
    [ "$(id -u)" -eq 0 ] && chown postgres "$pg_standby_dir"
    # A fast checkpoint: the default spreads it over minutes.
    pg_as_owner "$pg_bin/pg_basebackup" -h "$pg_dir" -p "$pg_port" -U "$pg_owner" \
        -D "$pg_standby_dir/data" -R -X stream --checkpoint=fast --no-sync \
        >"$pg_standby_dir/basebackup.log" 2>&1 || { cat "$pg_standby_dir/basebackup.log"; return 1; }
    pg_standby_port=$((20000 + RANDOM % 20000))
    pg_standby_resume
    PG_STANDBY_CONNINFO="host=$pg_standby_dir port=$pg_standby_port user=$pg_owner dbname=$pg_db"
}

# pg_standby_halt, pg_standby_resume: the standby stopped (pg_ctl stop -m fast)
# and started again, as pg_halt and pg_resume do for the primary. pg_ctl -w
# returns once the standby accepts read-only connections.
pg_standby_halt() {
    pg_server_stop "$pg_standby_dir"
    pg_standby_pid=""
}

pg_standby_resume() {
    pg_standby_pid=$(pg_server_start "$pg_standby_dir" "$pg_standby_port") || return 1
}

# pg_standby_sql SQL: pg_sql on the standby.
pg_standby_sql() { pg_psql "$PG_STANDBY_CONNINFO" "$1"; }

# pg_wait_replay [SECONDS]: waits (30 s unless told) until the standby has
# replayed all the WAL the primary had written when called: from then on it
# holds every transaction committed before.
pg_wait_replay() {
    local lsn
    lsn=$(pg_sql "SELECT pg_current_wal_lsn()")
    for _ in $(seq 1 $((${1:-30} * 10))); do
        [ "$(pg_standby_sql "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn" 2>/dev/null)" = t ] && return 0
        sleep 0.1
    done
    echo "# the standby did not replay up to $lsn"
    return 1
}

# pg_password_login ROLE: ROLE must log in with its password (scram-sha-256),
# a line put before pg_start's trust lines; a standby made afterwards gets it
# with its copy of the data.
pg_password_login() {
    local hba="$pg_dir/data/pg_hba.conf" lines
    lines=$(cat "$hba")
    printf 'local all %s scram-sha-256\n%s\n' "$1" "$lines" >"$hba"
    pg_sql "SELECT pg_reload_conf()" >/dev/null
}
