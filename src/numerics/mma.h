// Bit-accurate model of tensor-core mma.sync (f16, bf16, tf32, fp8, s8/u8, s4/u4) per architecture.
//
// Semantics (the full account, with the evidence, is docs/numerics.md):
// - Every value is a bit pattern ("code") held in the low bits of a uint32_t: f16/bf16 in 16
//   bits, tf32 in the full 32 bits of its f32 register (the low 13 bits are ignored, not
//   rounded), e4m3/e5m2/s8/u8 in 8 bits, s4/u4 in 4 bits, f32/s32 in 32 bits. Bits above an
//   element's width are ignored. Results are computed with integer arithmetic only.
// - Floating-point variants add all products of one hardware block and the accumulator in one
//   fused step: products are exact and not normalised, every addend is aligned to the largest
//   alignment exponent E (raised to a floor), cut to F fraction bits below 2^E by truncation of
//   its magnitude, summed exactly, then rounded once: toward zero for f32 output, to nearest
//   even for f16 output. Zeros take no part in choosing E.
// - Specials: any NaN input, inf·0, or +inf together with -inf gives the canonical NaN
//   (0x7FFFFFFF for f32 output, 0x7FFF for f16 output); otherwise any infinite addend gives that
//   infinity. A zero result is always +0 (never -0). Overflow gives ±inf even under RZ.
// - sm_90 (H100, measured): one block over the whole K of f16/bf16/tf32; F = 25; floors -133
//   (f32 out) and -21 (f16 out). fp8 mma.sync is what ptxas 13.0 emits for sm_90: fp8 -> f16,
//   two f16 blocks over k mod 4 in {0,1} then {2,3} (the second takes the first's f32 result as
//   its accumulator, starting from +0), then one IEEE f32 add (RNE) of C.
// - sm_80 (A100, from published models, NOT measured here): blocks of 8 (tf32: 4) chained
//   through the output format; F = 24; floors -132 / -20. No fp8 mma.
// - Integer variants: exact sum in 64 bits, then wrap to 32 bits or, with .satfinite, one clamp
//   of the exact total to the s32 range. Identical on sm_80 and sm_90.
#pragma once

#include <cstdint>
#include <string>

#include "support/expected.h"

namespace tilevm::numerics {

enum class Arch : uint8_t { kSm80, kSm90 };

// Element types of mma operands. kF32 and kS32 are accumulator (C/D) types only.
enum class MmaType : uint8_t { kF16, kBf16, kTf32, kE4m3, kE5m2, kS8, kU8, kS4, kU4, kF32, kS32 };

// One mma.sync instruction: shape m16n8k<k>, A and B element types, C type (= D type) and the
// .satfinite flag (integer variants only). A is row-major, B column-major (".row.col").
struct MmaSpec {
  int m = 16;
  int n = 8;
  int k = 16;
  MmaType a = MmaType::kF16;
  MmaType b = MmaType::kF16;
  MmaType c = MmaType::kF32;
  bool satfinite = false;

  friend bool operator==(const MmaSpec&, const MmaSpec&) = default;
};

// The supported instructions (sm_90 supports all; sm_80 all but fp8):
//   m16n8k16 f16 x f16 + f32 -> f32,  bf16 x bf16 + f32 -> f32,  f16 x f16 + f16 -> f16
//   m16n8k8  tf32 x tf32 + f32 -> f32
//   m16n8k32 {s8,u8} x {s8,u8} + s32 -> s32 (optionally .satfinite)
//   m16n8k64 {s4,u4} x {s4,u4} + s32 -> s32 (optionally .satfinite)
//   m16n8k32 {e4m3,e5m2} x {e4m3,e5m2} + f32 -> f32 (sm_90 only)

const char* type_name(MmaType t);
// The PTX-style name, e.g. "m16n8k16.f32.bf16.bf16.f32" or "m16n8k32.satfinite.s32.s8.u8.s32".
std::string spec_name(const MmaSpec& spec);
const char* arch_name(Arch arch);

// A validated instruction on an architecture; cheap to copy. Its functions are pure and
// thread-safe.
class MmaModel {
 public:
  // Fails with a message when `spec` is not one of the supported instructions on `arch`.
  // `allow_simd` = false keeps to the portable code (the results are the same bits; tests and
  // benchmarks compare the two); otherwise AVX2 is used when the CPU has it.
  static Expected<MmaModel> make(const MmaSpec& spec, Arch arch, bool allow_simd = true);

  const MmaSpec& spec() const { return spec_; }
  Arch arch() const { return arch_; }

  // One output element: D[m][n] from row m of A (k codes), column n of B (k codes, contiguous)
  // and C[m][n]. Returns the D code (f16 in the low 16 bits, zero above).
  uint32_t dot(const uint32_t* a_row, const uint32_t* b_col, uint32_t c) const;

  // The whole tile: A is m×k, B is k×n, C and D are m×n, all row-major logical order.
  // `d` may alias `c`. Each element of A and B is decoded once for all the dots that use it.
  void tile(const uint32_t* a, const uint32_t* b, const uint32_t* c, uint32_t* d) const;

  // The two halves of dot(), for callers that reuse rows or columns: an element of A or B in
  // the model's internal form (opaque), and a dot over k such decoded elements of each.
  uint32_t decode_a(uint32_t code) const;
  uint32_t decode_b(uint32_t code) const;
  uint32_t dot_decoded(const uint32_t* a_row, const uint32_t* b_col, uint32_t c) const;

 private:
  enum class Kind : uint8_t { kF16F32, kBf16F32, kF16F16, kTf32F32, kFp8F32, kInt };
  MmaModel(const MmaSpec& spec, Arch arch, Kind kind, bool simd)
      : spec_(spec), arch_(arch), kind_(kind), simd_(simd) {}
  // Calls fn(kernel) with the kernel object of this instruction (defined in mma.cc).
  template <class Fn>
  decltype(auto) with_kernel(Fn&& fn) const;

  MmaSpec spec_;
  Arch arch_;
  Kind kind_;
  bool simd_;
};

}  // namespace tilevm::numerics
