#!/usr/bin/env bash
# Configures and builds one tree. Usage: scripts/build.sh DIR [cmake -D options...]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="$1"; shift
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$build.configure.log" 2>&1 \
    || { cat "$build.configure.log"; exit 1; }
cmake --build "$build" --parallel "$(nproc)" 2>&1 | grep -Ev '^\[ *[0-9]+%\]|^(gmake|make)\[' || true
test "${PIPESTATUS[0]}" -eq 0
