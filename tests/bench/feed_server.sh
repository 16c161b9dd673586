# Sourced by the benchmarks: a log of $BENCH_ENTRIES sample entries served by
# lighttpd through the shipped config on a free loopback port, with a static
# folder under the same authentication (and the same password cache) as the
# ceiling to compare against.
# Sets: db, port, base (feed URL), static (static URL), auth_header.
# Needs tests/lib.sh sourced first, and INGEST, FCGI, LIGHTTPD.

db="$test_dir/feed.db"
mkdir -p "$test_dir/www/static"
add_user bench bench
auth_header="Authorization: Basic $(printf 'bench:bench' | base64)"

entries=${BENCH_ENTRIES:-1000}
for study in $(seq 1 $(((entries + 99) / 100))); do
    make_sample "$test_dir/sample" 100 "$study"
done
"$INGEST" --db "$db" -q add "$test_dir"/sample/*.json

start_lighttpd "server.max-connections = 1024" \
    'mimetype.assign = ( ".json" => "application/json; charset=utf-8" )' \
    '$HTTP["url"] =~ "^/static/" { auth.backend = "htpasswd"' \
    "auth.backend.htpasswd.userfile = \"$test_dir/htpasswd\"" \
    'auth.require = ( "" => ( "method" => "basic", "realm" => "dcmfeed change feed", "require" => "valid-user" ) )' \
    'auth.cache = ( "max-age" => "60" ) }'
static="http://127.0.0.1:$port/static"
