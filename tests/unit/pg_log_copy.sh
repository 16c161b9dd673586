#!/bin/bash
# Runs the log copy's unit tests (tests/unit/check_log_copy) with the destination
# on a real PostgreSQL: a throwaway cluster in a temporary folder, removed
# afterwards. The SQLite half of the suite runs too.
# Usage: tests/unit/pg_log_copy.sh [path/to/check_log_copy]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/pg_lib.sh"
check_log_copy=${1:-${CHECK_LOG_COPY:-tests/unit/check_log_copy}}
trap pg_stop EXIT
trap 'exit 1' INT TERM
pg_start dcmfeed_test
echo "# PostgreSQL at $PG_CONNINFO"
DCMFEED_PG_TEST=$PG_CONNINFO "$check_log_copy"
