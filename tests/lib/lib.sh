# Shared helpers of the integration tests (sourced, bash). Each test makes its
# own folder, starts what it needs on free loopback ports, and stops it by PID.

set -eu

passed=0
failed=0
skipped=0

# A folder for this test, removed at exit unless KEEP_TEST_DIR is set (a
# test may point $test_dir at a subfolder for a while: the whole one goes).
test_dir=$(mktemp -d "${TMPDIR:-/tmp}/dcmfeed-test.XXXXXX")
test_root=$test_dir
# Processes stopped at exit, then functions run (a database server, which
# the stopped processes were connected to).
cleanup_pids=""
cleanup_hooks=""
cleanup() {
    for pid in $cleanup_pids; do
        kill "$pid" 2>/dev/null || true
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    for hook in $cleanup_hooks; do "$hook" || true; done
    if [ -z "${KEEP_TEST_DIR:-}" ]; then rm -rf "$test_root"; else echo "# kept $test_root"; fi
}
trap cleanup EXIT

ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
# skip NAME REASON: a check that cannot run here (TAP's SKIP directive).
skip() { skipped=$((skipped + 1)); echo "ok - $1 # SKIP $2"; }

# check NAME COMMAND...: runs COMMAND; passes when it exits 0.
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# absent [-i] MUST FORBIDDEN FILE...: every FILE exists, the extended regex
# MUST matches a line of them (the proof that they hold what the check is
# about, e.g. the line of the request that was made) and FORBIDDEN matches
# none (-i: both ignoring case). A bare `! grep -q` passes on a missing or
# empty file: this one cannot.
absent() {
    local icase=() must forbidden file
    [ "$1" != -i ] || { icase=(-i); shift; }
    must=$1 forbidden=$2
    shift 2
    [ "$#" -gt 0 ] || { echo "# absent: no file given"; return 1; }
    for file in "$@"; do
        [ -f "$file" ] || { echo "# absent: $file is not a file"; return 1; }
    done
    grep -qE "${icase[@]}" -- "$must" "$@" || { echo "# absent: '$must' is in none of $*"; return 1; }
    if grep -E "${icase[@]}" -- "$forbidden" "$@" | head -n 3 | sed 's/^/# found: /' | grep .; then
        return 1
    fi
}

# Every test speaks TAP (automake's tap-driver.sh): a line "ok - NAME" or
# "not ok - NAME" per check, then the plan. A test that dies before its plan
# (set -e, a crash) is an error, whatever it printed.

# Ends the test: the plan, a summary comment, and an exit status for a
# person who runs it by hand.
finish() {
    echo "1..$((passed + failed + skipped))"
    echo "# $passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ] || exit 1
    exit 0
}

# skip_all REASON: nothing of this test can run here (a missing server,
# package or permission). After some checks ran, the rest is one skipped
# check instead.
skip_all() {
    if [ $((passed + failed + skipped)) -eq 0 ]; then
        echo "1..0 # SKIP $*"
        exit 0
    fi
    skip "the rest" "$*"
    finish
}

# A TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
    local port
    for _ in $(seq 1 100); do
        # Below Linux's ephemeral range (32768-60999), where outgoing
        # connections could take the port between this check and the bind.
        port=$((10000 + RANDOM % 22000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "no free port found" >&2
    return 1
}

# until_true SECONDS COMMAND...: waits up to SECONDS for COMMAND to succeed,
# trying every 0.1 s.
until_true() {
    local tries=$(($1 * 10))
    shift
    for _ in $(seq 1 "$tries"); do
        if "$@"; then return 0; fi
        sleep 0.1
    done
    return 1
}

# port_open PORT: something listens on PORT; wait_port PORT waits up to 10 s for it.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { until_true 10 port_open "$1"; }

. "$top_srcdir/tests/lib/config_lib.sh"

# use_test_backend: the log of this test. With DCMFEED_TEST_BACKEND=pg (the
# tests/*_pg.sh wrappers) a database in a throwaway PostgreSQL cluster
# (tests/lib/pg_lib.sh; the test skips when PostgreSQL is not installed), else a
# SQLite file in $test_dir. Sets $backend (sqlite or pg), $db (the log's
# address, for dcmfeed-ingest --db and DCMFEED_DB) and $no_log_logged (what
# the responder logs while the log does not exist yet).
use_test_backend() {
    backend=${DCMFEED_TEST_BACKEND:-sqlite}
    case "$backend" in
    sqlite)
        db="$test_dir/feed.db"
        no_log_logged='no log at '
        ;;
    pg)
        . "$top_srcdir/tests/lib/pg_lib.sh"
        cleanup_hooks="$cleanup_hooks pg_stop"
        pg_start dcmfeed_test
        db=$PG_CONNINFO
        no_log_logged='no log in this database'
        echo "# the log: PostgreSQL at $PG_CONNINFO"
        ;;
    *)
        echo "DCMFEED_TEST_BACKEND must be sqlite or pg, not $backend"
        exit 99
        ;;
    esac
}

# init_log ADDRESS: makes the log, as `dcmfeed-ingest init` alone may (run
# as root, it must be told whose the log is: the tests run as root in CI).
init_log() {
    case "$1" in
    postgresql://* | postgres://* | *=*) "$INGEST" --db "$1" -q init ;;
    *) "$INGEST" --db "$1" -q init $([ "$(id -u)" != 0 ] || echo --owner root) ;;
    esac
}

# log_exists: true once a writer has made the log (its file, or its schema).
log_exists() {
    if [ "$backend" = pg ]; then
        [ "$(pg_sql "SELECT to_regclass('dcmfeed_schema') IS NOT NULL")" = t ]
    else
        [ -f "$db" ]
    fi
}

# Writes N sample DICOM JSON datasets (one study, series of 5) into DIR.
make_sample() { bash "$top_srcdir/tests/lib/make_sample.sh" "$@"; }

# cgi VAR=VALUE...: runs the responder as plain CGI with the given variables
# and writes its answer to $test_dir/answer; the status code goes to $status,
# the header block to $test_dir/head and the body to $test_dir/body.
# Its exit status is the responder's (also in $cgi_rc, 128 + N when signal N
# ended it); the answer is split whatever it is.
cgi() {
    cgi_rc=0
    env -i PATH="$PATH" "$@" "$FCGI" </dev/null >"$test_dir/answer" 2>"$test_dir/stderr" || cgi_rc=$?
    split_answer "$test_dir/answer"
    return "$cgi_rc"
}

split_answer() {
    # The header block ends at the first empty line (CRLF CRLF).
    awk 'BEGIN{RS="\r\n"} /^$/{exit} {print}' "$1" >"$test_dir/head"
    status=$(sed -n 's/^Status: \([0-9]*\).*/\1/p' "$test_dir/head")
    local hlen
    hlen=$(LC_ALL=C awk '{ n += length($0) + 1 } $0 == "\r" { print n; exit }' "$1")
    tail -c +"$((${hlen:-0} + 1))" "$1" >"$test_dir/body"
}

# header NAME: the value of a header of the last answer ("" when absent).
header() {
    grep -i "^$1:" "$test_dir/head" | head -n 1 | sed 's/^[^:]*: *//' | tr -d '\r' || true
}

# body_is JQ_FILTER: the last body is JSON and the filter yields true.
body_is() { jq -e "$1" "$test_dir/body" >/dev/null 2>&1; }

# http METHOD URL [curl args...]: fetches into head/body like cgi() does.
http() {
    local method=$1 url=$2
    shift 2
    # curl writes no file for an answer without a body, and -I writes the
    # headers as its output: start from an empty body file.
    local mflag=(-X "$method") out="$test_dir/body"
    : >"$test_dir/body"
    if [ "$method" = HEAD ]; then mflag=(-I); out=/dev/null; fi
    status=$("$CURL" -s -g "${mflag[@]}" -D "$test_dir/head" -o "$out" \
        -w '%{http_code}' "$@" "$url") || status=000
    tr -d '\r' <"$test_dir/head" | sed '1d' >"$test_dir/head.tmp" && mv "$test_dir/head.tmp" "$test_dir/head"
}

# start_lighttpd [CONFIG LINE...]: a real lighttpd on a free loopback port
# ($port) with the shipped FastCGI config rendered for this test and any
# extra lines; sets $base to the feed's prefix URL and $lighttpd_pid. Stopped
# at exit.
start_lighttpd() {
    port=$(free_port)
    mkdir -p "$test_dir/www"
    render_config "$top_srcdir/apache-conf/lighttpd-dcmfeed.conf.in" "$test_dir/dcmfeed.conf"
    {
        echo "server.document-root = \"$test_dir/www\""
        echo "server.bind = \"127.0.0.1\""
        echo "server.port = $port"
        echo "server.errorlog = \"$test_dir/error.log\""
        # The responder's stderr (its error lines), else lighttpd's own stderr.
        echo "server.breakagelog = \"$test_dir/responder.log\""
        echo "include \"$test_dir/dcmfeed.conf\""
        for line in "$@"; do echo "$line"; done
    } >"$test_dir/lighttpd.conf"
    "$LIGHTTPD" -tt -f "$test_dir/lighttpd.conf" || { echo "lighttpd rejects the config"; exit 1; }
    "$LIGHTTPD" -D -f "$test_dir/lighttpd.conf" &
    lighttpd_pid=$!
    cleanup_pids="$cleanup_pids $lighttpd_pid"
    wait_port "$port" || { cat "$test_dir/error.log"; echo "lighttpd did not start"; exit 1; }
    base="http://127.0.0.1:$port/dicom"
}

# fcgi_children PID: the PIDs, sorted, of the responders a server (PID)
# spawned and that are alive now: its children whose program is $FCGI.
# lighttpd respawns a FastCGI child that died, so a changed list is a crash
# even where the server's log words it its own way ("child signalled: 11").
fcgi_children() {
    local exe child
    exe=$(readlink -f "$FCGI")
    for child in $(pgrep -P "$1" || true); do
        [ "$(readlink -f "/proc/$child/exe" 2>/dev/null)" != "$exe" ] || echo "$child"
    done | sort -n
}

# full_route PID...: those of the PIDs (responders) that serve the full
# route: not a de-identified route's pool (DCMFEED_METADATA in its
# environment, the shipped lighttpd config's research route).
full_route() {
    local pid
    for pid in "$@"; do
        tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -q '^DCMFEED_METADATA=' || echo "$pid"
    done
}
