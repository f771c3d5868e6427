#!/usr/bin/env bash
# A throwaway PostgreSQL on 127.0.0.1:5432 with trust auth, for CI on a machine that has none
# running. Runs as root. Usage: ci/postgres.sh start DIR | ci/postgres.sh stop DIR
set -euo pipefail
action=${1:?start or stop} root=${2:-/tmp/pg-ci}
export DEBIAN_FRONTEND=noninteractive
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
data=$root/data
case $action in
  start)
    if [ -f "$data/postmaster.pid" ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m immediate -w stop || true; fi
    rm -rf "$root"; install -d -o postgres -g postgres "$root"
    runuser -u postgres -- "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$root/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p 5432 -k $root -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start
    "$bin/pg_isready" -h 127.0.0.1 -p 5432 -t 30
    ;;
  stop)
    runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m fast -w stop
    ;;
esac
