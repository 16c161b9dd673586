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

# check_gzip URL [CURL ARGS]: a page of the feed at URL through a server,
# asked for with and without gzip (issue #16): the gzip body decompresses to
# the identity body byte for byte, with Content-Encoding, Vary and the
# compressed Content-Length; each encoding has its own strong ETag and its
# 304; HEAD agrees with GET; a client that refuses gzip (q=0) gets identity;
# curl --compressed, as dcmfeed-pull asks (libcurl), reads the same JSON.
check_gzip() {
    local url=$1 tag gz_tag gz_len
    shift
    http GET "$url" "$@"
    cp "$test_dir/body" "$test_dir/identity.json"
    tag=$(header ETag)
    check "identity by default: no Content-Encoding, Vary: Accept-Encoding" \
        bash -c "[ '$status' = 200 ] && [ -z '$(header Content-Encoding)' ] && [ '$(header Vary)' = Accept-Encoding ]"
    # curl without --compressed keeps the bytes as they came.
    http GET "$url" -H 'Accept-Encoding: gzip' "$@"
    check "gzip asked: Content-Encoding: gzip, Vary: Accept-Encoding" \
        bash -c "[ '$status' = 200 ] && [ '$(header Content-Encoding)' = gzip ] && [ '$(header Vary)' = Accept-Encoding ]"
    # Apache keeps a responder's Content-Length only when it reads the whole
    # answer at once (else GET is chunked and HEAD has none): where there is
    # one, it is the compressed body's.
    gz_len=$(wc -c <"$test_dir/body")
    check "... Content-Length, if any, is the compressed body's ($gz_len of $(wc -c <"$test_dir/identity.json") bytes)" \
        bash -c "[ -z '$(header Content-Length)' ] || [ '$(header Content-Length)' = '$gz_len' ]"
    check "... and it decompresses to the identity body, byte for byte" \
        bash -c "gzip -dc '$test_dir/body' | cmp -s - '$test_dir/identity.json'"
    check "... in fewer bytes" [ "$gz_len" -lt "$(wc -c <"$test_dir/identity.json")" ]
    gz_tag=$(header ETag)
    check "... under an ETag of its own ($gz_tag, identity $tag)" \
        bash -c "[ -n '$tag' ] && [ '$gz_tag' != '$tag' ] && [ '${gz_tag%-gz\"}\"' = '$tag' ]"
    http HEAD "$url" -H 'Accept-Encoding: gzip' "$@"
    check "HEAD with gzip agrees with GET (Content-Length if any, ETag, Content-Encoding)" \
        bash -c "[ '$status' = 200 ] && { [ -z '$(header Content-Length)' ] || [ '$(header Content-Length)' = '$gz_len' ]; } && [ '$(header ETag)' = '$gz_tag' ] && [ '$(header Content-Encoding)' = gzip ]"
    http GET "$url" -H 'Accept-Encoding: gzip' -H "If-None-Match: $gz_tag" "$@"
    check "304 for the gzip ETag, asked with gzip" [ "$status" = 304 ]
    http GET "$url" -H "If-None-Match: $tag" "$@"
    check "304 for the identity ETag, asked without" [ "$status" = 304 ]
    http GET "$url" -H 'Accept-Encoding: gzip' -H "If-None-Match: $tag" "$@"
    check "200 for the identity ETag asked with gzip (another representation)" \
        bash -c "[ '$status' = 200 ] && [ '$(header Content-Encoding)' = gzip ]"
    http GET "$url" -H 'Accept-Encoding: gzip;q=0, identity' "$@"
    check "a client that refuses gzip (q=0) gets identity" \
        bash -c "[ '$status' = 200 ] && [ -z '$(header Content-Encoding)' ] && [ '$(header ETag)' = '$tag' ] && cmp -s '$test_dir/body' '$test_dir/identity.json'"
    http GET "$url" --compressed "$@"
    check "curl --compressed reads the same JSON" \
        bash -c "[ '$(header Content-Encoding)' = gzip ] && cmp -s '$test_dir/body' '$test_dir/identity.json'"
}
