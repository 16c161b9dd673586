# Sourced by the benchmarks: a log of $BENCH_ENTRIES sample entries served by
# lighttpd through the shipped config on a free loopback port, with a static
# folder under the same authentication as the ceiling to compare against.
# Sets: db, port, base (feed URL), static (static URL), auth_header.
# Needs tests/lib.sh sourced first, and INGEST, FCGI, LIGHTTPD.

db="$test_dir/feed.db"
port=$(free_port)
mkdir -p "$test_dir/run" "$test_dir/www/static"
echo "bench:$(openssl passwd -apr1 bench)" >"$test_dir/htpasswd"
auth_header="Authorization: Basic $(printf 'bench:bench' | base64)"

entries=${BENCH_ENTRIES:-1000}
for study in $(seq 1 $(((entries + 99) / 100))); do
    make_sample "$test_dir/sample" 100 "$study"
done
"$INGEST" --db "$db" -q add "$test_dir"/sample/*.json

sed -e "s|@DCMFEED_FCGI@|$FCGI|g" -e "s|@DCMFEED_DB@|$db|g" \
    -e "s|@DCMFEED_RUNDIR@|$test_dir/run|g" -e "s|@DCMFEED_PREFIX@|/dicom|g" \
    -e "s|@DCMFEED_DATADIR@|$test_dir|g" -e "s|@DCMFEED_HTPASSWD@|$test_dir/htpasswd|g" \
    "$top_srcdir/apache-conf/lighttpd-dcmfeed.conf.in" >"$test_dir/dcmfeed.conf"
cat >"$test_dir/lighttpd.conf" <<CONF
server.document-root = "$test_dir/www"
server.bind = "127.0.0.1"
server.port = $port
server.errorlog = "$test_dir/error.log"
server.max-connections = 1024
mimetype.assign = ( ".json" => "application/json; charset=utf-8" )
include "$test_dir/dcmfeed.conf"
auth.require += ( "/static" => ( "method" => "basic", "realm" => "dcmfeed change feed", "require" => "valid-user" ) )
CONF
"$LIGHTTPD" -D -f "$test_dir/lighttpd.conf" &
cleanup_pids="$cleanup_pids $!"
wait_port "$port" || { cat "$test_dir/error.log"; echo "lighttpd did not start" >&2; exit 1; }
base="http://127.0.0.1:$port/dicom"
static="http://127.0.0.1:$port/static"
