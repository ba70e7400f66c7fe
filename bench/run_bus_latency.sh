#!/usr/bin/env bash
# Cross-replica delivery latency through each stage-2 bus: a devcluster of 2 replicas
# (embedded Kafka, a redis-server child) per bus; the publisher sends on replica 1, the
# subscribers listen on replica 2, so every message goes stage 1 (Kafka) -> stage 2
# (Kafka broadcast topic, or Redis pub/sub) -> replica 2.
# Usage: bench/run_bus_latency.sh [BUILD_DIR] [bench options...]
# Then sb_loadgen over the same path (SB_LOADGEN_ARGS, default 20 subscribers at 200 and 1,000
# msg/s for 10 s each).
# SB_DEVCLUSTER_ARGS: more devcluster options, e.g. "--kafka-property fetch.wait.max.ms=5"
# (the mock cluster holds a fetch that finds no data for all of fetch.wait.max.ms:
# docs/benchmarks.md, "Scenario 6").
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build/release}"; shift || true
for bus in kafka redis; do
    out="$(mktemp)"
    # shellcheck disable=SC2086
    "$build/app/switchboard" devcluster --replicas 2 --bus "$bus" ${SB_DEVCLUSTER_ARGS:-} >"$out" 2>/dev/null &
    pid=$!
    trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
    for _ in $(seq 600); do grep -q '^ready ' "$out" && break; sleep 0.1; done
    grep -q '^ready ' "$out" || { echo "devcluster --bus $bus did not get ready"; exit 1; }
    # Let the shared stage-1 group settle: each replica joining it triggers a rebalance,
    # which pauses consumption for a few seconds and would be measured as bus latency.
    sleep 8
    urls=($(sed -n 's/^ready //p' "$out" | grep -o '"url":"[^"]*"' | cut -d'"' -f4))
    echo "== bus $bus: publish on ${urls[0]}, subscribe on ${urls[1]} ($(nproc) cores)"
    "$build/bench/stomp_fanout_bench" --publish-url "${urls[0]}" --url "${urls[1]}" "$@"
    # The same crossing measured by sb_loadgen (epoll, its own threads): the Qt bench's one
    # thread reading every subscriber adds to the tail at 1,000 msg/s (docs/benchmarks.md).
    if [ -x "$build/bench/loadgen/sb_loadgen" ]; then
        echo "== bus $bus, sb_loadgen: publish on ${urls[0]}, subscribe on ${urls[1]}"
        # shellcheck disable=SC2086
        "$build/bench/loadgen/sb_loadgen" --target node-stomp --url "${urls[1]}" --publish-url "${urls[0]}" \
            ${SB_LOADGEN_ARGS:---subscribers 20 --rates 200,1000 --step-seconds 10}
    fi
    kill "$pid"; wait "$pid" 2>/dev/null || true; rm -f "$out"
    trap - EXIT
done
