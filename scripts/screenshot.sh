#!/usr/bin/env bash
# Regenerates the console's screenshots in a real X server (Xvfb), not by hand:
#   docs/images/console.png                the README's picture (1400x900)
#   docs/images/<W>x<H>/window.png         the whole window at 1280x800 and 1920x1080
# (each run's area-<key>.png, one per area as drawn, stay in the snapshot directory: kept
# out of git, they are for reading clipped text up close; SB_KEEP_SNAPSHOTS=DIR keeps them)
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

# shot SIZE DIR: one console run on the demo cluster at that window size.
shot() {
    XDG_CONFIG_HOME="$out/config-$1" xvfb-run -a -s "-screen 0 $1x24" \
        "$build/app/switchboard" --window-size "$1" --snapshot "$2" --snapshot-after "$after"
}

shot 1400x900 "$out/readme"
cp "$out/readme/window.png" "$here/docs/images/console.png"
echo "wrote docs/images/console.png"
for size in 1280x800 1920x1080; do
    shot "$size" "$out/$size"
    mkdir -p "$here/docs/images/$size"
    cp "$out/$size/window.png" "$here/docs/images/$size/window.png"
    echo "wrote docs/images/$size/window.png"
done
