# shellcheck shell=bash
# Sourced by tests/bench/run: a network link shaped as a hospital's would be,
# 1 Gbit/s with 0.5 ms of round trip, between this machine's own network (where
# the servers run) and a network namespace (where wrk runs): a veth pair, one end
# moved into the namespace, each end's outgoing traffic through tc's token bucket
# (tbf, 1 Gbit/s) and, where the kernel has netem, 0.25 ms of delay each way.
# Made here, removed at exit by lib.sh's trap (cleanup_hooks: net_down), so
# nothing is left after the run, even a failed one (a kill -9 leaves a
# namespace named dcmfeed-bench-PID: `ip netns del` it).
#
# net_up: makes the link; 0 when it is up, 1 with the reason in $net_why when
# it cannot be made here (not root, no ip/tc, no namespaces, no veth or tbf).
# Sets net_ns, net_server (this side's address), net_client, net_delay (how the
# delay is made, or why there is none). `ip netns exec "$net_ns" CMD` runs CMD
# on the client's side; a server must also listen on $net_server.
# Variables: BENCH_NET_RATE (1gbit), BENCH_NET_DELAY (0.25ms, each way).
# Needs lib.sh sourced first (cleanup_hooks).
# shellcheck disable=SC2034 # net_why, net_delay, net_client: for the sourcing script

net_rate=${BENCH_NET_RATE:-1gbit}
net_delay_each=${BENCH_NET_DELAY:-0.25ms}

net_down() {
    [ -n "${net_ns:-}" ] || return 0
    # Deleting the namespace deletes its end of the pair, and with it the
    # other end and both ends' qdiscs.
    ip netns del "$net_ns" 2>/dev/null || true
    ip link del "$net_dev" 2>/dev/null || true
    net_ns=""
}

# net_shape [-n NS] DEV: tbf at $net_rate on DEV's outgoing traffic, with
# netem's delay under it where the kernel has netem.
net_shape() {
    local tc=(tc) dev
    if [ "$1" = -n ]; then tc=(ip netns exec "$2" tc); shift 2; fi
    dev=$1
    # burst: 128 KB, above a 64 KB GSO packet (tbf would split bigger ones);
    # latency 10 ms of queue (1.25 MB at 1 Gbit/s), a switch's buffer order.
    "${tc[@]}" qdisc add dev "$dev" root handle 1: tbf rate "$net_rate" burst 128kb latency 10ms ||
        return 1
    "${tc[@]}" qdisc add dev "$dev" parent 1:1 handle 10: netem delay "$net_delay_each" 2>/dev/null || true
}

net_up() {
    local n err
    net_ns="" net_why=""
    [ "$(id -u)" = 0 ] || { net_why="needs root, for a network namespace, a veth pair and tc"; return 1; }
    if ! command -v ip >/dev/null || ! command -v tc >/dev/null; then
        net_why="no ip or tc: apt-get install iproute2"
        return 1
    fi
    # A /30 in 10.231.0.0/16 that no interface here has.
    for _ in $(seq 1 20); do
        n=$((RANDOM % 64 * 4))
        net_subnet="10.231.$((RANDOM % 256))"
        ip -4 -o addr show | grep -q " $net_subnet\.$n/" || break
    done
    net_server=$net_subnet.$((n + 1)) net_client=$net_subnet.$((n + 2))
    net_dev="dfb$$s"
    if ! err=$(ip netns add "dcmfeed-bench-$$" 2>&1); then
        net_why="no network namespaces here (ip netns add: $err)"
        return 1
    fi
    net_ns="dcmfeed-bench-$$"
    cleanup_hooks="$cleanup_hooks net_down"
    if ! err=$({ ip link add "$net_dev" type veth peer name "dfb$$c" &&
        ip link set "dfb$$c" netns "$net_ns" &&
        ip addr add "$net_server/30" dev "$net_dev" && ip link set "$net_dev" up &&
        ip -n "$net_ns" addr add "$net_client/30" dev "dfb$$c" &&
        ip -n "$net_ns" link set "dfb$$c" up && ip -n "$net_ns" link set lo up; } 2>&1); then
        net_why="no veth pair (ip link: $err)"
        net_down
        return 1
    fi
    if ! err=$({ net_shape "$net_dev" && net_shape -n "$net_ns" "dfb$$c"; } 2>&1); then
        net_why="tc cannot shape the link: $err"
        net_down
        return 1
    fi
    if tc qdisc show dev "$net_dev" | grep -q netem; then
        net_delay="netem, $net_delay_each each way"
    else
        net_delay="none, this kernel has no netem (CONFIG_NET_SCH_NETEM): the rate alone is shaped"
    fi
}
