#!/bin/bash
# dcmfeed-pull --post: the feed's entries as CloudEvents to a real HTTP
# receiver on loopback (tests/lib/receiver.py, which checks each event's shape
# and records what it acknowledged). The exact event of an entry against the
# feed's entry; every action's type (create, delete, update); every entry
# acknowledged once and in order while the receiver fails with 500, 503, 429,
# timeouts and dropped connections on a schedule; batches; a 4xx or a redirect
# stopping with exit 9 and the state before the refused event; an absent
# receiver (exit 6); --header sent, the feed's credentials not; a stop during
# retries; a batch in --follow delivered when the feed is caught up.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/pull_lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
[ -x /usr/bin/python3 ] || skip_all "python3 is not installed"
[ -n "${LOG_UPDATE:-}" ] && [ -x "$LOG_UPDATE" ] || skip_all "tests/lib/log_update is not built"

db="$test_dir/feed.db"
start_pull_server
# Study 1's first 20 instances, study 2's 10, 10 more of study 1, series 1
# of study 2 deleted (5 entries), and an update of study 1's first instance.
ingest_sample "$db" 20 1
ingest_sample "$db" 10 2
ingest_sample "$db" 10 1 21
"$INGEST" --db "$db" -q delete "$(study_uid 2)" "$(study_uid 2).1"
"$LOG_UPDATE" "$db" "$(study_uid 1)" "$(study_uid 1).1" "$(study_uid 1).1.1" \
    '{"00100010":{"vr":"PN","Value":[{"Alphabetic":"Doe^Janet"}]}}' >/dev/null
n=46
out="$test_dir/out"
errs="$test_dir/stderr"

# post ARGS...: dcmfeed-pull --post $receiver_url with the test's user;
# stderr in $errs, the exit status in $rc.
post() {
    rc=0
    "$PULL" --user "$pull_user" --post "$receiver_url" "$@" "$base" >"$out" 2>"$errs" || rc=$?
}
said() { grep -qF -- "$1" "$errs"; }
# acked NAME: the Sequences receiver NAME acknowledged, in order.
acked() { cut -d' ' -f2 "$test_dir/$1/acked"; }
no_errors() { [ ! -s "$test_dir/$1/errors" ] || { cat "$test_dir/$1/errors" >&2; false; }; }

# --- every entry once, in order, each event exactly the entry's --------------------
start_receiver plain --events
post --state "$test_dir/st-plain"
check "all delivered: exit 0" [ "$rc" = 0 ]
check "every event acknowledged once, in Sequence order" cmp -s <(acked plain) <(seq 1 "$n")
check "the receiver found every event well formed" no_errors plain
check "one event per request, application/cloudevents+json" \
    [ "$(grep -c '^ok application/cloudevents+json 1 ' "$test_dir/plain/requests")" = "$n" ]
check "the state is the last Sequence" [ "$(cat "$test_dir/st-plain")" = "$n" ]
check "nothing on stdout" [ ! -s "$out" ]

feed_id=$("$CURL" -s -D - -o /dev/null -u "$pull_user" "$base/changefeed?offset=0&limit=1" |
    sed -n 's/^[Ee][Tt][Aa][Gg]: "\([0-9a-f]\{16\}\)-.*/\1/p')
check "the responder's ETag carries the feed's identity" [ ${#feed_id} = 16 ]
# event_of SEQUENCE: the event the receiver got for that entry, keys sorted.
event_of() { jq -cS "select(.data.sequenceNumber == $1)" "$test_dir/plain/events"; }
# expected SEQUENCE TYPE: the event spec §11 makes of the feed's entry.
expected() {
    "$CURL" -s -u "$pull_user" "$base/changefeed?offset=$(($1 - 1))&limit=1" | jq -cS \
        --arg id "$feed_id-$1" --arg src "$base" --arg type "Microsoft.HealthcareApis.$2" '.[0] |
        {specversion: "1.0", type: $type, source: $src, id: $id, time: .Timestamp,
         subject: ("/studies/" + .StudyInstanceUid + "/series/" + .SeriesInstanceUid +
                   "/instances/" + .SopInstanceUid),
         datacontenttype: "application/json",
         data: ({imageStudyInstanceUid: .StudyInstanceUid, imageSeriesInstanceUid: .SeriesInstanceUid,
                 imageSopInstanceUid: .SopInstanceUid, serviceHostName: "127.0.0.1",
                 sequenceNumber: .Sequence, action: .Action, state: .State} +
                if has("Metadata") then {metadata: .Metadata} else {} end)}'
}
check "a create: DicomImageCreated, exactly the entry's fields and metadata" \
    cmp -s <(event_of 2) <(expected 2 DicomImageCreated)
check "a create replaced by an update: its metadata is the current one" \
    cmp -s <(event_of 1) <(expected 1 DicomImageCreated)
check "a delete: DicomImageDeleted, metadata null" \
    holds 'cmp -s <(event_of 41) <(expected 41 DicomImageDeleted) && [ "$(event_of 41 | jq -c .data.metadata)" = null ]'
check "an update: DicomImageUpdated" cmp -s <(event_of 46) <(expected 46 DicomImageUpdated)
check "the id is the feed's identity and the Sequence" [ "$(event_of 46 | jq -r .id)" = "$feed_id-46" ]
check "metadata as the server sent it (a decimal kept as written)" \
    grep -q '"00280030":{"vr":"DS","Value":\[0.703125,0.703125\]}' "$test_dir/plain/events"
stop_receiver

start_receiver nometa --events
post --no-metadata
check "--no-metadata: events without data.metadata" \
    holds '[ "$rc" = 0 ] && [ "$(jq -s "map(select(.data | has(\"metadata\"))) | length" "$test_dir/nometa/events")" = 0 ]'
stop_receiver

# --- a receiver that fails on a schedule --------------------------------------------
start_receiver flaky --repeat --hang 3 --schedule '500,ok,429,ok,timeout,ok,close,ok,503:1,ok,ok'
post --timeout 1 --retry-cap 0.05 --state "$test_dir/st-flaky"
check "500, 429, 503, timeouts and dropped connections are retried: exit 0" [ "$rc" = 0 ]
check "after the failures, every event acknowledged once, in order" cmp -s <(acked flaky) <(seq 1 "$n")
check "the failed tries were made" [ "$(grep -c -v '^ok ' "$test_dir/flaky/requests")" -ge 20 ]
check "retries are reported, naming the receiver" said "the receiver: HTTP 500"
check "Retry-After of the receiver honoured" said "retrying in 1.0 s"
check "the receiver found every event well formed" no_errors flaky
stop_receiver

# --- batches ------------------------------------------------------------------------------
start_receiver batch --repeat --schedule 'ok,500,ok'
post --batch-post 7 --limit 20 --state "$test_dir/st-batch"
check "--batch-post 7: exit 0" [ "$rc" = 0 ]
check "--batch-post 7: every event once, in order" cmp -s <(acked batch) <(seq 1 "$n")
check "batches are application/cloudevents-batch+json of at most 7 events" \
    holds '! grep -v " application/cloudevents-batch+json [1-7] " "$test_dir/batch/requests" | grep -q . &&
           grep -q " application/cloudevents-batch+json 7 " "$test_dir/batch/requests"'
check "a batch never waits for entries past the end of the feed" [ "$(cat "$test_dir/st-batch")" = "$n" ]
check "the receiver found every batch well formed" no_errors batch
stop_receiver

# --- refusals: exit 9, the state before the refused event ----------------------------------
start_receiver refuse --schedule 'ok,ok,ok,ok,400'
post --state "$test_dir/st-refuse"
check "a 400: exit 9" [ "$rc" = 9 ]
check "a 400: the receiver's message and the event's id" \
    said "the receiver refused the event $feed_id-5: HTTP 400 BadEvent: this receiver refuses it"
check "a 400: the state stays before the refused event" [ "$(cat "$test_dir/st-refuse")" = 4 ]
stop_receiver
start_receiver resume
post --state "$test_dir/st-refuse"
check "the next run starts with the refused event" \
    holds '[ "$rc" = 0 ] && cmp -s <(acked resume) <(seq 5 "$n")'
stop_receiver

start_receiver refuse-batch --schedule 'ok,422'
post --batch-post 10 --state "$test_dir/st-refuse-batch"
check "a 422 of a batch: exit 9, the state after the last batch acknowledged" \
    holds '[ "$rc" = 9 ] && [ "$(cat "$test_dir/st-refuse-batch")" = 10 ]'
check "a 422 of a batch names its events" said "a batch of 10 events ($feed_id-11 to 20)"
stop_receiver

start_receiver moved --schedule 'redirect'
post --state "$test_dir/st-moved"
check "a redirect: exit 9, not followed" holds '[ "$rc" = 9 ] && said "redirects to http://127.0.0.1:1/elsewhere"'
check "a redirect: nothing recorded" [ ! -e "$test_dir/st-moved" ]
stop_receiver

# --- no receiver at all ----------------------------------------------------------------------
receiver_url="http://127.0.0.1:$(free_port)/events"
post --max-retries 1 --retry-cap 0.05 --state "$test_dir/st-absent"
check "no receiver: exit 6 after --max-retries" [ "$rc" = 6 ]
check "no receiver: the message names the receiver and the event" \
    said "the event $feed_id-1 not delivered: the receiver:"
check "no receiver: nothing recorded" [ ! -e "$test_dir/st-absent" ]

# --- headers: --header goes to the receiver, --user only to the feed ---------------------------
start_receiver headers
post --header 'Authorization: Bearer s3cret' --header 'X-Tenant: radiology' --limit 5
check "--header: the bearer token reaches the receiver" \
    [ "$(grep -c ' auth=Bearer_s3cret ' "$test_dir/headers/requests")" = "$n" ]
check "no Expect: 100-continue" holds '! grep -q "expect=100" "$test_dir/headers/requests"'
stop_receiver
start_receiver nocreds
post --limit 50
check "the feed's credentials are never sent to the receiver" \
    holds '[ "$rc" = 0 ] && [ "$(grep -c " auth=- " "$test_dir/nocreds/requests")" = "$n" ]'
stop_receiver

# --- a stop while the receiver is down ---------------------------------------------------------
start_receiver down --repeat --schedule '503:30'
"$PULL" --user "$pull_user" --post "$receiver_url" --state "$test_dir/st-down" "$base" \
    2>"$test_dir/down.err" &
pid=$!
until_true 10 grep -q . "$test_dir/down/requests" || true
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
check "SIGTERM during the receiver's Retry-After: exit 0 at once" [ "$rc" = 0 ]
check "SIGTERM during retries: nothing recorded" [ ! -e "$test_dir/st-down" ]
stop_receiver

# --- --follow with batches: delivered once the feed is caught up -------------------------------
start_receiver follow
"$PULL" --user "$pull_user" --post "$receiver_url" --batch-post 50 --follow --wait 2 \
    --state "$test_dir/st-follow" "$base" 2>"$test_dir/follow.err" &
pid=$!
until_true 20 holds '[ "$(wc -l <"$test_dir/follow/acked")" = "$n" ]' || true
ingest_sample "$db" 3 3
until_true 20 holds '[ "$(wc -l <"$test_dir/follow/acked")" = $((n + 3)) ]' || true
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
check "--follow --batch-post 50: three new entries delivered without waiting for 50" \
    cmp -s <(acked follow) <(seq 1 $((n + 3)))
check "--follow stops with exit 0, the state at the last event" \
    holds '[ "$rc" = 0 ] && [ "$(cat "$test_dir/st-follow")" = $((n + 3)) ]'
stop_receiver

# --- usage -------------------------------------------------------------------------------------
usage() { rc=0; "$PULL" "$@" "$base" >/dev/null 2>"$errs" || rc=$?; [ "$rc" = 2 ]; }
check "--batch-post without --post is a usage error" usage --batch-post 5
check "--header without --post is a usage error" usage --header 'A: b'
check "--post with --exec is a usage error" usage --post http://127.0.0.1:1/ --exec true
check "a header without a colon is a usage error" usage --post http://127.0.0.1:1/ --header 'Bearer x'
check "a header with a line break is a usage error" usage --post http://127.0.0.1:1/ --header $'A: b\r\nC: d'
check "--post wants http(s)" usage --post ftp://127.0.0.1/
check "--batch-post 0 is a usage error" usage --post http://127.0.0.1:1/ --batch-post 0
finish
