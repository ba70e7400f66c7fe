#!/usr/bin/env bash
# The load-and-chaos run of issue 12 on both stage-2 buses (bench/chaos_bench.js; figures in
# docs/reliability.md, "The chaos run"). Fetches the conformance tests' pinned clients
# if they are missing, then runs.
# Usage: bench/run_chaos.sh [BUILD_DIR] [chaos_bench options...], e.g. --bus redis --seconds 30
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build/dev}"; shift || true
"$here/tests/conformance/run.sh" install >/dev/null
echo "$(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GB, load average $(cut -d' ' -f1-3 /proc/loadavg), $(node --version)" >&2
SB_BINARY="$build/app/switchboard" exec node "$here/bench/chaos_bench.js" "$@"
