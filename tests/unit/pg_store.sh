#!/bin/bash
# Runs the store's unit tests (tests/unit/check_store) on a real PostgreSQL: a
# throwaway cluster in a temporary folder, removed afterwards. The SQLite half
# of the suite runs too. Usage: tests/unit/pg_store.sh [path/to/check_store]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/pg_lib.sh"
check_store=${1:-${CHECK_STORE:-tests/unit/check_store}}
trap pg_stop EXIT
trap 'exit 1' INT TERM
pg_start dcmfeed_test
echo "# PostgreSQL at $PG_CONNINFO"
DCMFEED_PG_TEST=$PG_CONNINFO "$check_store"
