#!/usr/bin/env bash
# The README's second command: install what is missing, then build and run every test:
# once with warnings as errors, once under AddressSanitizer + UBSan, then every fuzzer on
# its seed corpus. No display needed (QT_QPA_PLATFORM=offscreen).
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/setup.sh" || exit 1
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR" 2>/dev/null || true
mkdir -p "$here/build"

passed=0; failed=0
run_suite() { # name build-dir cmake-options...
    local name="$1" dir="$2"; shift 2
    echo "== $name: build"
    if ! "$here/scripts/build.sh" "$dir" -DSB_WERROR=ON "$@"; then
        echo "== $name: BUILD FAILED"; failed=$((failed + 1)); return
    fi
    echo "== $name: ctest"
    (cd "$dir" && ctest --output-on-failure --timeout 300 -j"$(nproc)") | tee "$dir.ctest.log"
    local summary; summary="$(grep -E 'tests passed, [0-9]+ tests failed out of' "$dir.ctest.log" | tail -1)"
    local total fails
    total="$(sed -nE 's/.*out of ([0-9]+).*/\1/p' <<<"$summary")"
    fails="$(sed -nE 's/.*passed, ([0-9]+) tests failed.*/\1/p' <<<"$summary")"
    if [ -z "$total" ]; then failed=$((failed + 1)); return; fi
    passed=$((passed + total - fails)); failed=$((failed + fails))
}

run_suite "checked build" "$here/build/ci"
run_suite "ASan+UBSan build" "$here/build/asan" -DSB_SANITIZE=ON

echo "== fuzzers"
if "$here/scripts/fuzz.sh" 2>&1 | tee "$here/build/fuzz.log"; then :; fi
passed=$((passed + $(grep -c ': ok' "$here/build/fuzz.log" || true)))
failed=$((failed + $(grep -c ': FAILED' "$here/build/fuzz.log" || true)))

echo
echo "all suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
