#!/usr/bin/env bash
# Starts one node on a free loopback port, runs the fan-out benchmark against it, stops it.
# Usage: bench/run_fanout.sh [BUILD_DIR] [bench options...], e.g. --tap-readers 1 to measure
# what the /admin/tap costs the fan-out (docs/benchmarks.md, "Tap overhead").
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build/release}"; shift || true
out="$(mktemp)"
# `switchboard node` and `switchboard-node node` run the same node: the headless one is enough
# (a tree built for the node alone has no console).
node_binary="$build/app/switchboard"
[ -x "$node_binary" ] || node_binary="$build/app/switchboard-node"
"$node_binary" node --listen 127.0.0.1:0 --demo-users --limit-logins-per-address 1000 \
    --limit-connections-exempt-loopback >"$out" 2>/dev/null &
node_pid=$!
trap 'kill $node_pid 2>/dev/null; wait $node_pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.1; done
url="$(sed -n 's/^listening //p' "$out")"
echo "node at $url ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
# The node's own CPU time (user + system) over the run: unlike deliveries/s, it hardly moves
# when other processes compete for the cores, so it shows what tapping costs the node.
node_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$node_pid/stat"; }
before="$(node_cpu)"
status=0
"$build/bench/stomp_fanout_bench" --url "$url" "$@" || status=$?
echo "node CPU: $(awk -v a="$before" -v b="$(node_cpu)" 'BEGIN { printf "%.2f", b - a }') s during the run (load average $(cut -d' ' -f1-3 /proc/loadavg))"
exit $status
