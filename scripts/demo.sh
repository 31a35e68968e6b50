#!/usr/bin/env bash
# Install the runtime (no test extras) and the front-end assets, then run the demo:
# `palabre demo` creates the data dir (PALABRE_DATA_DIR if set), migrates, loads a demo
# workspace, prints the URL and the demo sign-in, and serves.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/venv.sh --runtime
bash scripts/assets.sh
exec .venv/bin/palabre demo "$@"
