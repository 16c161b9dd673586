#!/bin/bash
# Crash safety of dcmfeed-pull: 50 times, a consumer running --exec (append
# the entry's Sequence to a file) is killed with SIGKILL at a random moment
# and started again from its state file. In the end every entry 1..N was
# processed, in order of first processing, none lost, and at most one entry
# repeated per kill (the one in flight).
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/pull_lib.sh"
. "$top_srcdir/tests/lib/kill_lib.sh"

kills_wanted=${PULL_KILLS:-50}
db="$test_dir/feed.db"
start_pull_server
n=300
ingest_sample "$db" "$n" 1

processed="$test_dir/processed"
st="$test_dir/state"
cmd="echo \"\$DCMFEED_SEQUENCE\" >>'$processed'"
pull_cmd=("$PULL" -q --user "$pull_user" --limit 20 --no-metadata --state "$st" --exec "$cmd" "$base")

# Kills from before the first request to deep into the run: 1 to 40 ms.
kill_runs "$kills_wanted" 40 120 "$test_dir/errors" feed_ahead "$st" -- "${pull_cmd[@]}"
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
