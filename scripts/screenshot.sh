#!/usr/bin/env bash
# Regenerates docs/images/console.png: the console in a real X server (Xvfb), not by hand.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/setup.sh"
mkdir -p "$here/build"
"$here/scripts/build.sh" "$here/build/release"
out="$(mktemp -d)"
XDG_CONFIG_HOME="$out/config" xvfb-run -a -s "-screen 0 1400x900x24" \
    "$here/build/release/app/switchboard" --snapshot "$out/snap" --snapshot-after "${1:-8}"
mkdir -p "$here/docs/images"
cp "$out/snap/window.png" "$here/docs/images/console.png"
echo "wrote docs/images/console.png"
rm -rf "$out"
