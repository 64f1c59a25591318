// Bulk conversion of packed buffers (dt::convert_buffer): f32 → every float format of ≤ 8 bits,
// and every type of ≤ 8 bits → f16 and f32. Counters: elements per second (items_per_second).
// Run from a Release build: build/bench/bench_dtype_convert [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "dtype/convert.h"
#include "dtype/dtype.h"
#include "dtype/pack.h"

namespace {

using namespace tilevm::dt;

constexpr size_t kElements = size_t{1} << 16;  // 256 KiB of f32: stays in L2

uint64_t next(uint64_t& s) {
  s = s * 6364136223846793005ull + 1442695040888963407ull;
  return s ^ (s >> 29);
}

// f32 inputs spread over the target's range: magnitudes 2^-12 .. 2^12 with random mantissas and
// signs, plus a NaN, inf and zero now and then.
std::vector<uint8_t> f32_inputs() {
  std::vector<uint8_t> buf(kElements * 4);
  uint64_t s = 1;
  for (size_t i = 0; i < kElements; ++i) {
    uint64_t r = next(s);
    uint32_t bits = static_cast<uint32_t>(((r >> 40) % 25 + 115) << 23) | static_cast<uint32_t>(r & 0x7fffff) |
                    static_cast<uint32_t>((r >> 63) << 31);
    if (i % 997 == 0) bits = 0x7fc00000;
    if (i % 1009 == 0) bits = 0xff800000;
    if (i % 1013 == 0) bits = 0;
    std::memcpy(&buf[i * 4], &bits, 4);
  }
  return buf;
}

std::vector<uint8_t> random_codes(const DType& t) {
  std::vector<uint8_t> buf(packed_bytes(t.bits, kElements));
  uint64_t s = 7;
  for (uint8_t& b : buf) b = static_cast<uint8_t>(next(s));
  return buf;
}

void run(benchmark::State& state, const std::vector<uint8_t>& src, const DType& from, const DType& to) {
  std::vector<uint8_t> dst(packed_bytes(to.bits, kElements));
  for (auto _ : state) {
    convert_buffer(src.data(), from, dst.data(), to, kElements);
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kElements));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * (src.size() + dst.size())));
}

void register_all() {
  static const std::vector<uint8_t> f32 = f32_inputs();
  for (const DType& t : all_dtypes()) {
    if (t.bits > 8 || t.is_bool()) continue;
    if (t.is_float()) {
      benchmark::RegisterBenchmark(("f32_to/" + t.name()).c_str(),
                                   [t](benchmark::State& s) { run(s, f32, kF32, t); });
    }
    auto codes = std::make_shared<std::vector<uint8_t>>(random_codes(t));
    for (const DType& to : {kF16, kF32}) {
      benchmark::RegisterBenchmark((t.name() + "_to/" + to.name()).c_str(),
                                   [t, to, codes](benchmark::State& s) { run(s, *codes, t, to); });
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
