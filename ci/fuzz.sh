#!/usr/bin/env bash
# The API fuzzer: schemathesis over /api/v1/openapi.json against a real server on PostgreSQL.
#
#   bash ci/fuzz.sh postgresql://postgres@127.0.0.1:5432/DBNAME
#
# Makes DBNAME afresh (`flask db upgrade` + `flask demo load`), serves it with gunicorn on a
# free loopback port, takes a staff and a member API token (`flask users token`), and runs
# every phase (examples, coverage, fuzzing, stateful over the document's links) on every
# documented operation with the `not_a_server_error` and `response_schema_conformance`
# checks. Then it stops the server and drops the database. It fails on any failure or error
# schemathesis reports, on any operation that only ever answered 401/403 (it never reached
# its logic), and on any 5xx or traceback in the server's log, and ends with the
# number of cases generated. FUZZ_EXAMPLES (cases per operation and phase, default 300) bounds
# the run: about 2½ minutes on 2 idle cores (~6,500 cases). FUZZ_SEED repeats a run.
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:?usage: bash ci/fuzz.sh postgresql://USER@HOST:PORT/DBNAME}
db=${url##*/}
admin_url=${url%/*}/postgres
examples=${FUZZ_EXAMPLES:-300}
seed=${FUZZ_SEED:-$RANDOM}
bin=.venv/bin
work=$(mktemp -d)
server_pid=

cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  psql "$admin_url" -q -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql "$admin_url" -q -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\""
port=$($bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SECRET_KEY=$($bin/python -c 'import secrets; print(secrets.token_hex(32))')
# The fuzzer is one client sending thousands of requests a minute: lift the API's rate limit.
export FLASK_APP=wsgi TSUNAGU_ENV=production DATABASE_URL="$url" BASE_URL="http://127.0.0.1:$port" \
  SECRET_KEY SESSION_COOKIE_SECURE=0 SCHEDULER_ENABLED=0 MAIL_BACKEND=file \
  API_RATE_LIMIT="1000000 per minute"
$bin/flask db upgrade >"$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log"; exit 1; }
$bin/flask demo load >"$work/demo.log" 2>&1 || { cat "$work/demo.log"; exit 1; }
mapfile -t tokens < <($bin/flask users token staff@demo.tsunagu.jp member@demo.tsunagu.jp)
export FUZZ_STAFF_TOKEN=${tokens[0]} FUZZ_MEMBER_TOKEN=${tokens[1]}

$bin/gunicorn --workers 2 --bind "127.0.0.1:$port" --access-logfile - wsgi:app \
  >"$work/server.log" 2>&1 &
server_pid=$!

started=$(date +%s)
status=0
# One schemathesis worker: hypothesis parses lambdas' source with `ast`, which is not
# thread-safe on Python 3.11 ("AST constructor recursion depth mismatch").
$bin/schemathesis --no-color --config-file ci/schemathesis.toml run \
  "http://127.0.0.1:$port/api/v1/openapi.json" --wait-for-schema 60 \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "$examples" --seed "$seed" --workers 1 --generation-database none \
  | tee "$work/run.log" || status=$?
elapsed=$(( $(date +%s) - started ))

if grep -qE '" 5[0-9]{2} ' "$work/server.log"; then
  echo "server errors in the access log:"
  grep -E '" 5[0-9]{2} ' "$work/server.log" | head -20
  status=1
fi
if grep -q 'Traceback' "$work/server.log"; then
  echo "tracebacks in the server log:"
  grep -A30 'Traceback' "$work/server.log" | head -80
  status=1
fi
if grep -q 'Authentication failed' "$work/run.log"; then
  echo "operations that only ever answered 401/403 never reached their logic: give them the"
  echo "staff token in ci/schemathesis.toml"
  status=1
fi
cases=$(grep -oE '[0-9]+ generated' "$work/run.log" | tail -1 | grep -oE '[0-9]+' || echo 0)
requests=$(grep -c '"[A-Z]* /api/v1/' "$work/server.log" || true)
echo "fuzz: $cases cases generated, $requests API requests served, ${elapsed}s, seed $seed, exit $status"
exit "$status"
