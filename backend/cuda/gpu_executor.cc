// The GPU executor. Each pointer argument gets a device buffer holding its bytes followed by 256
// guard bytes of 0xa5; after the run the guard is checked, so a write past a buffer's end (which
// the emulator traps) is reported instead of passing silently. Global workspaces are
// allocated from their shapes evaluated on the scalar arguments (zeroed); see kernel_args.h.
#include <chrono>

#include "backend/cuda/driver.h"
#include "backend/cuda/emit.h"
#include "backend/cuda/gpu_executor.h"
#include "backend/cuda/kernel_args.h"

namespace tilevm::cuda {
namespace {

constexpr size_t kGuard = 256;

class GpuExecutor : public exec::Executor {
 public:
  explicit GpuExecutor(std::shared_ptr<Gpu> gpu) : gpu_(std::move(gpu)) {}

  Expected<exec::RunResult> run(const exec::Launch& launch) override {
    const exec::LoadedProgram& lp = *launch.program;
    EmitOptions eo{default_arch()};
    auto ck = compile_program(lp.program, lp.facts, lp.source.get(), eo, true);
    if (!ck) return ck.error();
    auto kernel = gpu_->load(ck->compiled.cubin, ck->kernel.kernel_name);
    if (!kernel) return kernel.error();
    exec::RunResult result;
    result.args = launch.args;
    auto args = upload_kernel_args(*gpu_, launch, ck->kernel, kGuard);
    if (!args) return args.error();
    unsigned grid[3] = {static_cast<unsigned>(launch.grid[0]), static_cast<unsigned>(launch.grid[1]),
                        static_cast<unsigned>(launch.grid[2])};
    auto t0 = std::chrono::steady_clock::now();
    auto r = gpu_->launch(*kernel, grid, static_cast<unsigned>(ck->kernel.threads),
                          static_cast<unsigned>(ck->kernel.shared_bytes), args->params);
    if (!r) return r.error();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    result.blocks_run = launch.num_blocks();
    for (size_t i = 0; i < launch.args.size(); ++i) {
      exec::Arg& a = result.args[i];
      if (!a.is_pointer()) continue;
      std::vector<uint8_t> all(a.bytes.size() + kGuard);
      if (auto d = gpu_->download(all.data(), args->buffers[i], all.size()); !d) return d.error();
      for (size_t g = a.bytes.size(); g < all.size(); ++g)
        if (all[g] != 0xa5)
          return fail("the kernel wrote past the end of the buffer of '" + a.name + "' (byte " + std::to_string(g) + ")");
      std::copy(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(a.bytes.size()), a.bytes.begin());
    }
    return result;
  }

 private:
  std::shared_ptr<Gpu> gpu_;
};

}  // namespace

Expected<std::unique_ptr<exec::Executor>> make_gpu_executor() {
  const DeviceInfo& d = device_info();
  if (!d.present) return fail(d.reason);
  auto gpu = Gpu::open();
  if (!gpu) return gpu.error();
  return std::unique_ptr<exec::Executor>(new GpuExecutor(*gpu));
}

}  // namespace tilevm::cuda
