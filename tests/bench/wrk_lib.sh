# shellcheck shell=bash
# Sourced by the benchmarks (run, pg.sh, orthanc.sh, scale.sh): wrk's figures
# and the CPU that the server's processes spent on them. CPU per request is
# the steadier figure on a shared machine: req/s moves with whatever else
# runs, the ticks a request costs much less.
# Uses $connections, $duration and $auth_header of the sourcing script.
# shellcheck disable=SC2154 # connections, duration and auth_header come from it

tck=$(getconf CLK_TCK)

# to_ms VALUE [DECIMALS]: a wrk latency (850.00us, 1.20ms, 2.00s) in ms.
to_ms() {
    awk -v v="$1" -v d="${2:-2}" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
        else if (v ~ /s$/) n *= 1000; printf "%.*f", d, n }'
}

# ratio A B [DECIMALS]: A ÷ B with DECIMALS (2) decimals, 0 when B is 0.
ratio() {
    awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { printf "%.*f", d, (b + 0 != 0 ? a / b : 0) }'
}

# sum A B...: their sum, with one decimal.
sum() {
    awk 'BEGIN { for (i = 1; i < ARGC; i++) s += ARGV[i]; printf "%.1f", s }' "$@"
}

# ticks LIGHTTPD_PID POSTMASTER_PID (either may be ""): "GROUP PID TICKS" (user + system) for
# lighttpd (l), its children the responders (r) and the PostgreSQL server's processes (p). The
# postmaster's count includes its children that ended (a backend whose client closed).
ticks() {
    local group pid
    {
        if [ -n "$1" ]; then
            echo "l $1"
            for pid in $(pgrep -P "$1" || true); do echo "r $pid"; done
        fi
        if [ -n "$2" ]; then
            echo "P $2"
            for pid in $(pgrep -P "$2" || true); do echo "p $pid"; done
        fi
    } | while read -r group pid; do
        awk -v g="$group" -v p="$pid" '{ sub(/^.*\) /, "")
            if (g == "P") print "p", p, $12 + $13 + $14 + $15; else print g, p, $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || true
    done
}

# cpu_us BEFORE AFTER REQUESTS: "lighttpd responders postgres", µs per request.
cpu_us() {
    awk -v n="$3" -v t="$tck" 'NR == FNR { d[$1] -= $3; next } { d[$1] += $3 }
        END { f = 1e6 / t / n; printf "%.1f %.1f %.1f", d["l"] * f, d["r"] * f, d["p"] * f }' "$1" "$2"
}

# wrk_in: a command that wrk and its first request run under, e.g. (ip netns
# exec NS) for a client in a network namespace (tests/bench/net_lib.sh); none
# by default.
wrk_in=()

# wrk_measure URL [LIGHTTPD_PID [POSTMASTER_PID [HEADER]]]: one request first (so that
# nothing is opened during the run), then wrk, 2 threads; prints
# "req/s p50_ms p99_ms non2xx lighttpd_us responders_us postgres_us MB/s", the CPU
# per request of the processes named (0.0 for those not named), then the bytes
# wrk read per second (headers and bodies; 1 MB = 10^6 bytes, as a link's rate).
wrk_measure() {
    local url=$1 lpid=${2:-} ppid=${3:-} header=${4:-} out requests
    "${wrk_in[@]}" curl -s -o /dev/null -H "$auth_header" ${header:+-H "$header"} "$url"
    ticks "$lpid" "$ppid" >"$test_dir/ticks.before"
    out=$("${wrk_in[@]}" wrk -t2 -c"$connections" -d"${duration}s" --latency -H "$auth_header" ${header:+-H "$header"} "$url")
    ticks "$lpid" "$ppid" >"$test_dir/ticks.after"
    requests=$(awk '/ requests in / { print $1 }' <<<"$out")
    echo "$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")" \
        "$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")" \
        "$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")" \
        "$(awk '/Non-2xx or 3xx/ { print $5 }' <<<"$out" | grep . || echo 0)" \
        "$(cpu_us "$test_dir/ticks.before" "$test_dir/ticks.after" "${requests:-1}")" \
        "$(to_mb "$(awk '/^Transfer\/sec:/ { print $2 }' <<<"$out")")"
}

# to_mb VALUE: a wrk size (12.5KB, 113.81MB; binary units) in MB of 10^6 bytes.
to_mb() {
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /KB$/) n *= 1024; else if (v ~ /MB$/) n *= 1048576;
        else if (v ~ /GB$/) n *= 1073741824; printf "%.1f", n / 1e6 }'
}
