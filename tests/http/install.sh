#!/bin/bash
# `make install DESTDIR=…`: every program, config and man page lands under
# DESTDIR where the prefix says; the configs carry the install's paths, no
# placeholder is left, the servers accept them as they are installed, and a
# fresh apache2 pointed at the installed mod_fcgid config serves the feed.
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
[ -n "${top_builddir:-}" ] || skip_all "run from make check (top_builddir)"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"

root="$test_dir/root"
make -s -C "$top_builddir" install DESTDIR="$root" >"$test_dir/install.log" 2>&1 ||
    { cat "$test_dir/install.log"; exit 1; }
prefix=$(sed -n 's/^prefix = //p' "$top_builddir/Makefile")
datadir=$(find "$root" -type d -path '*/share/dcmfeed' | head -n 1)
for f in bin/dcmfeed-ingest bin/dcmfeed-pull; do
    check "installed $f" [ -x "$root$prefix/$f" ]
done
check "installed the responder" bash -c "find '$root' -name changefeed.fcgi -perm -u+x | grep -q ."
for f in lighttpd-dcmfeed.conf lighttpd-dcmfeed-cgi.conf apache-dcmfeed-fcgid.conf \
    apache-dcmfeed-proxy-fcgi.conf apache-dcmfeed-cgi.conf dcmfeed-fcgi.socket dcmfeed-fcgi.service \
    dcmfeed-storescp.service dcmfeed-pull@.service tmpfiles.d/dcmfeed.conf; do
    check "installed config $f" [ -s "$datadir/$f" ]
done
for f in index.html main.js feed.js dicom.js chart.js viewer.css icon.svg dicom-keywords.json; do
    check "installed the viewer's $f" [ -s "$datadir/viewer/$f" ]
done
check "the configs serve the installed viewer" grep -q "\"$prefix/share/dcmfeed/viewer\"" "$datadir/lighttpd-dcmfeed.conf"
check "installed the man pages" bash -c "[ \$(find '$root' -path '*/man/man[178]/*' -type f | wc -l) = 5 ]"
check "installed dcmfeed-pull(1)" bash -c "find '$root' -path '*/man/man1/dcmfeed-pull.1' | grep -q ."
mapfile -t installed < <(find "$datadir" -type f)
check "no placeholder is left in the installed configs" absent 'DCMFEED_DB' '@DCMFEED_' "${installed[@]}"
check "the configs name the installed responder" grep -q "$prefix/libexec/dcmfeed/changefeed.fcgi\|/changefeed.fcgi" "$datadir/lighttpd-dcmfeed.conf"
# The Orthanc plugin goes where Orthanc loads plugins (configure
# --with-orthanc-plugin-dir), the one file allowed outside the prefix.
plugindir=$(sed -n 's/^orthancplugindir = //p' "$top_builddir/Makefile")
if [ -f "$top_builddir/src/libdcmfeed-orthanc.so" ]; then
    check "installed the Orthanc plugin in $plugindir" [ -f "$root$plugindir/libdcmfeed-orthanc.so" ]
else
    check "no Orthanc plugin in a build without it" [ ! -e "$root$plugindir/libdcmfeed-orthanc.so" ]
fi
check "nothing else was installed outside the prefix" \
    bash -c "[ -z \"\$(find '$root' -type f | grep -v '^$root$prefix/' | grep -vx '$root$plugindir/libdcmfeed-orthanc.so')\" ]"
check "no shipped config grants anonymous access (they require a valid user)" \
    absent -i 'valid-user' 'all granted' "${installed[@]}"

if [ -n "${LIGHTTPD:-}" ] && [ -x "$LIGHTTPD" ]; then
    # The FastCGI config checks that its socket folder is there (tmpfiles.d
    # makes it on a real install): the installed one, under the prefix, is
    # pointed at a folder of the test's.
    mkdir -p "$test_dir/run"
    for f in lighttpd-dcmfeed.conf lighttpd-dcmfeed-cgi.conf; do
        sed "s#[^ \"]*/run/dcmfeed#$test_dir/run#g" "$datadir/$f" >"$test_dir/$f"
        printf 'server.document-root = "%s"\nserver.port = 8080\ninclude "%s"\n' "$test_dir" "$test_dir/$f" >"$test_dir/l.conf"
        check "lighttpd accepts the installed $f" "$LIGHTTPD" -t -f "$test_dir/l.conf"
    done
    sed "s#[^ \"]*/run/dcmfeed#$test_dir/no-run#g" "$datadir/lighttpd-dcmfeed.conf" >"$test_dir/norun.conf"
    printf 'server.document-root = "%s"\nserver.port = 8080\ninclude "%s"\n' "$test_dir" "$test_dir/norun.conf" >"$test_dir/l.conf"
    "$LIGHTTPD" -t -f "$test_dir/l.conf" >"$test_dir/tt.out" 2>&1 || true
    check "... and refuses it while its socket folder is missing, naming it" \
        grep -q "the FastCGI socket folder $test_dir/no-run is missing" "$test_dir/tt.out"
fi
if [ -n "${APACHE2:-}" ] && [ -x "$APACHE2" ] && [ -f "$APACHE_MODULES/mod_fcgid.so" ]; then
    for f in apache-dcmfeed-fcgid.conf apache-dcmfeed-proxy-fcgi.conf apache-dcmfeed-cgi.conf; do
        {
            echo "ServerRoot $test_dir"
            echo "Listen 127.0.0.1:8080"
            echo "ServerName localhost"
            echo "PidFile $test_dir/apache.pid"
            echo "DefaultRuntimeDir $test_dir"
            echo "ErrorLog $test_dir/apache-error.log"
            for m in mpm_event authn_core authn_file authz_core authz_user auth_basic alias env setenvif \
                proxy proxy_fcgi cgid fcgid mime dir headers; do
                [ -f "$APACHE_MODULES/mod_$m.so" ] && echo "LoadModule ${m}_module $APACHE_MODULES/mod_$m.so"
            done
            # mod_fcgid looks for the program when it reads the config: point
            # the installed paths into DESTDIR, as if it were the root.
            # mod_proxy takes a unix socket path of at most 95 bytes, and
            # DESTDIR plus distcheck's prefix can be longer: the socket moves
            # to a short one.
            sed -e "s|$prefix/|$root$prefix/|g" -e "s#unix:[^|\"]*/changefeed.sock#unix:$test_dir/c.sock#" \
                "$datadir/$f" >"$test_dir/$f"
            echo "Include $test_dir/$f"
        } >"$test_dir/a.conf"
        check "apache2 accepts the installed $f" "$APACHE2" -t -f "$test_dir/a.conf"
    done
fi

# A fresh apache2 pointed at the installed mod_fcgid config serves the feed,
# DESTDIR standing in for the root (as the server's user when run as root).
if [ -n "${APACHE2:-}" ] && [ -x "$APACHE2" ] && [ -f "$APACHE_MODULES/mod_fcgid.so" ] &&
    { [ "$(id -u)" != 0 ] || id www-data >/dev/null 2>&1; }; then
    srv="$test_dir/srv"
    mkdir -p "$srv/run" "$srv/fcgid" "$root$prefix/var/lib/dcmfeed" "$root$prefix/etc/dcmfeed"
    chmod 0755 "$test_dir" "$root" "$srv"
    db="$(sed -n 's/.*InitialEnv "DCMFEED_DB=\([^"]*\)".*/\1/p' "$datadir/apache-dcmfeed-fcgid.conf" | head -n 1)"
    htpasswd="$(sed -n 's/.*AuthUserFile "\([^"]*\)".*/\1/p' "$datadir/apache-dcmfeed-fcgid.conf" | head -n 1)"
    make_sample "$test_dir/sample" 3
    "$root$prefix/bin/dcmfeed-ingest" --db "$root$db" -q init $([ "$(id -u)" != 0 ] || echo --owner root)
    "$root$prefix/bin/dcmfeed-ingest" --db "$root$db" -q add "$test_dir"/sample/*.json
    echo "reader:$(openssl passwd -apr1 installed)" >"$root$htpasswd"
    chmod -R a+rX "$root"
    user_lines=""
    if [ "$(id -u)" = 0 ]; then
        chown www-data "$srv/run" "$srv/fcgid"
        user_lines=$'User www-data\nGroup www-data'
    fi
    sed "s|$prefix/|$root$prefix/|g" "$datadir/apache-dcmfeed-fcgid.conf" >"$srv/dcmfeed.conf"
    aport=$(free_port)
    {
        echo "ServerRoot \"$srv\""
        echo "ServerName 127.0.0.1"
        echo "Listen 127.0.0.1:$aport"
        echo "PidFile \"$srv/run/apache2.pid\""
        echo "DefaultRuntimeDir \"$srv/run\""
        echo "Mutex file:$srv/run default"
        echo "ErrorLog \"$srv/error.log\""
        echo "$user_lines"
        for m in mpm_event authn_core authn_file authz_core authz_user auth_basic alias mime env fcgid dir headers; do
            echo "LoadModule ${m}_module $APACHE_MODULES/mod_$m.so"
        done
        echo "FcgidIPCDir \"$srv/fcgid\""
        echo "FcgidProcessTableFile \"$srv/run/fcgid_shm\""
        echo "TypesConfig /dev/null"
        echo "Include \"$srv/dcmfeed.conf\""
    } >"$srv/apache.conf"
    "$APACHE2" -f "$srv/apache.conf" -DFOREGROUND 2>"$srv/startup.log" &
    cleanup_pids="$cleanup_pids $!"
    if wait_port "$aport"; then
        http GET "http://127.0.0.1:$aport/dicom/v1/changefeed"
        check "installed Apache config: anonymous answers 401" [ "$status" = 401 ]
        http GET "http://127.0.0.1:$aport/dicom/v1/changefeed?limit=2" -u reader:installed
        check "installed Apache config serves the feed" body_is '[.[].Sequence] == [1,2]'
        http GET "http://127.0.0.1:$aport/dicom/viewer/" -u reader:installed
        check "installed Apache config serves the installed viewer, with its policy" \
            bash -c "[ '$status' = 200 ] && grep -q 'main.js' '$test_dir/body' && [ -n '$(header Content-Security-Policy)' ]"
    else
        cat "$srv/startup.log" "$srv/error.log" 2>/dev/null || true
        not_ok "apache2 did not start with the installed config"
    fi
fi
finish
