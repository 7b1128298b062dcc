#!/bin/bash
# Fuzz the module's input readers with libFuzzer under ASan and UBSan.
#
# Usage: scripts/fuzz.sh [TARGET|all] [SECONDS]
#   TARGET   one of: scenario override time-rate geneve vxlan nsh bfd echo (default: all)
#   SECONDS  how long each target runs (default 60)
#
# Builds build-fuzz/ with clang++-14 and -DOVERLAY_FABRIC_FUZZ=ON (installing clang-14 and
# libclang-rt-14-dev with apt if they are missing), then runs each target over
# build-fuzz/corpus/<target>/, seeded from test/fuzz/corpus/<target>/ and growing across runs.
# Crashing inputs go to build-fuzz/artifacts/<target>-crash-<sha1> (also leak-, timeout-, oom-).
# Exits 1 if any target found something. To keep a finding fixed, copy its artifact into
# test/fuzz/corpus/<target>/ (the ctest fuzz-replay.<target> replays it in the normal build);
# new inputs worth keeping can be merged back with
#   build-fuzz/fuzz-<target> -merge=1 test/fuzz/corpus/<target> build-fuzz/corpus/<target>
# Environment: JOBS (build parallelism, default 2), FUZZ_ARGS (extra libFuzzer flags).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
all_targets=(scenario override time-rate geneve vxlan nsh bfd echo)
what=${1:-all}
seconds=${2:-60}

if [[ $what == all ]]; then
    targets=("${all_targets[@]}")
elif [[ " ${all_targets[*]} " == *" $what "* ]]; then
    targets=("$what")
else
    echo "fuzz.sh: unknown target '$what' (one of: ${all_targets[*]}, all)" >&2
    exit 2
fi
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds == 0)); then
    echo "fuzz.sh: SECONDS must be a positive integer, not '$seconds'" >&2
    exit 2
fi

# Longest input worth trying per target: a scenario file, a few override lines, one time or rate,
# and a little more than the largest header (GENEVE: 8 + 252 option bytes; BFD: Length <= 255).
max_len() {
    case $1 in
        scenario) echo 4096 ;;
        override) echo 512 ;;
        time-rate) echo 64 ;;
        geneve) echo 300 ;;
        vxlan) echo 32 ;;
        nsh) echo 48 ;;
        bfd) echo 300 ;;
        echo) echo 32 ;;
    esac
}

# Toolchain: Debian's clang-14 with its libFuzzer and sanitizer runtimes.
if ! command -v clang++-14 >/dev/null ||
    ! compgen -G "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
    echo "fuzz.sh: installing clang-14 and libclang-rt-14-dev"
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo=sudo; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq clang-14 libclang-rt-14-dev
fi

launcher=()
if [[ -n ${CMAKE_CXX_COMPILER_LAUNCHER:-} ]]; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER="$CMAKE_CXX_COMPILER_LAUNCHER")
fi
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DOVERLAY_FABRIC_FUZZ=ON "${launcher[@]}" >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target "${targets[@]/#/fuzz-}"

mkdir -p "$build/artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
found=0
summary=()
for target in "${targets[@]}"; do
    corpus=$build/corpus/$target
    mkdir -p "$corpus"
    cp -n "$root/test/fuzz/corpus/$target/"* "$corpus/" 2>/dev/null || true
    log=$build/fuzz-$target.log
    echo "fuzz.sh: $target for ${seconds}s (log: $log)"
    status=0
    # shellcheck disable=SC2086
    "$build/fuzz-$target" -max_total_time="$seconds" -max_len="$(max_len "$target")" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$target-" ${FUZZ_ARGS:-} "$corpus" >"$log" 2>&1 ||
        status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [[ -z $execs ]]; then
        execs=$(grep -o '#[0-9]*' "$log" | tail -1 | tr -d '#')
    fi
    artifacts=$(grep -o "Test unit written to .*" "$log" | sed 's/Test unit written to //' | sort -u | tr '\n' ' ' || true)
    if ((status != 0)) || [[ -n $artifacts ]]; then
        found=1
        summary+=("$(printf '%-10s %10s execs  FINDING (exit %d) %s' "$target" "${execs:-?}" \
            "$status" "$artifacts")")
        grep -m1 -A12 'ERROR: \|fuzz-.*: \|runtime error\|==ERROR\|deadly signal' "$log" || true
    else
        summary+=("$(printf '%-10s %10s execs  no crash, %s corpus inputs' "$target" "$execs" \
            "$(find "$corpus" -type f | wc -l)")")
    fi
done

echo
echo "fuzz.sh summary (${seconds}s per target):"
printf '  %s\n' "${summary[@]}"
exit $found
