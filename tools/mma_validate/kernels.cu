// The device side of mma_validate: the per-variant kernels and a launcher callable from host C++.
#include <cuda_runtime.h>

#include "kernels.cuh"
#include "launch.h"

namespace mma_validate {
namespace {

using Kernel = void (*)(const uint4*, const uint2*, const uint4*, uint4*, int);

template <int... kIds>
constexpr auto make_table(std::integer_sequence<int, kIds...>) {
  return std::array<Kernel, sizeof...(kIds)>{&mma_kernel<kIds>...};
}

}  // namespace

const char* launch(int variant, const void* a, const void* b, const void* c, void* d, int instances) {
  static constexpr auto kTable = make_table(std::make_integer_sequence<int, kVariantCount>{});
  if (variant < 0 || variant >= kVariantCount) return "unknown variant";
  const int threads = 256, blocks = (instances * 32 + threads - 1) / threads;
  kTable[variant]<<<blocks, threads>>>(static_cast<const uint4*>(a), static_cast<const uint2*>(b),
                                       static_cast<const uint4*>(c), static_cast<uint4*>(d), instances);
  cudaError_t err = cudaGetLastError();
  if (err == cudaSuccess) err = cudaDeviceSynchronize();
  return err == cudaSuccess ? nullptr : cudaGetErrorString(err);
}

}  // namespace mma_validate
