#!/bin/bash
# The Debian package, for real: builds it with dpkg-buildpackage from a copy of
# the source tree, checks it with lintian, installs it with
# `apt-get install ./dcmfeed_*.deb`, checks what postinst made, runs the
# packaged storescp unit's command line, enables the packaged configs with
# a2enconf and lighty-enable-mod and serves the feed through them with a real
# apache2 and a real lighttpd on free loopback ports (the system's services are
# never started: each server has a main config of the test's own that includes
# the enabled file, and is stopped by PID), then removes and purges the
# package: nothing it made is left but the log, and the machine is as it was
# (users, groups, /etc, enabled configs, every path named dcmfeed).
#
# It changes the machine while it runs, so it is not part of make check:
# .ci/run runs it as root (make check-deb). Needs root, git (the tree is
# copied from `git ls-files`), dpkg-buildpackage and the build dependencies
# (debian/control), apt-get, apache2 with mod_fcgid, lighttpd, dcmtk, curl and
# openssl; lintian if present. Skips, saying why, where any of that is
# missing or where a dcmfeed install is already there to be disturbed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(dirname "$(dirname "$here")")}
top_srcdir=$(cd "$top_srcdir" && pwd)
. "$top_srcdir/tests/lib/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root: it installs and purges a package"
for tool in dpkg-buildpackage dpkg-checkbuilddeps apt-get git a2enconf lighty-enable-mod curl openssl jq \
    sqlite3 storescu dump2dcm; do
    command -v "$tool" >/dev/null || skip_all "$tool is not installed (apt-get install \$(cat .ci/packages))"
done
APACHE2=${APACHE2:-/usr/sbin/apache2}
LIGHTTPD=${LIGHTTPD:-/usr/sbin/lighttpd}
CURL=${CURL:-curl}
APACHE_MODULES=${APACHE_MODULES:-/usr/lib/apache2/modules}
[ -x "$APACHE2" ] && [ -f "$APACHE_MODULES/mod_fcgid.so" ] ||
    skip_all "apache2 with mod_fcgid is not installed (apt-get install apache2 libapache2-mod-fcgid)"
[ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed"
git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1 || skip_all "$top_srcdir is not a git checkout"
if dpkg-query -W -f '${Status}' dcmfeed 2>/dev/null | grep -q 'installed\|config-files'; then
    skip_all "a dcmfeed package is installed here: this test would replace and purge it"
fi
for p in /var/lib/dcmfeed /etc/dcmfeed /run/dcmfeed; do
    [ ! -e "$p" ] || skip_all "$p exists: this test would change it"
done
! getent passwd dcmfeed >/dev/null || skip_all "a user dcmfeed exists: the purge would remove it"
! getent group dcmfeed >/dev/null || skip_all "a group dcmfeed exists: the purge would remove it"
command -v systemctl >/dev/null && [ "$(ps -o comm= -p 1)" = systemd ] &&
    echo "# systemd runs here: the package's maintainer scripts may reload a running apache2 or lighttpd"

apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -q "$@"; }

# --- the machine as it was ------------------------------------------------------------
# Every path named dcmfeed under the folders a package or its scripts write,
# less those apt and dpkg keep for themselves.
dcmfeed_paths() {
    find /etc /usr /lib /var /run /opt /srv -xdev \
        \( -path /var/lib/dpkg -o -path /var/lib/apt -o -path /var/cache -o -path /var/log \
        -o -path /var/tmp -o -path /run/user \) -prune -o -name '*dcmfeed*' -print 2>/dev/null | sort
}
# The accounts, and the configs enabled in both servers.
machine_state() {
    cat /etc/passwd /etc/group /etc/shadow /etc/gshadow
    ls -l /etc/apache2/conf-enabled /etc/lighttpd/conf-enabled 2>/dev/null | sed 's/^.* \([^ ]* -> \)/\1/'
    find /etc/systemd/system -name '*dcmfeed*' 2>/dev/null
}
dcmfeed_paths >"$test_dir/paths.before"
machine_state >"$test_dir/state.before"

# Whatever happens below, the package goes and what it made with it.
new_deps=""
restore_machine() {
    if dpkg-query -W -f '${Status}' dcmfeed 2>/dev/null | grep -q 'installed\|config-files'; then
        apt_get purge -y dcmfeed >>"$test_dir/restore.log" 2>&1 || true
    fi
    # shellcheck disable=SC2086
    [ -z "$new_deps" ] || apt_get purge -y $new_deps >>"$test_dir/restore.log" 2>&1 || true
    rm -f /etc/apache2/conf-enabled/dcmfeed-*.conf /etc/lighttpd/conf-enabled/50-dcmfeed*.conf
    rm -rf /var/lib/dcmfeed /etc/dcmfeed /run/dcmfeed
    if getent passwd dcmfeed >/dev/null; then userdel dcmfeed || true; fi
    if getent group dcmfeed >/dev/null; then groupdel dcmfeed || true; fi
}
cleanup_hooks="$cleanup_hooks restore_machine"

# --- build ------------------------------------------------------------------------------
# A copy of the tree as git has it (the files a fresh clone would hold, with
# the changes not yet committed): the build cleans and configures in place.
src="$test_dir/src/dcmfeed"
mkdir -p "$src"
git -C "$top_srcdir" ls-files -z -co --exclude-standard | (cd "$top_srcdir" && tar --null -T - -cf -) |
    tar -xf - -C "$src"
(cd "$src" && dpkg-checkbuilddeps) >"$test_dir/builddeps.log" 2>&1 ||
    skip_all "build dependencies missing: $(sed -n 's/.*Unmet build dependencies: //p' "$test_dir/builddeps.log")"
start=$(date +%s)
# The Check suites run in make check already; DCMFEED_DEB_BUILD_OPTIONS= runs
# them in the package build too.
if (cd "$src" && DEB_BUILD_OPTIONS=${DCMFEED_DEB_BUILD_OPTIONS-nocheck} dpkg-buildpackage -us -uc -b) \
    >"$test_dir/build.log" 2>&1; then
    ok "dpkg-buildpackage -us -uc -b builds the package ($(($(date +%s) - start)) s)"
else
    tail -n 40 "$test_dir/build.log"
    not_ok "dpkg-buildpackage -us -uc -b builds the package"
    finish
fi
deb=$(ls "$test_dir"/src/dcmfeed_*.deb)
changes=$(ls "$test_dir"/src/dcmfeed_*.changes)

if command -v lintian >/dev/null; then
    lintian --fail-on error,warning "$changes" >"$test_dir/lintian.log" 2>&1 && rc=0 || rc=$?
    grep -v 'running with root privileges' "$test_dir/lintian.log" | sed 's/^/# lintian: /' || true
    check "lintian finds no error or warning (debian/dcmfeed.lintian-overrides says why for each one left)" \
        [ "$rc" = 0 ]
else
    skip "lintian" "lintian is not installed"
fi

# --- install ----------------------------------------------------------------------------
# Dependencies apt-get would add are purged again at the end.
new_deps=$(cd "$test_dir/src" && apt_get install -s "./${deb##*/}" 2>/dev/null |
    sed -n 's/^Inst \([^ ]*\) .*/\1/p' | grep -vx dcmfeed | tr '\n' ' ' || true)
[ -z "$new_deps" ] || echo "# apt-get also installs: $new_deps (purged at the end)"
if (cd "$test_dir/src" && apt_get install -y "./${deb##*/}") >"$test_dir/install.log" 2>&1; then
    ok "apt-get install ./${deb##*/}"
else
    cat "$test_dir/install.log"
    not_ok "apt-get install ./${deb##*/}"
    finish
fi
dpkg -L dcmfeed >"$test_dir/files"
for f in /usr/bin/dcmfeed-ingest /usr/bin/dcmfeed-pull /usr/libexec/dcmfeed/changefeed.fcgi \
    /usr/share/man/man1/dcmfeed-ingest.1.gz /usr/share/man/man7/dcmfeed.7.gz \
    /usr/share/man/man8/changefeed.fcgi.8.gz /usr/share/doc/dcmfeed/deploy.md.gz \
    /usr/share/doc/dcmfeed/README.Debian.gz \
    /etc/apache2/conf-available/dcmfeed-fcgid.conf /etc/apache2/conf-available/dcmfeed-proxy-fcgi.conf \
    /etc/apache2/conf-available/dcmfeed-cgi.conf /etc/lighttpd/conf-available/50-dcmfeed.conf \
    /etc/lighttpd/conf-available/50-dcmfeed-cgi.conf /usr/lib/tmpfiles.d/dcmfeed.conf; do
    check "installed $f" bash -c "grep -qx '$f' '$test_dir/files' && [ -f '$f' ]"
done
for u in dcmfeed-fcgi.socket dcmfeed-fcgi.service dcmfeed-storescp.service dcmfeed-pull@.service; do
    check "installed the unit $u" bash -c "grep -q '/systemd/system/$u\$' '$test_dir/files'"
done
check "no config carries a placeholder or the install's build folder" \
    absent 'DCMFEED_DB' "@DCMFEED_|$test_dir" /etc/apache2/conf-available/dcmfeed-*.conf \
    /etc/lighttpd/conf-available/50-dcmfeed*.conf
check "the Apache config's comment says how to enable it here" \
    grep -q '^#   a2enconf dcmfeed-fcgid ' /etc/apache2/conf-available/dcmfeed-fcgid.conf
check "the Apache config's comment names no file to link" \
    absent 'a2enconf' 'ln -s' /etc/apache2/conf-available/dcmfeed-fcgid.conf

# What postinst made: docs/deploy.md, section 1.
check "postinst made the system user dcmfeed (no login, home /var/lib/dcmfeed)" \
    bash -c '[ "$(getent passwd dcmfeed | cut -d: -f6,7)" = /var/lib/dcmfeed:/usr/sbin/nologin ] &&
             [ "$(id -u dcmfeed)" -lt 1000 ] && [ "$(id -gn dcmfeed)" = dcmfeed ]'
check "/var/lib/dcmfeed is dcmfeed:www-data, mode 2750" \
    [ "$(stat -c '%U:%G %a' /var/lib/dcmfeed)" = "dcmfeed:www-data 2750" ]
check "postinst made an empty log, its files 0640 dcmfeed:www-data" \
    bash -c '[ "$(stat -c "%U:%G %a" /var/lib/dcmfeed/feed.db /var/lib/dcmfeed/feed.db-wal \
                  /var/lib/dcmfeed/feed.db-shm | sort -u)" = "dcmfeed:www-data 640" ]'
check "/var/lib/dcmfeed/incoming is dcmfeed:dcmfeed, mode 750" \
    [ "$(stat -c '%U:%G %a' /var/lib/dcmfeed/incoming)" = "dcmfeed:dcmfeed 750" ]
check "the tmpfiles.d file made /run/dcmfeed, www-data's, mode 750" \
    [ "$(stat -c '%U:%G %a' /run/dcmfeed)" = "www-data:www-data 750" ]
check "the package enabled no web server config and no unit" \
    bash -c '! ls /etc/apache2/conf-enabled /etc/lighttpd/conf-enabled | grep -q dcmfeed &&
             [ -z "$(find /etc/systemd/system -name "*dcmfeed*" 2>/dev/null)" ]'
if command -v systemd-analyze >/dev/null; then
    check "systemd-analyze verify accepts the units" bash -c \
        'systemd-analyze verify --man=no dcmfeed-fcgi.socket dcmfeed-fcgi.service dcmfeed-storescp.service \
             dcmfeed-pull@feed.service >"$0/verify.log" 2>&1 && ! grep . "$0/verify.log"' "$test_dir"
fi

# --- the log as the package left it, written as its units write it -----------------------
# as_dcmfeed COMMAND...: as the units run it, user dcmfeed and umask 027
# (setpriv execs, so $! of a background call is the command's own PID).
as_dcmfeed() { setpriv --reuid dcmfeed --regid dcmfeed --init-groups -- sh -c 'umask 027 && exec "$@"' sh "$@"; }
url=http://127.0.0.1
feed_count() {
    "$CURL" -s -u 'reader:correct horse' "$1/dicom/v1/changefeed?includemetadata=false" | jq length
}
# The storescp unit's own command line and environment, on a free port, as
# its user with its umask.
unit=$(grep '/dcmfeed-storescp.service$' "$test_dir/files")
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
unit_env=$(sed -n 's/^Environment="\(.*\)"$/\1/p' "$unit")
sport=$(free_port)
mkdir -p "$test_dir/dicom" && chmod 0711 "$test_dir" && chmod 0755 "$test_dir/dicom"
cat >"$test_dir/ct.dump" <<'EOF'
(0008,0016) UI =CTImageStorage
(0008,0018) UI [1.2.826.0.1.3680043.10.1234.99.3.1]
(0008,0060) CS [CT]
(0010,0010) PN [Package^Test]
(0020,000d) UI [1.2.826.0.1.3680043.10.1234.99.1]
(0020,000e) UI [1.2.826.0.1.3680043.10.1234.99.2]
EOF
dump2dcm -q "$test_dir/ct.dump" "$test_dir/dicom/ct.dcm"
# shellcheck disable=SC2086
setpriv --reuid dcmfeed --regid dcmfeed --init-groups -- env -i $unit_env \
    sh -c "umask 027 && exec ${exec_start% 11112} $sport" >"$test_dir/storescp.log" 2>&1 &
storescp_pid=$!
cleanup_pids="$cleanup_pids $storescp_pid"
if wait_port "$sport" && storescu -q 127.0.0.1 "$sport" "$test_dir/dicom/ct.dcm" 2>>"$test_dir/storescp.log"; then
    check "the storescp unit's command line appends a received image to the packaged log" \
        until_true 10 bash -c 'ls /var/lib/dcmfeed/incoming | grep -q . &&
            [ "$(sqlite3 -readonly /var/lib/dcmfeed/feed.db "SELECT count(*) FROM entries" 2>/dev/null)" = 1 ]'
else
    cat "$test_dir/storescp.log"
    not_ok "the storescp unit's command line appends a received image to the packaged log"
fi
make_sample "$test_dir/sample" 4
chmod -R a+rX "$test_dir/sample"
as_dcmfeed dcmfeed-ingest --db /var/lib/dcmfeed/feed.db -q add "$test_dir"/sample/*.json
check "the log's files stay 0640 dcmfeed:www-data after ingests" \
    bash -c '[ "$(stat -c "%U:%G %a" /var/lib/dcmfeed/feed.db* | sort -u)" = "dcmfeed:www-data 640" ]'

# --- Apache: a2enconf, then a server of the test's own that includes what it enabled --------
a2enconf -q dcmfeed-fcgid >"$test_dir/a2enconf.log" 2>&1 || cat "$test_dir/a2enconf.log"
check "a2enconf dcmfeed-fcgid enables the packaged config" \
    [ "$(readlink -f /etc/apache2/conf-enabled/dcmfeed-fcgid.conf)" = /etc/apache2/conf-available/dcmfeed-fcgid.conf ]
# The machine's own Apache config reads it as enabled (no server is started).
if [ -e /etc/apache2/mods-enabled/fcgid.load ] && command -v apache2ctl >/dev/null; then
    check "apache2ctl configtest accepts the machine's config with dcmfeed-fcgid enabled" \
        bash -c 'apache2ctl configtest 2>&1 | tee "$0/configtest.log" | grep -q "Syntax OK"' "$test_dir"
else
    skip "apache2ctl configtest with dcmfeed-fcgid enabled" "mod_fcgid is not enabled here (a2enmod fcgid)"
fi
srv="$test_dir/apache"
mkdir -p "$srv/fcgid"
chown www-data "$srv/fcgid"
aport=$(free_port)
{
    echo "ServerRoot \"$srv\""
    echo "ServerName 127.0.0.1"
    echo "Listen 127.0.0.1:$aport"
    echo "PidFile \"$srv/apache2.pid\""
    echo "DefaultRuntimeDir \"$srv\""
    echo "Mutex file:$srv default"
    echo "ErrorLog \"$srv/error.log\""
    echo "User www-data"
    echo "Group www-data"
    for m in mpm_event authn_core authn_file authz_core authz_user auth_basic alias mime env fcgid; do
        echo "LoadModule ${m}_module $APACHE_MODULES/mod_$m.so"
    done
    echo "FcgidIPCDir \"$srv/fcgid\""
    echo "FcgidProcessTableFile \"$srv/fcgid_shm\""
    echo "TypesConfig /dev/null"
    echo "Include /etc/apache2/conf-enabled/dcmfeed-fcgid.conf"
} >"$srv/apache2.conf"
"$APACHE2" -f "$srv/apache2.conf" -DFOREGROUND 2>"$srv/startup.log" &
apache_pid=$!
cleanup_pids="$apache_pid $cleanup_pids"
wait_port "$aport" || { cat "$srv/startup.log" "$srv/error.log" 2>/dev/null; echo "apache2 did not start"; exit 1; }

# No password file: every request is refused, and the log says why.
http GET "$url:$aport/dicom/v1/changefeed"
check "Apache without /etc/dcmfeed/htpasswd: anonymous gets 401" [ "$status" = 401 ]
http GET "$url:$aport/dicom/v1/changefeed" -u 'reader:correct horse'
check "Apache without /etc/dcmfeed/htpasswd: a password gets 500, not the feed" [ "$status" = 500 ]
check "Apache's error log names the missing password file" \
    grep -q 'Could not open password file: /etc/dcmfeed/htpasswd' "$srv/error.log"

# --- lighttpd: lighty-enable-mod, then a server of the test's own -----------------------
lighty-enable-mod dcmfeed >"$test_dir/lighty.log" 2>&1 || cat "$test_dir/lighty.log"
check "lighty-enable-mod dcmfeed enables the packaged config" \
    [ "$(readlink -f /etc/lighttpd/conf-enabled/50-dcmfeed.conf)" = /etc/lighttpd/conf-available/50-dcmfeed.conf ]
lport=$(free_port)
mkdir -p "$test_dir/www"
{
    echo "server.document-root = \"$test_dir/www\""
    echo "server.bind = \"127.0.0.1\""
    echo "server.port = $lport"
    echo "server.username = \"www-data\""
    echo "server.groupname = \"www-data\""
    echo "server.errorlog = \"$test_dir/lighttpd-error.log\""
    echo "include \"/etc/lighttpd/conf-enabled/50-dcmfeed.conf\""
} >"$test_dir/lighttpd.conf"
touch "$test_dir/lighttpd-error.log" && chown www-data "$test_dir/lighttpd-error.log"
check "lighttpd accepts the enabled config" "$LIGHTTPD" -tt -f "$test_dir/lighttpd.conf"
"$LIGHTTPD" -D -f "$test_dir/lighttpd.conf" 2>"$test_dir/lighttpd-startup.log" &
lighttpd_pid=$!
cleanup_pids="$lighttpd_pid $cleanup_pids"
wait_port "$lport" || { cat "$test_dir/lighttpd-startup.log" "$test_dir/lighttpd-error.log"; echo "lighttpd did not start"; exit 1; }
check "lighttpd's responders made their socket in /run/dcmfeed" \
    until_true 5 bash -c "ls /run/dcmfeed | grep -q '^lighttpd-$lighttpd_pid\.sock-[0-9]*\$'"
http GET "$url:$lport/dicom/v1/changefeed" -u 'reader:correct horse'
check "lighttpd without /etc/dcmfeed/htpasswd: a password gets 401" [ "$status" = 401 ]
check "lighttpd's error log names the missing password file" \
    grep -q 'fdevent_load_file() /etc/dcmfeed/htpasswd: No such file or directory' "$test_dir/lighttpd-error.log"

# With the password file README.Debian says to make, both serve the feed.
install -d -m 0755 /etc/dcmfeed
echo "reader:$(openssl passwd -apr1 'correct horse')" >/etc/dcmfeed/htpasswd
chgrp www-data /etc/dcmfeed/htpasswd && chmod 0640 /etc/dcmfeed/htpasswd
http GET "$url:$aport/dicom/v1/changefeed"
check "Apache with the password file: anonymous still gets 401" [ "$status" = 401 ]
http GET "$url:$aport/dicom/v1/changefeed?limit=10" -u 'reader:correct horse'
check "Apache serves the packaged log through the enabled config: the received image and 4 ingested" \
    body_is '[.[].Sequence] == [1,2,3,4,5] and .[0].SopInstanceUid == "1.2.826.0.1.3680043.10.1234.99.3.1"'
check "lighttpd serves the same feed" [ "$(feed_count "$url:$lport")" = 5 ]
check "the responder, run by www-data, left the log's files as they were" \
    bash -c '[ "$(stat -c "%U:%G %a" /var/lib/dcmfeed/feed.db* | sort -u)" = "dcmfeed:www-data 640" ]'
# Stopped as systemd stops the unit before a removal.
for pid in $lighttpd_pid $apache_pid $storescp_pid; do
    kill "$pid" 2>/dev/null || true
    until_true 10 bash -c "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null || true
done

# --- remove, then purge -----------------------------------------------------------------
if apt_get remove -y dcmfeed >"$test_dir/remove.log" 2>&1; then ok "apt-get remove dcmfeed"; else
    cat "$test_dir/remove.log"; not_ok "apt-get remove dcmfeed"; fi
check "remove: the programs are gone" [ ! -e /usr/bin/dcmfeed-ingest -a ! -e /usr/libexec/dcmfeed ]
check "remove: the enabled Apache and lighttpd configs are disabled (they name a program that is gone)" \
    bash -c '[ ! -e /etc/apache2/conf-enabled/dcmfeed-fcgid.conf ] && [ ! -L /etc/apache2/conf-enabled/dcmfeed-fcgid.conf ] &&
             [ ! -L /etc/lighttpd/conf-enabled/50-dcmfeed.conf ]'
check "remove: the log stays" [ -f /var/lib/dcmfeed/feed.db ]
entries() { sqlite3 -readonly /var/lib/dcmfeed/feed.db 'SELECT count(*) FROM entries'; }
export -f entries
reinstall() { (cd "$test_dir/src" && apt_get install -y "./${deb##*/}") >"$test_dir/reinstall.log" 2>&1 || cat "$test_dir/reinstall.log"; }
reinstall
check "installed again: the Apache config the admin had enabled is enabled again, lighttpd's is not" \
    bash -c '[ -L /etc/apache2/conf-enabled/dcmfeed-fcgid.conf ] && [ ! -L /etc/lighttpd/conf-enabled/50-dcmfeed.conf ]'
check "installed again: the log is the one it was, dcmfeed's" \
    bash -c '[ "$(entries)" = 5 ] && [ "$(stat -c "%U:%G %a" /var/lib/dcmfeed/feed.db)" = "dcmfeed:www-data 640" ]'
if apt_get purge -y dcmfeed >"$test_dir/purge.log" 2>&1; then ok "apt-get purge dcmfeed"; else
    cat "$test_dir/purge.log"; not_ok "apt-get purge dcmfeed"; fi
check "purge: the package is gone from dpkg's list" \
    bash -c '! dpkg-query -W -f "\${Status}" dcmfeed 2>/dev/null | grep -q "installed\|config-files"'
check "purge: the user and group dcmfeed are gone" bash -c '! getent passwd dcmfeed && ! getent group dcmfeed'
check "purge: the log stays, and the image storescp received; nothing else of /var/lib/dcmfeed" \
    [ "$(cd /var/lib/dcmfeed && find . -mindepth 1 | sort | tr '\n' ' ')" = \
        "./feed.db ./feed.db-shm ./feed.db-wal ./incoming ./incoming/CT.1.2.826.0.1.3680043.10.1234.99.3.1 " ]
# Installed again after a purge, the package takes the log it kept.
reinstall
check "installed again after a purge: the kept log is the new dcmfeed user's, whole" \
    bash -c '[ "$(entries)" = 5 ] && [ "$(stat -c "%U:%G %a" /var/lib/dcmfeed /var/lib/dcmfeed/feed.db*)" = \
        "$(printf "dcmfeed:www-data %s\n" 2750 640 640 640)" ]'
check "installed again after a purge: nothing is enabled" \
    bash -c '! ls /etc/apache2/conf-enabled /etc/lighttpd/conf-enabled | grep -q dcmfeed'
apt_get purge -y dcmfeed >"$test_dir/purge2.log" 2>&1 || cat "$test_dir/purge2.log"
rm -rf /etc/dcmfeed
dcmfeed_paths | grep -vx '/var/lib/dcmfeed\(/feed.db\(-wal\|-shm\)\?\|/incoming\(/CT\..*\)\?\)\?' \
    >"$test_dir/paths.purged" || true
check "purge: nothing named dcmfeed is left but the log" \
    diff "$test_dir/paths.before" "$test_dir/paths.purged"
# The log is the admin's to remove (README.Debian); the test made it.
rm -rf /var/lib/dcmfeed
# shellcheck disable=SC2086
[ -z "$new_deps" ] || apt_get purge -y $new_deps >"$test_dir/deps.log" 2>&1 || cat "$test_dir/deps.log"
machine_state >"$test_dir/state.after"
check "the machine is as it was: accounts, enabled configs, units" \
    diff "$test_dir/state.before" "$test_dir/state.after"
finish
