#!/usr/bin/env bash
# Install the npm dependencies (from package-lock.json) and copy the vendored
# front-end files into src/palabre/static/vendor/ (git-ignored, never committed).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

command -v npm >/dev/null || apt_install nodejs npm

# Reinstall only when node_modules is missing or was installed from another lockfile.
if ! cmp -s package-lock.json node_modules/.palabre-installed-lock.json; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  cp package-lock.json node_modules/.palabre-installed-lock.json
fi

mkdir -p src/palabre/static/vendor
cp node_modules/htmx.org/dist/htmx.min.js src/palabre/static/vendor/htmx.min.js
# The API's browsable documentation (/api/docs), served from here rather than a CDN.
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js src/palabre/static/vendor/swagger-ui-bundle.js
cp node_modules/swagger-ui-dist/swagger-ui.css src/palabre/static/vendor/swagger-ui.css
