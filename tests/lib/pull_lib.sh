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

# ingest_sample DB COUNT STUDY [FIRST]: adds COUNT sample instances of study
# STUDY, numbered from FIRST (default 1; a higher FIRST adds new instances).
ingest_sample() {
    rm -rf "$test_dir/sample-$3"
    make_sample "$test_dir/sample-$3" "$2" "$3" "${4:-1}"
    "$INGEST" --db "$1" -q status >/dev/null 2>&1 || init_log "$1"
    "$INGEST" --db "$1" -q add "$test_dir/sample-$3"/*.json
}

# feed_ahead STATE: 100 more sample entries in the log $db once the
# consumer's state file STATE (a Sequence) is within 20 of the feed's end $n,
# which it moves on: a consumer killed again and again never runs out of work.
feed_ahead() {
    if [ "$(cat "$1" 2>/dev/null || echo 0)" -ge "$((n - 20))" ]; then
        ingest_sample "$db" 100 "$((n / 100 + 1))"
        n=$((n + 100))
    fi
}

# study_uid N: the StudyInstanceUID make_sample gives study number N.
study_uid() { echo "1.2.826.0.1.3680043.10.543.$1"; }

# start_receiver NAME [receiver.py OPTIONS...]: a CloudEvents receiver
# (tests/lib/receiver.py) in $test_dir/NAME, stopped at exit; sets
# $receiver_url and $receiver_pid. Its files: NAME/acked, NAME/requests,
# NAME/errors.
start_receiver() {
    local dir="$test_dir/$1"
    shift
    rm -rf "$dir"
    mkdir -p "$dir"
    /usr/bin/python3 "$top_srcdir/tests/lib/receiver.py" "$dir" "$@" &
    receiver_pid=$!
    cleanup_pids="$cleanup_pids $receiver_pid"
    until_true 10 test -s "$dir/port" || { echo "the receiver did not start"; exit 1; }
    receiver_url="http://127.0.0.1:$(cat "$dir/port")/events"
}

# stop_receiver: stops the receiver started last.
stop_receiver() {
    kill "$receiver_pid" 2>/dev/null || true
    wait "$receiver_pid" 2>/dev/null || true
}

# sequences FILE: the Sequences of the JSON Lines in FILE, one per line.
sequences() { sed -n 's/^{"Sequence":\([0-9]*\),.*/\1/p' "$1"; }

# holds 'SHELL TEST': true when the test, evaluated now, is (for check).
holds() { eval "$1"; }
