#!/usr/bin/env bash
# Starts one node on a free loopback port, opens and closes rounds of STOMP sessions against
# it and prints the node's resident memory before, during and after each (docs/benchmarks.md,
# "Node: memory after mass disconnects"). Needs `ulimit -n` above the session count.
# Usage: bench/run_node_memory.sh [BUILD_DIR] [bench options...], e.g. --connections 10000 --rounds 3
# The node is BUILD_DIR's switchboard-node (the console's `switchboard node` when that is all
# there is).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build/release}"; shift || true
out="$(mktemp)"
node=("$build/app/switchboard-node")
[ -x "${node[0]}" ] || node=("$build/app/switchboard")
"${node[@]}" node --listen 127.0.0.1:0 --demo-users --limit-connections-exempt-loopback \
    --limit-connections 100000 \
    ${SB_NODE_ARGS:-} >"$out" 2>/dev/null &
node_pid=$!
trap 'kill $node_pid 2>/dev/null; wait $node_pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.1; done
url="$(sed -n 's/^listening //p' "$out")"
echo "node at $url ($(nproc) cores, ulimit -n $(ulimit -n), load average $(cut -d' ' -f1-3 /proc/loadavg))"
"$build/bench/node_memory_bench" --url "$url" --pid "$node_pid" "$@"
