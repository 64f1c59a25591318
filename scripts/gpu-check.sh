#!/usr/bin/env bash
# Runs everything GPU-side in one go on a machine with a CUDA GPU and prints a summary table last.
#
#   scripts/gpu-check.sh [BUILD_DIR] [RESULTS_DIR]
#
# BUILD_DIR defaults to build-gpu. If it holds no tilevm binary, the project is configured and
# built there (Boost.Program_options linked statically, for machines without the library). A
# build made on another Linux x86-64 machine with -DTILEVM_STATIC_BOOST=ON can be brought along
# instead. Logs go to RESULTS_DIR (default: gpu-results/).
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-gpu}
results=${2:-gpu-results}
mkdir -p "$results"
declare -a rows=()
record() { rows+=("$(printf '%-34s %-6s %s' "$1" "$2" "$3")"); }

if [ ! -x "$build/tilevm" ]; then
  cmake -S . -B "$build" -G Ninja -DTILEVM_STATIC_BOOST=ON >"$results/configure.log" 2>&1 &&
    cmake --build "$build" >"$results/build.log" 2>&1
  if [ $? -ne 0 ]; then
    tail -30 "$results/build.log" 2>/dev/null || tail -30 "$results/configure.log"
    echo "build FAILED"; exit 1
  fi
fi

"$build/tilevm" info | tee "$results/info.txt"

# 1. The unit tests, GPU cases included (they run instead of skipping here).
ctest --test-dir "$build" -j8 --output-on-failure >"$results/ctest.log" 2>&1
ok=$?
summary=$(grep -E "tests passed|tests failed" "$results/ctest.log" | tail -1)
skipped=$(grep -c "(Skipped)" "$results/ctest.log")
record "unit tests (ctest)" "$([ $ok -eq 0 ] && echo PASS || echo FAIL)" "$summary; $skipped skipped"

echo
echo "== GPU check summary ($(date -u +%F), $(grep '^GPU' "$results/info.txt" | cut -c8-)) =="
printf '%s\n' "${rows[@]}"
for r in "${rows[@]}"; do case "$r" in *" FAIL "*) exit 1 ;; esac; done
exit 0
