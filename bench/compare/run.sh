#!/usr/bin/env bash
# The side-by-side benchmark of issue 15 (docs/benchmarks.md, "Side by side: node, nginx +
# Nchan, RabbitMQ Web-STOMP"): the node, nginx + Nchan and RabbitMQ Web-STOMP on loopback,
# each pinned to core 0, the load generator (sb_loadgen) pinned to core 1.
#
#   bench/compare/run.sh BUILD_DIR [fanout|idle|overload|channels] [options]
#
# fanout (scenario 2): first the generator's own ceiling against its trivial broadcast
#   server, then for each subscriber count, 3 repeats, the servers in rotating order, each
#   a run of stepped rates; a table of medians and ratios to the node (summarise.py).
# idle (scenario 1): N connections with 10 s heart-beats held for --idle-seconds: KiB per
#   connection, idle CPU, connections the server closed.
# overload (scenario 3): --rate R for a step, 2R for 30 s, R again, then the server's memory
#   a minute later.
# channels (scenario 4): --channel-subscribers N (5,000) spread round-robin over --channels C
#   (500), the messages too, at --rates-channels LIST total msg/s (500,1000,2000); the
#   generator's ceiling first, against the trivial server with the same spread; one repeat
#   per server unless --repeats; STOMP subscribers (plain WebSocket for Nchan). The node gets
#   a users file whose four users are members of c0 ... c<C-1> (servers.sh).
#
# Servers: node, nchan, rabbit, and baseline: a second node binary to compare the node with
#   in the same run (SB_BASELINE_NODE, its environment SB_BASELINE_ENV; the node's is
#   SB_NODE_ENV; servers.sh), reported beside the others with its ratio to the node;
#   previous: a third one (SB_PREVIOUS_NODE, SB_PREVIOUS_ENV).
# Options: --servers "node nchan rabbit" --subscribers "200 1000" --rates-200 LIST
#   --rates-1000 LIST --repeats 3 --step-seconds 5 --idle-connections 5000 --idle-seconds 60
#   --rate R (overload) --settle-seconds S (overload: how long after it the memory is read,
#   default 60; 0 when only the CPU per delivery is wanted) --out DIR (results; default a new
#   temporary directory, kept)
#   --transport stomp|sse (fanout): what the subscribers use; sse is for node, baseline and
#   nchan (EventSource), against the trivial server's SSE ceiling
#   --delayed-acks: the generator's subscribers delay their ACKs (sb_loadgen --delayed-acks), for
#   every server and the ceiling alike: at 1,000 subscribers the generator's own ACKs otherwise
#   bound what it can measure on 2 cores (docs/benchmarks.md, "The generator's ACKs")
#   --priority N: the servers and the generator run under nice -n N (default -10, as root;
#   0 to leave them at the default). The machine is shared: pinned to one core, a server at
#   the default priority gets only its share of that core beside other work, and every
#   latency then measures the other work.
# Every process it starts is stopped by pid on exit.
set -euo pipefail
# With autogroup scheduling (Linux's default on a desktop kernel: /proc/sys/kernel/
# sched_autogroup_enabled), nice only orders processes within one session; across sessions
# every session gets an equal share. So the run gets a session of its own (setsid --wait:
# same exit status, and the caller still waits) and that session's autogroup the priority.
if [ -z "${SB_COMPARE_SESSION:-}" ] && [ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo 0)" = 1 ]; then
    SB_COMPARE_SESSION=1 exec setsid --wait "$0" "$@"
fi
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "${1:?usage: run.sh BUILD_DIR [fanout|idle|overload|channels] [options]}" && pwd)"; shift
scenario="${1:-fanout}"; [ $# -gt 0 ] && shift
servers="node nchan rabbit"
subscriber_counts="200 1000"
rates_200="50,100,200,400,800"
rates_1000="20,50,100,200,400"
repeats=""
channel_subscribers=5000
channel_count=500
rates_channels="500,1000,2000"
step_seconds=5
idle_connections=5000
idle_seconds=60
overload_rate=100
settle_seconds=60
out=""
priority=-10
transport=stomp
acks=()
while [ $# -gt 0 ]; do
    case "$1" in
        --servers) servers="$2"; shift 2 ;;
        --subscribers) subscriber_counts="$2"; shift 2 ;;
        --rates-200) rates_200="$2"; shift 2 ;;
        --rates-1000) rates_1000="$2"; shift 2 ;;
        --repeats) repeats="$2"; shift 2 ;;
        --channel-subscribers) channel_subscribers="$2"; shift 2 ;;
        --channels) channel_count="$2"; shift 2 ;;
        --rates-channels) rates_channels="$2"; shift 2 ;;
        --step-seconds) step_seconds="$2"; shift 2 ;;
        --idle-connections) idle_connections="$2"; shift 2 ;;
        --idle-seconds) idle_seconds="$2"; shift 2 ;;
        --rate) overload_rate="$2"; shift 2 ;;
        --settle-seconds) settle_seconds="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --priority) priority="$2"; shift 2 ;;
        --transport) transport="$2"; shift 2 ;;
        --delayed-acks) acks=(--delayed-acks); shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
# Each point 3 times in the fan-out; scenario 4's larger runs once per server.
[ -z "$repeats" ] && { [ "$scenario" = channels ] && repeats=1 || repeats=3; }
if [ -n "${SB_COMPARE_SESSION:-}" ]; then echo "$priority" >/proc/self/autogroup || true; fi
pin0="nice -n $priority taskset -c 0"
pin1="nice -n $priority taskset -c 1"
loadgen_dir="$build/bench/loadgen"
loadgen="$loadgen_dir/sb_loadgen"
work="$(mktemp -d /tmp/sb-compare.XXXXXX)"
out="${out:-$(mktemp -d /tmp/sb-compare-results.XXXXXX)}"
mkdir -p "$out"
results="$out/results.txt"
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

loadavg() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/'; }
# servers_of_repeat N: the servers in repeat N's order, rotated each repeat so that no server
# always runs first or last.
servers_of_repeat() {
    local turns=$(($1 - 1))
    # shellcheck disable=SC2086
    set -- $servers
    for _ in $(seq $((turns % $#))); do set -- "${@:2}" "$1"; done
    echo "$@"
}

target_of() { # server transport -> sb_loadgen --target
    case "$1:$2" in
        node:stomp | baseline:stomp | previous:stomp) echo node-stomp ;;
        node:sse | baseline:sse | previous:sse) echo node-sse ;;
        nchan:stomp) echo nchan-ws ;; nchan:sse) echo nchan-sse ;;
        rabbit:stomp) echo rabbit-stomp ;;
        trivial:stomp) echo trivial-stomp ;; trivial:ws) echo trivial-ws ;; trivial:sse) echo trivial-sse ;;
    esac
}
url_of() { case "$1" in node) echo "$node_url" ;; baseline) echo "$baseline_url" ;; previous) echo "$previous_url" ;; nchan) echo "$nchan_url" ;; rabbit) echo "$rabbit_url" ;; trivial) echo "$trivial_url" ;; esac; }
pid_of() { case "$1" in node) echo "$node_pid" ;; baseline) echo "$baseline_pid" ;; previous) echo "$previous_pid" ;; nchan) echo "$nchan_pid" ;; rabbit) echo "$rabbit_pid" ;; trivial) echo "$trivial_pid" ;; esac; }

# run_loadgen SERVER TARGET LABEL [sb_loadgen options...]: one generator run, its output
# appended to $results after a header line naming the run.
run_loadgen() {
    local server=$1 target=$2 label=$3; shift 3
    local before; before="$(loadavg)"
    local log="$out/$label.txt"
    $pin1 "$loadgen" --target "$target" --url "$(url_of "$server")" --server-pid "$(pid_of "$server")" \
        --threads 2 ${acks[@]+"${acks[@]}"} "$@" >"$log" 2>&1 || true
    {
        echo "run label=$label server=$server target=$target load_before=$before load_after=$(loadavg)"
        cat "$log"
    } >>"$results"
    grep -E '^(connected|step|idle|held|settled)' "$log" | sed "s/^/  $label: /" || tail -3 "$log"
}

echo "priority: servers and generator under nice -n $priority; autogroup: $(cat /proc/self/autogroup 2>/dev/null || echo none)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(loadavg), ulimit -n $(ulimit -n)"
echo "results in $out"
echo "machine nproc=$(nproc) load=$(loadavg) scenario=$scenario acks=${acks[*]:-default}" >"$results"

if [ "$scenario" = channels ]; then
    # The node lets only a channel's members use it: users who are members of all of them.
    node_users_file="$work/channel-users.json"
    write_channel_users "${SB_NODE_BINARY:-$build/app/switchboard-node}" "$node_users_file" "$channel_count"
fi
for server in $servers; do "start_$server"; done
echo "servers: $(for s in $servers; do printf '%s=%s (pid %s) ' "$s" "$(url_of "$s")" "$(pid_of "$s")"; done)"

case "$scenario" in
fanout)
    start_trivial
    for subs in $subscriber_counts; do
        # The generator's ceiling for this many subscribers: the trivial server at doubling rates
        # up to 800,000 deliveries/s, until a step loses (the trivial server has no limits, so
        # past the ceiling its queues grow and the step runs out of time).
        ceiling_rates="$((50000 / subs)),$((100000 / subs)),$((200000 / subs)),$((400000 / subs)),$((800000 / subs))"
        # Against the trivial server of the transport measured: STOMP for the node and
        # RabbitMQ and plain WebSocket for Nchan, or SSE for all (--transport sse).
        node_kind=stomp nchan_kind=ws
        [ "$transport" = sse ] && node_kind=sse nchan_kind=sse
        for kind in $(printf '%s\n' "$node_kind" "$nchan_kind" | sort -u); do
            run_loadgen trivial "trivial-$kind" "ceiling-$kind-$subs" --subscribers "$subs" --rates "$ceiling_rates" \
                --step-seconds 3 --drain-seconds 2 --stop-after-loss
        done
        ceiling_stomp="$(grep -h '^step' "$out/ceiling-$node_kind-$subs.txt" | sed 's/.*deliveries_per_s=\([0-9]*\).*/\1/' | sort -n | tail -1)"
        ceiling_ws="$(grep -h '^step' "$out/ceiling-$nchan_kind-$subs.txt" | sed 's/.*deliveries_per_s=\([0-9]*\).*/\1/' | sort -n | tail -1)"
        # The generator's CPU at its best step: beside other work it never gets a whole core,
        # so a step where it comes near this share is its limit, not the server's.
        cpu_stomp="$(grep -h '^step' "$out/ceiling-$node_kind-$subs.txt" | sed 's/.*generator_cpu_pct=\([0-9.]*\).*/\1/' | sort -n | tail -1)"
        cpu_ws="$(grep -h '^step' "$out/ceiling-$nchan_kind-$subs.txt" | sed 's/.*generator_cpu_pct=\([0-9.]*\).*/\1/' | sort -n | tail -1)"
        echo "ceiling subscribers=$subs stomp=$ceiling_stomp ws=$ceiling_ws generator_cpu_stomp=$cpu_stomp generator_cpu_ws=$cpu_ws" | tee -a "$results"
        rates_var="rates_$subs"; rates="${!rates_var:-$rates_200}"
        for repeat in $(seq "$repeats"); do
            for server in $(servers_of_repeat "$repeat"); do
                ceiling="$ceiling_stomp" ceiling_cpu="$cpu_stomp"
                [ "$server" = nchan ] && ceiling="$ceiling_ws" ceiling_cpu="$cpu_ws"
                run_loadgen "$server" "$(target_of "$server" "$transport")" "fanout-$server-$subs-$repeat" \
                    --subscribers "$subs" --rates "$rates" --step-seconds "$step_seconds" --stop-after-loss \
                    --ceiling "${ceiling:-0}" --ceiling-cpu "${ceiling_cpu:-0}"
            done
        done
    done
    python3 "$here/summarise.py" "$results" | tee "$out/table.md"
    ;;
idle)
    for server in $servers; do
        target="$(target_of "$server" stomp)"
        run_loadgen "$server" "$target" "idle-$server-$idle_connections" --subscribers "$idle_connections" \
            --heartbeat-ms 10000 --idle-seconds "$idle_seconds"
    done
    ;;
overload)
    for server in $servers; do
        run_loadgen "$server" "$(target_of "$server" stomp)" "overload-$server" --subscribers 1000 \
            --rates "$overload_rate,$((overload_rate * 2)),$overload_rate" --step-seconds 30 --drain-seconds 10 \
            --settle-seconds "$settle_seconds"
    done
    ;;
channels)
    start_trivial
    subs="$channel_subscribers"
    # The generator's ceiling with the same spread: the trivial server at doubling rates from
    # 50,000 to 800,000 deliveries/s (each message reaches subscribers/channels of them).
    per_message=$((subs / channel_count > 0 ? subs / channel_count : 1))
    ceiling_rates="$((50000 / per_message)),$((100000 / per_message)),$((200000 / per_message)),$((400000 / per_message)),$((800000 / per_message))"
    for kind in stomp ws; do
        run_loadgen trivial "trivial-$kind" "ceiling-channels-$kind-$subs" --subscribers "$subs" \
            --channels "$channel_count" --rates "$ceiling_rates" --step-seconds 3 --drain-seconds 2 --stop-after-loss
    done
    best() { grep -h '^step' "$out/ceiling-channels-$1-$subs.txt" | sed "s/.*$2=\([0-9.]*\).*/\1/" | sort -n | tail -1; }
    ceiling_stomp="$(best stomp deliveries_per_s)" ceiling_ws="$(best ws deliveries_per_s)"
    cpu_stomp="$(best stomp generator_cpu_pct)" cpu_ws="$(best ws generator_cpu_pct)"
    echo "ceiling subscribers=$subs channels=$channel_count stomp=$ceiling_stomp ws=$ceiling_ws generator_cpu_stomp=$cpu_stomp generator_cpu_ws=$cpu_ws" | tee -a "$results"
    for repeat in $(seq "$repeats"); do
        for server in $(servers_of_repeat "$repeat"); do
            ceiling="$ceiling_stomp" ceiling_cpu="$cpu_stomp"
            [ "$server" = nchan ] && ceiling="$ceiling_ws" ceiling_cpu="$cpu_ws"
            run_loadgen "$server" "$(target_of "$server" stomp)" "channels-$server-$subs-$repeat" \
                --subscribers "$subs" --channels "$channel_count" --rates "$rates_channels" \
                --step-seconds "$step_seconds" --ceiling "${ceiling:-0}" --ceiling-cpu "${ceiling_cpu:-0}"
        done
    done
    python3 "$here/summarise.py" "$results" | tee "$out/table.md"
    ;;
*) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac
echo "load average at the end: $(loadavg)"
