# Sourced by the benchmarks: a log of $BENCH_ENTRIES sample entries served by
# lighttpd through the shipped config on a free loopback port, with a static
# folder under the same authentication (and the same password cache) as the
# ceiling to compare against.
# Sets: db, port, base (feed URL), research (the shipped config's de-identified
# route, the same user), static (static URL), null (null responder URL, with
# NULL_FCGI), auth_header, auth_cache (the shipped config's setting).
# Needs tests/lib/lib.sh sourced first, and INGEST, FCGI, LIGHTTPD.
# With feed_log set, serves that log (made by the caller, e.g. the real
# headers of tests/bench/real_log.py) instead; feed_lines: more lines for
# lighttpd's config (another socket to listen on).

db=${feed_log:-$test_dir/feed.db}
mkdir -p "$test_dir/www/static"
add_user bench bench
add_research_user bench bench
auth_header="Authorization: Basic $(printf 'bench:bench' | base64)"

entries=${BENCH_ENTRIES:-1000}
if [ -z "${feed_log:-}" ]; then
    for study in $(seq 1 $(((entries + 99) / 100))); do
        make_sample "$test_dir/sample" 100 "$study"
    done
    init_log "$db"
    "$INGEST" --db "$db" -q add "$test_dir"/sample/*.json
fi

# /static and /null behind the same password check as the feed (and the same
# cache as the shipped config's).
auth_cache=$(grep -o 'auth.cache *= *( *"max-age" *=> *"[0-9]*" *)' "$top_srcdir/apache-conf/lighttpd-dcmfeed.conf.in" | head -n 1 || true)
auth="auth.backend = \"htpasswd\"
    auth.backend.htpasswd.userfile = \"$test_dir/htpasswd\"
    auth.require = ( \"\" => ( \"method\" => \"basic\", \"realm\" => \"dcmfeed change feed\", \"require\" => \"valid-user\" ) )
    $auth_cache"
# With NULL_FCGI (tests/bench/null_fcgi.c), /null/NAME is answered by it from
# $test_dir/null/NAME, through FastCGI as the feed is, with the shipped
# config's streaming setting and as many requests served at once (8 processes
# of one thread for the feed's 2 of 4 threads).
null_block=""
if [ -n "${NULL_FCGI:-}" ]; then
    mkdir -p "$test_dir/null"
    null_block="\$HTTP[\"url\"] =~ \"^/null/\" {
    $auth
    $(grep -o 'server.stream-response-body *= *[0-9]*' "$top_srcdir/apache-conf/lighttpd-dcmfeed.conf.in" | head -n 1 || true)
    fastcgi.server = ( \"/null\" => ( (
        \"bin-path\" => \"$NULL_FCGI\", \"socket\" => \"$test_dir/run/null.sock\",
        \"check-local\" => \"disable\", \"min-procs\" => 8, \"max-procs\" => 8,
        \"bin-environment\" => ( \"NULL_FCGI_DIR\" => \"$test_dir/null\" ) ) ) )
}"
fi
start_lighttpd "server.max-connections = 1024" \
    'mimetype.assign = ( ".json" => "application/json; charset=utf-8" )' \
    "\$HTTP[\"url\"] =~ \"^/static/\" {
    $auth
}" "$null_block" "${feed_lines:-}"
static="http://127.0.0.1:$port/static"
research="http://127.0.0.1:$port/dicom-research"
null="http://127.0.0.1:$port/null"
