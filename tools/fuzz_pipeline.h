// The batched pipeline of `tilevm fuzz --backend both` (docs/conformance.md, "Throughput"):
// CPU workers generate, emulate, check against the oracle, emit and compile batches of kernels
// (one NVRTC call per batch); one GPU thread loads each batch's module once and runs its kernels
// on its own stream and arena, comparing every output with the emulator's.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tilevm::fuzz {

struct PipelineOptions {
  uint64_t seed0 = 1;
  int64_t count = 0;
  int jobs = 1;           // CPU worker threads
  int batch = 64;         // programs per NVRTC call
  double time_limit = 0;  // seconds; 0: none. No batch is started after it.
  bool print = false;     // print each program's text
};

// A program that failed, and where.
struct PipelineFailure {
  uint64_t seed = 0;
  std::string message;
  enum class Stage { Cpu, Compile, Gpu, Fault } stage = Stage::Cpu;
};

// Seconds summed over the threads that did the work (CPU phases) and wall time.
struct PipelineStats {
  double prepare = 0;   // generate + build + verify + emulate + oracle
  double emit = 0;      // CUDA C++ generation
  double nvrtc = 0;     // batch compiles
  double gpu = 0;       // module loads + launches + copies + comparisons (GPU thread)
  double gpu_idle = 0;  // GPU thread waiting for a compiled batch
  double wall = 0;
  int64_t batches = 0;
};

struct PipelineResult {
  int64_t passed = 0, failed = 0;
  int64_t done = 0;              // programs finished (passed + failed)
  uint64_t resume_seed = 0;      // every seed below it (from seed0) finished
  bool complete = false;         // all `count` seeds finished
  bool gpu_missing = false;      // no GPU: kernels compiled but not run
  std::string stop_reason;       // why the run stopped early: "time limit reached" or a GPU failure
  std::vector<PipelineFailure> failures;
  PipelineStats stats;
};

// Runs the pipeline. `progress(done, failed)` is called (serialised) after each batch;
// `on_program(seed, text)` when options.print is set.
PipelineResult run_pipeline(const PipelineOptions& options, const std::function<void(int64_t, int64_t)>& progress,
                            const std::function<void(uint64_t, const std::string&)>& on_program);

}  // namespace tilevm::fuzz
