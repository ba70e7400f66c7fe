#!/usr/bin/env bash
# What limits one server at one point of the fan-out: starts it as run.sh does (core 0, the
# generator on core 1, its own session and priority), runs sb_loadgen at RATE with SUBS
# subscribers for 20 s and records `perf record -g` on the server for 8 s in the middle of
# that step; prints the step's line and `perf report --no-children` (the top of it).
#
#   bench/compare/profile.sh BUILD_DIR node|nchan|rabbit SUBS RATE [OUT_DIR]
set -euo pipefail
if [ -z "${SB_COMPARE_SESSION:-}" ] && [ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo 0)" = 1 ]; then
    SB_COMPARE_SESSION=1 exec setsid --wait "$0" "$@"
fi
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "${1:?usage: profile.sh BUILD_DIR SERVER SUBS RATE [OUT_DIR]}" && pwd)"
server="${2:?server}" subs="${3:?subscribers}" rate="${4:?rate}"
out="${5:-$(mktemp -d /tmp/sb-profile.XXXXXX)}"
mkdir -p "$out"
priority=-10
if [ -n "${SB_COMPARE_SESSION:-}" ]; then echo "$priority" >/proc/self/autogroup || true; fi
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
"start_$server"
case "$server" in
    node) url="$node_url" pid="$node_pid" target=node-stomp ;;
    nchan) url="$nchan_url" pid="$nchan_pid" target=nchan-ws ;;
    rabbit) url="$rabbit_url" pid="$rabbit_pid" target=rabbit-stomp ;;
esac
echo "$server at $url (pid $pid), $subs subscribers, $rate msg/s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
$pin1 "$loadgen_dir/sb_loadgen" --target "$target" --url "$url" --server-pid "$pid" --subscribers "$subs" \
    --rates "$rate" --step-seconds 20 --threads 2 >"$out/loadgen.txt" 2>&1 &
loadgen_pid=$!
pids+=("$loadgen_pid")
# Connected and a few seconds into the step.
for _ in $(seq 600); do grep -q '^connected' "$out/loadgen.txt" && break; sleep 0.1; done
sleep 5
perf record -g -o "$out/perf.data" -p "$pid" -- sleep 8 >"$out/perf-record.txt" 2>&1
wait "$loadgen_pid" || true
grep -E '^(connected|step)' "$out/loadgen.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
perf report -i "$out/perf.data" --no-children --stdio 2>/dev/null | grep -v '^$' | grep -E '^ +[0-9]' | head -25
echo "perf data in $out/perf.data"
