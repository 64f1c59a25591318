// Compile latency of the quantised matmul example (examples/matmul_w4a16.tile): parse + verify +
// code generation, NVRTC cold (no cache), and a cache hit.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "backend/cuda/emit.h"
#include "text/parser.h"
#include "verify/verify.h"

using namespace tilevm;

namespace {

struct Loaded {
  std::unique_ptr<text::SourceFile> file;
  ir::Program program;
  verify::Facts facts;
};

Loaded load() {
  std::string path = (std::filesystem::path(__FILE__).parent_path().parent_path() / "examples/matmul_w4a16.tile").string();
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  Loaded l;
  l.file = std::make_unique<text::SourceFile>(path, s.str());
  text::Diagnostics diags(*l.file);
  l.program = *text::parse_program(diags);
  l.facts = *verify::verify_program(l.program, diags);
  return l;
}

void BM_Emit(benchmark::State& state) {
  Loaded l = load();
  for (auto _ : state) benchmark::DoNotOptimize(cuda::emit_kernel(l.program, l.facts, l.file.get(), {90}));
}

void BM_CompileCold(benchmark::State& state) {
  Loaded l = load();
  for (auto _ : state) {
    auto r = cuda::compile_program(l.program, l.facts, l.file.get(), {90}, false);
    if (!r) state.SkipWithError(r.error().message.c_str());
  }
}

void BM_CompileCached(benchmark::State& state) {
  auto dir = std::filesystem::temp_directory_path() / "tilevm-bench-cache";
  setenv("TILEVM_CACHE_DIR", dir.c_str(), 1);
  Loaded l = load();
  (void)cuda::compile_program(l.program, l.facts, l.file.get(), {90}, true);  // fill
  for (auto _ : state) {
    auto r = cuda::compile_program(l.program, l.facts, l.file.get(), {90}, true);
    if (!r || !r->compiled.from_cache) state.SkipWithError("expected a cache hit");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace

BENCHMARK(BM_Emit)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CompileCold)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_CompileCached)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
