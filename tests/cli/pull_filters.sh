#!/bin/bash
# dcmfeed-pull with v2 filters (--modality, --sop-class, --action) against the
# responder behind the shipped lighttpd config: the entries that match, all
# of them, once each, in order, through pages of entries that share one
# Timestamp (one ingest batch) and a resumed run whose state falls inside such
# a batch; a v1 URL refused; a bad value named by the server.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/pull_lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
unset DCMFEED_CORPUS DCMFEED_DB

db="$test_dir/feed.db"
start_pull_server
v2=${base%/v1}/v2
out="$test_dir/out"
errs="$test_dir/stderr"
# pull ARGS...: stdout in $out, stderr in $errs, the exit status in $rc; a
# pull that makes no progress is stopped after two minutes (124).
pull() {
    rc=0
    timeout -k 10 120 "$PULL" --user "$pull_user" --no-metadata "$@" >"$out" 2>"$errs" || rc=$?
}

# sample_of DIR COUNT STUDY MODALITY: make_sample's instances of one modality.
sample_of() {
    make_sample "$1" "$2" "$3"
    sed -i "s/\"Value\": \\[\"CT\"\\]/\"Value\": [\"$4\"]/" "$1"/*.json
}
# Batches: 40 CT, 250 MR (one Timestamp), 30 CT, 120 MR (one Timestamp), 7 MG.
sample_of "$test_dir/s1" 40 1 CT
sample_of "$test_dir/s2" 250 2 MR
sample_of "$test_dir/s3" 30 3 CT
sample_of "$test_dir/s4" 120 4 MR
sample_of "$test_dir/s5" 7 5 MG
init_log "$db"
for s in 1 2 3 4 5; do "$INGEST" --db "$db" -q add "$test_dir/s$s"; done
# A study of MR deleted: its deletes carry MR too.
"$INGEST" --db "$db" -q delete 1.2.826.0.1.3680043.10.543.4
"$PULL" --user "$pull_user" --no-metadata "$v2" >"$test_dir/all"
check "the whole feed: 567 entries" [ "$(wc -l <"$test_dir/all")" = 567 ]
want_mr=$(jq -r 'select(.Modality == "MR") | .Sequence' "$test_dir/all")

pull --modality MR "$v2"
check "--modality MR: exit 0" [ "$rc" = 0 ]
check "--modality MR: every MR entry, once, in order (490)" \
    cmp -s <(sequences "$out") <(echo "$want_mr")
pull --modality MR --limit 7 "$v2"
check "... through pages of 7 inside one batch's Timestamp" cmp -s <(sequences "$out") <(echo "$want_mr")

# Stopped inside the 250-entry batch, resumed from its state.
state="$test_dir/state"
stop_at=$(echo "$want_mr" | sed -n 100p)
pull --modality MR --limit 30 --state "$state" --exec "[ \"\$DCMFEED_SEQUENCE\" != $stop_at ]" "$v2"
check "a failing --exec stops the filtered pull (exit 8)" [ "$rc" = 8 ]
check "... its state before the entry ($(cat "$state"))" [ "$(cat "$state")" = "$(echo "$want_mr" | sed -n 99p)" ]
pull --modality MR --limit 30 --state "$state" "$v2"
check "resumed: the rest of the MR entries, none twice, none missed" \
    cmp -s <(sequences "$out") <(echo "$want_mr" | sed -n '100,$p')
pull --modality MR --state "$state" "$v2"
check "at the end: nothing more" holds '[ "$rc" = 0 ] && [ ! -s "$out" ]'

pull --modality MR,MG --action delete "$v2"
check "--modality MR,MG --action delete: the 120 deletes" \
    cmp -s <(sequences "$out") <(jq -r 'select(.Action == "delete") | .Sequence' "$test_dir/all")
pull --sop-class 1.2.840.10008.5.1.4.1.1.2 --modality MG --modality CT "$v2"
check "--sop-class with --modality given twice" \
    cmp -s <(sequences "$out") <(jq -r 'select(.Modality == "CT" or .Modality == "MG") | .Sequence' "$test_dir/all")
pull --from-latest --modality MG --state "$test_dir/latest" "$v2"
check "--from-latest: nothing yet" holds '[ "$rc" = 0 ] && [ ! -s "$out" ]'
sample_of "$test_dir/s6" 3 6 MG
"$INGEST" --db "$db" -q add "$test_dir/s6"
pull --modality MG --state "$test_dir/latest" "$v2"
check "... then the new MG entries only" \
    holds '[ "$(sequences "$out" | tr "\n" " ")" = "568 569 570 " ]'

pull --modality MR "$base"
check "a v1 URL with a filter: usage error (exit 2)" holds '[ "$rc" = 2 ] && grep -q "need a v2 URL" "$errs"'
pull --modality mr "$v2"
check "a bad value: the server's 400, named (exit 4)" \
    holds '[ "$rc" = 4 ] && grep -q "modality must be 1 to 16 codes" "$errs"'
finish
