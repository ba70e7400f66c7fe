#!/bin/sh
# Runs the browser test files with node's built-in runner. CTest calls it with SB_BINARY
# (and SB_CHROMIUM) set; `install` fetches puppeteer-core (package-lock.json) when missing.
set -eu
cd "$(dirname "$0")"
if [ "${1:-}" = install ]; then
    # Installed from exactly this lockfile? (a stamp, so a changed pin is never run stale)
    if cmp -s package-lock.json node_modules/.switchboard-lock 2>/dev/null; then
        echo "browser: node_modules match package-lock.json"
        exit 0
    fi
    npm ci --no-audit --no-fund
    cp package-lock.json node_modules/.switchboard-lock
    exit 0
fi
: "${SB_BINARY:?set SB_BINARY to the switchboard-node binary}"
exec node --test "$@"
