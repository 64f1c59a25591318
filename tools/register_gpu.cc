// Registers the GPU executor for `tilevm run --backend gpu|both` (a static initialiser in the
// executable, so the linker keeps it).
#include "backend/cuda/gpu_executor.h"

namespace {
const bool kGpuRegistered = tilevm::exec::register_executor("gpu", tilevm::cuda::make_gpu_executor);
}
