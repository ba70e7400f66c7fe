#!/usr/bin/env bash
# Builds every libFuzzer target with clang and runs each on its committed seed corpus.
# Usage: scripts/fuzz.sh [seconds-per-target]   (default 15; CI uses the default)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-${SB_FUZZ_SECONDS:-15}}"
build="${SB_FUZZ_BUILD_DIR:-$here/build-fuzz}"

CXX=clang++ cmake -S "$here" -B "$build" -DSB_FUZZ_ONLY=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --parallel "$(nproc)" >/dev/null

status=0
for fuzzer in "$build"/fuzz/fuzz_*; do
    [ -f "$fuzzer" ] && [ -x "$fuzzer" ] || continue
    name="$(basename "$fuzzer")"; name="${name#fuzz_}"
    seeds="$here/fuzz/corpus/$name"
    work="$(mktemp -d)"
    [ -d "$seeds" ] && cp -r "$seeds"/. "$work"/
    if "$fuzzer" -max_total_time="$seconds" -max_len=70000 -timeout=5 "$work" >"$build/fuzz_$name.log" 2>&1; then
        echo "fuzz $name: ok ($(grep -c . <(ls "$work")) corpus entries, ${seconds}s)"
    else
        echo "fuzz $name: FAILED, see $build/fuzz_$name.log"; tail -30 "$build/fuzz_$name.log"; status=1
    fi
    rm -rf "$work"
done
exit $status
