# shellcheck shell=bash
# Sourced by scale.sh and pg.sh: build_gen_log OUT compiles gen_log.c against
# the build's src/libdcmfeed.a with the libraries the programs link (its
# Makefile's SQLITE_LIBS, JANSSON_LIBS, ZLIB_LIBS and LIBS, which holds -ldl
# where dlopen needs it): like them, gen_log loads libpq for a PostgreSQL log.
# Uses $top_srcdir and $builddir (the build folder).
# shellcheck disable=SC2154 # top_srcdir and builddir come from the sourcing script
build_gen_log() {
    local libs
    libs=$(sed -n 's/^\(SQLITE_\|JANSSON_\|ZLIB_\|\)LIBS = //p' "$builddir/Makefile" 2>/dev/null | tr '\n' ' ')
    [ -n "${libs// /}" ] || libs="$(pkg-config --libs sqlite3 jansson zlib)"
    # shellcheck disable=SC2086 # $libs are words
    cc -std=c11 -O2 -I"$top_srcdir/src" -I"$builddir" "$top_srcdir/tests/bench/gen_log.c" \
        "$builddir/src/libdcmfeed.a" $libs -o "$1"
}
