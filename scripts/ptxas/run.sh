#!/usr/bin/env bash
# Compiles each ptxas check program at -O0 and -O3 for the present GPU and runs it. tilevm
# compiles with --ptxas-options=-O0 (backend/cuda/nvrtc.h) because these fail at -O1 and above
# with CUDA 13.0 on sm_90; when every check passes at -O3 with a new toolkit, that level can be
# reconsidered (then also run the conformance suite and 10^5 fuzz seeds at it, docs/gpu.md).
set -u
cd "$(dirname "$0")"
arch=${ARCH:-sm_90}
out=$(mktemp -d)
status=0
for f in *.cu; do
  for level in 0 3; do
    if ! nvcc -arch="$arch" -Xptxas -O$level "$f" -o "$out/${f%.cu}_O$level"; then
      echo "$f -O$level: compile FAILED"; status=1; continue
    fi
    if msg=$("$out/${f%.cu}_O$level"); then echo "$f -O$level: pass: $msg"
    else echo "$f -O$level: FAIL: $msg"; status=1; fi
  done
done
rm -rf "$out"
exit $status
