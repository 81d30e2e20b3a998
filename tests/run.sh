#!/usr/bin/env bash
# README's test command: installs what it needs (Debian 12, as root), builds everything and runs
# every test (unit tests and tests against a real redis-server started by the harness).
#   RELAIS_BUILD_DIR   build folder (default: build/ in the checkout)
#   RELAIS_CMAKE_ARGS  extra CMake arguments (e.g. -DRELAIS_SANITIZE=ON)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/deploy/install-deps.sh"

build=${RELAIS_BUILD_DIR:-$root/build}
jobs=$(nproc)
# shellcheck disable=SC2086
cmake -S "$root" -B "$build" -G Ninja ${RELAIS_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$jobs"
ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 300
