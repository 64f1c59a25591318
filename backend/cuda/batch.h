// Many kernels per NVRTC call and many launches per module: the throughput path of
// `tilevm fuzz --backend both` (docs/conformance.md, "Throughput").
//
// Compiling. A batch is one translation unit: the prelude once, the file-scope definitions of
// all kernels (deduplicated: they are named by their content), then every kernel function under
// its own name (EmitOptions::kernel_name). One NVRTC call compiles it to one cubin; no disk
// cache is involved (tilevm's is bypassed and NVRTC's own is disabled with --no-cache). Several batches compile in parallel on separate threads (NVRTC is
// thread-safe per program).
//
// Running. A BatchGpu owns a CUDA context of its own (not the primary one, which the executors
// share), a stream, a reusable device arena and a pinned
// host staging image: per launch the pointer arguments are laid out in the arena (each followed
// by guard bytes of 0xa5, as the GPU executor does), uploaded with one copy, the kernel runs,
// everything comes back with one copy, the stream is waited for (at most a timeout: a kernel
// that hangs is reported, not waited for forever), and the guards are checked.
// Nothing is allocated or freed per launch. A kernel fault (illegal address, trap, ...) leaves
// the context unusable: run() reports it as `context_lost` and recover() destroys the context and
// creates a new one with a new stream, arena and staging image.
// A BatchGpu must be used from the thread that opened it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend/cuda/emit.h"
#include "exec/launch.h"
#include "support/expected.h"

namespace tilevm::cuda {

// The translation unit of a batch: prelude, the distinct globals in first-seen order, and the
// kernel functions in order. Kernel names must be distinct.
std::string batch_source(const std::vector<const EmittedKernel*>& kernels);

// Compiles batch_source(kernels) for sm_`arch` with the usual NVRTC options (nvrtc.h). The error
// holds NVRTC's log.
Expected<std::vector<uint8_t>> compile_batch(const std::vector<const EmittedKernel*>& kernels, int arch);

// The names of the global functions (kernels) defined in an ELF cubin, read from its symbol
// table. Empty when `cubin` is not a well-formed 64-bit ELF image.
std::vector<std::string> cubin_kernel_names(const std::vector<uint8_t>& cubin);

// What one launch of BatchGpu::run did.
struct BatchRun {
  bool ok = false;
  bool context_lost = false;  // a fault: call recover() before anything else
  bool timed_out = false;     // the kernel still runs after timeout_s: the context is unusable
  std::string message;        // when !ok: the driver's error or the guard violation
  double seconds = 0;         // upload + kernel + download, wall time
};

class BatchGpu {
 public:
  // Creates a context on device 0 (current on this thread), the stream and an arena of
  // `arena_bytes` (grown on demand). Fails with the reason when there is no GPU.
  static Expected<std::unique_ptr<BatchGpu>> open(size_t arena_bytes = size_t{64} << 20);
  ~BatchGpu();
  BatchGpu(const BatchGpu&) = delete;
  BatchGpu& operator=(const BatchGpu&) = delete;

  // Loads a cubin, replacing the module loaded before (its kernels can no longer be run).
  Expected<bool> load(const std::vector<uint8_t>& cubin);

  // Runs kernel `name` of the loaded module (`kernel` gives block size, shared memory and
  // workspaces: a kernel with workspaces is refused) over `grid` with `args` (the launch's
  // arguments in parameter order); pointer buffers are replaced by the device's bytes.
  BatchRun run(const std::string& name, const EmittedKernel& kernel, const std::array<int64_t, 3>& grid,
               std::vector<exec::Arg>& args);

  // How long run() waits for one kernel (and its copies) before reporting a hang.
  void set_timeout(double seconds) { timeout_s_ = seconds; }

  // After context_lost: replaces the context (and stream, arena, staging) by a new one. The
  // module must be loaded again. Fails when the driver refuses a new context.
  Expected<bool> recover();

 private:
  BatchGpu() = default;
  Expected<bool> create(size_t arena_bytes);
  void release();
  Expected<bool> grow(size_t bytes);

  void* ctx_ = nullptr;
  void* stream_ = nullptr;
  void* module_ = nullptr;
  uint64_t arena_ = 0;
  uint8_t* staging_ = nullptr;
  size_t capacity_ = 0;
  double timeout_s_ = 20;
};

}  // namespace tilevm::cuda
