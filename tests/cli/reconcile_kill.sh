#!/bin/bash
# Crash safety of reconcile: a log that has drifted from a real archive
# (Orthanc with its DICOMweb plugin) in every way at once (instances it
# lacks, instances whose metadata changed, instances the archive no longer
# has) is reconciled by runs killed with SIGKILL at random moments, in
# batches of 7, until RECONCILE_KILLS kills landed; then one run to the end.
# Each killed run leaves whole batches (a multiple of 7 entries, unless it
# had finished its work when the kill came). In the end the log's instances are the archive's, and each drifted
# instance got exactly one entry: nothing appended twice, nothing lost. A
# run after that appends nothing.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/archive_lib.sh"
kills_wanted=${RECONCILE_KILLS:-25}
db="$test_dir/feed.db"

# The archive: 40 studies of 5 instances. The log: the first 30 studies
# (50 creates to come), 20 of them with another patient name (20 updates),
# and 30 instances the archive never had: one more series in 4 studies and 2
# whole studies (30 deletes).
make_instances "$test_dir/archive" 40 5
make_instances "$test_dir/renamed" 40 5 Old^Name
make_instances "$test_dir/extra" 46 5
archive_start
store "$test_dir"/archive/*.dcm >/dev/null
log_files=()
for s in $(seq 1 30); do
    for i in 1 2 3 4 5; do
        if [ "$s" -le 4 ]; then log_files+=("$test_dir/renamed/s$s-$i.dcm"); else log_files+=("$test_dir/archive/s$s-$i.dcm"); fi
    done
done
init_log "$db"
"$INGEST" --db "$db" -q add "${log_files[@]}"
# Instances 6 to 10 of studies 1 to 4 (a series of their own), and studies 45 and 46.
make_instances "$test_dir/more" 4 10
"$INGEST" --db "$db" -q add "$test_dir"/more/s[1-4]-{6,7,8,9,10}.dcm "$test_dir"/extra/s4[56]-*.dcm
start=$(entries_count "$db")
echo "# the log starts with $start entries"

# drift ROUND: 10 studies (from 4 * ROUND on) stored again with another
# patient name, a new study 100 + ROUND, the study of the round before deleted.
expect_c=50 expect_u=20 expect_d=30
drift() {
    local round=$1 s i files=()
    make_instances "$test_dir/round$round" 10 5 "Round^$round" $((4 * round % 30 + 1))
    make_instances "$test_dir/round$round" 1 5 "New^Study" $((100 + round))
    store "$test_dir/round$round"/*.dcm >/dev/null
    [ "$round" = 1 ] || api DELETE "/studies/$(orthanc_id Study "1.2.826.0.1.3680043.10.543.9.$((99 + round))")" >/dev/null
    expect_u=$((expect_u + 50)) expect_c=$((expect_c + 5))
    [ "$round" = 1 ] || expect_d=$((expect_d + 5))
}

reconcile_cmd=("$INGEST" --db "$db" reconcile --user "$archive_user:$archive_password" --batch 7 "$archive_url")
kills=0
runs=0
partial=0 # killed runs that left anything but whole batches
steps=""
started=$(date +%s)
while [ "$kills" -lt "$kills_wanted" ]; do
    before=$(entries_count "$db")
    "${reconcile_cmd[@]}" >>"$test_dir/printed" 2>>"$test_dir/errors" &
    pid=$!
    sleep "$(printf '0.%03d' $((RANDOM % 300 + 5)))"
    kill -KILL "$pid" 2>/dev/null || true
    rc=0
    wait "$pid" 2>/dev/null || rc=$?
    runs=$((runs + 1))
    if [ "$rc" = 137 ]; then
        kills=$((kills + 1))
        # A killed run leaves whole batches of 7 (no change is superseded
        # here: no other writer), unless it had written its last, short
        # batch and was dying anyway (a sanitizer's exit takes its time):
        # then the log is the archive.
        added=$(($(entries_count "$db") - before))
        steps="$steps $added"
        if [ $((added % 7)) != 0 ]; then
            "$INGEST" --db "$db" reconcile --dry-run --user "$archive_user:$archive_password" \
                "$archive_url" >"$test_dir/dry" 2>/dev/null || true
            [ ! -s "$test_dir/dry" ] || partial=$((partial + 1))
        fi
    elif [ "$rc" = 0 ]; then
        # Before its kill: the log is the archive now; a new round of drift.
        finished=$((${finished:-0} + 1))
        drift "$finished"
    else
        not_ok "run $runs exited $rc: $(tail -n 1 "$test_dir/errors")"
        break
    fi
    if [ $(($(date +%s) - started)) -gt 240 ]; then
        not_ok "$kills kills took over four minutes"
        break
    fi
done
echo "# $kills kills in $runs runs (${finished:-0} finished first); entries each killed run left:$steps"
check "each killed run left whole batches" [ "$partial" = 0 ]
rc=0
"${reconcile_cmd[@]}" >"$test_dir/last" 2>"$test_dir/err" || rc=$?
echo "# the last run: $(tail -n 1 "$test_dir/err")"
check "the last run completes" [ "$rc" = 0 ]
log_state "$db" >"$test_dir/log_set"
archive_instances >"$test_dir/archive_set"
check "the log's instances are the archive's" cmp -s "$test_dir/log_set" "$test_dir/archive_set"
# The entries appended since the start: one per drifted instance.
jq -r "select(.Sequence > $start) | \"\(.Action) \(.SopInstanceUid)\"" "$test_dir/log_entries" |
    sort >"$test_dir/appended"
count() { grep -c "^$1 " "$test_dir/appended" || true; }
echo "# appended: $(count create) creates, $(count update) updates, $(count delete) deletes"
check "$expect_c creates, $expect_u updates, $expect_d deletes: one per change, none lost or twice" \
    [ "$(count create)/$(count update)/$(count delete)" = "$expect_c/$expect_u/$expect_d" ]
check "the instances renamed last carry the archive's name" \
    [ "$(jq -r '.["00100010"].Value[0].Alphabetic' "$test_dir/log_meta/1.2.826.0.1.3680043.10.543.9.$((4 * ${finished:-0} % 30 + 1)).1.1.json")" = "$([ "${finished:-0}" = 0 ] && echo Doe^Jane || echo "Round^${finished:-0}")" ]
n=$(entries_count "$db")
"${reconcile_cmd[@]}" >"$test_dir/out" 2>/dev/null
expect "a run after that appends nothing" '[ ! -s "$test_dir/out" ] && [ "$(entries_count "$db")" = "$n" ]'
check "$kills_wanted kills" [ "$kills" -ge "$kills_wanted" ]
finish
