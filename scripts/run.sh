#!/usr/bin/env bash
# The README's first command: install what is missing, build, open the console.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/setup.sh"
mkdir -p "$here/build"
"$here/scripts/build.sh" "$here/build/release"
exec "$here/build/release/app/switchboard" "$@"
