#!/bin/sh
# From launch to a populated screen (issue 13). Populated: state.json shows the three
# replicas ready with >= 50 simulated users connected, the stage-1 group's lag rows, session
# keys in Redis, and the Traffic area showing tapped frames.
#
# bench/demo_startup.sh [path/to/switchboard] [RUNS]
#   RUNS times (default 5): the console's demo offscreen with --snapshot-settled (the snapshot
#   as soon as what it shows stopped moving: every replica ready, every user connected, the
#   groups committed, at two Replicas polls in a row); prints the seconds from launch to the
#   snapshot (its takenAt), whether that snapshot is populated, and the 1-minute load average
#   before and after the run; then the runs' minimum, median and maximum. A settled snapshot
#   comes after the screen is populated, so each figure is an upper bound.
# STEPS=1 bench/demo_startup.sh [path/to/switchboard]
#   the older measure: --snapshot-after N for N = 3..10 s, one launch each, the first N populated.
# TIMELINE=1 bench/demo_startup.sh [path/to/switchboard]
#   where the time goes: a headless `switchboard devcluster --child-logs` (the demo's cluster
#   without the console and its users), each line it and its children write timed from launch
#   (milliseconds), until its `ready` line; then it is stopped.
set -eu
BIN=${1:-build/release/app/switchboard}
RUNS=${2:-5}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

populated() { # state.json [launch time, s since the epoch]; exit 0 when populated
    python3 - "$@" <<'PY'
import json, sys
from datetime import datetime
s = json.load(open(sys.argv[1]))
r = s.get("replicas", {})
ready = [x for x in r.get("replicaStates", []) if x["state"] == "ready"]
users = r.get("figures", {}).get("totalConnections", 0)
groups = [g for g in s.get("kafka", {}).get("groups", []) if g.get("Group") == "switchboard-notifications"]
sessions = s.get("redis", {}).get("figures", {}).get("keysListed", 0)
frames = s.get("traffic", {}).get("counts", {}).get("shown", 0)
ok = len(ready) == 3 and users >= 50 and bool(groups) and sessions > 3 and frames > 0
when = ""
if len(sys.argv) > 2:
    taken = datetime.fromisoformat(s["takenAt"].replace("Z", "+00:00")).timestamp()
    when = f"{taken - float(sys.argv[2]):.2f} s to the snapshot (settled: {str(s.get('settled')).lower()}): "
print(f"{when}{len(ready)} replicas ready, {users} connections, stage-1 group rows {len(groups)}, "
      f"{sessions} Redis keys, {frames} traffic frames shown -> {'populated' if ok else 'not populated'}")
sys.exit(0 if ok else 1)
PY
}

load() { cut -d' ' -f1 /proc/loadavg; }

if [ "${TIMELINE:-0}" = 1 ]; then
    python3 - "$BIN" <<'PY'
import os, signal, subprocess, sys, time
launched = time.monotonic()
child = subprocess.Popen([sys.argv[1], "devcluster", "--child-logs"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, start_new_session=True)
try:
    for line in child.stdout:
        print(f"{(time.monotonic() - launched) * 1000:8.0f} ms  {line.rstrip()[:200]}", flush=True)
        if line.startswith("ready "):
            break
finally:
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=20)
    except subprocess.TimeoutExpired:
        child.kill()
PY
    exit 0
fi

if [ "${STEPS:-0}" = 1 ]; then
    for after in 3 4 5 6 7 8 9 10; do
        XDG_CONFIG_HOME="$OUT/config" QT_QPA_PLATFORM=offscreen "$BIN" --snapshot "$OUT/s$after" \
            --snapshot-after "$after" >/dev/null 2>&1
        printf 'after %s s: ' "$after"
        if populated "$OUT/s$after/state.json"; then
            echo "populated screen within $after s of launch"
            exit 0
        fi
    done
    echo "not populated within 10 s"
    exit 1
fi

failed=0
: >"$OUT/seconds"
run=1
while [ "$run" -le "$RUNS" ]; do
    before=$(load)
    launched=$(date +%s.%N)
    XDG_CONFIG_HOME="$OUT/config" QT_QPA_PLATFORM=offscreen "$BIN" --snapshot "$OUT/r$run" \
        --snapshot-settled --snapshot-after 30 >/dev/null 2>&1
    printf 'run %s (load %s -> %s): ' "$run" "$before" "$(load)"
    if populated "$OUT/r$run/state.json" "$launched" >"$OUT/line"; then
        sed 's/ s to the snapshot.*//' "$OUT/line" >>"$OUT/seconds"
    else
        failed=$((failed + 1))
    fi
    cat "$OUT/line"
    run=$((run + 1))
done
python3 - "$OUT/seconds" "$failed" <<'PY'
import statistics, sys
s = sorted(float(x) for x in open(sys.argv[1]) if x.strip())
if s:
    print(f"{len(s)} populated runs: min {s[0]:.2f} s, median {statistics.median(s):.2f} s, max {s[-1]:.2f} s"
          f"; {sys.argv[2]} not populated at the snapshot")
PY
[ "$failed" = 0 ]
