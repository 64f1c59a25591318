// The paired 4-bit dequantisation formula (backend/cuda/dequant.h) is exact: a host model of
// lop3 and of the packed f16/bf16 subtraction, applied to every pair of codes at every nibble
// position (with the word's other nibbles set), gives src/dtype's conversion of both elements.
// The model decodes and rounds halves with its own textbook formulas, not with src/dtype.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>

#include "backend/cuda/dequant.h"
#include "dtype/convert.h"

using namespace tilevm;

namespace {

// PTX lop3.b32: bit i of the result is bit (a_i·4 + b_i·2 + c_i) of the truth table.
uint32_t lop3(uint32_t a, uint32_t b, uint32_t c, uint32_t lut) {
  uint32_t r = 0;
  for (int i = 0; i < 32; ++i) {
    uint32_t k = (((a >> i) & 1) << 2) | (((b >> i) & 1) << 1) | ((c >> i) & 1);
    r |= ((lut >> k) & 1) << i;
  }
  return r;
}

// A finite 16-bit float code with `man` mantissa bits (f16: 10, bf16: 7) as a double.
double decode16(uint16_t h, int man) {
  int ebits = 15 - man, bias = (1 << (ebits - 1)) - 1;
  int e = (h >> man) & ((1 << ebits) - 1);
  double m = h & ((1 << man) - 1);
  double v = e ? std::ldexp(1.0 + m / (1 << man), e - bias) : std::ldexp(m / (1 << man), 1 - bias);
  REQUIRE(e != (1 << ebits) - 1);  // the model only meets finite values
  return (h >> 15) ? -v : v;
}

// The code of a nonzero normal double, or +0, that the 16-bit format represents exactly:
// exactness is what the formula claims, so a value the format would have to round fails.
uint16_t encode16_exact(double v, int man) {
  if (v == 0) return 0;
  int ebits = 15 - man, bias = (1 << (ebits - 1)) - 1, x = 0;
  double f = std::frexp(std::fabs(v), &x);  // |v| = f·2^x, f in [0.5, 1)
  double m = (f * 2 - 1) * (1 << man);      // the mantissa field, if v is representable
  REQUIRE(x - 1 + bias >= 1);
  REQUIRE(m == std::floor(m));
  auto code = static_cast<uint16_t>((v < 0 ? 0x8000 : 0) | ((x - 1 + bias) << man) | static_cast<int>(m));
  REQUIRE(decode16(code, man) == v);
  return code;
}

// One lane of the packed subtraction x - y in a 16-bit format: the exact difference (a double
// holds it exactly for these small operands), then the rounding, which must be exact.
uint16_t sub16(uint16_t x, uint16_t y, int man) { return encode16_exact(decode16(x, man) - decode16(y, man), man); }

void check_formula(bool is_signed, bool bf16) {
  const cuda::PairedDequant q = cuda::paired_dequant(is_signed, bf16);
  const dt::DType from = dt::int_type(4, is_signed), to = bf16 ? dt::kBF16 : dt::kF16;
  const int man = bf16 ? 7 : 10;
  for (int j = 0; j < 4; ++j)            // the pair's position: nibbles j and j + 4
    for (uint32_t lo = 0; lo < 16; ++lo)
      for (uint32_t hi = 0; hi < 16; ++hi)
        for (uint32_t other : {0u, 0xffffffffu, 0x5a3c96e1u}) {
          uint32_t w = other;
          w &= ~((0xfu << (4 * j)) | (0xfu << (4 * j + 16)));
          w |= (lo << (4 * j)) | (hi << (4 * j + 16));
          uint32_t h = lop3(w >> (4 * j), q.mask, q.magic, q.lut);
          uint16_t r0 = sub16(static_cast<uint16_t>(h), static_cast<uint16_t>(q.bias), man);
          uint16_t r1 = sub16(static_cast<uint16_t>(h >> 16), static_cast<uint16_t>(q.bias >> 16), man);
          CAPTURE(j);
          CAPTURE(lo);
          CAPTURE(hi);
          CHECK(r0 == dt::convert(lo, from, to));
          CHECK(r1 == dt::convert(hi, from, to));
        }
}

// PTX prmt.b32 (default mode): result byte i is byte (selector nibble i) & 7 of {b, a}, the
// sign-replicate bit 3 of a nibble unused here.
uint32_t prmt(uint32_t a, uint32_t b, uint32_t sel) {
  uint64_t both = (static_cast<uint64_t>(b) << 32) | a;
  uint32_t r = 0;
  for (int i = 0; i < 4; ++i) {
    uint32_t nib = (sel >> (4 * i)) & 0xf;
    REQUIRE(nib < 8);
    r |= static_cast<uint32_t>((both >> (8 * nib)) & 0xff) << (8 * i);
  }
  return r;
}

void check_bytes(bool is_signed) {
  const dt::DType from = is_signed ? dt::kI8 : dt::kU8;
  for (int j : {0, 2})
    for (uint32_t lo = 0; lo < 256; ++lo)
      for (uint32_t hi = 0; hi < 256; ++hi) {
        uint32_t w = 0xa5c3e10fu & ~(0xffffu << (8 * j));
        w |= (lo << (8 * j)) | (hi << (8 * j + 8));
        uint32_t h = prmt(is_signed ? w ^ 0x80808080u : w, 0x64646464u, cuda::byte8_selector(j));
        uint32_t bias = cuda::byte8_bias(is_signed);
        uint16_t r0 = sub16(static_cast<uint16_t>(h), static_cast<uint16_t>(bias), 10);
        uint16_t r1 = sub16(static_cast<uint16_t>(h >> 16), static_cast<uint16_t>(bias >> 16), 10);
        if (r0 != dt::convert(lo, from, dt::kF16) || r1 != dt::convert(hi, from, dt::kF16)) {
          CAPTURE(j);
          CAPTURE(lo);
          CAPTURE(hi);
          FAIL("paired 8-bit conversion differs");
        }
      }
}

}  // namespace

TEST_CASE("dequant: paired u8 to f16 (prmt and hsub2) is exact for every code") { check_bytes(false); }
TEST_CASE("dequant: paired i8 to f16 (xor, prmt and hsub2) is exact for every code") { check_bytes(true); }

TEST_CASE("dequant: paired u4 to f16 (lop3 and hsub2) is exact for every code") { check_formula(false, false); }
TEST_CASE("dequant: paired i4 to f16 (lop3 with xor and hsub2) is exact for every code") { check_formula(true, false); }
TEST_CASE("dequant: paired u4 to bf16 is exact for every code") { check_formula(false, true); }
TEST_CASE("dequant: paired i4 to bf16 is exact for every code") { check_formula(true, true); }

TEST_CASE("dequant: the formula's constants are the documented magic numbers") {
  CHECK(cuda::paired_dequant(false, false).magic == 0x64006400u);  // f16 1024, twice
  CHECK(cuda::paired_dequant(true, false).bias == 0x64086408u);    // f16 1032, twice
  CHECK(cuda::paired_dequant(false, true).magic == 0x43004300u);   // bf16 128, twice
  CHECK(cuda::paired_dequant(true, true).bias == 0x43084308u);     // bf16 136, twice
  CHECK(cuda::paired_dequant(false, false).lut == 0xeau);          // (a & b) | c
  CHECK(cuda::paired_dequant(true, false).lut == 0x6au);           // (a & b) ^ c
}
