#!/bin/bash
# The shipped config templates rendered with values that config syntaxes
# treat specially (apache-conf/render-config.awk): paths under a folder named
#   a b "c" 'd' &e|f\g %h $i #j
# and PostgreSQL addresses, a conninfo with spaces, quotes, '&', '|', '\',
# '%', '$' and a password, and a URI with '&', '%', '?', '|' and a password.
# - Each server accepts each config: lighttpd -tt, apache2 -t (mod_fcgid
#   looks for the responder at its path), systemd-analyze verify without a
#   word about the units; the systemd unit reads back the exact values.
# - The responder receives the exact address: through lighttpd (FastCGI and
#   CGI) and Apache (mod_fcgid, mod_cgid, and mod_proxy_fcgi with the
#   spawn-fcgi command its config's comment shows, run as written) a SQLite
#   log at the hostile path serves the feed behind a password file at a
#   hostile path, and a PostgreSQL address shows whole in the 503's log line,
#   its password as ***.
# - make's own rule renders such an address whole.
# What no quoting can pass is refused by the renderer, with a message.
# shellcheck disable=SC2034 # the addresses are read as ${!a} and ${a}_shown
set -eu
. "${top_srcdir:-.}/tests/lib/apache_lib.sh"

have_lighttpd=false
[ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ] && have_lighttpd=true
have_apache=false
if [ -n "${APACHE2:-}" ] && [ -x "$APACHE2" ]; then
    have_apache=true
    for m in mpm_event authn_core authn_file authz_core authz_host authz_user auth_basic alias mime \
        fcgid cgid env proxy proxy_fcgi setenvif; do
        [ -f "$APACHE_MODULES/mod_$m.so" ] || have_apache=false
    done
fi
$have_lighttpd || echo "# lighttpd is not installed: its configs are only rendered"
$have_apache || echo "# apache2 with mod_fcgid, mod_cgid and mod_proxy_fcgi is not installed: its configs are only rendered"

hostile='a b "c" '\''d'\'' &e|f\g %h $i #j'
hdir="$test_dir/$hostile"
# lighttpd and mod_fcgid split the command they spawn at blanks (the rest
# are arguments), and systemd refuses an executable path with a quote or a
# backslash: their responder lives at a path without those. mod_proxy reads
# unix:PATH|URL up to the first '|', and PATH as a URL's path (no '#', no
# '?', and no %-decoding either): its socket's folder has none of these.
plain="$test_dir/bin&e|f%h\$i#j"
hdir_proxy="$test_dir/${hostile//[|#]/}"
# mod_proxy takes a unix socket path of at most 95 bytes (all ASCII here).
sock="$hdir_proxy/run/changefeed.sock"
[ "${#sock}" -le 95 ] ||
    skip_all "the proxy socket's path would pass mod_proxy's 95 bytes: TMPDIR (${TMPDIR:-/tmp}) is too long"
mkdir -p "$hdir/cgi-bin" "$hdir/run" "$hdir/db" "$plain" "$hdir_proxy/run" "$test_dir/out"
install -m 0755 "$FCGI" "$hdir/cgi-bin/changefeed.fcgi"
install -m 0755 "$FCGI" "$plain/changefeed.fcgi"
cp "$test_dir/htpasswd" "$hdir/htpasswd"
cp "$test_dir/htpasswd" "$hdir_proxy/htpasswd"
sqlite="$hdir/db/feed.db"
make_sample "$test_dir/sample" 3
init_log "$sqlite"
"$INGEST" --db "$sqlite" -q add "$test_dir"/sample/*.json
# This test is about the paths, not permissions: the server's user reads all.
chmod -R a+rX "$hdir" "$plain" "$hdir_proxy"

conninfo="host='/nonexistent/dcmfeed pg' port=5 dbname='feed & \"co\"' user=web password='p w' application_name='a|b\\\\c 100% \$i'"
conninfo_shown="host='/nonexistent/dcmfeed pg' port=5 dbname='feed & \"co\"' user=web password=*** application_name='a|b\\\\c 100% \$i'"
uri='postgresql://web:s3cret@%2Fnonexistent%2Fdcmfeed%20pg:5/feed?application_name=a%20b&connect_timeout=2&options=-c%20x%3Dy|z'
uri_shown='postgresql://web:***@%2Fnonexistent%2Fdcmfeed%20pg:5/feed?application_name=a%20b&connect_timeout=2&options=-c%20x%3Dy|z'
auth=(-u 'reader:correct horse')

# render TEMPLATE ADDRESS OUT [RESPONDER]: a shipped template with the paths
# under the hostile folder ($folder, default $hdir), ADDRESS as the log, into OUT.
render() {
    local saved=$test_dir
    db=$2
    test_dir=${folder:-$hdir}
    render_config "$top_srcdir/apache-conf/$1.in" "$3" "${4:-$hdir/cgi-bin/changefeed.fcgi}"
    test_dir=$saved
}

templates="lighttpd-dcmfeed.conf lighttpd-dcmfeed-cgi.conf apache-dcmfeed-fcgid.conf
    apache-dcmfeed-proxy-fcgi.conf apache-dcmfeed-cgi.conf dcmfeed-fcgi.socket dcmfeed-fcgi.service
    dcmfeed-storescp.service dcmfeed-pull@.service tmpfiles.d/dcmfeed.conf"
for a in sqlite conninfo uri; do
    mkdir -p "$test_dir/out/$a"
    for t in $templates; do
        fcgi="" folder=""
        case $t in
        lighttpd-dcmfeed.conf | apache-dcmfeed-fcgid.conf | dcmfeed-fcgi.service) fcgi="$plain/changefeed.fcgi" ;;
        apache-dcmfeed-proxy-fcgi.conf) folder=$hdir_proxy ;;
        esac
        mkdir -p "$(dirname "$test_dir/out/$a/$t")"
        render "$t" "${!a}" "$test_dir/out/$a/$t" ${fcgi:+"$fcgi"}
    done
done
mapfile -t rendered < <(find "$test_dir/out" -type f)
check "every template renders, no placeholder left" absent 'DCMFEED_DB=' '@DCMFEED_' "${rendered[@]}"

# The CGI wrapper (cgi-bin/changefeed.cgi.in) is a sh script: run with an
# empty environment, it hands the responder (here a stand-in under the
# hostile folder that prints what it got) the address whole.
mkdir -p "$hdir/stand-in"
printf '#!/bin/sh\nprintf %%s "$DCMFEED_DB"\n' >"$hdir/stand-in/changefeed.fcgi"
chmod +x "$hdir/stand-in/changefeed.fcgi"
for a in sqlite conninfo uri; do
    db=${!a}
    render_config "$top_srcdir/cgi-bin/changefeed.cgi.in" "$test_dir/out/$a/changefeed.cgi" \
        "$hdir/stand-in/changefeed.fcgi"
    got=$(env -i sh "$test_dir/out/$a/changefeed.cgi")
    check "the CGI wrapper passes the $a address whole" [ "$got" = "${!a}" ]
done

# --- what each server makes of its config ---------------------------------------------------
# systemd_word LINE: the value systemd gives a setting written as one
# double-quoted word: specifiers first (%% is %), then the quotes and C
# escapes (\\ and \"); fails on anything else.
systemd_word() {
    word=$1 LC_ALL=C awk 'BEGIN {
        s = ENVIRON["word"]
        v = ""; for (i = 1; i <= length(s); i++) {
            c = substr(s, i, 1)
            if (c == "%") { if (substr(s, i + 1, 1) != "%") exit 1; i++ }
            v = v c
        }
        if (substr(v, 1, 1) != "\"" || substr(v, length(v)) != "\"") exit 1
        out = ""; for (i = 2; i < length(v); i++) {
            c = substr(v, i, 1)
            if (c == "\"") exit 1
            if (c == "\\") { i++; c = substr(v, i, 1); if (c != "\\" && c != "\"") exit 1 }
            out = out c
        }
        printf "%s", out
    }'
}
setting() { grep "^$1=" "$2" | head -n 1 | cut -d= -f2-; }
for a in sqlite conninfo uri; do
    unit="$test_dir/out/$a/dcmfeed-fcgi.service"
    check "systemd: Environment= holds the $a address exactly" \
        [ "$(systemd_word "$(setting Environment "$unit")")" = "DCMFEED_DB=${!a}" ]
done
check "systemd: ExecStart= names the responder" \
    [ "$(systemd_word "$(setting ExecStart "$unit")")" = "$plain/changefeed.fcgi" ]
check "systemd: ListenStream= names the socket (% doubled, nothing else)" \
    [ "$(setting ListenStream "$test_dir/out/sqlite/dcmfeed-fcgi.socket" | sed 's/%%/%/g')" = "$hdir/run/changefeed.sock" ]
if command -v systemd-analyze >/dev/null 2>&1; then
    # The control: a unit with a key systemd does not know is reported by
    # its name, so that a log without the name means "nothing to say".
    mkdir -p "$test_dir/out/control"
    cp "$test_dir/out/sqlite/dcmfeed-fcgi.socket" "$test_dir/out/control/"
    sed 's/^\[Service\]$/[Service]\nNoSuchSetting=1/' "$test_dir/out/sqlite/dcmfeed-fcgi.service" \
        >"$test_dir/out/control/dcmfeed-fcgi.service"
    systemd-analyze --man=no verify "$test_dir/out/control/dcmfeed-fcgi.socket" "$test_dir/out/control/dcmfeed-fcgi.service" \
        >"$test_dir/verify.log" 2>&1 || true
    check "systemd-analyze verify names a unit it has a word about (the control)" \
        grep -q "dcmfeed-fcgi.service.*NoSuchSetting" "$test_dir/verify.log"
    rm -r "$test_dir/out/control"
    for a in sqlite conninfo uri; do
        systemd-analyze --man=no verify "$test_dir/out/$a/dcmfeed-fcgi.socket" "$test_dir/out/$a/dcmfeed-fcgi.service" \
            >"$test_dir/verify.log" 2>&1 || true
        check "systemd-analyze verify: not a word about the units ($a)" \
            bash -c "[ -f '$test_dir/verify.log' ] && ! grep -q 'dcmfeed-fcgi' '$test_dir/verify.log' || { cat '$test_dir/verify.log'; false; }"
    done
else
    echo "# systemd-analyze is not installed: the units are only parsed here"
fi

# The commands the comments show are shell words.
example=$(sed -n 's/^#   ln -s \(.*\) \/etc\/apache2.*/\1/p' "$test_dir/out/sqlite/apache-dcmfeed-cgi.conf")
check "the ln -s command in a comment names the config" [ "$(eval "printf %s $example")" = "$hdir/apache-dcmfeed-cgi.conf" ]
# spawn_example ADDRESS: the spawn-fcgi command of the proxy-fcgi config's comment, joined.
spawn_example() {
    sed -n '/^#   spawn-fcgi /{N;s/^#//;s/\\\n#/ /;p;}' "$test_dir/out/$1/apache-dcmfeed-proxy-fcgi.conf"
}
for a in sqlite conninfo uri; do
    # Its responder part, run as plain CGI with the environment it sets.
    cmd=$(spawn_example "$a" | sed 's/.* -- //')
    env -i PATH="$PATH" REQUEST_METHOD=GET PATH_INFO=/v1/changefeed sh -c "$cmd" \
        >"$test_dir/answer" 2>"$test_dir/stderr" || true
    split_answer "$test_dir/answer"
    case $a in
    sqlite) check "the spawn-fcgi example's env gives the responder the SQLite path" body_is 'length == 3' ;;
    *)
        check "the spawn-fcgi example's env gives the responder the $a (503)" [ "$status" = 503 ]
        check "and it logs the $a whole, password hidden" grep -qF "(DCMFEED_DB=$(eval "echo \"\$${a}_shown\""))" "$test_dir/stderr"
        ;;
    esac
done

if $have_lighttpd; then
    for t in lighttpd-dcmfeed.conf lighttpd-dcmfeed-cgi.conf; do
        for a in sqlite conninfo uri; do
            printf 'server.document-root = "%s"\nserver.port = 8080\ninclude "%s"\n' \
                "$test_dir/www" "$test_dir/out/$a/$t" >"$test_dir/l.conf"
            check "lighttpd -tt accepts $t ($a)" "$LIGHTTPD" -tt -f "$test_dir/l.conf"
        done
    done
fi
if $have_apache; then
    for t in apache-dcmfeed-fcgid.conf apache-dcmfeed-proxy-fcgi.conf apache-dcmfeed-cgi.conf; do
        for a in sqlite conninfo uri; do
            cp "$test_dir/out/$a/$t" "$test_dir/dcmfeed.conf"
            apache_write_conf "fcgid cgid env proxy proxy_fcgi setenvif"
            check "apache2 -t accepts $t ($a)" "$APACHE2" -t -f "$test_dir/apache.conf"
        done
    done
fi

# --- the address reaches the responder ----------------------------------------------------------
server_pid=""
trap '[ -z "$server_pid" ] || stop_pid "$server_pid" 10; stop_all' EXIT

# serve_lighttpd TEMPLATE ADDRESS: a real lighttpd with the rendered config.
serve_lighttpd() {
    cp "$test_dir/out/$2/$1" "$test_dir/dcmfeed.conf"
    : >"$test_dir/responder.log"
    port=$(free_port)
    {
        echo 'server.modules = ( "mod_access", "mod_alias" )'
        echo "server.document-root = \"$test_dir/www\""
        echo 'server.bind = "127.0.0.1"'
        echo "server.port = $port"
        echo "server.errorlog = \"$test_dir/error.log\""
        echo "server.breakagelog = \"$test_dir/responder.log\""
        echo "include \"$test_dir/dcmfeed.conf\""
    } >"$test_dir/lighttpd.conf"
    "$LIGHTTPD" -D -f "$test_dir/lighttpd.conf" &
    server_pid=$!
    wait_port "$port" || { cat "$test_dir/error.log"; echo "lighttpd did not start"; exit 1; }
    base="http://127.0.0.1:$port/dicom"
}

stop_lighttpd() {
    stop_pid "$server_pid" 10
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

# serve_apache TEMPLATE ADDRESS "MODULE...": a real apache2 with it.
serve_apache() {
    cp "$test_dir/out/$2/$1" "$test_dir/dcmfeed.conf"
    : >"$test_dir/error.log"
    apache_start "$3"
    base="http://127.0.0.1:$port/dicom"
}

# expect_feed WHAT: the feed from the SQLite log at the hostile path, behind
# the hostile password file's password.
expect_feed() {
    http GET "$base/v1/changefeed"
    check "$1: anonymous answers 401" [ "$status" = 401 ]
    http GET "$base/v1/changefeed" "${auth[@]}"
    check "$1: the feed from the log at the hostile path" body_is '[.[].Sequence] == [1,2,3]'
}

# expect_address WHAT ADDRESS LOG: 503, and the address whole in the LOG.
expect_address() {
    http GET "$base/v1/changefeed" "${auth[@]}"
    check "$1: 503 for the $2" [ "$status" = 503 ]
    local shown
    eval "shown=\$${2}_shown"
    check "$1: the responder logged the $2 whole, password hidden" grep -qF "(DCMFEED_DB=$shown)" "$3"
    check "$1: and the password is in no line of that log" absent 'DCMFEED_DB=' "s3cret|'p w'" "$3"
}

if $have_lighttpd; then
    serve_lighttpd lighttpd-dcmfeed.conf sqlite
    expect_feed "lighttpd FastCGI"
    stop_lighttpd
    for a in conninfo uri; do
        serve_lighttpd lighttpd-dcmfeed.conf "$a"
        expect_address "lighttpd FastCGI" "$a" "$test_dir/responder.log"
        stop_lighttpd
    done
    serve_lighttpd lighttpd-dcmfeed-cgi.conf sqlite
    expect_feed "lighttpd CGI"
    stop_lighttpd
    for a in conninfo uri; do
        serve_lighttpd lighttpd-dcmfeed-cgi.conf "$a"
        expect_address "lighttpd CGI" "$a" "$test_dir/responder.log"
        stop_lighttpd
    done
fi

if $have_apache; then
    for mode in fcgid cgi; do
        case $mode in fcgid) modules="fcgid env" ;; cgi) modules="cgid env" ;; esac
        serve_apache "apache-dcmfeed-$mode.conf" sqlite "$modules"
        expect_feed "Apache $mode"
        apache_stop
        for a in conninfo uri; do
            serve_apache "apache-dcmfeed-$mode.conf" "$a" "$modules"
            expect_address "Apache $mode" "$a" "$test_dir/error.log"
            apache_stop
        done
    done
    # mod_proxy_fcgi, to the responder started by the comment's command as
    # written (with the test's server user), on the socket at the hostile path.
    if [ -n "${SPAWN_FCGI:-}" ] && [ -x "$SPAWN_FCGI" ]; then
        for a in sqlite conninfo; do
            cmd=$(spawn_example "$a" | sed "s|^ *spawn-fcgi |exec \"\$SPAWN_FCGI\" -n |")
            if [ "$(id -u)" = 0 ]; then
                cmd=$(printf '%s' "$cmd" | sed "s/-u www-data -U www-data -G www-data/-u $server_user -U $server_user -G $server_group/")
            else
                cmd=$(printf '%s' "$cmd" | sed 's/-u www-data -U www-data -G www-data//')
            fi
            rm -f "$hdir_proxy/run/changefeed.sock"
            : >"$test_dir/responder.log"
            SPAWN_FCGI=$SPAWN_FCGI sh -c "$cmd" 2>>"$test_dir/responder.log" &
            responder_pid=$!
            for _ in $(seq 1 100); do [ -S "$hdir_proxy/run/changefeed.sock" ] && break; sleep 0.1; done
            check "spawn-fcgi as the comment shows it makes the socket at the hostile path ($a)" \
                [ -S "$hdir_proxy/run/changefeed.sock" ]
            serve_apache apache-dcmfeed-proxy-fcgi.conf "$a" "proxy proxy_fcgi setenvif env"
            case $a in
            sqlite) expect_feed "Apache proxy-fcgi + spawn-fcgi" ;;
            *) expect_address "Apache proxy-fcgi + spawn-fcgi" "$a" "$test_dir/responder.log" ;;
            esac
            apache_stop
        done
    else
        echo "# spawn-fcgi is not installed: the proxy-fcgi config is only checked by apache2 -t"
    fi
fi

# --- make's rule ------------------------------------------------------------------------------------
# The Makefile's own recipe, run from a scratch folder (the build tree's
# configs stay as they are) with an address as make's dcmfeed_db. Make hands
# it to sh in single quotes, so it holds no single quote here (Makefile.am
# says so); make wants a '$' written '$$'.
make_addr='host=/nonexistent/pg dbname=feed&co user=web application_name=a|b\\c%d"e"$f'
# db_line FILE: the line that sets the log's address.
db_line() { grep -v '^ *#' "$1" | grep -F DCMFEED_DB; }
if [ -n "${top_builddir:-}" ] && [ -f "$top_builddir/Makefile" ]; then
    builddir=$(cd "$top_builddir" && pwd)
    srcdir=$(cd "$top_srcdir" && pwd)
    mkdir -p "$test_dir/mk" "$test_dir/out/make"
    # The rule's prerequisite, newer than config.status: nothing to remake.
    : >"$test_dir/mk/Makefile"
    made="lighttpd-dcmfeed.conf lighttpd-dcmfeed-cgi.conf apache-dcmfeed-fcgid.conf apache-dcmfeed-cgi.conf
        dcmfeed-fcgi.service"
    rc=0
    # shellcheck disable=SC2046,SC2086
    (cd "$test_dir/mk" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s -f "$builddir/Makefile" srcdir="$srcdir" top_srcdir="$srcdir" \
        top_builddir="$builddir" dcmfeed_db="${make_addr//\$/\$\$}" AM_V_GEN= \
        $(printf 'apache-conf/%s ' $made) >"$test_dir/make.log" 2>&1) || rc=$?
    [ "$rc" = 0 ] || cat "$test_dir/make.log"
    check "make renders the configs with an address full of specials" [ "$rc" = 0 ]
    for t in $made; do
        render "$t" "$make_addr" "$test_dir/out/make/$t"
        check "make's $t holds it as the renderer writes it" \
            [ "$(db_line "$test_dir/mk/apache-conf/$t")" = "$(db_line "$test_dir/out/make/$t")" ]
    done
    check "and as systemd reads it, exactly" \
        [ "$(systemd_word "$(setting Environment "$test_dir/mk/apache-conf/dcmfeed-fcgi.service")")" = "DCMFEED_DB=$make_addr" ]
fi

# --- what cannot be written -------------------------------------------------------------------------
refused() {
    ! LC_ALL=C DCMFEED_FCGI=/x DCMFEED_DB="$2" DCMFEED_RUNDIR=/r DCMFEED_PREFIX=/dicom DCMFEED_DATADIR=/d \
        DCMFEED_HTPASSWD=/h "${AWK:-awk}" -f "$top_srcdir/apache-conf/render-config.awk" \
        "$top_srcdir/apache-conf/$1.in" >/dev/null 2>"$test_dir/refused"
}
check "Apache: a \${NAME} (which Apache would expand) is refused" refused apache-dcmfeed-cgi.conf 'password=${HOME}'
check "lighttpd: a value ending in a backslash is refused" refused lighttpd-dcmfeed-cgi.conf '/srv/feed\'
check "a line break is refused" refused dcmfeed-fcgi.service $'/srv/feed\nX=1'
check "with a message" grep -q 'line break' "$test_dir/refused"

# Each server's logs are emptied before it starts (expect_address checked
# each): these are the last one's, and the other logs of the test.
mapfile -t logs < <(find "$test_dir" -name '*.log' -type f)
if $have_lighttpd || $have_apache; then
    check "no password reached a log (${#logs[@]} logs)" absent 'DCMFEED_DB=.*\*\*\*' "s3cret|'p w'" "${logs[@]}"
fi
finish
