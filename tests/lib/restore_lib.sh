# A restore under running responders, what it starts from and what it must
# show (sourced, bash; for tests/http/restore.sh and pg_restore.sh).

# restore_setup: the log $db with the first 10 instances of $test_dir/a (15
# made, and 4 in $test_dir/b), a reader, lighttpd started, `feed` defined.
restore_setup() {
    make_sample "$test_dir/a" 15 1
    make_sample "$test_dir/b" 4 2
    init_log "$db"
    "$INGEST" --db "$db" -q add "$test_dir"/a/instance-1-00*.json "$test_dir/a/instance-1-010.json"
    add_user reader 'correct horse'
    auth=(-u 'reader:correct horse')
    start_lighttpd
}
# feed: the whole feed, without metadata, as the reader.
feed() { http GET "$base/v1/changefeed?limit=100&includemetadata=false" "${auth[@]}" "$@"; }

# served_from_the_backup TAG10 TAG15: the log held 10 entries when it was
# backed up (ETag TAG10 then) and 15 when it was restored (TAG15). Every
# responder thread serves the backup's 10 entries at once under a new
# identity, no ETag from before the restore matches, and the instances of
# $test_dir/b appended next take Sequences 11-14.
served_from_the_backup() {
    local tag10=$1 tag15=$2
    for _ in 1 2 3 4 5 6; do # every thread of both processes, in turn
        feed
        [ "$status" = 200 ] && body_is 'length == 10' || break
    done
    check "every responder serves the backup's 10 entries at once" [ "$status" = 200 ] &&
        check "... (10)" body_is 'length == 10'
    check "... under a new identity: the ETag's first part changed" [ "${tag10%%-*}" != "$(header ETag | cut -d- -f1)" ]
    feed -H "If-None-Match: $tag10"
    check "an ETag of the log at 10 entries before the restore gets 200, not 304" [ "$status" = 200 ]
    "$INGEST" --db "$db" -q add "$test_dir"/b/*.json
    feed -H "If-None-Match: $tag15"
    check "after 4 more, 14 entries; the old ETag of 15 entries does not match (200)" \
        [ "$status" = 200 ] && check "... (14)" body_is 'length == 14'
    check "... Sequences 11-14 are the new instances, paired with their own UIDs" \
        [ "$(jq -r '.[10:][] | "\(.Sequence) \(.SopInstanceUid)"' "$test_dir/body")" = \
          "$(printf '%s\n' 11 12 13 14 | paste -d' ' - <(jq -r '.["00080018"].Value[0]' "$test_dir"/b/*.json))" ]
}
