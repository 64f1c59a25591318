// The paired 4-bit integer to f16/bf16 conversion the code generator emits (insns/cast.cc), as
// data, so that a host model of the same bit formula can prove it exact for every code
// (tests/codegen/dequant_test.cc).
//
// A 32-bit register word w holds eight packed 4-bit elements, element j in bits [4j, 4j+4).
// Elements j and j+4 (j = 0..3) sit 16 bits apart, so one lop3 on w >> 4j builds both halves of
// a half2 (or bfloat162) at once:
//   h = lop3(w >> 4j, kNibbles, magic, lut)   with lut = (a & b) | c for unsigned sources and
//                                             (a & b) ^ c for signed ones,
// then one packed subtraction h - bias gives both values.
// Why it is exact:
// - f16: 0x6400 is 1024 (exponent 10, mantissa 0); with a 4-bit value v in the low mantissa bits
//   0x6400 | v is exactly 1024 + v (the ulp in [1024, 2048) is 1). Subtracting 1024 (0x6400)
//   gives v, an exactly representable result, so the subtraction's rounding changes nothing.
// - bf16: 0x4300 is 128 (ulp 1 in [128, 256), 7 mantissa bits); 0x4300 | v = 128 + v.
// - signed sources: v in [-8, 7]; xor of the nibble's top bit gives v + 8 in [0, 15], so the
//   half is magic + 8 + v, and subtracting magic + 8 (f16 0x6408 = 1032, bf16 0x4308 = 136) gives
//   v exactly. The xor folds into the lop3: c carries both the magic and 0x0008 per half; the
//   bits of b (0x000f) and of the magic are disjoint, so (a & b) ^ c sets the magic bits and
//   flips bit 3 of each nibble.
// - 0 - 0 gives +0 in round-to-nearest, as the conversion of the integer 0 must.
#pragma once

#include <cstdint>

namespace tilevm::cuda {

struct PairedDequant {
  uint32_t mask;   // b of the lop3: the two nibbles 16 bits apart
  uint32_t magic;  // c of the lop3 (per half: the magic exponent, plus 0x8 for signed sources)
  uint32_t lut;    // the lop3 truth table (PTX immLut: a = 0xf0, b = 0xcc, c = 0xaa)
  uint32_t bias;   // the half2 subtracted afterwards (two copies of one 16-bit code)
};

// The formula for a 4-bit integer source (signed or not) to f16 (bf16 = false) or bf16.
constexpr PairedDequant paired_dequant(bool is_signed, bool bf16) {
  uint32_t m = bf16 ? 0x43004300u : 0x64006400u;
  if (!is_signed) return PairedDequant{0x000f000fu, m, (0xf0u & 0xccu) | 0xaau, m};
  return PairedDequant{0x000f000fu, m | 0x00080008u, (0xf0u & 0xccu) ^ 0xaau, m | 0x00080008u};
}

}  // namespace tilevm::cuda
