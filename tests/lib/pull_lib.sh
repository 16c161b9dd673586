# Helpers of the dcmfeed-pull tests (sourced after tests/lib/lib.sh, bash): the
# responder behind the shipped lighttpd config with HTTP Basic authentication,
# sample entries, and reading Sequences out of JSON Lines.

[ -n "${PULL:-}" ] && [ -x "$PULL" ] || skip_all "dcmfeed-pull is not built (PULL=${PULL:-})"
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (apt-get install lighttpd)"
command -v openssl >/dev/null || skip_all "openssl is not installed"

pull_user='reader:correct horse'

# start_pull_server: lib.sh's start_lighttpd (the shipped config over the log
# $db, a real lighttpd on a free port, stopped at exit) with the user
# $pull_user; sets $base to the feed's v1 URL.
start_pull_server() {
    add_user reader 'correct horse'
    start_lighttpd
    base="$base/v1"
}

# ingest_sample DB COUNT STUDY: adds COUNT sample instances of study STUDY.
ingest_sample() {
    rm -rf "$test_dir/sample-$3"
    make_sample "$test_dir/sample-$3" "$2" "$3"
    "$INGEST" --db "$1" -q status >/dev/null 2>&1 || init_log "$1"
    "$INGEST" --db "$1" -q add "$test_dir/sample-$3"/*.json
}

# sequences FILE: the Sequences of the JSON Lines in FILE, one per line.
sequences() { sed -n 's/^{"Sequence":\([0-9]*\),.*/\1/p' "$1"; }

# holds 'SHELL TEST': true when the test, evaluated now, is (for check).
holds() { eval "$1"; }
