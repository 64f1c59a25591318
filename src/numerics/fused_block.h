// The fused block: the one routine every floating-point mma variant is built from (integers only).
//
// fused_block<In, Out, N>(a, b, c, params) (and fused_decoded, on pre-decoded elements) adds
// the N exact products a[i]·b[i] and the accumulator c the way one tensor-core step does:
//   1. Specials decide first: any NaN, inf·0, or +inf with -inf → Out's canonical NaN; else any
//      infinite addend → that infinity.
//   2. Each product with two non-zero operands is a term (sign, significand s_a·s_b with
//      2·In::kFrac fraction bits, not normalised, alignment exponent e_a + e_b, where a
//      subnormal operand counts with exponent e_min). A non-zero c is a term with Out's fraction
//      bits. Zero products and a zero c are dropped and take no part in step 3.
//   3. E = max(max term exponent, e_floor).
//   4. Each term is shifted to frac_keep fraction bits below 2^E; bits below are cut from its
//      magnitude (truncation toward zero), then the signed terms are summed exactly.
//   5. The exact sum is rounded to Out: toward zero (rne = false) or to nearest even; a
//      magnitude that reaches 2^(emax+1) after rounding is ±inf; a zero result is +0.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>

namespace tilevm::numerics::detail {

// A binary floating-point format with kExp exponent bits and kFrac fraction bits, IEEE-style
// (all-ones exponent = inf/NaN), held in the low 1 + kExp + kFrac bits of a code.
template <int kExp, int kFrac>
struct FloatFormat {
  static constexpr int kE = kExp;
  static constexpr int kM = kFrac;
  static constexpr int kBias = (1 << (kExp - 1)) - 1;
  static constexpr int kEmin = 1 - kBias;
  static constexpr uint32_t kFracMask = (1u << kFrac) - 1;
  static constexpr uint32_t kExpMask = ((1u << kExp) - 1) << kFrac;
  static constexpr uint32_t kSignBit = 1u << (kExp + kFrac);
  static constexpr uint32_t kInf = kExpMask;
  static constexpr uint32_t kNaN = kExpMask | kFracMask;  // the hardware's canonical NaN

  static bool special(uint32_t x) { return (x & kExpMask) == kExpMask; }
  static bool is_nan(uint32_t x) { return special(x) && (x & kFracMask) != 0; }
  static bool is_inf(uint32_t x) { return special(x) && (x & kFracMask) == 0; }
  static bool is_zero(uint32_t x) { return (x & (kExpMask | kFracMask)) == 0; }
  static bool neg(uint32_t x) { return (x & kSignBit) != 0; }
  static uint32_t exp_field(uint32_t x) { return (x & kExpMask) >> kFrac; }
  // Integer significand (implicit bit included for normal numbers; subnormals not normalised).
  static uint32_t sig(uint32_t x) { return (x & kFracMask) | (uint32_t(exp_field(x) != 0) << kFrac); }
  // Alignment exponent: the true exponent for normal numbers, e_min for subnormals.
  static int exp(uint32_t x) { return std::max<int>(int(exp_field(x)), 1) - kBias; }
};

using F32 = FloatFormat<8, 23>;
using F16 = FloatFormat<5, 10>;
using Bf16 = FloatFormat<8, 7>;
using Tf32 = FloatFormat<8, 10>;  // a tf32 register value shifted right by 13 bits

// How an input element code is brought into its format: f16/bf16 keep the low 16 bits, tf32
// drops the low 13 bits of its 32-bit register (truncation, before any NaN test).
template <class Fmt>
inline uint32_t load(uint32_t code) {
  if constexpr (std::is_same_v<Fmt, Tf32>)
    return code >> 13;
  else
    return code & (Fmt::kSignBit | Fmt::kExpMask | Fmt::kFracMask);
}

struct BlockParams {
  int frac_keep;      // F: fraction bits kept below 2^E
  int e_floor;        // the least value E takes
  bool rne;           // final rounding: true = nearest even, false = toward zero
  bool simd = false;  // may use block_sum_avx2 (the caller checked cpu_has_avx2())
};

// The exact sum of the aligned product terms of a block and its alignment exponent E (biased by
// twice the input bias, like the decoded exponents).
struct BlockSum {
  int64_t sum;
  int e_top;
};

bool cpu_has_avx2();

// block_sum (below) for n = 8 or 16 with AVX2, giving the same E and sum. Returns false,
// leaving `out` alone, when an element is inf or NaN.
bool block_sum_avx2(const uint32_t* da, const uint32_t* db, int n, int up, int e_least, BlockSum& out);

// Rounds (-1)^neg · mag · 2^scale to Out (RZ or RNE). Zero gives +0; a rounded magnitude of
// 2^(emax+1) or more gives ±inf; results below 2^e_min are subnormal on Out's grid.
template <class Out>
inline uint32_t round_to(bool neg, uint64_t mag, int scale, bool rne) {
  if (mag == 0) return 0;
  const int p = 63 - __builtin_clzll(mag);
  const int x = p + scale;                           // exponent of the leading bit
  int qe = std::max(x, Out::kEmin) - Out::kM;        // exponent of the result's ulp
  const int r = qe - scale;                          // bits to drop
  uint64_t q;
  if (r <= 0) {
    q = mag << -r;
  } else if (r >= 64) {
    q = 0;  // mag < 2^63 <= half an ulp: both modes give zero
  } else {
    q = mag >> r;
    if (rne) {
      const uint64_t rem = mag & ((uint64_t(1) << r) - 1), half = uint64_t(1) << (r - 1);
      if (rem > half || (rem == half && (q & 1))) ++q;
    }
  }
  if (q == 0) return 0;
  if (q >> (Out::kM + 1)) {  // rounding carried into the next binade
    q >>= 1;
    ++qe;
  }
  const uint32_t sign = neg ? Out::kSignBit : 0;
  if (q >> Out::kM) {  // normal
    const int biased = qe + Out::kM + Out::kBias;
    if (biased >= (1 << Out::kE) - 1) return sign | Out::kInf;
    return sign | (uint32_t(biased) << Out::kM) | (uint32_t(q) & Out::kFracMask);
  }
  return sign | uint32_t(q);  // subnormal: qe is e_min - kM
}

// An input element decoded once for many products (a row of A or a column of B is shared by
// several dots): significand in bits 0-15, biased alignment exponent max(exp field, 1) in bits
// 16-25, "inf or NaN" in bit 30, sign in bit 31.
template <class In>
inline uint32_t decode(uint32_t code) {
  const uint32_t x = load<In>(code);
  return In::sig(x) | (std::max<uint32_t>(In::exp_field(x), 1) << 16) | (uint32_t(In::special(x)) << 30) |
         (uint32_t(In::neg(x)) << 31);
}

inline constexpr uint32_t kDecodedSpecial = 1u << 30;

// The result of a block that has a NaN or infinite input (step 1). Only called when one exists.
template <class In, class Out>
uint32_t special_result(const uint32_t* da, const uint32_t* db, int n, uint32_t c) {
  const auto nan = [](uint32_t d) { return (d & kDecodedSpecial) && (d & In::kFracMask); };
  const auto inf = [](uint32_t d) { return (d & kDecodedSpecial) && !(d & In::kFracMask); };
  const auto zero = [](uint32_t d) { return (d & 0xFFFF) == 0; };
  bool is_nan = Out::is_nan(c), pos_inf = false, neg_inf = false;
  if (Out::is_inf(c)) (Out::neg(c) ? neg_inf : pos_inf) = true;
  for (int i = 0; i < n; ++i) {
    const uint32_t x = da[i], y = db[i];
    if (nan(x) || nan(y)) is_nan = true;
    if (inf(x) || inf(y)) {
      if (zero(x) || zero(y))
        is_nan = true;
      else
        (((x ^ y) >> 31) ? neg_inf : pos_inf) = true;
    }
  }
  if (is_nan || (pos_inf && neg_inf)) return Out::kNaN;
  return neg_inf ? (Out::kSignBit | Out::kInf) : Out::kInf;
}

// The aligned, truncated, signed addend: magnitude q with f fraction bits, placed at F fraction
// bits below 2^E where it lies `drop` = E - e >= 0 binades below E. Needs F >= f (true for every
// row of the parameter table) so that only right shifts truncate; shifts past 63 give 0.
inline int64_t addend(uint64_t q, int up, int drop, uint32_t neg) {
  const int64_t t = int64_t(q << up) >> std::min(drop, 63);
  const int64_t mask = -int64_t(neg);
  return (t ^ mask) - mask;  // conditional negation, no branch
}

inline constexpr int kNoTerm = -(1 << 20);  // the exponent of a dropped (zero) term

// The portable product part of a block: E = max(e_least, the product exponents) and the exact
// sum of the aligned product terms. Returns false when an element is inf or NaN.
template <class In, int N>
bool block_sum(const uint32_t* da, const uint32_t* db, int up, int e_least, BlockSum& out) {
  uint32_t special = 0, mag[N], neg[N];
  int ex[N];  // biased by 2·In::kBias
  int e_max = e_least;
  for (int i = 0; i < N; ++i) {
    const uint32_t x = da[i], y = db[i];
    special |= x | y;
    mag[i] = (x & 0xFFFF) * (y & 0xFFFF);  // < 2^22: exact
    ex[i] = mag[i] ? int((x >> 16) & 0x3FF) + int((y >> 16) & 0x3FF) : kNoTerm;
    neg[i] = (x ^ y) >> 31;
    e_max = std::max(e_max, ex[i]);
  }
  if (special & kDecodedSpecial) return false;
  int64_t sum = 0;
  for (int i = 0; i < N; ++i) sum += addend(mag[i], up, e_max - ex[i], neg[i]);
  out = {sum, e_max};
  return true;
}

// One fused block over N products of decoded elements da[i]·db[i] and the accumulator c (an
// Out code). Branch-free on finite inputs: one pass for the terms and E, one for the sum.
template <class In, class Out, int N>
uint32_t fused_decoded(const uint32_t* da, const uint32_t* db, uint32_t c, const BlockParams& p) {
  static_assert(N <= 32);
  constexpr int kBias2 = 2 * In::kBias;
  const int up = p.frac_keep - 2 * In::kM;
  if (Out::special(c)) [[unlikely]]
    return special_result<In, Out>(da, db, N, c);
  const int e_c = Out::is_zero(c) ? kNoTerm : Out::exp(c) + kBias2;
  BlockSum bs;
  bool finite;
  if constexpr (N == 8 || N == 16) {
    finite = p.simd ? block_sum_avx2(da, db, N, up, std::max(e_c, p.e_floor + kBias2), bs)
                    : block_sum<In, N>(da, db, up, std::max(e_c, p.e_floor + kBias2), bs);
  } else {
    finite = block_sum<In, N>(da, db, up, std::max(e_c, p.e_floor + kBias2), bs);
  }
  if (!finite) [[unlikely]]
    return special_result<In, Out>(da, db, N, c);
  const int64_t sum = bs.sum + addend(Out::sig(c), p.frac_keep - Out::kM, bs.e_top - e_c, Out::neg(c));
  const bool negative = sum < 0;
  return round_to<Out>(negative, uint64_t(negative ? -sum : sum), bs.e_top - kBias2 - p.frac_keep, p.rne);
}

// Eight dots sharing one A row, with AVX2 (block_lanes_avx2.cc): for j = 0..7,
// d[j] = fused_decoded<In, Out, N>(da, column j, c[j]) where db holds N rows of 8 decoded B
// elements (row-major). `d` may alias `c`. Instantiated for the blocks the variants use.
template <class In, class Out, int N>
__attribute__((target("avx2"))) void block_lanes_avx2(const uint32_t* da, const uint32_t* db, const uint32_t* c,
                                                       uint32_t* d, const BlockParams& p);

// decode<In> of `count` (a multiple of 8) codes, with AVX2.
template <class In>
__attribute__((target("avx2"))) void decode_avx2(const uint32_t* codes, uint32_t* out, int count);

// Eight integer dots sharing one A row, with AVX2: d[j] = C[j] + Σ_i da[i]·db[8i + j] over
// decoded values (int32), wrapped to 32 bits or, with satfinite, clamped once.
__attribute__((target("avx2"))) void int_lanes_avx2(const uint32_t* da, const uint32_t* db, int k, const uint32_t* c,
                                                     uint32_t* d, bool satfinite);

// The same on element codes.
template <class In, class Out, int N>
uint32_t fused_block(const uint32_t* a, const uint32_t* b, uint32_t c, const BlockParams& p) {
  uint32_t da[N], db[N];
  for (int i = 0; i < N; ++i) da[i] = decode<In>(a[i]), db[i] = decode<In>(b[i]);
  return fused_decoded<In, Out, N>(da, db, c, p);
}

// IEEE binary32 addition rounded to nearest even, subnormals kept; a NaN result is 0x7FFFFFFF.
uint32_t f32_add_rne(uint32_t x, uint32_t y);

}  // namespace tilevm::numerics::detail
