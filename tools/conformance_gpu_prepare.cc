// Compiles a launch's kernel into the cubin cache before a conformance or fuzz run takes the
// GPU lock, so that NVRTC compilations of many cases run in parallel.
#include "backend/cuda/emit.h"
#include "conformance/runner.h"

namespace {
const bool kPrepareInstalled = [] {
  tilevm::conf::set_gpu_prepare([](const tilevm::exec::Launch& l) {
    const tilevm::exec::LoadedProgram& lp = *l.program;
    // Errors are reported by the run itself; this only fills the cache.
    (void)tilevm::cuda::compile_program(lp.program, lp.facts, lp.source.get(), tilevm::cuda::EmitOptions{tilevm::cuda::default_arch()},
                                        true);
  });
  return true;
}();
}  // namespace
