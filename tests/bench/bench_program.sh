# shellcheck shell=bash
# Sourced by the benchmarks: bench_program NAME prints the path of
# tests/bench/NAME (gen_log, null_fcgi) in the build folder $builddir, where
# `make check` and `make bench` build it; made here if it is not there yet
# (a section run alone after a plain `make`).
# shellcheck disable=SC2154 # builddir comes from the sourcing script
bench_program() {
    [ -x "$builddir/tests/bench/$1" ] || make -s -C "$builddir" "tests/bench/$1" >&2
    echo "$builddir/tests/bench/$1"
}
