// GPU run time of every example kernel (examples/*.tile) at one fixed, realistic launch, timed
// with CUDA events (docs/gpu.md, "Timing kernels"). Inputs are seeded random data, made as
// `tilevm run --arg NAME=rand:DTYPE:SEED` makes them; each kernel is compiled through the cubin
// cache with the NVRTC options in effect ($TILEVM_NVRTC_OPTIONS included), which the label lists
// next to the device. One iteration reports the median of kLaunches launches (after a warm-up).
// Without a GPU each benchmark loads its program, builds its launch and compiles it, then is
// skipped with the driver's reason ("no CUDA device: ...").
#include <benchmark/benchmark.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backend/cuda/driver.h"
#include "backend/cuda/emit.h"
#include "backend/cuda/kernel_args.h"
#include "backend/cuda/nvrtc.h"
#include "exec/launch.h"

using namespace tilevm;
namespace fs = std::filesystem;

namespace {

constexpr int kLaunches = 10;

struct Example {
  const char* name;               // examples/NAME.tile
  std::vector<std::string> args;  // `tilevm run --arg` specifications; unnamed outputs are zeroed
  std::array<double, 3> mnk{};    // matmuls: m, n, k (2mnk FLOP per launch); zeros otherwise
};

// A launch ready on the device, or why it cannot run (`error` set).
struct Prepared {
  std::string error;
  std::shared_ptr<cuda::Gpu> gpu;
  cuda::Kernel kernel;
  cuda::KernelArgs args;
  unsigned grid[3] = {1, 1, 1};
  unsigned threads = 0;
  unsigned shared_bytes = 0;
  double bytes = 0;  // sizes of all pointer arguments (inputs and outputs) of one launch
  std::string label;
};

// Kept for the whole run so that the function body runs repeatedly without re-uploading; cleared
// in main before the driver library's statics go away.
std::map<std::string, Prepared>& prepared() {
  static std::map<std::string, Prepared> cache;
  return cache;
}

std::shared_ptr<cuda::Gpu>& shared_gpu() {
  static std::shared_ptr<cuda::Gpu> gpu;
  return gpu;
}

// examples/NAME.tile under $TILEVM_SOURCE_DIR, the source tree this file was built from, or the
// current directory, whichever has it first.
Expected<std::string> example_path(const std::string& name) {
  std::vector<fs::path> roots;
  if (const char* env = std::getenv("TILEVM_SOURCE_DIR"); env && *env) roots.emplace_back(env);
  roots.push_back(fs::path(__FILE__).parent_path().parent_path());
  roots.push_back(fs::current_path());
  for (const fs::path& r : roots)
    if (fs::exists(r / "examples" / (name + ".tile"))) return (r / "examples" / (name + ".tile")).string();
  return fail("examples/" + name + ".tile not found (set TILEVM_SOURCE_DIR to the source tree)");
}

Expected<exec::Launch> example_launch(const Example& e) {
  auto path = example_path(e.name);
  if (!path) return path.error();
  auto program = exec::load_program_file(*path);
  if (!program) return program.error();
  std::vector<exec::ArgSpec> specs;
  for (const std::string& text : e.args) {
    auto spec = exec::parse_arg_spec(text);
    if (!spec) return spec.error();
    specs.push_back(*spec);
  }
  return exec::make_launch(*program, specs);
}

// "DEVICE, nvrtc OPTIONS" (the include directory left out: it is the same for every option set).
std::string label(int arch) {
  std::string out = cuda::device_info().name + ", nvrtc";
  for (const std::string& o : cuda::nvrtc_options({arch, {}}))
    if (o.rfind("--include-path=", 0) != 0) out += " " + o;
  return out;
}

// Fills `p` from a built launch and its compiled kernel; returns the error that stops it.
std::string upload(Prepared& p, const exec::Launch& launch, const cuda::CompiledKernel& ck) {
  if (!shared_gpu()) {
    auto gpu = cuda::Gpu::open();
    if (!gpu) return gpu.error().message;
    shared_gpu() = *gpu;
  }
  p.gpu = shared_gpu();
  auto kernel = p.gpu->load(ck.compiled.cubin, ck.kernel.kernel_name);
  if (!kernel) return kernel.error().message;
  p.kernel = *kernel;
  auto args = cuda::upload_kernel_args(*p.gpu, launch, ck.kernel, 0);
  if (!args) return args.error().message;
  p.args = std::move(*args);
  for (int d = 0; d < 3; ++d) p.grid[d] = static_cast<unsigned>(launch.grid[d]);
  p.threads = static_cast<unsigned>(ck.kernel.threads);
  p.shared_bytes = static_cast<unsigned>(ck.kernel.shared_bytes);
  return "";
}

Prepared prepare(const Example& e) {
  Prepared p;
  auto launch = example_launch(e);
  if (!launch) {
    p.error = launch.error().message;
    return p;
  }
  for (const exec::Arg& a : launch->args)
    if (a.is_pointer()) p.bytes += static_cast<double>(a.bytes.size());
  const exec::LoadedProgram& lp = *launch->program;
  cuda::EmitOptions options;
  options.arch = cuda::default_arch();
  auto ck = cuda::compile_program(lp.program, lp.facts, lp.source.get(), options, true);
  if (!ck) {
    p.error = ck.error().message;
    return p;
  }
  p.label = label(options.arch);
  const cuda::DeviceInfo& device = cuda::device_info();
  p.error = device.present ? upload(p, *launch, *ck) : device.reason;
  return p;
}

void BM_Gpu(benchmark::State& state, const Example& e) {
  auto it = prepared().find(e.name);
  if (it == prepared().end()) it = prepared().emplace(e.name, prepare(e)).first;
  Prepared& p = it->second;
  if (!p.error.empty()) {
    state.SkipWithError(p.error.c_str());
    return;
  }
  state.SetLabel(p.label);
  for (auto _ : state) {
    auto ms = p.gpu->time(p.kernel, p.grid, p.threads, p.shared_bytes, p.args.params, kLaunches);
    if (!ms) {
      state.SkipWithError(ms.error().message.c_str());
      break;
    }
    state.SetIterationTime(*ms / 1e3);
  }
  state.counters["bytes"] = benchmark::Counter(p.bytes, benchmark::Counter::kIsIterationInvariantRate);
  if (e.mnk[0] > 0)
    state.counters["FLOP"] =
        benchmark::Counter(2 * e.mnk[0] * e.mnk[1] * e.mnk[2], benchmark::Counter::kIsIterationInvariantRate);
}

// Shapes: big enough that every kernel runs well over 10 us on an H100, small enough that all
// buffers together stay well under 1 GB (all examples stay resident for the whole run).
const Example kVectorAdd{"vector_add", {"n=16777216", "a=rand:f32:1", "b=rand:f32:2"}};
const Example kSoftmax{"softmax", {"m=32768", "x=rand:f16:1"}};
const Example kMatmulSimt{"matmul_simt", {"m=2048", "n=2048", "k=2048", "a=rand:f16:1", "b=rand:f16:2"}, {2048, 2048, 2048}};
const Example kMatmulMma{"matmul_mma", {"m=4096", "n=4096", "k=4096", "a=rand:f16:1", "b=rand:f16:2"}, {4096, 4096, 4096}};
const Example kMatmulSplitk{"matmul_splitk",
                            {"m=1024", "n=1024", "k=8192", "splits=8", "a=rand:f16:1", "b=rand:f16:2"},
                            {1024, 1024, 8192}};
// An LLM decode step: 16 tokens through an 8192 x 8192 layer of 4-bit weights.
const Example kMatmulW4a16{"matmul_w4a16",
                           {"m=16", "n=8192", "k=8192", "act=rand:f16:1", "w=rand:u8:2", "scales=rand:f16:3"},
                           {16, 8192, 8192}};

}  // namespace

BENCHMARK_CAPTURE(BM_Gpu, vector_add, kVectorAdd)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Gpu, softmax, kSoftmax)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Gpu, matmul_simt, kMatmulSimt)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Gpu, matmul_mma, kMatmulMma)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Gpu, matmul_splitk, kMatmulSplitk)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Gpu, matmul_w4a16, kMatmulW4a16)->UseManualTime()->Unit(benchmark::kMicrosecond);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // Device buffers and modules are released while the driver is still loaded.
  prepared().clear();
  shared_gpu().reset();
  return 0;
}
