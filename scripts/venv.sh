#!/usr/bin/env bash
# Create/refresh .venv: `scripts/venv.sh` installs palabre with its test extras,
# `scripts/venv.sh --runtime` without them. Skipped when pyproject.toml is unchanged
# since the last install of that flavour (stamp files inside .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

case "${1:-}" in
  "") flavour=test target='.[test]' ;;
  --runtime) flavour=runtime target='.' ;;
  *) die "usage: $0 [--runtime]" ;;
esac

hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
stamp_ok() { [ -x .venv/bin/python ] && [ "$(cat ".venv/.palabre-$1.stamp" 2>/dev/null)" = "$hash" ]; }
# An install with test extras also satisfies the runtime.
if stamp_ok "$flavour" || { [ "$flavour" = runtime ] && stamp_ok test; }; then
  exit 0
fi

if ! .venv/bin/python -m pip --version >/dev/null 2>&1; then  # missing or half-made venv
  python3 -m venv .venv 2>/dev/null || { apt_install python3-venv; python3 -m venv .venv; }
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
log=.venv/palabre-pip.log  # pip and setuptools are chatty even with -q: show only on failure
{ .venv/bin/python -m pip install -q --upgrade pip && .venv/bin/python -m pip install -q -e "$target"; } \
  >"$log" 2>&1 || { tail -n 40 "$log" >&2; die "pip install failed (log: $log)"; }
echo "$hash" > ".venv/.palabre-$flavour.stamp"
