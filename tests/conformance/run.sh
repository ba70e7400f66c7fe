#!/bin/sh
# Runs conformance test files with node's built-in runner. CTest calls it with SB_BINARY
# set; `install` fetches the pinned clients (package-lock.json) when they are missing.
set -eu
cd "$(dirname "$0")"
if [ "${1:-}" = install ]; then
    if [ -d node_modules/@stomp/stompjs ] && [ -d node_modules/ws ] && [ -d node_modules/eventsource ]; then
        echo "conformance: node_modules present"
        exit 0
    fi
    exec npm ci --no-audit --no-fund
fi
: "${SB_BINARY:?set SB_BINARY to the switchboard binary}"
exec node --test "$@"
