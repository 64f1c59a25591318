// Fixed mma.sync test vectors with the H100's outputs (shared by the unit tests and the
// validation program tools/mma_validate, which re-checks every one on the GPU).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "numerics/mma.h"

namespace tilevm::numerics::vectors {

// A product term: a[k] and b[k] (codes); every k not listed is zero.
struct Pair {
  int k;
  uint32_t a, b;
};

struct FixedVector {
  const char* what;
  MmaSpec spec;
  std::vector<Pair> pairs;
  uint32_t c;
  uint32_t d;  // the H100's D (sm_90)
};

inline constexpr MmaSpec kF16F32{16, 8, 16, MmaType::kF16, MmaType::kF16, MmaType::kF32, false};
inline constexpr MmaSpec kBf16F32{16, 8, 16, MmaType::kBf16, MmaType::kBf16, MmaType::kF32, false};
inline constexpr MmaSpec kF16F16{16, 8, 16, MmaType::kF16, MmaType::kF16, MmaType::kF16, false};
inline constexpr MmaSpec kTf32F32{16, 8, 8, MmaType::kTf32, MmaType::kTf32, MmaType::kF32, false};
inline constexpr MmaSpec kE4m3F32{16, 8, 32, MmaType::kE4m3, MmaType::kE4m3, MmaType::kF32, false};
inline constexpr MmaSpec kS8{16, 8, 32, MmaType::kS8, MmaType::kS8, MmaType::kS32, false};
inline constexpr MmaSpec kS8Sat{16, 8, 32, MmaType::kS8, MmaType::kS8, MmaType::kS32, true};

inline std::vector<Pair> same(int k0, int k1, uint32_t a, uint32_t b) {
  std::vector<Pair> v;
  for (int k = k0; k <= k1; ++k) v.push_back({k, a, b});
  return v;
}

inline std::vector<Pair> join(std::initializer_list<std::vector<Pair>> parts) {
  std::vector<Pair> v;
  for (const auto& p : parts) v.insert(v.end(), p.begin(), p.end());
  return v;
}

// The discriminating vectors of the reference (mma_numerics.md section 8, observed on an H100).
inline std::vector<FixedVector> discriminating() {
  return {
      {"1 one sum, one RZ", kF16F32, same(0, 2, 0x0C00, 0x0C00), 0x3F800000, 0x3F800001},
      {"2 16 terms in one window", kF16F32, same(0, 15, 0x3C00, 0x3C00), 0x4C000000, 0x4C000004},
      {"3 F = 25", kF16F32, same(0, 3, 0x0C00, 0x0800), 0x3F800000, 0x3F800001},
      {"4 products not normalised", kF16F32, join({{{0, 0x3E00, 0x3E00}}, same(1, 8, 0x0C00, 0x0800)}),
       0x00000000, 0x40100001},
      {"5 RZ of a negative sum", kF16F32, same(0, 2, 0x8C00, 0x0C00), 0xBF800000, 0xBF800001},
      {"6 zero is +0", kF16F32, same(0, 15, 0x8000, 0x3C00), 0x80000000, 0x00000000},
      {"7 canonical NaN", kF16F32, {{0, 0x7E01, 0x3C00}}, 0x00000000, 0x7FFFFFFF},
      {"8 inf*0 is +NaN", kF16F32, {{0, 0x7C00, 0x0000}}, 0x00000000, 0x7FFFFFFF},
      {"9 C cut by E = 200", kBf16F32, {{0, 0x7180, 0x7180}, {1, 0xF180, 0x7180}}, 0x3F800000, 0x00000000},
      {"10 overflow to inf under RZ", kBf16F32, {{0, 0x7F00, 0x4000}}, 0x00000000, 0x7F800000},
      {"11 E_floor = -133", kBf16F32, {{0, 0x1F00, 0x1F00}, {1, 0x9880, 0x1900}}, 0x00000000, 0x0007FFFF},
      {"12 zeros excluded from E", kBf16F32, {{0, 0x0000, 0x7F00}}, 0x35800001, 0x35800001},
      {"13 subnormal C aligns at -126", kBf16F32, {{0, 0x9A00, 0x1980}}, 0x00000200, 0x000001FF},
      {"14 below the window", kBf16F32, {{0, 0x9980, 0x1980}}, 0x00000200, 0x00000200},
      {"15 underflow to +0", kBf16F32, {{0, 0x9A00, 0x1A00}}, 0x00000000, 0x00000000},
      {"16 tf32 low bits ignored", kTf32F32, {{0, 0x3F801FFF, 0x3F800000}}, 0x00000000, 0x3F800000},
      {"17 tf32 NaN reads as inf", kTf32F32, {{0, 0x7F800001, 0x3F800000}}, 0x00000000, 0x7F800000},
      {"18 no sticky bit", kF16F16, {{0, 0x2800, 0x2400}, {1, 0x0200, 0x0200}}, 0x3C00, 0x3C00},
      {"19 E_floor = -21", kF16F16, {{0, 0x0C00, 0x0C00}, {1, 0x0C00, 0x0800}, {2, 0x8002, 0x0001}}, 0x0000,
       0x0002},
      {"20 floor boundary", kF16F16, {{0, 0x0C00, 0x0C00}, {1, 0x0C00, 0x0800}, {2, 0x8002, 0x0002}}, 0x0000,
       0x0001},
      {"21 RNE overflow", kF16F16, {{0, 0x4400, 0x4400}}, 0x7BFF, 0x7C00},
      {"22 mma keeps all of C", kE4m3F32, {}, 0x3F800001, 0x3F800001},
      {"23 fp8 products at F = 25", kE4m3F32, same(0, 31, 0x04, 0x04), 0x3F800000, 0x3F804000},
      {"24 C not truncated", kE4m3F32, {{0, 0x38, 0x38}}, 0x49800008, 0x49800010},
      {"25 final add of C is RNE", kE4m3F32, {{0, 0x04, 0x04}, {1, 0x04, 0x02}}, 0x44800000, 0x44800001},
      {"26 k split by k mod 4", kE4m3F32, {{0, 0x58, 0x58}, {1, 0x02, 0x02}, {2, 0x02, 0x02}}, 0x00000000,
       0x43800000},
      {"27 wrap", kS8, {{0, 0x01, 0x01}}, 0x7FFFFFFF, 0x80000000},
      {"27 clamp", kS8Sat, {{0, 0x01, 0x01}}, 0x7FFFFFFF, 0x7FFFFFFF},
      {"28 one final clamp", kS8Sat, {{0, 0x7F, 0x7F}, {1, 0x7F, 0x81}}, 0x7FFFFFFF, 0x7FFFFFFF},
      {"29 carries: exact sum", kF16F32, same(0, 15, 0x3FFF, 0x3FFF), 0x40000000, 0x4283E002},
  };
}

inline constexpr uint32_t kUnmeasured = 0xDEADBEEF;  // marks a vector whose D is not recorded yet

// bf16 and f16 codes of 2^e (normal or subnormal).
inline uint32_t bf16_pow2(int e) { return e >= -126 ? uint32_t(e + 127) << 7 : 1u << (e + 133); }
inline uint32_t f16_pow2(int e) { return e >= -14 ? uint32_t(e + 15) << 10 : 1u << (e + 24); }

// The floor sweeps of the reference (section 9): bf16 → f32 2^-140 − 2^y for y = −166..−148,
// and f16 → f16 2^-24 + 2^-25 − 2^y for y = −48..−38, with the H100's outputs.
inline std::vector<FixedVector> floor_sweeps() {
  // Recorded on an H100 80GB HBM3, CUDA 13.0 (tools/mma_validate, 2026-11-26).
  static constexpr uint32_t bf16_d[19] = {0x200, 0x200, 0x200, 0x200, 0x200, 0x200, 0x200, 0x200, 0x1FF, 0x1FF,
                                          0x1FF, 0x1FF, 0x1FF, 0x1FF, 0x1FF, 0x1FF, 0x1FF, 0x1FF, 0x1FE};
  static constexpr uint32_t f16_d[11] = {0x2, 0x2, 0x1, 0x1, 0x1, 0x1, 0x1, 0x1, 0x1, 0x1, 0x1};
  std::vector<FixedVector> v;
  for (int y = -166; y <= -148; ++y) {
    const int hi = -((-y) / 2);  // ceil(y / 2)
    v.push_back({"sweep bf16 2^-140 - 2^y", kBf16F32,
                 {{0, bf16_pow2(-70), bf16_pow2(-70)}, {1, 0x8000 | bf16_pow2(hi), bf16_pow2(y - hi)}}, 0,
                 bf16_d[y + 166]});
  }
  for (int y = -48; y <= -38; ++y) {
    const int hi = -((-y) / 2);
    v.push_back({"sweep f16 2^-24 + 2^-25 - 2^y", kF16F16,
                 {{0, f16_pow2(-12), f16_pow2(-12)}, {1, f16_pow2(-12), f16_pow2(-13)},
                  {2, 0x8000 | f16_pow2(hi), f16_pow2(y - hi)}},
                 0, f16_d[y + 48]});
  }
  return v;
}

// Expands a vector's pairs into dense k-element A-row and B-column code arrays.
inline void expand(const FixedVector& v, uint32_t* a_row, uint32_t* b_col) {
  for (int k = 0; k < v.spec.k; ++k) a_row[k] = b_col[k] = 0;
  for (const Pair& p : v.pairs) a_row[p.k] = p.a, b_col[p.k] = p.b;
}

}  // namespace tilevm::numerics::vectors
