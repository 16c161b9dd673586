#!/bin/bash
# `make demo`: a log with sample data, served by lighttpd through the shipped
# config on http://127.0.0.1:${DCMFEED_DEMO_PORT:-8080}/ until Ctrl-C, with
# the viewer at /dicom/viewer/.
#   demo.sh DIR   (INGEST, FCGI and LIGHTTPD name the programs; DEMO_VIEWER
#   the viewer's installed files)
set -eu
dir=$1
port=${DCMFEED_DEMO_PORT:-8080}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "${LIGHTTPD:-}" ] || { echo "demo: lighttpd is not installed (apt-get install lighttpd)" >&2; exit 1; }

rm -rf "$dir"
mkdir -p "$dir/sample" "$dir/run" "$dir/www"
# The viewer's files as make installs them (DEMO_VIEWER), where the rendered
# config looks for them (DCMFEED_DATADIR/viewer).
[ -z "${DEMO_VIEWER:-}" ] || cp -R "$DEMO_VIEWER" "$dir/viewer"
db="$dir/feed.db"
for study in 1 2 3; do bash "$here/make_sample.sh" "$dir/sample" 10 "$study"; done
# init alone makes a log; run as root (sudo make demo) it is told whose.
"$INGEST" --db "$db" -q init $([ "$(id -u)" != 0 ] || echo --owner root)
"$INGEST" --db "$db" -q add "$dir"/sample/*.json
# A second version of one instance and a deleted series, so every State shows.
"$INGEST" --db "$db" -q add "$dir/sample/instance-1-001.json"
"$INGEST" --db "$db" -q delete 1.2.826.0.1.3680043.10.543.2 1.2.826.0.1.3680043.10.543.2.2

top_srcdir="$here/../.." test_dir="$dir"
. "$here/config_lib.sh"
add_user demo demo
render_config "$top_srcdir/apache-conf/lighttpd-dcmfeed.conf.in" "$dir/dcmfeed.conf"
cat >"$dir/lighttpd.conf" <<CONF
server.document-root = "$dir/www"
server.bind = "127.0.0.1"
server.port = $port
server.errorlog = "$dir/error.log"
include "$dir/dcmfeed.conf"
CONF

base="http://127.0.0.1:$port/dicom"
cat <<TXT
dcmfeed demo: $(ls "$dir"/sample | wc -l) sample instances in $db
Serving on http://127.0.0.1:$port/ (user demo, password demo).
Look at it in a browser: $base/viewer/
Or try:
  curl -u demo:demo '$base/v1/changefeed'
  curl -u demo:demo '$base/v1/changefeed?offset=25&limit=20'
  curl -u demo:demo '$base/v1/changefeed?includemetadata=false&limit=100'
  curl -u demo:demo '$base/v1/changefeed/latest'
  curl -u demo:demo '$base/v2/changefeed?startTime=2000-01-01T00:00:00Z&limit=5'
  curl -u demo:demo '$base/v1/changefeed?limit=0'      # a 400 with its JSON error
Add more: $INGEST --db $db add FILE.json
Stop with Ctrl-C.
TXT
exec "$LIGHTTPD" -D -f "$dir/lighttpd.conf"
