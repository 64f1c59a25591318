// The device side of a launch: one device buffer per pointer argument and per global workspace,
// and the kernel parameter list that Gpu::launch and Gpu::time take, built from an exec::Launch.
// Shared by the GPU executor and the GPU benchmarks so that both pass arguments the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "backend/cuda/driver.h"
#include "backend/cuda/emit.h"
#include "exec/launch.h"

namespace tilevm::cuda {

// Element counts of `kernel`'s global workspaces (in EmittedKernel::workspaces order): each
// shape evaluated on the scalar arguments of `launch`. Fails naming the workspace when an extent
// cannot be evaluated (e.g. a division by zero) or is negative.
Expected<std::vector<int64_t>> workspace_elements(const exec::Launch& launch, const EmittedKernel& kernel);

// Kernel parameters in device memory. The program's parameters come first, in order, then one
// pointer per workspace. params[i] points at values[i]: a scalar's code, or a buffer's device
// address. Move only; a move keeps params valid (the vectors' storage moves with them).
struct KernelArgs {
  std::vector<DeviceBuffer> buffers;  // per parameter ({} for a scalar), then per workspace
  std::vector<uint64_t> values;
  std::vector<void*> params;

  KernelArgs() = default;
  KernelArgs(KernelArgs&&) = default;
  KernelArgs& operator=(KernelArgs&&) = default;
  KernelArgs(const KernelArgs&) = delete;
  KernelArgs& operator=(const KernelArgs&) = delete;
};

// Allocates on `gpu` one buffer per pointer argument, holding its bytes followed by `guard_bytes`
// bytes of 0xa5 (a write past the end then shows as a changed guard byte), and one buffer per
// workspace, zeroed, of its packed size rounded up to whole bytes plus `guard_bytes`. Buffers
// live as long as `gpu`. DeviceBuffer::bytes includes the guard.
Expected<KernelArgs> upload_kernel_args(Gpu& gpu, const exec::Launch& launch, const EmittedKernel& kernel,
                                        size_t guard_bytes);

}  // namespace tilevm::cuda
