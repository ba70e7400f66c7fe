#!/usr/bin/env bash
# What limits one server at one point of the fan-out: starts it as run.sh does (core 0, the
# generator on core 1, under nice), runs sb_loadgen at RATE with SUBS
# subscribers for 20 s and records `perf record -g` on the server for 8 s in the middle of
# that step; prints the step's line and `perf report --no-children` (the top of it).
# The load generator's figures from this run are not the comparison's (see run.sh).
#
#   bench/compare/profile.sh BUILD_DIR node|baseline|nchan|rabbit SUBS RATE [OUT_DIR]
# (baseline: the node binary SB_BASELINE_NODE, as in run.sh; SB_NODE_ENV / SB_BASELINE_ENV
# give either its environment; SB_PROFILE_TRANSPORT=sse: EventSource subscribers, node and
# nchan only; SB_PROFILE_CHANNELS=C: the subscribers and messages spread over C channels as
# in run.sh's scenario 4, RATE then the total published.)
set -euo pipefail
# Not in a session of its own as run.sh is: a profile is about where the server's own time
# goes, not its latency, and inside such a session (autogroup at nice -10) perf recorded no
# samples of the node's worker thread at all.
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "${1:?usage: profile.sh BUILD_DIR SERVER SUBS RATE [OUT_DIR]}" && pwd)"
server="${2:?server}" subs="${3:?subscribers}" rate="${4:?rate}"
out="${5:-$(mktemp -d /tmp/sb-profile.XXXXXX)}"
mkdir -p "$out"
priority=-10
pin0="nice -n $priority taskset -c 0"
pin1="nice -n $priority taskset -c 1"
loadgen_dir="$build/bench/loadgen"
work="$(mktemp -d /tmp/sb-profile-work.XXXXXX)"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# shellcheck source=servers.sh
source "$here/servers.sh"
channels="${SB_PROFILE_CHANNELS:-1}"
if [ "$channels" -gt 1 ] && [ "$server" != nchan ] && [ "$server" != rabbit ]; then
    # The node lets only a channel's members use it (run.sh does the same for scenario 4).
    node_users_file="$work/channel-users.json"
    write_channel_users "${SB_NODE_BINARY:-$build/app/switchboard-node}" "$node_users_file" "$channels"
fi
"start_$server"
case "$server:${SB_PROFILE_TRANSPORT:-stomp}" in
    node:stomp) url="$node_url" pid="$node_pid" target=node-stomp ;;
    node:sse) url="$node_url" pid="$node_pid" target=node-sse ;;
    baseline:stomp) url="$baseline_url" pid="$baseline_pid" target=node-stomp ;;
    baseline:sse) url="$baseline_url" pid="$baseline_pid" target=node-sse ;;
    nchan:stomp) url="$nchan_url" pid="$nchan_pid" target=nchan-ws ;;
    nchan:sse) url="$nchan_url" pid="$nchan_pid" target=nchan-sse ;;
    rabbit:stomp) url="$rabbit_url" pid="$rabbit_pid" target=rabbit-stomp ;;
    *) echo "profile.sh: no $server with SB_PROFILE_TRANSPORT=${SB_PROFILE_TRANSPORT}" >&2; exit 2 ;;
esac
echo "$server at $url (pid $pid), $subs subscribers, $rate msg/s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
$pin1 "$loadgen_dir/sb_loadgen" --target "$target" --url "$url" --server-pid "$pid" --subscribers "$subs" \
    --channels "$channels" --rates "$rate" --step-seconds 20 --threads 2 >"$out/loadgen.txt" 2>&1 &
loadgen_pid=$!
pids+=("$loadgen_pid")
# Connected and a few seconds into the step.
sleep 6
# Sampled every 100 µs of the server's own CPU time (task-clock): on this VM the default
# cpu-clock sampling missed threads that run in short bursts (14 samples of the node's
# worker in a second it ran 536 ms, perf stat said). Every thread by its id: with -p, perf
# recorded the node's main thread only.
tids="$(ls "/proc/$pid/task" | paste -sd, -)"
echo "threads recorded: $(for t in /proc/$pid/task/*; do printf "%s " "$(cat "$t/comm")"; done)"
perf record -e task-clock -c 100000 -g -t "$tids" -o "$out/perf.data" -- sleep 8 2>&1 | tail -1
wait "$loadgen_pid" || true
grep -E '^(connected|step)' "$out/loadgen.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
perf report -i "$out/perf.data" --no-children --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -30
echo "perf data in $out/perf.data"
