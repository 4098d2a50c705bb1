#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL cluster: initdb in a
# temporary directory, pg_ctl on a loopback port, as an unprivileged user;
# the cluster is stopped and deleted when the command ends, pass or fail.
# The command finds it in KASSA_TEST_POSTGRES (a postgres:// URL).
# Usage: .ci/with-postgres.sh cargo test ...
set -euo pipefail

PORT=${KASSA_PG_PORT:-55432}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$BIN" ]; then
  echo "PostgreSQL is not installed (.ci/tools.sh --tests installs it)" >&2
  exit 1
fi
DIR=$(mktemp -d /tmp/kassa-pg.XXXXXX)
# initdb refuses to run as root: the cluster belongs to the postgres user then.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$DIR"

stop() {
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT

as_owner "$BIN/initdb" -D "$DIR/data" -A trust -U kassa --no-sync -E UTF8 >/dev/null
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w start \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" >/dev/null
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (throw-away, $DIR)"
export KASSA_TEST_POSTGRES="postgres://kassa@127.0.0.1:$PORT/postgres"
"$@"
