# shellcheck shell=bash
# Sourced by the benchmarks: build_tool NAME OUT compiles tests/bench/NAME.c
# (gen_log, null_fcgi) against the build's src/libdcmfeed.a with the libraries
# the programs link (its Makefile's SQLITE_LIBS, JANSSON_LIBS, ZLIB_LIBS,
# FCGI_LIBS and LIBS, which holds -ldl where dlopen needs it): like them,
# gen_log loads libpq for a PostgreSQL log.
# Uses $top_srcdir and $builddir (the build folder).
# shellcheck disable=SC2154 # top_srcdir and builddir come from the sourcing script
build_tool() {
    local libs
    libs=$(sed -n 's/^\(SQLITE_\|JANSSON_\|ZLIB_\|FCGI_\|\)LIBS = //p' "$builddir/Makefile" 2>/dev/null | tr '\n' ' ')
    [ -n "${libs// /}" ] || libs="$(pkg-config --libs sqlite3 jansson zlib) -lfcgi"
    # shellcheck disable=SC2086 # $libs are words
    cc -std=c11 -O2 -I"$top_srcdir/src" -I"$builddir" "$top_srcdir/tests/bench/$1.c" \
        "$builddir/src/libdcmfeed.a" $libs -o "$2"
}
