#!/usr/bin/env bash
# Builds every libFuzzer target with clang and runs each on its committed seed corpus, one
# per core at a time (each fuzzer is single-threaded).
# Usage: scripts/fuzz.sh [seconds-per-target]   (default 10; CI passes 5; longer
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

# fuzz_one name binary: runs one target in a scratch copy of its corpus; prints one line.
fuzz_one() {
    local name="$1" fuzzer="$2" work
    work="$(mktemp -d)"
    [ -d "$here/fuzz/corpus/$name" ] && cp -r "$here/fuzz/corpus/$name"/. "$work"/
    if "$fuzzer" -max_total_time="$seconds" -max_len=70000 -timeout=5 "$work" >"$build/fuzz_$name.log" 2>&1; then
        echo "fuzz $name: ok ($(find "$work" -type f | wc -l) corpus entries, ${seconds}s)" >"$build/fuzz_$name.result"
    else
        { echo "fuzz $name: FAILED, see $build/fuzz_$name.log"; tail -30 "$build/fuzz_$name.log"; } >"$build/fuzz_$name.result"
    fi
    rm -rf "$work"
}

names=()
for fuzzer in "$build"/fuzz/fuzz_*; do
    [ -f "$fuzzer" ] && [ -x "$fuzzer" ] || continue
    name="$(basename "$fuzzer")"; name="${name#fuzz_}"
    names+=("$name")
    rm -f "$build/fuzz_$name.result"
    while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n || true; done
    fuzz_one "$name" "$fuzzer" &
done
wait
if [ "${#names[@]}" -eq 0 ]; then
    echo "fuzz: FAILED, no fuzz target was built in $build"; exit 1
fi
status=0
for name in "${names[@]}"; do
    cat "$build/fuzz_$name.result" 2>/dev/null || echo "fuzz $name: FAILED, it printed no result"
    grep -q ': ok' "$build/fuzz_$name.result" 2>/dev/null || status=1
done
exit $status
