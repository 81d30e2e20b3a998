#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang-14 (ASan+UBSan) and runs each for a while
# from a copy of its seed corpus. Fails on any finding and says where the crashing input is.
#   tests/fuzz/run.sh [seconds per target, default 30]
#   RELAIS_FUZZ_BUILD_DIR   build folder (default: build-fuzz/ in the checkout)
#   RELAIS_FUZZ_WORK_DIR    where corpora and findings go (default: a new temporary folder)
#   RELAIS_FUZZ_TARGETS     which targets (default: all three)
#   RELAIS_FUZZ_ARGS        more libFuzzer flags (e.g. "-jobs=2 -workers=2")
# Never writes into the source tree: a longer run's new inputs stay in the work folder (copy the
# interesting ones to tests/fuzz/corpus/<target>/ by hand, crashes to tests/fuzz/regressions/).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=${1:-30}
build=${RELAIS_FUZZ_BUILD_DIR:-$root/build-fuzz}
targets=${RELAIS_FUZZ_TARGETS:-fuzz_validation fuzz_csv_import fuzz_gateway_params}

# Everything the build needs, clang-14 and libFuzzer (libclang-rt-14-dev) included.
bash "$root/deploy/install-deps.sh"

start=$(date +%s)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DRELAIS_FUZZ=ON >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" -j"$(nproc)" --target $targets
echo "fuzz: built in $(($(date +%s) - start))s"

work=${RELAIS_FUZZ_WORK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/relais-fuzz.XXXXXX")}
mkdir -p "$work"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for target in $targets; do
  corpus="$work/$target/corpus"
  findings="$work/$target/findings"
  mkdir -p "$corpus" "$findings"
  cp -r "$root/tests/fuzz/corpus/$target/." "$corpus/"
  # Known crashes are seeds too: the run starts by checking each is fixed.
  if [ -d "$root/tests/fuzz/regressions/$target" ]; then
    cp -r "$root/tests/fuzz/regressions/$target/." "$corpus/"
  fi
  log="$work/$target/log"
  echo "fuzz: $target for ${seconds}s (log: $log)"
  # shellcheck disable=SC2086
  if ! (cd "$findings" && "$build/tests/fuzz/$target" -max_total_time="$seconds" -max_len=4096 \
          -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" \
          ${RELAIS_FUZZ_ARGS:-} "$corpus" >"$log" 2>&1); then
    failed+=("$target")
    echo "fuzz: $target FOUND A PROBLEM:" >&2
    grep -a -E "ERROR|SUMMARY|fuzz_[a-z_]+: |runtime error" "$log" | head -20 >&2 || true
    for input in "$findings"/*; do
      [ -e "$input" ] && echo "fuzz: crashing input: $input" >&2
    done
    echo "fuzz: replay it with $build/tests/fuzz/$target <input>; once fixed, add it to" \
      "tests/fuzz/regressions/$target/" >&2
  fi
  grep -a -E "^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)" "$log" |
    sed "s/^/fuzz: $target /" || true
  echo "fuzz: $target $(grep -a -E '^#[0-9]+' "$log" | tail -1)"
done
echo "fuzz: done in $(($(date +%s) - start))s; work folder $work"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
