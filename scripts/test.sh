#!/usr/bin/env bash
# The one command CI runs: install everything the tests need, then lint, type-check
# and run the whole suite on SQLite, then everything but e2e on PostgreSQL.
# Extra arguments are passed to both pytest runs (e.g. scripts/test.sh -x -k publish).
set -euo pipefail
cd "$(dirname "$0")/.."

header() { printf '\n===== %s =====\n' "$*"; }
failed=()
# step NAME CMD...: run a check, remember its failure, keep going with the next one.
step() {
  local name=$1; shift
  header "$name"
  local rc=0
  "$@" || rc=$?
  if [ "$rc" != 0 ]; then failed+=("$name (exit $rc)"); fi
}

header "Setup: Python venv, front-end assets, Chromium, PostgreSQL, local Bluesky network"
bash scripts/venv.sh
bash scripts/assets.sh
bash scripts/chromium.sh
bash scripts/bsky.sh install
trap 'bash scripts/bsky.sh stop || true; bash scripts/pg.sh stop || true' EXIT
trap 'exit 130' INT TERM
bash scripts/pg.sh start
PG_URL=$(bash scripts/pg.sh url)
bash scripts/bsky.sh start  # one network for both pytest runs (tests make fresh accounts)
eval "$(bash scripts/bsky.sh env)"
export PATH="$PWD/.venv/bin:$PATH" VIRTUAL_ENV="$PWD/.venv"
# The property-based tests draw the same cases at every run (tests/conftest.py): a failure
# is the change's, not the draw's. `PALABRE_TEST_PROFILE=random scripts/test.sh` draws anew.
export PALABRE_TEST_PROFILE="${PALABRE_TEST_PROFILE:-ci}"

step "ruff check" ruff check src tests
step "ruff format --check" ruff format --check src tests
step "mypy" mypy
step "pytest (SQLite, all tests)" env -u PALABRE_TEST_DATABASE_URL python -m pytest -q "$@"
step "pytest (PostgreSQL, not e2e)" env PALABRE_TEST_DATABASE_URL="$PG_URL" \
  python -m pytest -q -m "not e2e" "$@"

header "Summary"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "All checks passed."
