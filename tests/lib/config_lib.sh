# Rendering the shipped web server configs for a test or the demo (sourced,
# bash; no side effects). Uses $top_srcdir, $test_dir (the folder that holds
# the run/ sockets and the htpasswd file), $db (the log) and $FCGI.

# render_config TEMPLATE OUT [RESPONDER]: a shipped config template
# (apache-conf/*.in) with this test's paths where make puts the install's:
# the log $db, the responder (default $FCGI), sockets in $test_dir/run, the
# htpasswd file $test_dir/htpasswd (and $test_dir/htpasswd-research for the
# de-identified route, /dicom-research), the prefix /dicom. Rendered by the
# Makefile's own apache-conf/render-config.awk, which quotes each value for
# the spot it lands in.
render_config() {
    mkdir -p "$test_dir/run"
    LC_ALL=C DCMFEED_FCGI="${3:-$FCGI}" DCMFEED_DB="$db" DCMFEED_RUNDIR="$test_dir/run" \
        DCMFEED_PREFIX=/dicom DCMFEED_DATADIR="$test_dir" DCMFEED_HTPASSWD="$test_dir/htpasswd" \
        DCMFEED_BINDIR="$(dirname "${INGEST:-/usr/bin/dcmfeed-ingest}")" DCMFEED_SYSCONFDIR="$test_dir" \
        DCMFEED_INCOMING="$test_dir/incoming" \
        "${AWK:-awk}" -f "$top_srcdir/apache-conf/render-config.awk" "$1" >"$2"
}

# add_user USER PASSWORD: an entry of $test_dir/htpasswd (apr1, which both
# lighttpd and Apache read).
add_user() {
    echo "$1:$(openssl passwd -apr1 "$2")" >>"$test_dir/htpasswd"
}

# add_research_user USER PASSWORD: an entry of $test_dir/htpasswd-research,
# the de-identified route's own users.
add_research_user() {
    echo "$1:$(openssl passwd -apr1 "$2")" >>"$test_dir/htpasswd-research"
}

# check_research_route BASE_URL [CURL ARGS]: the de-identified route of a
# shipped config (BASE_URL/dicom-research) with a log whose sample instances
# name a patient: its own users only, no patient name in its Metadata while
# the full route shows it, the same UIDs, the record of the method. Needs the
# users reader ('correct horse', $test_dir/htpasswd) and researcher
# ('open data', $test_dir/htpasswd-research).
check_research_route() {
    local root=$1
    shift
    http GET "$root/dicom-research/v1/changefeed?limit=5" -u 'researcher:open data' "$@"
    check "the research route answers its own user" [ "$status" = 200 ]
    check "... with de-identified Metadata: Patient's Name emptied, identity removed" \
        body_is 'length == 5 and all(.[]; .Metadata["00100010"] == {"vr": "PN"} and .Metadata["00120062"].Value == ["YES"])'
    cp "$test_dir/body" "$test_dir/research.json"
    http GET "$root/dicom/v1/changefeed?limit=5" -u 'reader:correct horse' "$@"
    check "the full route shows the names the research route hides" \
        body_is 'all(.[]; .Metadata["00100010"].Value[0].Alphabetic | length > 0)'
    check "both show the same entries and UIDs" bash -c \
        "[ \"\$(jq -c '[.[] | [.Sequence, .SopInstanceUid, .Metadata[\"0020000D\"]]]' '$test_dir/body')\" = \
           \"\$(jq -c '[.[] | [.Sequence, .SopInstanceUid, .Metadata[\"0020000D\"]]]' '$test_dir/research.json')\" ]"
    local name
    name=$(jq -r '.[0].Metadata["00100010"].Value[0].Alphabetic' "$test_dir/body")
    check "no answer of the research route holds the name $name" \
        bash -c '! grep -qF "$1" "$2"' _ "$name" "$test_dir/research.json"
    http GET "$root/dicom-research/v1/changefeed" -u 'reader:correct horse' "$@"
    check "the full feed's password does not open the research route" [ "$status" = 401 ]
    http GET "$root/dicom/v1/changefeed" -u 'researcher:open data' "$@"
    check "nor the research password the full feed" [ "$status" = 401 ]
    http GET "$root/dicom-research/v1/changefeed" "$@"
    check "the research route needs a password" [ "$status" = 401 ]
}
