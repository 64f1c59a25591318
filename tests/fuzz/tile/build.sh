#!/usr/bin/env bash
# Builds the libFuzzer target for the .tile text format (clang, ASan + UBSan) and seeds its
# corpus from examples/, tests/diagnostics/cases/ and the crash regressions. Usage, from the
# repository root:
#   tests/fuzz/tile/build.sh                       # builds build-fuzz/fuzz_tile, fills build-fuzz/corpus
#   build-fuzz/fuzz_tile -runs=1000000 -max_len=4096 build-fuzz/corpus
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=build-fuzz
mkdir -p "$out/corpus"
srcs=$(ls src/ir/*.cc src/text/*.cc src/verify/*.cc src/layout/*.cc src/dtype/*.cc src/support/*.cc)
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -DTILEVM_VERSION='"fuzz"' -Isrc $srcs tests/fuzz/tile/fuzz_tile.cc -o "$out/fuzz_tile"
cp examples/*.tile tests/diagnostics/cases/*.tile "$out/corpus/"
if ls tests/fuzz/tile/regressions/* >/dev/null 2>&1; then cp tests/fuzz/tile/regressions/* "$out/corpus/"; fi
echo "built $out/fuzz_tile; corpus in $out/corpus"
