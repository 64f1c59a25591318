// The mma model against the H100's discriminating vectors, hand-computed cases and host IEEE adds.
#include <doctest/doctest.h>

#include <cstring>
#include <cstdio>
#include <random>

#include "numerics/fused_block.h"
#include "numerics/mma.h"
#include "numerics/vectors.h"

using namespace tilevm::numerics;

namespace {

MmaModel model(const MmaSpec& spec, Arch arch = Arch::kSm90) {
  auto m = MmaModel::make(spec, arch);
  REQUIRE(m.ok());
  return *m;
}

uint32_t run(const MmaSpec& spec, Arch arch, const std::vector<vectors::Pair>& pairs, uint32_t c) {
  vectors::FixedVector v{"", spec, pairs, c, 0};
  uint32_t a[64], b[64];
  vectors::expand(v, a, b);
  return model(spec, arch).dot(a, b, c);
}

}  // namespace

TEST_CASE("mma: the reference's discriminating vectors give the H100's bits") {
  for (const bool simd : {true, false})
    for (const auto& v : vectors::discriminating()) {
      CAPTURE(v.what);
      CAPTURE(simd);
      uint32_t a[64], b[64];
      vectors::expand(v, a, b);
      CHECK(MmaModel::make(v.spec, Arch::kSm90, simd)->dot(a, b, v.c) == v.d);
    }
}

TEST_CASE("mma: the floor sweeps give the H100's bits") {
  for (const auto& v : vectors::floor_sweeps()) {
    CAPTURE(v.what);
    uint32_t a[64], b[64];
    vectors::expand(v, a, b);
    CHECK(model(v.spec).dot(a, b, v.c) == v.d);
  }
}

TEST_CASE("mma: fp8 k split, third pair moved to k = 4 joins the first block") {
  // 256 + 2^-16 + 2^-16 in one block keeps 2^-15 (0x43800001); split across blocks it is lost.
  CHECK(run(vectors::kE4m3F32, Arch::kSm90, {{0, 0x58, 0x58}, {1, 0x02, 0x02}, {4, 0x02, 0x02}}, 0) ==
        0x43800001);
}

TEST_CASE("mma: sm_80 follows the published A100 model (predictions, not measured)") {
  using vectors::kBf16F32;
  using vectors::kF16F16;
  using vectors::kF16F32;
  const Arch a100 = Arch::kSm80;
  CHECK(run(kF16F32, a100, vectors::same(0, 15, 0x3C00, 0x3C00), 0x4C000000) == 0x4C000000);
  CHECK(run(kF16F32, a100, vectors::same(0, 3, 0x0C00, 0x0800), 0x3F800000) == 0x3F800000);
  CHECK(run(kF16F32, a100, vectors::join({{{0, 0x3E00, 0x3E00}}, vectors::same(1, 8, 0x0C00, 0x0800)}), 0) ==
        0x40100000);
  CHECK(run(kBf16F32, a100, {{0, 0x1F00, 0x1F00}, {1, 0x9880, 0x1900}}, 0) == 0x00080000);
  CHECK(run(kBf16F32, a100, {{0, 0x9A00, 0x1980}}, 0x00000200) == 0x00000200);
  CHECK(run(kF16F16, a100, {{0, 0x0C00, 0x0C00}, {1, 0x0C00, 0x0800}, {2, 0x8002, 0x0002}}, 0) == 0x0002);
  CHECK_FALSE(MmaModel::make(vectors::kE4m3F32, a100).ok());
}

TEST_CASE("mma: hand-computed f16 and bf16 cases") {
  using vectors::kBf16F32;
  using vectors::kF16F16;
  using vectors::kF16F32;
  // 1.5 * 2 + 0.25 = 3.25 exactly.
  CHECK(run(kF16F32, Arch::kSm90, {{5, 0x3E00, 0x4000}}, 0x3E800000) == 0x40500000);
  // Exact cancellation with a negative C gives +0.
  CHECK(run(kF16F32, Arch::kSm90, {{0, 0x3C00, 0x3C00}}, 0xBF800000) == 0x00000000);
  // +inf and -inf products give NaN; a NaN C gives NaN; -inf alone stays -inf.
  CHECK(run(kF16F32, Arch::kSm90, {{0, 0x7C00, 0x3C00}, {1, 0xFC00, 0x3C00}}, 0) == 0x7FFFFFFF);
  CHECK(run(kF16F32, Arch::kSm90, {{0, 0x3C00, 0x3C00}}, 0xFFC00001) == 0x7FFFFFFF);
  CHECK(run(kBf16F32, Arch::kSm90, {{3, 0xFF80, 0x3F80}}, 0x7F7FFFFF) == 0xFF800000);
  // f16 output (ulp 2^-10 at 1): 1 + 2^-11 is a tie and rounds to even (1.0); 1 + 3·2^-12
  // rounds up to 1 + 2^-10; 1 + 3·2^-11 is a tie and rounds to even (1 + 2^-9).
  CHECK(run(kF16F16, Arch::kSm90, {{0, 0x3C00, 0x1000}}, 0x3C00) == 0x3C00);
  CHECK(run(kF16F16, Arch::kSm90, {{0, 0x3C00, 0x1200}}, 0x3C00) == 0x3C01);
  CHECK(run(kF16F16, Arch::kSm90, {{0, 0x3C00, 0x1600}}, 0x3C00) == 0x3C02);
  // f16 output: 65504 + 15 stays 65504, + 16 overflows.
  CHECK(run(kF16F16, Arch::kSm90, {{0, 0x4B80, 0x3C00}}, 0x7BFF) == 0x7BFF);
  CHECK(run(kF16F16, Arch::kSm90, {{0, 0x4C00, 0x3C00}}, 0x7BFF) == 0x7C00);
}

TEST_CASE("mma: integer variants are exact sums, wrapped or clamped once") {
  const MmaSpec u4s4{16, 8, 64, MmaType::kU4, MmaType::kS4, MmaType::kS32, false};
  std::vector<vectors::Pair> p;
  for (int k = 0; k < 64; ++k) p.push_back({k, 0xF, 0x8});  // 15 * -8 each
  CHECK(run(u4s4, Arch::kSm90, p, 100) == uint32_t(100 - 64 * 120));
  const MmaSpec u8u8sat{16, 8, 32, MmaType::kU8, MmaType::kU8, MmaType::kS32, true};
  p.clear();
  for (int k = 0; k < 32; ++k) p.push_back({k, 0xFF, 0xFF});
  CHECK(run(u8u8sat, Arch::kSm90, p, 0x7FF00000) == 0x7FFFFFFF);
  CHECK(run(u8u8sat, Arch::kSm80, p, 0x80000000) == uint32_t(INT32_MIN + 32 * 255 * 255));
  const MmaSpec s8u8{16, 8, 32, MmaType::kS8, MmaType::kU8, MmaType::kS32, false};
  CHECK(run(s8u8, Arch::kSm90, {{7, 0x80, 0xFF}}, 0x80000000) == uint32_t(0x80000000u - 128u * 255u));
}

TEST_CASE("mma: unsupported combinations are refused with a message") {
  MmaSpec s = vectors::kF16F32;
  s.k = 8;
  auto m = MmaModel::make(s, Arch::kSm90);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().message.find("m16n8k8.f32.f16.f16.f32") != std::string::npos);
  s = vectors::kF16F32;
  s.satfinite = true;
  CHECK_FALSE(MmaModel::make(s, Arch::kSm90).ok());
  s = vectors::kF16F32;
  s.b = MmaType::kBf16;
  CHECK_FALSE(MmaModel::make(s, Arch::kSm90).ok());
}

TEST_CASE("mma: the whole tile equals the per-element dot on each row and column") {
  const MmaModel m = model(vectors::kBf16F32);
  std::mt19937 rng(7);
  uint32_t a[16 * 16], b[16 * 8], c[16 * 8], d[16 * 8];
  for (auto& x : a) x = rng() & 0xFFFF;
  for (auto& x : b) x = rng() & 0xFFFF;
  for (auto& x : c) x = rng();
  m.tile(a, b, c, d);
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 8; ++j) {
      uint32_t col[16];
      for (int k = 0; k < 16; ++k) col[k] = b[k * 8 + j];
      CHECK(d[i * 8 + j] == m.dot(a + i * 16, col, c[i * 8 + j]));
    }
}

TEST_CASE("mma: the integer f32 add equals the host's IEEE add (NaN canonical)") {
  std::mt19937_64 rng(11);
  const uint32_t edge[] = {0, 0x80000000, 1, 0x80000001, 0x007FFFFF, 0x00800000, 0x7F7FFFFF,
                           0xFF7FFFFF, 0x7F800000, 0xFF800000, 0x3F800000, 0xBF800000, 0x33800000};
  auto check = [](uint32_t x, uint32_t y) {
    float fx, fy;
    std::memcpy(&fx, &x, 4);
    std::memcpy(&fy, &y, 4);
    const float fs = fx + fy;
    uint32_t want;
    std::memcpy(&want, &fs, 4);
    if (fs != fs) want = 0x7FFFFFFF;
    const uint32_t got = detail::f32_add_rne(x, y);
    if (got != want) {
      char msg[80];
      std::snprintf(msg, sizeof msg, "%08x + %08x = %08x, host %08x", x, y, got, want);
      FAIL_CHECK(msg);
    }
  };
  for (uint32_t x : edge)
    for (uint32_t y : edge) check(x, y);
  for (int i = 0; i < 200000; ++i) {
    const uint32_t x = uint32_t(rng());
    uint32_t y = uint32_t(rng());
    if (i & 1) y = (y & 0x81FFFFFF) | ((x & 0x7E000000) + ((rng() & 3) << 23));  // near exponents
    check(x, y);
  }
}
