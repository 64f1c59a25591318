#!/usr/bin/env bash
# Installs what tilevm needs from Debian/Ubuntu packages, skipping what is already there.
# The CUDA toolkit is expected at its usual prefix (/usr/local/cuda); it is not installed here.
set -euo pipefail
need=()
for pkg in cmake ninja-build g++ libeigen3-dev libboost-program-options-dev doctest-dev libbenchmark-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! command -v nvcc >/dev/null 2>&1 && [ ! -x /usr/local/cuda/bin/nvcc ]; then
  echo "setup: error: the CUDA toolkit was not found (expected /usr/local/cuda)" >&2
  exit 1
fi
