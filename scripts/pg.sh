#!/usr/bin/env bash
# Throwaway PostgreSQL 15 for the tests: scripts/pg.sh start|stop|url|status
#   Port from PALABRE_PG_PORT (default 54329); data, socket and log in /tmp/palabre-pg-$PORT;
#   trust auth on 127.0.0.1 only, durability off; database palabre_test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

PORT=${PALABRE_PG_PORT:-54329}
DIR=/tmp/palabre-pg-$PORT
DB=palabre_test
PGBIN=/usr/lib/postgresql/15/bin

# Run PostgreSQL's binaries as `postgres` when we are root (it refuses to run as root).
pg() {
  if [ "$(id -u)" = 0 ]; then (cd /tmp && runuser -u postgres -- "$PGBIN/$1" "${@:2}")
  else "$PGBIN/$1" "${@:2}"; fi
}
running() { [ -f "$DIR/data/postmaster.pid" ] && pg pg_isready -q -h 127.0.0.1 -p "$PORT"; }

start() {
  [ -x "$PGBIN/initdb" ] || apt_install postgresql
  if ! running; then
    stop  # leftovers of a crashed or half-started server
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    chmod 700 "$DIR"
    pg initdb -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    pg pg_ctl -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start -o "-p $PORT -k $DIR \
        -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off -c max_connections=200" >/dev/null \
      || { tail -n 20 "$DIR/server.log" >&2; die "PostgreSQL did not start on port $PORT"; }
  fi
  local q=(-h 127.0.0.1 -p "$PORT" -U postgres)
  [ "$(pg psql "${q[@]}" -d postgres -tAc "select 1 from pg_database where datname = '$DB'")" = 1 ] \
    || pg createdb "${q[@]}" "$DB"
}

stop() {
  if [ -f "$DIR/data/postmaster.pid" ]; then
    pg pg_ctl -D "$DIR/data" -m fast -w -t 20 stop >/dev/null 2>&1 \
      || pg pg_ctl -D "$DIR/data" -m immediate -w -t 5 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB" ;;
  status) if running; then echo "running on 127.0.0.1:$PORT"; else echo "not running"; exit 1; fi ;;
  *) die "usage: $0 start|stop|url|status" ;;
esac
