#!/bin/bash
# Runs the responder's unit tests (tests/unit/check_responder) on a real
# PostgreSQL too: a throwaway cluster in a temporary folder, removed
# afterwards. Among them, a connection that dies between requests (as in a
# server restart) and a database that takes no connections for a while.
# Usage: tests/unit/pg_responder.sh [path/to/check_responder]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/pg_lib.sh"
check_responder=${1:-${CHECK_RESPONDER:-tests/unit/check_responder}}
trap pg_stop EXIT
trap 'exit 1' INT TERM
pg_start dcmfeed_test
echo "# PostgreSQL at $PG_CONNINFO"
DCMFEED_PG_TEST=$PG_CONNINFO "$check_responder"
