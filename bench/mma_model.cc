// Throughput of the mma model on one core: dot-adds (one D element) per second, per variant.
#include <benchmark/benchmark.h>

#include <vector>

#include "numerics/mma.h"
#include "numerics/mma_inputs.h"

using namespace tilevm::numerics;

namespace {

constexpr int kInstances = 256;  // inputs cycled through: every distribution of the generator

struct Inputs {
  std::vector<uint32_t> a, b_cols, c;  // per dot: a row, a column of B, one C
  int dots = 0;
};

Inputs make_inputs(const MmaSpec& s) {
  Inputs in;
  std::vector<uint32_t> a(s.m * s.k), b(s.k * s.n), c(s.m * s.n);
  for (int i = 0; i < kInstances; ++i) {
    inputs::generate(s, 1, uint64_t(i), a.data(), b.data(), c.data());
    for (int m = 0; m < s.m; ++m)
      for (int n = 0; n < s.n; ++n, ++in.dots) {
        in.a.insert(in.a.end(), a.begin() + m * s.k, a.begin() + (m + 1) * s.k);
        for (int k = 0; k < s.k; ++k) in.b_cols.push_back(b[k * s.n + n]);
        in.c.push_back(c[m * s.n + n]);
      }
  }
  return in;
}

void dot(benchmark::State& state, MmaSpec s, Arch arch) {
  const MmaModel model = *MmaModel::make(s, arch);
  const Inputs in = make_inputs(s);
  int i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model.dot(&in.a[size_t(i) * s.k], &in.b_cols[size_t(i) * s.k], in.c[i]));
    if (++i == in.dots) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

// Instances cycle through every distribution of the generator, or only `typical` (index 1 mod 10)
// when `typical_only`: finite values of similar size, the emulator's common case.
void tile(benchmark::State& state, MmaSpec s, Arch arch, bool typical_only) {
  const MmaModel model = *MmaModel::make(s, arch);
  std::vector<uint32_t> a(size_t(kInstances) * s.m * s.k), b(size_t(kInstances) * s.k * s.n),
      c(size_t(kInstances) * s.m * s.n), d(s.m * s.n);
  for (int i = 0; i < kInstances; ++i)
    inputs::generate(s, 1, typical_only ? uint64_t(10 * i + 1) : uint64_t(i), &a[size_t(i) * s.m * s.k],
                     &b[size_t(i) * s.k * s.n], &c[size_t(i) * s.m * s.n]);
  int i = 0;
  for (auto _ : state) {
    model.tile(&a[size_t(i) * s.m * s.k], &b[size_t(i) * s.k * s.n], &c[size_t(i) * s.m * s.n], d.data());
    benchmark::DoNotOptimize(d.data());
    if (++i == kInstances) i = 0;
  }
  state.SetItemsProcessed(state.iterations() * s.m * s.n);
}

using T = MmaType;
const MmaSpec kF16F32{16, 8, 16, T::kF16, T::kF16, T::kF32, false};
const MmaSpec kBf16F32{16, 8, 16, T::kBf16, T::kBf16, T::kF32, false};
const MmaSpec kF16F16{16, 8, 16, T::kF16, T::kF16, T::kF16, false};
const MmaSpec kTf32{16, 8, 8, T::kTf32, T::kTf32, T::kF32, false};
const MmaSpec kE4m3{16, 8, 32, T::kE4m3, T::kE4m3, T::kF32, false};
const MmaSpec kS8Sat{16, 8, 32, T::kS8, T::kS8, T::kS32, true};
const MmaSpec kU4S4{16, 8, 64, T::kU4, T::kS4, T::kS32, false};

}  // namespace

BENCHMARK_CAPTURE(dot, f16_f32_k16_sm90, kF16F32, Arch::kSm90);
BENCHMARK_CAPTURE(dot, bf16_f32_k16_sm90, kBf16F32, Arch::kSm90);
BENCHMARK_CAPTURE(dot, f16_f16_k16_sm90, kF16F16, Arch::kSm90);
BENCHMARK_CAPTURE(dot, tf32_f32_k8_sm90, kTf32, Arch::kSm90);
BENCHMARK_CAPTURE(dot, e4m3_f32_k32_sm90, kE4m3, Arch::kSm90);
BENCHMARK_CAPTURE(dot, s8_sat_k32_sm90, kS8Sat, Arch::kSm90);
BENCHMARK_CAPTURE(dot, u4s4_k64_sm90, kU4S4, Arch::kSm90);
BENCHMARK_CAPTURE(dot, f16_f32_k16_sm80, kF16F32, Arch::kSm80);
BENCHMARK_CAPTURE(dot, bf16_f32_k16_sm80, kBf16F32, Arch::kSm80);
BENCHMARK_CAPTURE(tile, f16_f32_k16_sm90, kF16F32, Arch::kSm90, false);
BENCHMARK_CAPTURE(tile, bf16_f32_k16_sm90, kBf16F32, Arch::kSm90, false);
BENCHMARK_CAPTURE(tile, f16_f16_k16_sm90, kF16F16, Arch::kSm90, false);
BENCHMARK_CAPTURE(tile, tf32_f32_k8_sm90, kTf32, Arch::kSm90, false);
BENCHMARK_CAPTURE(tile, e4m3_f32_k32_sm90, kE4m3, Arch::kSm90, false);
BENCHMARK_CAPTURE(tile, s8_sat_k32_sm90, kS8Sat, Arch::kSm90, false);
BENCHMARK_CAPTURE(tile, u4s4_k64_sm90, kU4S4, Arch::kSm90, false);
BENCHMARK_CAPTURE(tile, f16_f32_k16_sm80, kF16F32, Arch::kSm80, false);
BENCHMARK_CAPTURE(tile, f16_f32_k16_sm90_typical, kF16F32, Arch::kSm90, true);
BENCHMARK_CAPTURE(tile, bf16_f32_k16_sm90_typical, kBf16F32, Arch::kSm90, true);
BENCHMARK_MAIN();
