#!/bin/bash
# Nothing lost across kill -9 of dcmfeed-pull --post: as tests/cli/pull_kill.sh
# does for --exec, a consumer posting to a receiver that fails on a schedule
# (500, 429, a dropped connection) is killed with SIGKILL at random moments,
# again and again, and started again from its state file; first one event per
# request, then batches of 10. In the end every entry 1..N was acknowledged by
# the receiver at least once, first acknowledged in Sequence order,
# de-duplicable by id (one id per entry), and an entry was delivered twice only
# when a kill fell between an acknowledgement and the state's update: at most
# one request's events per kill.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/pull_lib.sh"
. "$top_srcdir/tests/lib/kill_lib.sh"
[ -x /usr/bin/python3 ] || skip_all "python3 is not installed"

kills_wanted=${PULL_KILLS:-30}
db="$test_dir/feed.db"
start_pull_server
n=200
ingest_sample "$db" "$n" 1

# kill_loop NAME BATCH [OPTIONS...]: the kills with their own receiver and
# state, and the checks of what they left.
kill_loop() {
    local name=$1 batch=$2
    shift 2
    start_receiver "$name" --repeat --schedule 'ok,ok,500,ok,429,ok,ok,ok,close,ok'
    local st="$test_dir/state-$name"
    local cmd=("$PULL" -q --user "$pull_user" --limit 20 --no-metadata --state "$st"
        --retry-cap 0.01 --post "$receiver_url" "$@" "$base")
    local kills runs rc
    kill_runs -l "$name" "$kills_wanted" 60 120 "$test_dir/errors-$name" feed_ahead "$st" \
        -- "${cmd[@]}"
    echo "# $name: $kills kills in $runs runs; feed of $n entries"
    rc=0
    "${cmd[@]}" 2>>"$test_dir/errors-$name" || rc=$?
    check "$name: the last run delivers to the end" [ "$rc" = 0 ]
    check "$name: the state is the last Sequence" [ "$(cat "$st")" = "$n" ]
    local acked="$test_dir/$name/acked"
    check "$name: every entry 1..$n acknowledged, none lost" \
        cmp -s <(cut -d' ' -f2 "$acked" | sort -n | uniq) <(seq 1 "$n")
    check "$name: first acknowledged in Sequence order" \
        cmp -s <(awk '!seen[$1]++ { print $2 }' "$acked") <(seq 1 "$n")
    check "$name: one id per entry (de-duplicable by id)" \
        [ "$(cut -d' ' -f1 "$acked" | sort -u | wc -l)" = "$n" ]
    local repeats=$(($(wc -l <"$acked") - n))
    echo "# $name: $repeats events delivered twice"
    check "$name: at most one request's events repeated per kill ($repeats <= $kills x $batch)" \
        [ "$repeats" -le $((kills * batch)) ]
    check "$name: $kills_wanted kills" [ "$kills" -ge "$kills_wanted" ]
    check "$name: the receiver found every event well formed" [ ! -s "$test_dir/$name/errors" ]
    stop_receiver
}

kill_loop single 1
kill_loop batched 10 --batch-post 10
finish
