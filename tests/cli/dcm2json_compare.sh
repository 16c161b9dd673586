#!/bin/sh
# Fidelity of dcmfeed's DICOM JSON against DCMTK's dcm2json: generates the test
# corpus (tests/lib/gen_corpus.py) and the edge-case files of
# tests/cli/dcm2json_compare.py, adds pydicom's own test files, converts each with
# both, and compares them attribute by attribute with the rules and the list of
# known DCMTK differences written in tests/cli/dcm2json_compare.py. Prints a line per file and a summary;
# exits 1 on any unexplained difference, skips (TAP) without Debian's
# python3-pydicom or DCMTK's dcm2json.
#   DICOMJSON_DUMP=path/to/tests/lib/dicomjson_dump tests/cli/dcm2json_compare.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
DCM2JSON=${DCM2JSON:-dcm2json}
DUMP=${DICOMJSON_DUMP:-${top_builddir:-.}/tests/lib/dicomjson_dump}

if ! "$PY" -c 'import pydicom' 2>/dev/null; then
    echo "1..0 # SKIP $PY cannot import pydicom (apt-get install python3-pydicom)"
    exit 0
fi
if ! command -v "$DCM2JSON" >/dev/null 2>&1; then
    echo "1..0 # SKIP dcm2json is not installed (apt-get install dcmtk)"
    exit 0
fi
if [ ! -x "$DUMP" ]; then
    echo "FAIL: $DUMP is not built (set DICOMJSON_DUMP)" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/dcm2json_compare.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/edge" "$work/out"
# The corpus make check generated (DCMFEED_CORPUS), else a fresh one.
corpus=${DCMFEED_CORPUS:-}
if [ -z "$corpus" ]; then
    corpus=$work/corpus
    mkdir "$corpus"
    "$PY" "$here/../lib/gen_corpus.py" "$corpus" >/dev/null
fi
"$PY" "$here/dcm2json_compare.py" --edge "$work/edge"
# pydicom's own test files (shipped with python3-pydicom): real-world oddities,
# compressed transfer syntaxes, and the character sets of PS3.5 Annexes H-K.
pyfiles=$("$PY" -c 'import os, pydicom; print(os.path.dirname(pydicom.__file__) + "/data")')
set -- "$corpus"/*.dcm "$work"/edge/*.dcm
for f in "$pyfiles"/test_files/*.dcm "$pyfiles"/charset_files/*.dcm; do
    [ -f "$f" ] && set -- "$@" "$f"
done
"$PY" "$here/dcm2json_compare.py" "$DUMP" "$DCM2JSON" "$work/out" "$@"
