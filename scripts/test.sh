#!/usr/bin/env bash
# README command 2 (and CI): install, build, run the whole test suite with ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
cd "$root/build" && ctest --output-on-failure -j"$(nproc)"
