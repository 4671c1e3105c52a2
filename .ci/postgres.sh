#!/usr/bin/env bash
# Optional: a long-lived PostgreSQL server for the tests, shared by every run that exports RULESBILLING_TEST_PG.
# Neither CI nor the README needs it: without RULESBILLING_TEST_PG each test process starts (and stops) a private
# server of its own (tests/Engine.Tests/Storage/PostgresTestServer.cs). This saves that start-up when running the tests
# many times by hand. SOURCE it (it exports RULESBILLING_TEST_PG and defines rb_pg_stop), or run it to start the server
# and print the connection string.
#
# - If RULESBILLING_TEST_PG is already set, that database is used and nothing is installed or started.
# - Otherwise PostgreSQL is installed from the distribution's packages when missing (apt-get), a cluster is
#   initialised in a private folder (RB_PG_DIR, default /tmp/rb-pg) and started on a private loopback port
#   (RB_PG_PORT, default 55432). The cluster is owned by the `postgres` user when run as root, because the server
#   refuses to run as root. Authentication is `trust` on 127.0.0.1 only: it is a test cluster, never a deployment.
# - rb_pg_stop stops the server only if this script started it.

rb_pg_log() { echo "[postgres.sh] $*" >&2; }

rb_pg_provision() {
  if [ -n "${RULESBILLING_TEST_PG:-}" ]; then
    rb_pg_log "using the database given in RULESBILLING_TEST_PG"
    return 0
  fi

  local dir="${RB_PG_DIR:-/tmp/rb-pg}" port="${RB_PG_PORT:-55432}" bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    rb_pg_log "PostgreSQL server binaries not found; installing them from the distribution's packages"
    if [ "$(id -u)" -ne 0 ]; then rb_pg_log "need root to apt-get install postgresql"; return 1; fi
    # Installing the package must not start (or leave) the distribution's own cluster running.
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2 || { rb_pg_log "apt-get install postgresql failed"; return 1; }
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -x "$bin/initdb" ] || { rb_pg_log "initdb still missing after install"; return 1; }
  fi

  # The server refuses to run as root: hand the folder to the postgres user (created by the package).
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { rb_pg_log "user 'postgres' missing"; return 1; }
    as=(runuser -u postgres --)
  fi

  mkdir -p "$dir"
  [ "${#as[@]}" -gt 0 ] && chown postgres: "$dir"
  chmod 700 "$dir"

  if [ ! -f "$dir/data/PG_VERSION" ]; then
    rb_pg_log "initdb into $dir/data"
    "${as[@]}" "$bin/initdb" -D "$dir/data" -U rulesbilling -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; return 1; }
  fi

  if "${as[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    rb_pg_log "server already running in $dir (left running: not started by this run)"
  else
    # fsync stays on (the default): the suite tests the real durability path, not a tuned-down one.
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >&2 \
      || { cat "$dir/server.log" >&2; return 1; }
    RB_PG_STARTED="$dir/data"
    RB_PG_BIN="$bin"
    RB_PG_AS="${as[*]}"
  fi

  local db=rulesbilling_test
  if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U rulesbilling -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U rulesbilling "$db" || return 1
  fi
  export RULESBILLING_TEST_PG="Host=127.0.0.1;Port=$port;Username=rulesbilling;Database=$db"
  rb_pg_log "RULESBILLING_TEST_PG=$RULESBILLING_TEST_PG"
}

rb_pg_stop() {
  if [ -n "${RB_PG_STARTED:-}" ]; then
    # shellcheck disable=SC2086
    $RB_PG_AS "$RB_PG_BIN/pg_ctl" -D "$RB_PG_STARTED" -m fast -w stop >&2
    RB_PG_STARTED=""
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  rb_pg_provision
  echo "$RULESBILLING_TEST_PG"
else
  rb_pg_provision
fi
