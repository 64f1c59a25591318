#!/bin/sh
# Builds tools/mma_validate for sm_90 (nvcc for the kernels, g++ for the host side and the model),
# statically linking the CUDA runtime and libstdc++. Usage: build.sh [OUTPUT_DIR] (default build/mma_validate).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/build/mma_validate}
cuda=${CUDA_HOME:-/usr/local/cuda}
mkdir -p "$out"
cxx="g++ -O2 -std=c++20 -Wall -Wextra -Wno-unused-parameter -I$root/src -I$root/tests -I$cuda/include -pthread"
for src in "$root"/src/numerics/*.cc; do
  $cxx -c "$src" -o "$out/$(basename "$src" .cc).o"
done
$cxx -c "$root/tools/mma_validate/mma_validate.cc" -o "$out/mma_validate.o"
"$cuda/bin/nvcc" -O2 -std=c++17 -arch=sm_90 -I"$root/tools/mma_validate" -c "$root/tools/mma_validate/kernels.cu" -o "$out/kernels.o"
g++ "$out"/*.o -o "$out/mma_validate" -L"$cuda/lib64" -lcudart_static -ldl -lrt -pthread -static-libstdc++ -static-libgcc
# The instructions the kernels compiled to (fp8 must show F2FP unpacks, 2 HMMA.16816.F32 and FADD per mma).
if [ -x "$cuda/bin/cuobjdump" ]; then
  "$cuda/bin/cuobjdump" -sass "$out/mma_validate" | grep -oE '(HMMA|IMMA|F2FP)[.A-Z0-9_]*|FADD' | sort | uniq -c
fi
echo "built $out/mma_validate"
