#!/usr/bin/env bash
# Ensure Debian's Chromium is installed at /usr/bin/chromium (used headless by the e2e tests).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

[ -x /usr/bin/chromium ] || apt_install chromium
/usr/bin/chromium --version >/dev/null 2>&1 || die "/usr/bin/chromium does not run"
