#!/usr/bin/env bash
# Starts one node on a free loopback port, runs the fan-out benchmark against it, stops it.
# Usage: bench/run_fanout.sh [BUILD_DIR] [bench options...]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build/release}"; shift || true
out="$(mktemp)"
"$build/app/switchboard" node --listen 127.0.0.1:0 --demo-users --limit-logins-per-address 1000 >"$out" 2>/dev/null &
node_pid=$!
trap 'kill $node_pid 2>/dev/null; wait $node_pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.1; done
url="$(sed -n 's/^listening //p' "$out")"
echo "node at $url ($(nproc) cores)"
"$build/bench/stomp_fanout_bench" --url "$url" "$@"
