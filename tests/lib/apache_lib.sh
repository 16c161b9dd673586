# Helpers of the tests that run a shipped config in a real web server as the
# server's own user (apache.sh, lighttpd_cgi.sh); sourced after setting
# top_srcdir. Sources lib.sh, prepares the folders, the log's place and the
# htpasswd file, and sets: db, port, server_user, server_group.

. "${top_srcdir:-.}/tests/lib/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
command -v openssl >/dev/null || skip_all "openssl is not installed"

# Run as root, a server hands requests to an unprivileged user (Apache refuses
# to run its children as root): that user gets exactly what an installed
# server's user gets, read access to the log through its group. Run as
# anyone else, the server and the responder keep the test's own user.
if [ "$(id -u)" = 0 ]; then
    server_user=""
    for u in www-data daemon nobody; do
        if id "$u" >/dev/null 2>&1; then server_user=$u; break; fi
    done
    [ -n "$server_user" ] || skip_all "no unprivileged user (www-data, daemon, nobody) to run the server as"
    server_group=$(id -gn "$server_user")
else
    server_user=$(id -un)
    server_group=$(id -gn)
fi

# as_server COMMAND...: runs COMMAND as the server's user.
as_server() {
    if [ "$(id -u)" = 0 ]; then runuser -u "$server_user" -- "$@"; else "$@"; fi
}

chmod 0711 "$test_dir"
mkdir -p "$test_dir/cgi-bin" "$test_dir/run" "$test_dir/www/dicom-web" "$test_dir/db" "$test_dir/server"
echo hello >"$test_dir/www/dicom-web/hello.txt"
chmod 0755 "$test_dir/cgi-bin" "$test_dir/www" "$test_dir/www/dicom-web"
chmod 0644 "$test_dir/www/dicom-web/hello.txt"
# The socket folder of a responder run as a service: the server's only.
chgrp "$server_group" "$test_dir/run"
chmod 0770 "$test_dir/run"
# The log's folder as docs/deploy.md sets it up: the ingest user (this test)
# owns it, the server's group may read it, and the set-group-ID bit gives that
# group to the files created in it.
chgrp "$server_group" "$test_dir/db"
chmod 2750 "$test_dir/db"
db="$test_dir/db/feed.db"
: >"$test_dir/responder.log"

add_user reader 'correct horse'
add_research_user researcher 'open data'
chgrp "$server_group" "$test_dir/htpasswd" "$test_dir/htpasswd-research"
chmod 0640 "$test_dir/htpasswd" "$test_dir/htpasswd-research"

port=$(free_port)
as_server test -r "$test_dir/htpasswd" ||
    skip_all "$server_user cannot reach $test_dir: set TMPDIR to a folder every user may traverse"

# make_log N: ingests N sample instances as deploy.md says (umask 027), so
# that the log's files are the ingest user's, readable by the server's group.
make_log() {
    make_sample "$test_dir/sample" "$1"
    init_log "$db"
    (umask 027 && "$INGEST" --db "$db" -q add "$test_dir"/sample/*.json)
    check "the ingest side keeps the -wal and -shm files" test -f "$db-wal" -a -f "$db-shm"
    check "the log's files are 0640 and the server's group's" \
        bash -c "[ \"\$(stat -c '%a %G' '$db' '$db-wal' '$db-shm' | sort -u)\" = '640 $server_group' ]"
    if [ "$(id -u)" = 0 ]; then
        check "the server's user can read the log but write none of it" \
            bash -c "runuser -u '$server_user' -- test -r '$db' &&
                     ! runuser -u '$server_user' -- test -w '$db' &&
                     ! runuser -u '$server_user' -- test -w '$db-shm' &&
                     ! runuser -u '$server_user' -- test -w '$test_dir/db'"
    fi
}

# servers_refusal: the last answer is a 4xx of the server itself, its HTML
# page (an empty body would prove nothing), not an answer of the responder
# (every one of which is JSON).
servers_refusal() {
    case $status in 4??) ;; *) return 1 ;; esac
    grep -qi '<html' "$test_dir/body" && ! jq -e . "$test_dir/body" >/dev/null 2>&1
}

# check_guarded URL WHAT [CURL ARGS]: an anonymous request for URL does not
# reach the responder and gets no feed.
check_guarded() {
    local url=$1 what=$2
    shift 2
    http GET "$url" "$@"
    check "anonymous, $what gets no answer of the responder ($status)" servers_refusal
}

# check_outside URL WHAT: URL is outside the prefix: even with the password,
# the responder never sees it.
check_outside() {
    local url=$1 what=$2
    check_guarded "$url" "$what"
    http GET "$url" -u 'reader:correct horse'
    check "$what does not reach the responder ($status)" servers_refusal
}

# check_neighbour BASE: a site beside the feed (BASE/dicom-web/) is served as
# before, without the feed's password.
check_neighbour() {
    http GET "$1/dicom-web/hello.txt"
    check "a neighbour of the prefix (/dicom-web) is served without the feed's password" \
        bash -c "[ '$status' = 200 ] && [ \"\$(cat '$test_dir/body')\" = hello ]"
}

# check_concurrent URL JQ: eight clients at once all get the page.
# check_prefix_boundaries: only URLs under the prefix ($base) reach the
# responder, and all of them need the password: neighbours of the prefix, and
# spellings the server normalises.
check_prefix_boundaries() {
    check_neighbour "http://127.0.0.1:$port"
    check_outside "$base"X/v1/changefeed "a neighbour of the prefix"
    check_outside "http://127.0.0.1:$port/dicom" "the prefix without its slash"
    check_outside "http://127.0.0.1:$port/DICOM/v1/changefeed" "the prefix in capitals"
    check_guarded "http://127.0.0.1:$port//dicom//v1/changefeed" "doubled slashes"
    check_guarded "http://127.0.0.1:$port/%64icom/v1/changefeed" "an escaped prefix"
    check_guarded "http://127.0.0.1:$port/x/../dicom/v1/changefeed" "a dot-dot segment" --path-as-is
    check_guarded "http://127.0.0.1:$port/dicom/./v1/changefeed" "a dot segment" --path-as-is
}

check_concurrent() {
    local url=$1 filter=$2 pids=() i bad=0
    for i in 1 2 3 4 5 6 7 8; do
        "$CURL" -s -g -u 'reader:correct horse' -o "$test_dir/par.$i" -w '%{http_code}' "$url" \
            >"$test_dir/par.$i.status" &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || bad=1; done
    for i in 1 2 3 4 5 6 7 8; do
        [ "$(cat "$test_dir/par.$i.status")" = 200 ] && jq -e "$filter" "$test_dir/par.$i" >/dev/null ||
            bad=1
    done
    check "eight clients at once all get the feed" [ "$bad" = 0 ]
}

# The PIDs of processes whose command line names the test's folder: the
# server, its children and the responders (started from $test_dir/cgi-bin).
test_processes() {
    local p
    for p in /proc/[0-9]*; do
        [ "${p#/proc/}" != $$ ] || continue
        if tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF -- "$test_dir/"; then echo "${p#/proc/}"; fi
    done
}

no_process_left() {
    local left
    left=$(test_processes)
    [ -z "$left" ] || { echo "# left running: $left"; ps -o pid,user,args -p "$(echo "$left" | tr '\n' , | sed 's/,$//')" || true; return 1; }
}

# stop_pid PID [SECONDS]: SIGTERM, then SIGKILL if it is still there.
stop_pid() {
    local pid=$1 tries=$((${2:-10} * 10))
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 "$tries"); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
}

# ---- apache2 ---------------------------------------------------------------------
APACHE_MODULES=${APACHE_MODULES:-/usr/lib/apache2/modules}
apache_pid=""
responder_pid=""

# apache_require MODULE...: skips unless apache2 and these modules are installed.
apache_require() {
    [ -n "${APACHE2:-}" ] && [ -x "$APACHE2" ] || skip_all "apache2 is not installed (apt-get install apache2)"
    local m
    for m in mpm_event authn_core authn_file authz_core authz_host authz_user auth_basic alias mime dir headers "$@"; do
        if [ ! -f "$APACHE_MODULES/mod_$m.so" ]; then
            case $m in
            fcgid) skip_all "mod_fcgid is not installed (apt-get install libapache2-mod-fcgid)" ;;
            *) skip_all "mod_$m is not in $APACHE_MODULES (apt-get install apache2)" ;;
            esac
        fi
    done
}

# apache_start "MODULE...": writes a main config around $test_dir/dcmfeed.conf
# (everything under the test's folder) and starts apache2 in the foreground.
# A port taken between free_port and the bind (a client's ephemeral port)
# makes it try another.
apache_start() {
    local attempt
    for attempt in 1 2 3; do
        apache_write_conf "$1"
        "$APACHE2" -t -f "$test_dir/apache.conf" 2>"$test_dir/configtest.log" ||
            { cat "$test_dir/configtest.log"; echo "apache2 rejects the config"; exit 1; }
        "$APACHE2" -f "$test_dir/apache.conf" -DFOREGROUND 2>"$test_dir/startup.log" &
        apache_pid=$!
        for _ in $(seq 1 100); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
            kill -0 "$apache_pid" 2>/dev/null || break
            sleep 0.1
        done
        stop_pid "$apache_pid" 5
        wait "$apache_pid" 2>/dev/null || true
        apache_pid=""
        grep -q 'could not bind' "$test_dir/startup.log" || break
        port=$(free_port)
    done
    cat "$test_dir/startup.log" "$test_dir/error.log" 2>/dev/null || true
    echo "apache2 did not start"
    exit 1
}

apache_write_conf() {
    local m
    {
        echo "ServerRoot \"$test_dir/server\""
        echo "ServerName 127.0.0.1"
        echo "Listen 127.0.0.1:$port"
        echo "PidFile \"$test_dir/server/apache2.pid\""
        echo "DefaultRuntimeDir \"$test_dir/server\""
        echo "Mutex file:$test_dir/server default"
        echo "ErrorLog \"$test_dir/error.log\""
        echo "LogLevel ${APACHE_LOGLEVEL:-warn}"
        # As on a Debian server with libapache2-mod-fcgid installed, which
        # loads it with its fcgid.conf (AddHandler fcgid-script .fcgi) in
        # every mode: a config must still run the responder the way it says.
        local mods="mpm_event authn_core authn_file authz_core authz_host authz_user auth_basic alias mime dir headers $1"
        case " $mods " in
        *" fcgid "*) ;;
        *) [ ! -f "$APACHE_MODULES/mod_fcgid.so" ] || mods="$mods fcgid" ;;
        esac
        for m in $mods; do
            echo "LoadModule ${m}_module \"$APACHE_MODULES/mod_$m.so\""
        done
        if [ "$(id -u)" = 0 ]; then
            echo "User $server_user"
            echo "Group $server_group"
        fi
        cat <<CONF
StartServers 1
ServerLimit 2
ThreadsPerChild 10
MinSpareThreads 5
MaxSpareThreads 20
MaxRequestWorkers 20
# Long enough for the 414 test: Apache answers longer request lines itself.
LimitRequestLine 16384
CustomLog "$test_dir/access.log" "%h %u \"%r\" %>s %b"
DocumentRoot "$test_dir/www"
# As in Debian's apache2.conf: nothing is served unless a section allows it.
<Directory />
    AllowOverride None
    Require all denied
</Directory>
# A neighbour of the feed, served to anyone on the loopback.
<Directory "$test_dir/www/dicom-web">
    Require ip 127.0.0.1
</Directory>
<IfModule fcgid_module>
    FcgidIPCDir "$test_dir/server/fcgid"
    FcgidProcessTableFile "$test_dir/server/fcgid_shm"
    FcgidConnectTimeout 20
    AddHandler fcgid-script .fcgi
</IfModule>
TypesConfig /dev/null
<IfModule cgid_module>
    ScriptSock "$test_dir/server/cgisock"
</IfModule>
Include "$test_dir/dcmfeed.conf"
CONF
    } >"$test_dir/apache.conf"
}

# Stops apache2 (it stops its children and the responders it spawned), then
# the responder run as a service; both by PID.
apache_stop() {
    if [ -n "$apache_pid" ]; then
        stop_pid "$apache_pid" 15
        wait "$apache_pid" 2>/dev/null || true
        apache_pid=""
    fi
    if [ -n "$responder_pid" ]; then
        stop_pid "$responder_pid" 5
        wait "$responder_pid" 2>/dev/null || true
        responder_pid=""
    fi
}

# Whatever the way out, nothing started here keeps running.
stop_all() {
    apache_stop
    local p
    for p in $(test_processes); do stop_pid "$p" 2; done
    cleanup
}
trap stop_all EXIT
