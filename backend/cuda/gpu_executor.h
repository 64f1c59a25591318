// The GPU executor: runs an exec::Launch on device 0 through the generated kernel (compiled
// through the cubin cache), with the same argument handling as the emulator.
#pragma once

#include <memory>

#include "exec/launch.h"

namespace tilevm::cuda {

// Fails with "no CUDA device: ..." when there is no usable GPU.
Expected<std::unique_ptr<exec::Executor>> make_gpu_executor();

}  // namespace tilevm::cuda
