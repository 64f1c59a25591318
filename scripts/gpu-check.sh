#!/usr/bin/env bash
# Runs everything GPU-side in one go on a machine with a CUDA GPU and prints a summary table last.
#
#   scripts/gpu-check.sh [BUILD_DIR] [RESULTS_DIR]
#
# Environment: SKIP_SANITIZER=1 skips compute-sanitizer, CONFORMANCE=0 skips the conformance
# suite, FUZZ_COUNT=N [FUZZ_SEED=S] [FUZZ_FLAGS=...] adds a random-program run on both backends.
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
record() { rows+=("$(printf '%-40s %-6s %s' "$1" "$2" "$3")"); }

if [ ! -x "$build/tilevm" ]; then
  cmake -S . -B "$build" -G Ninja -DTILEVM_STATIC_BOOST=ON >"$results/configure.log" 2>&1 &&
    cmake --build "$build" >"$results/build.log" 2>&1
  if [ $? -ne 0 ]; then
    tail -30 "$results/build.log" 2>/dev/null || tail -30 "$results/configure.log"
    echo "build FAILED"; exit 1
  fi
fi

# A build carried from another machine names its tests and sources by that machine's absolute
# paths: point its CTest files at this checkout, and tell the tests where the sources are.
built_in=$(grep '^CMAKE_CACHEFILE_DIR:' "$build/CMakeCache.txt" 2>/dev/null | cut -d= -f2)
src_in=$(grep '^tilevm_SOURCE_DIR:' "$build/CMakeCache.txt" 2>/dev/null | cut -d= -f2)
here_build=$(cd "$build" && pwd)
if [ -n "$built_in" ] && [ "$built_in" != "$here_build" ]; then
  find "$build" \( -name CTestTestfile.cmake -o -name '*_tests-*.cmake' -o -name '*_include-*.cmake' \) \
    -exec sed -i "s|$built_in|$here_build|g; s|$src_in|$(pwd)|g" {} +
fi
export TILEVM_SOURCE_DIR="$(pwd)"
export TILEVM_BINARY_DIR="$here_build"

"$build/tilevm" info | tee "$results/info.txt"

# 1. The unit tests, GPU cases included (they run instead of skipping here).
ctest --test-dir "$build" -j8 --output-on-failure >"$results/ctest.log" 2>&1
ok=$?
summary=$(grep -E "tests passed|tests failed" "$results/ctest.log" | tail -1)
skipped=$(grep -c "(Skipped)" "$results/ctest.log")
record "unit tests (ctest)" "$([ $ok -eq 0 ] && echo PASS || echo FAIL)" "$summary; $skipped skipped"

# 2. Every example on both backends, compared bit for bit (tilevm run --backend both).
declare -A example_args=(
  [vector_add]="--arg n=5000 --arg a=rand:f32:1 --arg b=rand:f32:2"
  [softmax]="--arg m=10 --arg x=rand:f16:1"
  [matmul_simt]="--arg m=100 --arg n=72 --arg k=40 --arg a=rand:f16:1 --arg b=rand:f16:2"
  [matmul_mma]="--arg m=128 --arg n=128 --arg k=96 --arg a=rand:f16:1 --arg b=rand:f16:2"
  [matmul_w4a16]="--arg m=5 --arg n=128 --arg k=256 --arg act=rand:f16:1 --arg w=rand:u8:2 --arg scales=rand:f16:3"
  [matmul_splitk]="--arg m=100 --arg n=72 --arg k=256 --arg splits=4 --arg a=rand:f16:1 --arg b=rand:f16:2"
)
# run_both LABEL FILE ARGS...: one program on both backends, a row in the summary.
run_both() {
  local label=$1 f=$2 log="$results/both-$(basename "$2" .tile).log"
  shift 2
  "$build/tilevm" run "$f" --backend both "$@" >"$log" 2>&1
  local ok=$?
  record "both: $label" "$([ $ok -eq 0 ] && echo PASS || echo FAIL)" "$(tail -1 "$log" | cut -c1-90)"
}
for f in examples/*.tile; do
  name=$(basename "$f" .tile)
  # shellcheck disable=SC2086
  run_both "$name" "$f" ${example_args[$name]:-}
done

# 2b. The codegen test programs (every instruction family) on both backends.
declare -A program_args=(
  [arith]="--arg m=20 --arg x=rand:f32:1 --arg k=rand:i32:2"
  [casts]="--arg n=1000 --arg x=rand:f32:1 --arg q=rand:u8:2"
  [memory]="--arg n=32 --arg x=rand:bf16:1"
  [mma_types]="--arg a=rand:bf16:1 --arg b=rand:bf16:2 --arg p=rand:i8:3 --arg q=rand:i8:4"
  [snap_add]="--arg n=1000 --arg a=rand:f32:1 --arg b=rand:f32:2"
  [snap_rowsum]="--arg m=20 --arg x=rand:f16:1"
)
for f in tests/codegen/programs/*.tile; do
  name=$(basename "$f" .tile)
  # shellcheck disable=SC2086
  run_both "codegen/$name" "$f" ${program_args[$name]:-}
done

# 2c. Compile latency of the quantised matmul (code generation + NVRTC, no cache), best of 3.
best=""
for _ in 1 2 3; do
  t0=$(date +%s.%N)
  "$build/tilevm" emit-cuda examples/matmul_w4a16.tile --compile >/dev/null 2>"$results/compile-w4a16.log"
  t=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
done
record "compile matmul_w4a16 (cold)" "$(awk -v b="$best" 'BEGIN { exit !(b < 1) }' && echo PASS || echo FAIL)" "$(printf '%.3f s wall (best of 3, tilevm emit-cuda --compile)' "$best")"

# 3. compute-sanitizer on every example (GPU only): memcheck, racecheck, synccheck, initcheck.
cs=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null)
for f in examples/*.tile; do
  [ "${SKIP_SANITIZER:-0}" = 1 ] && break
  name=$(basename "$f" .tile)
  args=${example_args[$name]:-}
  for tool in memcheck racecheck synccheck initcheck; do
    if [ -z "$cs" ]; then record "sanitizer $tool: $name" "FAIL" "compute-sanitizer not found"; continue; fi
    # shellcheck disable=SC2086
    "$cs" --tool "$tool" --error-exitcode 9 "$build/tilevm" run "$f" --backend gpu $args >"$results/cs-$tool-$name.log" 2>&1
    ok=$?
    record "sanitizer $tool: $name" "$([ $ok -eq 0 ] && echo PASS || echo FAIL)" "$(grep -E "ERROR SUMMARY|error" "$results/cs-$tool-$name.log" | tail -1 | cut -c1-80)"
  done
done

# 4. The conformance suite on both backends (CONFORMANCE=0 skips it).
if [ "${CONFORMANCE:-1}" != 0 ]; then
  "$build/tilevm" conformance --backend both -j 16 >"$results/conformance.log" 2>&1
  ok=$?
  record "conformance --backend both" "$([ $ok -eq 0 ] && echo PASS || echo FAIL)" "$(tail -1 "$results/conformance.log" | cut -c1-90)"
fi

# 5. Random programs on both backends: FUZZ_COUNT programs from seed FUZZ_SEED (default none).
if [ "${FUZZ_COUNT:-0}" -gt 0 ]; then
  "$build/tilevm" fuzz --seed "${FUZZ_SEED:-1}" --count "$FUZZ_COUNT" --backend both -j 16 \
    --out "$results/fuzz" ${FUZZ_FLAGS:-} >"$results/fuzz.log" 2>&1
  ok=$?
  record "fuzz seeds ${FUZZ_SEED:-1}+$FUZZ_COUNT both" "$([ $ok -eq 0 ] && echo PASS || echo FAIL)" "$(grep -E 'passed|programs/s' "$results/fuzz.log" | tail -2 | tr '\n' ' ' | cut -c1-110)"
fi

echo
echo "== GPU check summary ($(date -u +%F), $(grep '^GPU' "$results/info.txt" | cut -c8-)) =="
printf '%s\n' "${rows[@]}"
for r in "${rows[@]}"; do case "$r" in *" FAIL "*) exit 1 ;; esac; done
exit 0
