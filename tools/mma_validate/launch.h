// Host interface of the mma_validate kernels (implemented in kernels.cu).
#pragma once

#include <array>
#include <utility>

namespace mma_validate {

// Runs variant `variant` (the order of kernels.cuh) on `instances` tiles of device buffers:
// a, c, d hold 4 registers per lane, b 2, at index instance·32 + lane. Waits for completion;
// returns nullptr or the CUDA error text.
const char* launch(int variant, const void* a, const void* b, const void* c, void* d, int instances);

}  // namespace mma_validate
