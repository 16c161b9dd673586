#!/bin/bash
# Crash safety of dcmfeed-pull: 50 times, a consumer running --exec (append
# the entry's Sequence to a file) is killed with SIGKILL at a random moment
# and started again from its state file. In the end every entry 1..N was
# processed, in order of first processing, none lost, and at most one entry
# repeated per kill (the one in flight).
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/pull_lib.sh"

kills_wanted=${PULL_KILLS:-50}
db="$test_dir/feed.db"
start_pull_server
n=300
ingest_sample "$db" "$n" 1

processed="$test_dir/processed"
st="$test_dir/state"
cmd="echo \"\$DCMFEED_SEQUENCE\" >>'$processed'"
# An array, not a function: "$!" must be dcmfeed-pull itself, not a subshell.
pull_cmd=("$PULL" -q --user "$pull_user" --limit 20 --no-metadata --state "$st" --exec "$cmd" "$base")

kills=0
runs=0
started=$(date +%s)
while [ "$kills" -lt "$kills_wanted" ]; do
    # Keep the feed ahead of the consumer, so that every kill can land in work.
    if [ "$(cat "$st" 2>/dev/null || echo 0)" -ge "$((n - 20))" ]; then
        ingest_sample "$db" 100 "$((n / 100 + 1))"
        n=$((n + 100))
    fi
    "${pull_cmd[@]}" 2>>"$test_dir/errors" &
    pid=$!
    # From before the first request to deep into the run: 1 to 40 ms.
    sleep "$(printf '0.%03d' $((RANDOM % 40 + 1)))"
    kill -KILL "$pid" 2>/dev/null || true
    rc=0
    wait "$pid" 2>/dev/null || rc=$?
    runs=$((runs + 1))
    if [ "$rc" = 137 ]; then
        kills=$((kills + 1))
    elif [ "$rc" != 0 ]; then
        not_ok "run $runs exited $rc: $(tail -n 1 "$test_dir/errors")"
        break
    fi
    if [ $(($(date +%s) - started)) -gt 120 ]; then
        not_ok "$kills kills took over two minutes"
        break
    fi
done
echo "# $kills kills in $runs runs; feed of $n entries"
rc=0
"${pull_cmd[@]}" || rc=$?
check "the last run reads to the end" [ "$rc" = 0 ]
check "the state is the last Sequence" [ "$(cat "$st")" = "$n" ]
# A command orphaned by a kill may still append after the next run began: the
# order of first processing is what must increase.
check "every entry 1..$n processed, none lost" cmp -s <(sort -n "$processed" | uniq) <(seq 1 "$n")
check "entries first processed in Sequence order" \
    cmp -s <(awk '!seen[$1]++' "$processed") <(seq 1 "$n")
repeats=$(($(wc -l <"$processed") - n))
echo "# $repeats entries processed twice"
check "at most one repeat per kill ($repeats <= $kills)" [ "$repeats" -le "$kills" ]
check "$kills_wanted kills" [ "$kills" -ge "$kills_wanted" ]
finish
