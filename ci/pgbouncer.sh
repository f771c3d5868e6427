#!/usr/bin/env bash
# The PostgreSQL concurrency tests once more, through PgBouncer in transaction pooling: the
# app must keep no session state there (DATABASE_PGBOUNCER=1). A few tests, about a minute.
# Needs TEST_DATABASE_URL=postgresql://… and Debian's pgbouncer (apt-get install pgbouncer).
#   ci/pgbouncer.sh [more pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TEST_DATABASE_URL:?set TEST_DATABASE_URL=postgresql://… (the server PgBouncer fronts)}"
py=${PYTHON:-.venv/bin/python}
out=$(mktemp)
$py bench/pgbouncer.py "$TEST_DATABASE_URL" >"$out" &
bouncer=$!
trap 'kill "$bouncer" 2>/dev/null; wait "$bouncer" 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do [ -s "$out" ] && break; kill -0 "$bouncer" || exit 1; sleep 0.1; done
url=$(head -1 "$out")
echo "PgBouncer (transaction pooling): $url"
TEST_DATABASE_URL=$url DATABASE_PGBOUNCER=1 $py -m pytest -n 0 -q -p no:cacheprovider \
  tests/events/test_concurrency.py tests/events/test_waitlist_guard.py \
  tests/notifications/test_concurrency_postgres.py tests/test_pgbouncer.py "$@"
