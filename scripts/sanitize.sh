#!/usr/bin/env bash
# The whole ctest suite under AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer.
#
# Configures build-sanitize/ (g++, RelWithDebInfo, -DOVERLAY_FABRIC_SANITIZE=ON: every target
# compiled and linked with -fsanitize=address,undefined -fno-sanitize-recover=undefined
# -fno-omit-frame-pointer), builds it and runs ctest there. Any ASan, UBSan or leak report ends
# its process with a non-zero status, so the test fails; the script exits with ctest's status.
#
# - Leaks: LeakSanitizer runs at the exit of every test process. scripts/lsan-suppressions.txt
#   lists the leaks of ns-3 itself (Debian's libns3 is not instrumented, but its allocations are
#   tracked), each with its reason; the project's own code is never suppressed.
# - Excluded: the Python bindings and their pytest suite (ctest's pytest.*): the sanitized build
#   leaves bindings/ out. /usr/bin/python3 can load an instrumented module only with libasan
#   preloaded into the interpreter, and CPython's own leaks would then have to be suppressed
#   wholesale. The C++ the bindings drive (loader, runner, results) runs here through the
#   GoogleTest binaries and the instrumented CLI. The tests that start /usr/bin/python3
#   (scenario-rerun.*, json-schema-checks-scenarios, include-direction) run the instrumented CLI
#   as a child process, or nothing of ours.
# - Budget (see test/test-budget.h): OVERLAY_FABRIC_TEST_SEEDS=N runs the first N seeds of each
#   parameterized seed list and reports the others SKIPPED; OVERLAY_FABRIC_TEST_MAX_SIM_SECONDS=S
#   shortens the one-minute long-run test to S simulated seconds (60 s of 850 Mb/s take 40 minutes
#   under ASan). The shortened tests assert the same bounds. The normal suite (build/, variables
#   unset) runs every seed and the full minute.
#
#   scripts/sanitize.sh [ctest arguments...]     e.g. scripts/sanitize.sh -R Monitoring
#
# Environment: SANITIZE_JOBS (parallel build and ctest jobs, default nproc),
# OVERLAY_FABRIC_TEST_SEEDS (default 10), OVERLAY_FABRIC_TEST_MAX_SIM_SECONDS (default 5).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-sanitize
jobs=${SANITIZE_JOBS:-$(nproc)}

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=23
ASAN_OPTIONS+=:check_initialization_order=1:strict_init_order=1
export LSAN_OPTIONS=suppressions=$root/scripts/lsan-suppressions.txt:print_suppressions=0:exitcode=23
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=23
export OVERLAY_FABRIC_TEST_SEEDS=${OVERLAY_FABRIC_TEST_SEEDS:-10}
export OVERLAY_FABRIC_TEST_MAX_SIM_SECONDS=${OVERLAY_FABRIC_TEST_MAX_SIM_SECONDS:-5}

# The build runs the test binaries too (gtest_discover_tests lists their tests), so the options
# are set first.
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DOVERLAY_FABRIC_SANITIZE=ON >/dev/null
cmake --build "$build" -j"$jobs"

start=$(date +%s)
status=0
(cd "$build" && ctest --output-on-failure -j"$jobs" "$@") || status=$?
elapsed=$(($(date +%s) - start))
printf 'sanitize: ctest took %dm%02ds (bindings and pytest.* not built), status %d\n' \
    $((elapsed / 60)) $((elapsed % 60)) "$status"
exit "$status"
