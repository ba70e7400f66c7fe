#!/usr/bin/env bash
# The README's second command: install what is missing, then build and run every test:
# once with warnings as errors, once under AddressSanitizer + UBSan (the benchmarks built
# there too, not run), then every fuzzer on its seed corpus, and the node's multi-worker
# tests against switchboard-node built with ThreadSanitizer. No display needed
# (QT_QPA_PLATFORM=offscreen).
#
# The sanitizer build compiles, and the fuzzers build and run, at the lowest CPU priority
# while the previous suite's tests run: the tests mostly wait on child processes and
# sockets, so the compiler takes the idle cores without slowing a test (nice 19 gets ~1.5%
# of a core a test wants).
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/setup.sh" || exit 1
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR" 2>/dev/null || true
mkdir -p "$here/build"
ci="$here/build/ci"
asan="$here/build/asan"
tsan="$here/build/tsan"

passed=0; failed=0
# Each section's header says when it began (seconds since the start), to see where the
# run's time goes.
say() { echo "== $* (at ${SECONDS} s)"; }
build_args=(-DSB_WERROR=ON)
in_background() { # log-file command...: runs it niced; `wait $!` gives its status
    local log="$1"; shift
    # The log's last line says when it ended: whether the phase that waits for it waited.
    (nice -n 19 "$@"; status=$?; echo "== ended at ${SECONDS} s (status $status)"; exit "$status") >"$log" 2>&1 &
}
finish_background() { # name pid log-file: waits, then shows what it printed
    local name="$1" pid="$2" log="$3" status=0
    wait "$pid" || status=$?
    cat "$log"
    [ "$status" -eq 0 ] || echo "== $name: BUILD FAILED"
    return "$status"
}
test_suite() { # name build-dir jobs ctest-options...
    local name="$1" dir="$2" jobs="$3"; shift 3
    say "$name: ctest (-j$jobs)"
    (cd "$dir" && ctest --output-on-failure --timeout 300 -j"$jobs" "$@") | tee "$dir.ctest.log"
    count_ctest "$dir.ctest.log"
}
count_ctest() { # ctest-log: adds its passes and failures to the totals
    local summary; summary="$(grep -E 'tests passed, [0-9]+ tests failed out of' "$1" | tail -1)"
    local total fails
    total="$(sed -nE 's/.*out of ([0-9]+).*/\1/p' <<<"$summary")"
    fails="$(sed -nE 's/.*passed, ([0-9]+) tests failed.*/\1/p' <<<"$summary")"
    if [ -z "$total" ]; then failed=$((failed + 1)); return; fi
    passed=$((passed + total - fails)); failed=$((failed + fails))
}

# Debug keeps Q_ASSERT on; -O1 without full debug info compiles about twice as fast as
# RelWithDebInfo and still lets GCC's flow-based warnings (-Wmaybe-uninitialized) run.
# The benchmarks (bench/) build in the sanitizer tree, not here: see below.
say "checked build: build"
checked_args=("${build_args[@]}" -DSB_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O1)
"$here/scripts/build.sh" "$ci" "${checked_args[@]}"
checked_built=$?
[ "$checked_built" -eq 0 ] || echo "== checked build: BUILD FAILED"

# The sanitizer build uses clang: 3.7 min where GCC took 6.1 at the same flags, and its
# warnings (errors here too) catch what GCC's do not. -O0 compiles a third faster than -O1;
# line tables keep the reports readable. (Started alongside the checked build instead, it
# made both slower: 15.2 min.)
# CI never runs the benchmarks (bench/), but they must keep building, with warnings as
# errors: this tree builds them. In the checked tree they took ~85 s of the critical path
# (121 CPU-s); here, at low priority beside the checked suite, they fill idle time: in the
# fresh-clone run of c3ec72e this build ended 167 s before the checked suite did.
say "ASan+UBSan build: build with clang, the benchmarks too (at low priority, alongside the checked suite's tests)"
in_background "$here/build/asan.build.log" env CC=clang CXX=clang++ "$here/scripts/build.sh" "$asan" \
    "${build_args[@]}" -DSB_BENCH=ON -DSB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O0 -g1"
asan_build=$!
# One more test than cores while the sanitizer build compiles beside them. Most of these
# tests wait on child processes and timers, so at one per core the suite was bound by its
# slots, not the CPU: in 0c913fa's undisturbed fresh-clone run (2026-12-07) the sanitizer
# build, filling the idle CPU, ended 122 s before this suite, whose last two minutes then
# left the CPU 50-80 % idle. (Two per core once made a 5 s wait time out, in 2026-12-05's
# tests; docs/architecture.md, "Build, test and CI".) The next phase starts when both the
# suite and that build have ended.
if [ "$checked_built" -eq 0 ]; then test_suite "checked build" "$ci" "$(($(nproc) + 1))"; else failed=$((failed + 1)); fi

finish_background "ASan+UBSan build" "$asan_build" "$here/build/asan.build.log"
asan_built=$?
# The fuzzers build and run (each for a fixed wall time) at low priority while the
# sanitizer suite's tests wait on their children and sockets.
say "fuzzers: build and run (at low priority, alongside the sanitizer suite's tests)"
# 2 s per target here: the corpus replay plus a short search, a regression check (the
# search finds nothing new in seconds that ten-minute runs did not); long runs are
# scripts/fuzz.sh 600 and up (docs/benchmarks.md).
in_background "$here/build/fuzz.log" "$here/scripts/fuzz.sh" 2
fuzz_run=$!
# The node's worker threads under ThreadSanitizer: a clang tree of switchboard-node alone
# (-DSB_TSAN=ON; -O0 -g1: 108 CPU-s where -O1 took 168, and the tests, which wait on timers
# and clients, passed as fast), built at low priority beside the sanitizer suite, then its
# `tsan` tests (the stomp, sse and heartbeat conformance tests against `--workers 2`, 3-7
# CPU-s each) at normal priority, so a starved node cannot time a test out.
# docs/reliability.md, "Threads under ThreadSanitizer".
say "TSan build: switchboard-node with clang, then its tests (in the background, beside the sanitizer suite)"
rm -f "$tsan.ctest.log"
(
    nice -n 19 env CC=clang CXX=clang++ cmake -S "$here" -B "$tsan" "${build_args[@]}" -DSB_BENCH=OFF -DSB_TSAN=ON \
        -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O0 -g1" >"$tsan.configure.log" 2>&1 \
        || { cat "$tsan.configure.log"; echo "== TSan build: CONFIGURE FAILED"; exit 1; }
    nice -n 19 cmake --build "$tsan" --parallel "$(nproc)" --target switchboard-node >"$tsan.make.log" 2>&1 \
        || { grep -Ev '^\[ *[0-9]+%\]|^(gmake|make)\[' "$tsan.make.log"; echo "== TSan build: BUILD FAILED"; exit 1; }
    cd "$tsan" && ctest --output-on-failure --timeout 300 -j3 -L tsan >"$tsan.ctest.log" 2>&1
) >"$tsan.build.log" 2>&1 &
tsan_run=$!
# The package, the header-fence probes and the deploy/ files' checks check the build and
# the configuration, not the code's behaviour: the checked suite runs them; the sanitizers
# have nothing to find in them. The 30 s chaos run (label chaos, 50 s under ASan) runs in
# the checked suite only, to keep the whole run in its budget: the nodes' code under the
# same faults (kill -9, drain, Redis restart) runs under ASan in conformance_cluster,
# noderegistryoutage and devcluster_redisbusoutage. So do the label `scenario` tests (a
# whole console or devcluster through a story: demoscript, snapshot_truth, replay_process,
# snapshot_process, demopopulation, the devcluster alert tests; 20-100 s each under ASan,
# and timing-bound there on a loaded runner): the console, fault and devcluster code they
# drive runs under ASan in demosnapshot, faultcommand, alerts_redisdown and the unit tests.
# One more test than cores: most of these tests wait on child processes, group joins and
# timers (in 636313f's quiet run the suite's summed test time was exactly twice its length,
# bound by its two slots). In ddbdd2c's run, with the benchmarks' build beside it, three
# slots gained only 5 s: the phase was bound by the CPU then, which is why the benchmarks
# build with the sanitizer tree, before this phase, and the fuzzers (niced, beside it) run
# 2 s each. The few tests
# that keep a core busy under the sanitizers count as two (SB_SANITIZER_CPU_HEAVY_TESTS,
# cmake/SwitchboardTesting.cmake).
if [ "$asan_built" -eq 0 ]; then
    test_suite "ASan+UBSan build" "$asan" "$(($(nproc) + 1))" -LE 'installer|architecture|deploy|chaos|scenario'
else
    failed=$((failed + 1))
fi

say "fuzzers"
fuzz_status=0
wait "$fuzz_run" || fuzz_status=$?
cat "$here/build/fuzz.log"
fuzz_ok="$(grep -c ': ok' "$here/build/fuzz.log" || true)"
fuzz_failed="$(grep -c ': FAILED' "$here/build/fuzz.log" || true)"
passed=$((passed + fuzz_ok)); failed=$((failed + fuzz_failed))
# A fuzz build that fails prints no per-target line: count it, or CI would pass without fuzzing.
if [ "$fuzz_status" -ne 0 ] && [ "$fuzz_failed" -eq 0 ]; then
    echo "== fuzzers: FAILED (exit $fuzz_status) before any target ran"; failed=$((failed + 1))
fi

say "TSan build: its tests"
wait "$tsan_run"
cat "$tsan.build.log" "$tsan.ctest.log" 2>/dev/null
if [ -f "$tsan.ctest.log" ]; then count_ctest "$tsan.ctest.log"; else failed=$((failed + 1)); fi

# Why each failed test failed, at the end where a CI summary that keeps only the log's head
# and tail still shows it: its failure lines (QTest's FAIL!/Loc, a timeout, a sanitizer's or
# glibc's report, a child's abort), not its whole output above.
if [ "$failed" -ne 0 ]; then
    echo "== why the failed tests failed"
    for log in "$ci.ctest.log" "$asan.ctest.log" "$tsan.ctest.log"; do
        [ -f "$log" ] || continue
        grep -E -e '\*\*\*(Failed|Timeout|Exception)|Subprocess aborted|FAIL!  :|^ +Loc: ' \
            -e 'ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer)|runtime error:|malloc[_a-z]*\(\)|double free|SIG(ABRT|SEGV|BUS)' \
            "$log" | sed "s|^|$(basename "$log" .ctest.log): |" | cut -c1-400 | head -60
        # A replica's fatal-signal report (app/FatalSignalReport.cpp): its stack, whole.
        grep -A 40 -E 'fatal signal [0-9]+ \(SIG' "$log" | cut -c1-300 | head -90
    done
fi

echo
echo "the run took ${SECONDS} s"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
