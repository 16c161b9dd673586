# Rendering the shipped web server configs for a test or the demo (sourced,
# bash; no side effects). Uses $top_srcdir, $test_dir (the folder that holds
# the run/ sockets and the htpasswd file), $db (the log) and $FCGI.

# render_config TEMPLATE OUT [RESPONDER]: a shipped config template
# (apache-conf/*.in) with this test's paths where make puts the install's:
# the log $db, the responder (default $FCGI), sockets in $test_dir/run, the
# htpasswd file $test_dir/htpasswd, the prefix /dicom. Rendered by the
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
