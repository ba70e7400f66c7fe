#!/usr/bin/env bash
# The node's instructions per delivery (valgrind's callgrind "Ir": deterministic, so it does
# not move with the machine's load the way CPU time does) over a fixed STOMP fan-out: one
# switchboard-node under callgrind, stomp_fanout_bench driving it from outside valgrind.
# Instrumentation is off from start-up until every subscriber is subscribed and on again
# only until the last MESSAGE has reached the last subscriber (the bench's --hold-ms pauses
# give callgrind_control the time to switch it), so the figure is the deliveries' window alone:
# the publisher's SENDs, the fan-out, the writes, the timers that ran meanwhile.
#
# Usage: bench/callgrind_fanout.sh BUILD_DIR [bench options...]
#   e.g. bench/callgrind_fanout.sh build/rel --subscribers 50 --messages 100 --rate 10 [--tap-readers 1]
# BUILD_DIR needs app/switchboard-node and bench/stomp_fanout_bench (RelWithDebInfo, -DSB_BENCH=ON).
# SB_CALLGRIND_KEEP=DIR keeps the profile there (callgrind_annotate it again later).
# Ir counts instructions, not time: cache misses, system calls and the kernel's TCP path are
# not in it (docs/benchmarks.md, "Instructions per delivery").
set -euo pipefail
build="$(cd "${1:?usage: $0 BUILD_DIR [bench options...]}" && pwd)"; shift
work="$(mktemp -d)"
node_pid=""
cleanup() {
    [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null
    if [ -n "${SB_CALLGRIND_KEEP:-}" ]; then mkdir -p "$SB_CALLGRIND_KEEP" && cp "$work"/* "$SB_CALLGRIND_KEEP"/; fi
    rm -rf "$work"
}
trap cleanup EXIT
# Limits raised so that valgrind's ~50x slowdown cannot make a subscriber look slow.
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/callgrind.out" \
    "$build/app/switchboard-node" node --listen 127.0.0.1:0 --demo-users --limit-logins-per-address 100000 \
    --limit-connections-exempt-loopback --limit-outbound-age-ms 3600000 \
    --limit-outbound-bytes 268435456 >"$work/node.out" 2>"$work/valgrind.err" &
node_pid=$!
for _ in $(seq 1200); do
    grep -q '^listening ' "$work/node.out" && break
    kill -0 "$node_pid" 2>/dev/null || break
    sleep 0.1
done
url="$(sed -n 's/^listening //p' "$work/node.out")"
[ -n "$url" ] || { echo "the node did not start under valgrind" >&2; cat "$work/valgrind.err" >&2; exit 1; }
echo "node at $url under callgrind ($(valgrind --version)); load average $(cut -d' ' -f1-3 /proc/loadavg)"

"$build/bench/stomp_fanout_bench" --url "$url" --hold-ms 3000 "$@" >"$work/bench.out" 2>&1 &
bench_pid=$!
state=waiting
while kill -0 "$bench_pid" 2>/dev/null; do
    if [ "$state" = waiting ] && grep -q '^subscribers ready' "$work/bench.out"; then
        callgrind_control -i on "$node_pid" >/dev/null 2>&1; state=measuring
    elif [ "$state" = measuring ] && grep -q '^all delivered' "$work/bench.out"; then
        callgrind_control -d deliveries "$node_pid" >/dev/null 2>&1
        callgrind_control -i off "$node_pid" >/dev/null 2>&1; state=done
    fi
    sleep 0.05
done
status=0; wait "$bench_pid" || status=$?
cat "$work/bench.out"
if [ "$status" -ne 0 ] || [ "$state" != done ]; then
    echo "the run did not complete (bench exit $status, profile $state): no figure" >&2; exit 1
fi
read -r received deliveries < <(sed -n 's/^delivered \([0-9]*\) of \([0-9]*\) .*/\1 \2/p' "$work/bench.out")
[ "$received" = "$deliveries" ] || { echo "only $received of $deliveries delivered: no figure" >&2; exit 1; }
profile="$(ls "$work"/callgrind.out.* | head -1)"
total="$(sed -n 's/^summary: \([0-9]*\).*/\1/p;s/^totals: \([0-9]*\).*/\1/p' "$profile" | head -1)"
echo "deliveries: $deliveries; node Ir in the window: $total; Ir per delivery: $((total / deliveries))"
# Per delivery, the node's own functions and the Qt calls the hot path makes (the event loop's
# frames above them, at ~100 %, left out); then the functions' own (exclusive) instructions.
per_delivery() { # $1: callgrind_annotate's options; $2: lines shown; $3: the names kept
    callgrind_annotate $1 --threshold=99.9 "$profile" 2>/dev/null \
        | awk -v n="$deliveries" -v shown="$2" -v keep="$3" '/^ *[0-9,]+ / && !/PROGRAM TOTALS/ {
            ir = $1; gsub(",", "", ir); name = $0; sub(/^ *[0-9,]+ +(\([^)]*\) +)?/, "", name);
            sub(/^[^:]*:/, "", name); sub(/ \[[^]]*\]$/, "", name)
            if (name ~ keep && !seen[name]++ && shown-- > 0) printf "%9.0f  %s\n", ir / n, substr(name, 1, 140) }'
}
echo "inclusive Ir per delivery (callgrind_annotate --inclusive=yes):"
per_delivery --inclusive=yes 30 'sb::|QWebSocket::|QAbstractSocket|QTcpSocket|QIODevice::write|isValidUtf8|QElapsedTimer|QPointer|QWeakPointer|^send'
echo "exclusive Ir per delivery, the 20 hottest functions:"
per_delivery --inclusive=no 20 '.'
