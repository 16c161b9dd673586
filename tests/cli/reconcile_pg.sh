#!/bin/sh
# tests/cli/reconcile.sh over a PostgreSQL log: a throwaway cluster
# (tests/lib/pg_lib.sh), skipped when PostgreSQL is not installed.
DCMFEED_TEST_BACKEND=pg
export DCMFEED_TEST_BACKEND
exec bash "${top_srcdir:-.}/tests/cli/reconcile.sh"
