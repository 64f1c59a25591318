// The seeded input generator: deterministic, and each distribution produces what it targets.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "numerics/mma.h"
#include "numerics/mma_inputs.h"

using namespace tilevm::numerics;

namespace {

std::vector<MmaSpec> all_specs() {
  using T = MmaType;
  std::vector<MmaSpec> v = {{16, 8, 16, T::kF16, T::kF16, T::kF32, false},
                            {16, 8, 16, T::kBf16, T::kBf16, T::kF32, false},
                            {16, 8, 16, T::kF16, T::kF16, T::kF16, false},
                            {16, 8, 8, T::kTf32, T::kTf32, T::kF32, false},
                            {16, 8, 32, T::kE4m3, T::kE5m2, T::kF32, false},
                            {16, 8, 32, T::kS8, T::kU8, T::kS32, true},
                            {16, 8, 64, T::kU4, T::kS4, T::kS32, false}};
  return v;
}

}  // namespace

TEST_CASE("inputs: the same (spec, seed, index) gives the same tile, another index differs") {
  for (const MmaSpec& s : all_specs()) {
    CAPTURE(spec_name(s));
    const MmaModel m = *MmaModel::make(s, Arch::kSm90);
    for (uint64_t i = 0; i < 40; ++i) {
      uint32_t a1[1024], b1[512], c1[128], a2[1024], b2[512], c2[128], d[128];
      inputs::generate(s, 5, i, a1, b1, c1);
      inputs::generate(s, 5, i, a2, b2, c2);
      CHECK(std::equal(a1, a1 + s.m * s.k, a2));
      CHECK(std::equal(b1, b1 + s.k * s.n, b2));
      CHECK(std::equal(c1, c1 + 128, c2));
      inputs::generate(s, 6, i, a2, b2, c2);
      CHECK_FALSE(std::equal(a1, a1 + s.m * s.k, a2));
      m.tile(a1, b1, c1, d);
    }
  }
}

TEST_CASE("inputs: the special distribution has NaN/inf and zeros, subnormal has subnormal C") {
  const MmaSpec s{16, 8, 16, MmaType::kF16, MmaType::kF16, MmaType::kF32, false};
  REQUIRE(std::string(inputs::distribution_name(s, 6)) == "special");
  REQUIRE(std::string(inputs::distribution_name(s, 5)) == "subnormal");
  int specials = 0, zeros = 0, sub_c = 0;
  for (uint64_t i = 6; i < 600; i += 10) {
    uint32_t a[256], b[128], c[128];
    inputs::generate(s, 1, i, a, b, c);
    for (int j = 0; j < 256; ++j) specials += (a[j] & 0x7C00) == 0x7C00, zeros += (a[j] & 0x7FFF) == 0;
    inputs::generate(s, 1, i - 1, a, b, c);
    for (int j = 0; j < 128; ++j) sub_c += (c[j] & 0x7F800000) == 0 && (c[j] & 0x7FFFFF) != 0;
  }
  CHECK(specials > 100);
  CHECK(zeros > 1000);
  CHECK(sub_c > 1000);
}

TEST_CASE("inputs: the AVX2 and portable sums give the same bits on every variant and architecture") {
  for (const MmaSpec& s : all_specs())
    for (const Arch arch : {Arch::kSm90, Arch::kSm80}) {
      auto fast = MmaModel::make(s, arch, true), portable = MmaModel::make(s, arch, false);
      if (!fast.ok()) continue;  // fp8 on sm_80
      CAPTURE(spec_name(s));
      int differ = 0;
      for (uint64_t i = 0; i < 200; ++i) {
        uint32_t a[1024], b[512], c[128], d1[128], d2[128];
        inputs::generate(s, 9, i, a, b, c);
        fast->tile(a, b, c, d1);
        portable->tile(a, b, c, d2);
        differ += !std::equal(d1, d1 + 128, d2);
      }
      CHECK(differ == 0);
    }
}
