# shellcheck shell=bash
# Sourced by scale.sh and pg.sh: build_gen_log OUT compiles gen_log.c against
# the build's src/libdcmfeed.a with the libraries that build links (its
# Makefile's SQLITE_LIBS, LIBPQ_LIBS, JANSSON_LIBS and ZLIB_LIBS: libpq only
# when it has the PostgreSQL backend, whose code the archive then holds).
# Uses $top_srcdir and $builddir (the build folder).
# shellcheck disable=SC2154 # top_srcdir and builddir come from the sourcing script
build_gen_log() {
    local libs
    libs=$(sed -n 's/^\(SQLITE\|LIBPQ\|JANSSON\|ZLIB\)_LIBS = //p' "$builddir/Makefile" 2>/dev/null | tr '\n' ' ')
    [ -n "${libs// /}" ] || libs="$(pkg-config --libs sqlite3 jansson zlib)"
    # shellcheck disable=SC2086 # $libs are words
    cc -std=c11 -O2 -I"$top_srcdir/src" -I"$builddir" "$top_srcdir/tests/bench/gen_log.c" \
        "$builddir/src/libdcmfeed.a" $libs -o "$1"
}
