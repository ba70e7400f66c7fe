#!/bin/sh
# Runs conformance test files with node's built-in runner. CTest calls it with SB_BINARY
# set; `install` fetches the pinned clients (package-lock.json) when they are missing.
set -eu
cd "$(dirname "$0")"
if [ "${1:-}" = install ]; then
    # Installed from exactly this lockfile? (a stamp, so a changed pin is never run stale)
    if cmp -s package-lock.json node_modules/.switchboard-lock 2>/dev/null; then
        echo "conformance: node_modules match package-lock.json"
        exit 0
    fi
    npm ci --no-audit --no-fund
    cp package-lock.json node_modules/.switchboard-lock
    exit 0
fi
: "${SB_BINARY:?set SB_BINARY to the switchboard binary}"
exec node --test "$@"
