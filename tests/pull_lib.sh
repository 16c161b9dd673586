# Helpers of the dcmfeed-pull tests (sourced after tests/lib.sh, bash): the
# shipped lighttpd config in a real lighttpd on a free loopback port, with
# the responder behind it under /dicom and HTTP Basic authentication, as
# tests/lighttpd.sh sets it up.

[ -n "${PULL:-}" ] && [ -x "$PULL" ] || skip_all "dcmfeed-pull is not built (PULL=$PULL)"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"
command -v openssl >/dev/null || skip_all "openssl is not installed"

pull_user='reader:correct horse'

# start_lighttpd DB: serves the log DB on http://127.0.0.1:$port/dicom; sets
# $port, $base (the feed's v1 URL) and $lighttpd_pid (also stopped at exit).
start_lighttpd() {
    local db=$1
    port=$(free_port)
    mkdir -p "$test_dir/run" "$test_dir/www"
    echo "reader:$(openssl passwd -apr1 'correct horse')" >"$test_dir/htpasswd"
    sed -e "s|@DCMFEED_FCGI@|$FCGI|g" -e "s|@DCMFEED_DB@|$db|g" \
        -e "s|@DCMFEED_RUNDIR@|$test_dir/run|g" -e "s|@DCMFEED_PREFIX@|/dicom|g" \
        -e "s|@DCMFEED_DATADIR@|$test_dir|g" -e "s|@DCMFEED_HTPASSWD@|$test_dir/htpasswd|g" \
        "$top_srcdir/apache-conf/lighttpd-dcmfeed.conf.in" >"$test_dir/dcmfeed.conf"
    cat >"$test_dir/lighttpd.conf" <<CONF
server.document-root = "$test_dir/www"
server.bind = "127.0.0.1"
server.port = $port
server.errorlog = "$test_dir/error.log"
include "$test_dir/dcmfeed.conf"
CONF
    "$LIGHTTPD" -tt -f "$test_dir/lighttpd.conf" || { echo "lighttpd rejects the config"; exit 1; }
    "$LIGHTTPD" -D -f "$test_dir/lighttpd.conf" &
    lighttpd_pid=$!
    cleanup_pids="$cleanup_pids $lighttpd_pid"
    wait_port "$port" || { cat "$test_dir/error.log"; echo "lighttpd did not start"; exit 1; }
    base="http://127.0.0.1:$port/dicom/v1"
}

# ingest_sample DB COUNT STUDY: adds COUNT sample instances of study STUDY.
ingest_sample() {
    rm -rf "$test_dir/sample-$3"
    make_sample "$test_dir/sample-$3" "$2" "$3"
    "$INGEST" --db "$1" -q add "$test_dir/sample-$3"/*.json
}

# sequences FILE: the Sequences of the JSON Lines in FILE, one per line.
sequences() { sed -n 's/^{"Sequence":\([0-9]*\),.*/\1/p' "$1"; }

# wait_for COMMAND...: up to 10 s for COMMAND to succeed.
wait_for() {
    for _ in $(seq 1 100); do
        if "$@"; then return 0; fi
        sleep 0.1
    done
    return 1
}

# holds 'SHELL TEST': true when the test, evaluated now, is (for check).
holds() { eval "$1"; }
