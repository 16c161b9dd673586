#!/bin/bash
# dcmfeed-pull against the real responder behind the shipped lighttpd config:
# a feed of 1,000 entries read whole and in order, with the server's bytes;
# resuming from the state file; --from-latest; --follow seeing new entries;
# 401, 400 and 503 handled with their exit codes and messages; a failing
# --exec never advances the state; a gap in a page stops the pull.
# With DCMFEED_TEST_BACKEND=pg (tests/cli/pull_pg.sh) the log is a PostgreSQL
# database.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/pull_lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
# --exec passes DCMFEED_* variables through; only the entry's own may be set.
unset DCMFEED_CORPUS DCMFEED_DB

use_test_backend
unset DCMFEED_TEST_BACKEND
start_pull_server
out="$test_dir/out"
errs="$test_dir/stderr"

# pull ARGS...: runs dcmfeed-pull with the test's user on $base; stdout in
# $out, stderr in $errs, the exit status in $rc.
pull() {
    rc=0
    "$PULL" --user "$pull_user" "$@" "$base" >"$out" 2>"$errs" || rc=$?
}
said() { grep -qF -- "$1" "$errs"; }

# --- no log yet: 503 with Retry-After -------------------------------------------
"$PULL" --user "$pull_user" --max-retries -1 "$base" >/dev/null 2>"$test_dir/term.err" &
term_pid=$!
pull --max-retries 1
check "503: gives up after --max-retries with exit 6" [ "$rc" = 6 ]
check "503: the message is the server's" said "HTTP 503 ServiceUnavailable"
check "503: says it gave up" said "gave up after 1 retry"
check "503: the retry honoured Retry-After" grep -q "retrying in 5.0 s" "$errs"
check "503: nothing was written" [ ! -s "$out" ]
kill -TERM "$term_pid"
term_rc=0
wait "$term_pid" || term_rc=$?
check "503: SIGTERM during the back-off stops cleanly with exit 0" [ "$term_rc" = 0 ]

# --- an empty log --------------------------------------------------------------------
init_log "$db"
pull --from-latest --state "$test_dir/latest0"
check "--from-latest on an empty feed (204) starts at 0" holds '[ "$rc" = 0 ] && [ "$(cat "$test_dir/latest0")" = 0 ]'
pull
check "an empty feed: exit 0, no output" holds '[ "$rc" = 0 ] && [ ! -s "$out" ]'

# --- 1,000 entries ---------------------------------------------------------------------
make_sample "$test_dir/sample" 1000
"$INGEST" --db "$db" -q add "$test_dir"/sample/*.json

pull
check "1,000 entries from the start: exit 0" [ "$rc" = 0 ]
check "1,000 entries from the start: Sequences 1..1000 in order" \
    cmp -s <(sequences "$out") <(seq 1 1000)
check "every line is one compact JSON entry" bash -c "[ \"\$(jq -c . '$out' | wc -l)\" = 1000 ] && jq -c . '$out' | cmp -s - '$out'"
check "entries carry their metadata" \
    jq -se 'length == 1000 and all(.[]; .Metadata["00100010"].vr == "PN")' "$out"
cp "$out" "$test_dir/all"

# The server's bytes, unchanged: the page as curl gets it, split by hand.
"$CURL" -s -u "$pull_user" "$base/changefeed?offset=0&limit=3" >"$test_dir/page"
check "each line holds the server's bytes of its entry" \
    cmp -s <(printf '[%s]' "$(head -n 3 "$out" | paste -sd,)") "$test_dir/page"

pull --limit 7 --no-metadata
check "--limit 7: the same 1,000 entries across unaligned pages" \
    cmp -s <(sequences "$out") <(seq 1 1000)
check "--no-metadata: no Metadata" absent '^\{"Sequence":1000,' Metadata "$out"

# --- the state file ----------------------------------------------------------------------
st="$test_dir/state"
printf '%s' 'echo "$DCMFEED_SEQUENCE" >>"$PROCESSED"; [ "$DCMFEED_SEQUENCE" -ne 500 ] || [ -e "$HEALED" ]' \
    >"$test_dir/fails-at-500.sh"
export PROCESSED="$test_dir/processed" HEALED="$test_dir/healed"
pull --state "$st" --limit 30 --exec "sh $test_dir/fails-at-500.sh"
check "--exec failing: exit 8" [ "$rc" = 8 ]
check "--exec failing: the message names the entry and the status" \
    said "entry 500 was not processed: the command exited with status 1"
check "--exec failing: the state stays before the entry" [ "$(cat "$st")" = 499 ]
pull --state "$st" --limit 30 --exec "sh $test_dir/fails-at-500.sh"
check "--exec failing again: still 499" holds '[ "$rc" = 8 ] && [ "$(cat "$st")" = 499 ]'
touch "$HEALED"
pull --state "$st" --limit 30 --exec "sh $test_dir/fails-at-500.sh"
check "resumed after the fix: exit 0, state 1000" holds '[ "$rc" = 0 ] && [ "$(cat "$st")" = 1000 ]'
check "each entry processed once, the failing one each time it was offered" \
    cmp -s "$PROCESSED" <(seq 1 500; echo 500; seq 500 1000)

pull --state "$st"
check "nothing new: exit 0, no output" holds '[ "$rc" = 0 ] && [ ! -s "$out" ]'
make_sample "$test_dir/sample2" 5 2
"$INGEST" --db "$db" -q add "$test_dir"/sample2/*.json
pull --state "$st"
check "resume: only the new entries" cmp -s <(sequences "$out") <(seq 1001 1005)
check "resume: the state moved to the last one" [ "$(cat "$st")" = 1005 ]

# The entry on stdin and its fields in the environment of --exec.
ENTRY_OUT="$test_dir/entry" ENV_OUT="$test_dir/env" DCMFEED_PASSWORD='correct horse' \
    "$PULL" --user reader --limit 1 --state "$test_dir/one" \
    --exec 'cat >"$ENTRY_OUT"; env | grep "^DCMFEED_" | sort >"$ENV_OUT"; exit 1' "$base" 2>/dev/null || true
check "--exec: the entry's line on stdin" cmp -s "$test_dir/entry" <(head -n 1 "$test_dir/all")
uid1=1.2.826.0.1.3680043.10.543.1
check "--exec: the entry's fields in the environment, not the password" cmp -s "$test_dir/env" <(sort <<ENV
DCMFEED_ACTION=create
DCMFEED_SEQUENCE=1
DCMFEED_SERIES_UID=$uid1.1
DCMFEED_SOP_UID=$uid1.1.1
DCMFEED_STATE=current
DCMFEED_STUDY_UID=$uid1
DCMFEED_TIMESTAMP=$(jq -r .Timestamp <(head -n 1 "$test_dir/all"))
ENV
)
check "--exec failing on the first entry writes no state" [ ! -e "$test_dir/one" ]

printf 'abc\n' >"$test_dir/corrupt"
pull --state "$test_dir/corrupt"
check "a corrupt state file: exit 3, nothing read" holds '[ "$rc" = 3 ] && [ ! -s "$out" ]'
check "a corrupt state file: said so" said "is corrupt"
: >"$test_dir/empty-state"
pull --state "$test_dir/empty-state"
check "an empty state file is corrupt, not 0" holds '[ "$rc" = 3 ] && [ ! -s "$out" ]'

# Another consumer on the same state file: one busy with its first entry.
busy="$test_dir/busy-state"
"$PULL" --user "$pull_user" --state "$busy" --exec "touch '$test_dir/holding'; sleep 5" "$base" \
    >/dev/null 2>&1 &
holder=$!
cleanup_pids="$cleanup_pids $holder"
until_true 10 test -e "$test_dir/holding"
pull --state "$busy"
check "a state in use by another consumer: exit 3" holds '[ "$rc" = 3 ] && said "another dcmfeed-pull"'
kill -KILL "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true
# Killed, its lock goes with it (its command may live on as an orphan).
pull --state "$busy"
check "a killed consumer's state is free at once" holds '[ "$rc" = 0 ]'

# SIGTERM while --exec runs: the entry in flight is finished and stored.
rm -f "$test_dir/slow"
"$PULL" --user "$pull_user" --state "$test_dir/slow-state" --limit 5 \
    --exec 'sleep 0.5; echo "$DCMFEED_SEQUENCE" >>'"$test_dir/slow" "$base" 2>/dev/null &
slow_pid=$!
until_true 10 test -s "$test_dir/slow"
kill -TERM "$slow_pid"
slow_rc=0
wait "$slow_pid" || slow_rc=$?
check "SIGTERM during --exec: exit 0" [ "$slow_rc" = 0 ]
check "SIGTERM during --exec: the entry in flight finished and is the state" \
    [ "$(tail -n 1 "$test_dir/slow")" = "$(cat "$test_dir/slow-state")" ]
check "SIGTERM during --exec: stopped early" [ "$(wc -l <"$test_dir/slow")" -lt 5 ]

# --- --from-latest ----------------------------------------------------------------------------
pull --from-latest --state "$test_dir/latest"
check "--from-latest: exit 0, nothing old" holds '[ "$rc" = 0 ] && [ ! -s "$out" ]'
check "--from-latest: the state is the latest Sequence" [ "$(cat "$test_dir/latest")" = 1005 ]
"$INGEST" --db "$db" -q delete "$uid1" "$uid1.1"
pull --from-latest --state "$test_dir/latest"
check "--from-latest then resume: only what came after" cmp -s <(sequences "$out") <(seq 1006 1010)
check "--from-latest: the deletes with their State" \
    jq -se 'length == 5 and all(.[]; .Action == "delete" and .State == "deleted" and .Metadata == null)' "$out"
pull --from-latest
check "--from-latest without a state: nothing" holds '[ "$rc" = 0 ] && [ ! -s "$out" ]'

# --- an update: --exec sees its Action ---------------------------------------------------------
# The metadata of instance 6 changes without a new file (a corrected name).
sed 's/Doe^Jane/Doe^Janet/' "$test_dir/sample/instance-1-006.json" >"$test_dir/corrected.json"
"$INGEST" --db "$db" -q update "$test_dir/corrected.json"
ENV_OUT="$test_dir/update-env" "$PULL" --user "$pull_user" --state "$test_dir/latest" \
    --exec 'env | grep "^DCMFEED_\(ACTION\|STATE\|SOP_UID\)=" | sort >"$ENV_OUT"; cat >"$ENV_OUT.entry"' \
    "$base" 2>"$errs" && rc=0 || rc=$?
check "an update: pulled, exit 0" holds '[ "$rc" = 0 ] && [ "$(cat "$test_dir/latest")" = 1011 ]'
check "an update: --exec gets DCMFEED_ACTION=update with its State" cmp -s "$test_dir/update-env" <(sort <<ENV
DCMFEED_ACTION=update
DCMFEED_SOP_UID=$uid1.2.6
DCMFEED_STATE=current
ENV
)
check "an update: the entry carries the new metadata" \
    jq -e '.Action == "update" and .Metadata["00100010"].Value[0].Alphabetic == "Doe^Janet"' \
    "$test_dir/update-env.entry"

# --- --follow ---------------------------------------------------------------------------------
for wait in 0 20; do
    fout="$test_dir/follow-$wait"
    "$PULL" --user "$pull_user" --follow --interval 0.2 --wait "$wait" --from-latest \
        --state "$test_dir/follow-state-$wait" "$base" >"$fout" 2>"$test_dir/follow-$wait.err" &
    fpid=$!
    until_true 10 test -s "$test_dir/follow-state-$wait"
    last=$(cat "$test_dir/follow-state-$wait")
    sleep 0.5
    make_sample "$test_dir/sample-f$wait" 12 "$((3 + wait))"
    "$INGEST" --db "$db" -q add "$test_dir"/sample-f$wait/*.json
    until_true 10 bash -c "[ \$(wc -l <'$fout') -ge 12 ]" || true
    kill -TERM "$fpid"
    frc=0
    wait "$fpid" || frc=$?
    check "--follow --wait $wait: picks up entries ingested while it runs" \
        cmp -s <(sequences "$fout") <(seq "$((last + 1))" "$((last + 12))")
    check "--follow --wait $wait: SIGTERM exits 0 with the state saved" holds '[ "$frc" = 0 ] && [ "$(cat "$test_dir/follow-state-$wait")" = "$((last + 12))" ]'
done

total=$(jq -r .Sequence <("$CURL" -s -u "$pull_user" "$base/changefeed/latest?includemetadata=false"))

# --- 4xx -----------------------------------------------------------------------------------------
rc=0
"$PULL" "$base" >"$out" 2>"$errs" || rc=$?
check "401 without a user: exit 5" holds '[ "$rc" = 5 ] && said "HTTP 401"'
rc=0
"$PULL" --user reader:wrong "$base" >"$out" 2>"$errs" || rc=$?
check "401 with a wrong password: exit 5" holds '[ "$rc" = 5 ] && said "HTTP 401"'
check "the password is not in the message" absent 'HTTP 401' wrong "$errs"
rc=0
DCMFEED_PASSWORD='correct horse' "$PULL" --user reader --limit 2 "$base" >"$out" 2>"$errs" || rc=$?
check "--user USER with DCMFEED_PASSWORD" holds '[ "$rc" = 0 ] && [ "$(wc -l <"$out")" = "$total" ]'
printf 'machine 127.0.0.1 login reader password "correct horse"\n' >"$test_dir/netrc"
rc=0
"$PULL" --netrc-file "$test_dir/netrc" --limit 100 "$base" >"$out" 2>"$errs" || rc=$?
check "--netrc-file" holds '[ "$rc" = 0 ] && [ "$(wc -l <"$out")" = "$total" ]'

pull --limit 1000
check "400: exit 4" [ "$rc" = 4 ]
check "400: the server's message" said "HTTP 400 InvalidParameter: limit must be an integer from 1 to 100."
rc=0
"$PULL" --user "$pull_user" "http://127.0.0.1:$port/dicom/v7" >"$out" 2>"$errs" || rc=$?
check "unsupported version: exit 4 with the server's code" holds '[ "$rc" = 4 ] && said "UnsupportedApiVersion"'

rc=0
"$PULL" --limit 0 "$base" >/dev/null 2>"$errs" || rc=$?
check "--limit 0 is a usage error (exit 2)" [ "$rc" = 2 ]
# Numbers are plain decimals (num.h): a blank or a sign before them, a
# fraction, or seconds in hex or with an exponent are usage errors.
for bad in "--limit=$(printf '\t')5" '--limit= 5' '--limit=+5' '--max-retries=1e3' \
    "--interval=$(printf '\t')1" '--interval=+1' '--interval=0x10' '--interval=1e1' '--interval=.5'; do
    rc=0
    "$PULL" "$bad" "$base" >/dev/null 2>"$errs" || rc=$?
    check "'$bad' is a usage error (exit 2)" [ "$rc" = 2 ]
done
rc=0
"$PULL" ftp://example/v1 >/dev/null 2>"$errs" || rc=$?
check "a URL that is not http(s) is a usage error (exit 2)" [ "$rc" = 2 ]
check "--help lists the exit codes" bash -c "'$PULL' --help | grep -q 'Exit status'"
check "--version" bash -c "'$PULL' --version | grep -q '^dcmfeed-pull '"
rc=0
"$PULL" --user "$pull_user" --max-retries 1 --retry-cap 0.1 --timeout 2 \
    "http://127.0.0.1:$(free_port)/dicom/v1" >/dev/null 2>"$errs" || rc=$?
check "nobody listening: retries, then exit 6" holds '[ "$rc" = 6 ] && said "gave up after 1 retry"'

# --- numbers in Metadata keep their bytes -------------------------------------------------------
make_sample "$test_dir/numbers" 1 9
sed -i -e 's/"Value": \[0.703125, 0.703125\]/"Value": [0.1, 1E-7]/' \
    -e 's/"00200013": { "vr": "IS", "Value": \[1\] }/"00200013": { "vr": "IS", "Value": [1] }, "00720078": { "vr": "UV", "Value": [18446744073709551615] }/' \
    "$test_dir"/numbers/*.json
"$INGEST" --db "$db" -q add "$test_dir"/numbers/*.json
echo "$total" >"$test_dir/numbers-state" # a state file written by hand
pull --state "$test_dir/numbers-state"
check "numbers in Metadata keep their bytes (0.1, 1E-7, 2^64-1)" \
    bash -c "grep -qF '\"Value\":[0.1,1E-7]' '$out' && grep -qF '[18446744073709551615]' '$out'"
check "and the state moved past them" [ "$(cat "$test_dir/numbers-state")" = "$((total + 1))" ]

# --- a server that breaks the order --------------------------------------------------------------
if command -v python3 >/dev/null; then
    fake="$test_dir/fake"
    mkdir -p "$fake/gap/v1" "$fake/repeat/v1" "$fake/junk/v1"
    e='"StudyInstanceUid":"1.2","SeriesInstanceUid":"1.2.3","SopInstanceUid":"1.2.3.4","Action":"create","Timestamp":"2026-11-28T00:00:00.000000Z","State":"current"'
    printf '[{"Sequence":1,%s},{"Sequence":3,%s}]' "$e" "$e" >"$fake/gap/v1/changefeed"
    printf '[{"Sequence":1,%s},{"Sequence":1,%s}]' "$e" "$e" >"$fake/repeat/v1/changefeed"
    printf '[{"Sequence":1,' >"$fake/junk/v1/changefeed"
    fport=$(free_port)
    (cd "$fake" && exec python3 -m http.server -b 127.0.0.1 "$fport") >/dev/null 2>&1 &
    cleanup_pids="$cleanup_pids $!"
    wait_port "$fport"
    for kind in gap repeat; do
        rc=0
        "$PULL" "http://127.0.0.1:$fport/$kind/v1" >"$out" 2>"$errs" || rc=$?
        check "a $kind in a page: exit 7, nothing of the page processed" holds '[ "$rc" = 7 ] && [ ! -s "$out" ]'
        check "a $kind in a page: said so" said "instead of 2 (a $kind)"
    done
    rc=0
    "$PULL" "http://127.0.0.1:$fport/junk/v1" >"$out" 2>"$errs" || rc=$?
    check "a page that is not JSON: exit 7" holds '[ "$rc" = 7 ] && said "not valid JSON"'
fi

# A route's URL where the feed's base is asked for: the 404 says what to give.
rc=0
"$PULL" --user "$pull_user" "$base/changefeed" >"$out" 2>"$errs" || rc=$?
check "a URL ending in /changefeed: exit 4, HTTP 404" holds '[ "$rc" = 4 ] && said "HTTP 404"'
check "... says to give the base URL, and which" \
    said "give the feed's base URL, up to its version, without /changefeed: $base"
# -v reports every request: a password given in the URL shows as ***.
rc=0
"$PULL" -v -v --limit 2 "${base/http:\/\//http://reader:correct%20horse@}" >"$out" 2>"$errs" || rc=$?
check "-v with a password in the URL: exit 0" [ "$rc" = 0 ]
check "... the requests it reports hide the password" absent "GET http://reader:\*\*\*@127" 'correct' "$errs"

check "nothing was logged about patients" absent "$no_log_logged" 'Doe\^Jane|PAT1' "$test_dir/error.log" "$test_dir/responder.log"
finish
