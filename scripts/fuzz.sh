#!/usr/bin/env bash
# Builds every libFuzzer target with clang and runs each on its committed seed corpus.
# Usage: scripts/fuzz.sh [seconds-per-target]   (default 10; CI uses the default; longer
# runs belong in bench-style sessions, e.g. scripts/fuzz.sh 600)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-${SB_FUZZ_SECONDS:-10}}"
build="${SB_FUZZ_BUILD_DIR:-$here/build-fuzz}"

log="$(mktemp)"
if ! { CXX=clang++ cmake -S "$here" -B "$build" -DSB_FUZZ_ONLY=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
       cmake --build "$build" --parallel "$(nproc)"; } >"$log" 2>&1; then
    tail -40 "$log"; echo "fuzz: FAILED, the fuzz build failed"; rm -f "$log"; exit 1
fi
rm -f "$log"

status=0
ran=0
for fuzzer in "$build"/fuzz/fuzz_*; do
    [ -f "$fuzzer" ] && [ -x "$fuzzer" ] || continue
    name="$(basename "$fuzzer")"; name="${name#fuzz_}"
    ran=$((ran + 1))
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
if [ "$ran" -eq 0 ]; then
    echo "fuzz: FAILED, no fuzz target was built in $build"; status=1
fi
exit $status
