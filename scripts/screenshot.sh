#!/usr/bin/env bash
# Regenerates the console's screenshots in a real X server (Xvfb), not by hand:
#   docs/images/console.png                the README's picture (1400x900)
#   docs/images/<W>x<H>/window.png         the whole window at 1280x800 and 1920x1080
#   docs/images/area-<key>.png             each area of the README's picture, as drawn
#   docs/images/panel-{alerts,faults}.png  the Alerts and Faults panels mid-demo: a second
#                                          run with a replica killed, the stage-1 group
#                                          paused and poison records sent (a demo script)
# (the other runs' pictures and state.json stay in the snapshot directories, out of git;
# SB_KEEP_SNAPSHOTS=DIR keeps them)
# Usage: scripts/screenshot.sh [seconds-after-start]   (default 10; the demo cluster needs
# a few seconds to fill the views). SB_BUILD_DIR picks an existing build (default: builds
# build/release).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
after="${1:-10}"
build="${SB_BUILD_DIR:-}"
if [ -z "$build" ]; then
    "$here/scripts/setup.sh"
    mkdir -p "$here/build"
    "$here/scripts/build.sh" "$here/build/release"
    build="$here/build/release"
fi
out="${SB_KEEP_SNAPSHOTS:-$(mktemp -d)}"
[ -n "${SB_KEEP_SNAPSHOTS:-}" ] || trap 'rm -rf "$out"' EXIT

# shot SIZE DIR SECONDS [ARGS...]: one console run on the demo cluster at that window size.
shot() {
    local size="$1" dir="$2" seconds="$3"; shift 3
    XDG_CONFIG_HOME="$out/config-$size-$(basename "$dir")" xvfb-run -a -s "-screen 0 ${size}x24" \
        "$build/app/switchboard" --window-size "$size" --snapshot "$dir" --snapshot-after "$seconds" "$@"
}

shot 1400x900 "$out/readme" "$after"
cp "$out/readme/window.png" "$here/docs/images/console.png"
echo "wrote docs/images/console.png"
for area in replicas kafka redis traffic; do
    cp "$out/readme/area-$area.png" "$here/docs/images/area-$area.png"
done
echo "wrote docs/images/area-{replicas,kafka,redis,traffic}.png"

# Mid-demo: faults at 2-4 s after the demo is ready, the pictures 20 s later than the others,
# once the alerts they raise have held long enough to be up and the effects are observed.
cat >"$out/faults.json" <<'JSON'
[{"at": 2, "action": "kill", "args": {"replica": "node-2", "stayDown": true}},
 {"at": 3, "action": "pause-stage1"},
 {"at": 4, "action": "poison", "args": {"count": 2}}]
JSON
shot 1400x900 "$out/faults" "$((after + 20))" --demo-script "$out/faults.json"
for panel in alerts faults; do
    cp "$out/faults/panel-$panel.png" "$here/docs/images/panel-$panel.png"
done
echo "wrote docs/images/panel-{alerts,faults}.png"
for size in 1280x800 1920x1080; do
    shot "$size" "$out/$size" "$after"
    mkdir -p "$here/docs/images/$size"
    cp "$out/$size/window.png" "$here/docs/images/$size/window.png"
    echo "wrote docs/images/$size/window.png"
done
