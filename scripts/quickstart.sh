#!/usr/bin/env bash
# README command 1: install, build, run the default scenario, print its summary, write out/quick/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/build/overlay-fabric" run "$root/scenarios/default.yaml" --out "$root/out/quick"
