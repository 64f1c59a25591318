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
//
// 8-bit integers to f16 (no bf16 form: 128 + v is not exact for v >= 128): a word holds four
// elements, one per byte; for elements j and j+1 (j = 0 or 2) one prmt of (w, 0x64646464) with
// selector byte8_selector(j) builds the half2 {0x64 : byte j, 0x64 : byte j+1} = 1024 + v (ulp 1
// up to 2048, and v <= 255); one subtraction of 1024 gives v. Signed bytes are first xor-ed with
// 0x80808080 (v + 128 in [0, 255]) and 1152 (0x6480) is subtracted.
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

// PTX prmt.b32 selector for the 8-bit pair at bytes j, j+1 of the first operand, each under a
// byte 0x64 of the second operand (selector nibble 4 = byte 0 of the second operand).
constexpr uint32_t byte8_selector(int j) {
  return static_cast<uint32_t>(j) | (4u << 4) | (static_cast<uint32_t>(j + 1) << 8) | (4u << 12);
}
// The f16 pair subtracted after the prmt: 1024 (unsigned) or 1152 (signed), twice.
constexpr uint32_t byte8_bias(bool is_signed) { return is_signed ? 0x64806480u : 0x64006400u; }

}  // namespace tilevm::cuda
