#!/bin/sh
# From launch to a populated screen (issue 13): runs the console's demo offscreen with
# --snapshot-after N for N = 3..10 s and prints the first N whose state.json shows the
# three replicas ready with >= 50 simulated users, the stage-1 group's lag rows and session
# keys in Redis. Usage: bench/demo_startup.sh [path/to/switchboard]
set -eu
BIN=${1:-build/release/app/switchboard}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for after in 3 4 5 6 7 8 9 10; do
    XDG_CONFIG_HOME="$OUT/config" QT_QPA_PLATFORM=offscreen "$BIN" --snapshot "$OUT/s$after" --snapshot-after "$after" >/dev/null 2>&1
    if python3 - "$OUT/s$after/state.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
r = s.get("replicas", {})
ready = [x for x in r.get("replicaStates", []) if x["state"] == "ready"]
users = r.get("figures", {}).get("totalConnections", 0)
groups = [g for g in s.get("kafka", {}).get("groups", []) if g.get("Group") == "switchboard-notifications"]
sessions = s.get("redis", {}).get("figures", {}).get("keysListed", 0)
ok = len(ready) == 3 and users >= 50 and groups and sessions > 3
print(f"after {sys.argv[1].split('/')[-2][1:]} s: {len(ready)} replicas ready, {users} connections, "
      f"stage-1 group rows {len(groups)}, {sessions} Redis keys -> {'populated' if ok else 'not yet'}")
sys.exit(0 if ok else 1)
PY
    then
        echo "populated screen within $after s of launch"
        exit 0
    fi
done
echo "not populated within 10 s"
exit 1
