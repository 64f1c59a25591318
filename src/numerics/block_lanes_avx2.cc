// Eight fused blocks at once with AVX2: the 8 dots of one tile row, one per 32-bit lane.
// Same integer results as fused_decoded (numerics/fused_block.h); lanes with inf/NaN inputs are
// handed to it.
#include <immintrin.h>

#include <algorithm>
#include <type_traits>

#include "numerics/fused_block.h"

namespace tilevm::numerics::detail {
namespace {

// Lane j: the decoded fields of the Out code c[j] as a term: sign mask, significand and the
// alignment exponent biased like the products' (kNoTerm when c is zero).
template <class In, class Out>
__attribute__((target("avx2"))) inline void decode_c(__m256i cv, __m256i& sig, __m256i& ex, __m256i& neg) {
  const __m256i zero = _mm256_setzero_si256();
  const __m256i field = _mm256_srli_epi32(_mm256_and_si256(cv, _mm256_set1_epi32(int(Out::kExpMask))), Out::kM);
  const __m256i normal = _mm256_andnot_si256(_mm256_cmpeq_epi32(field, zero), _mm256_set1_epi32(1 << Out::kM));
  sig = _mm256_or_si256(_mm256_and_si256(cv, _mm256_set1_epi32(int(Out::kFracMask))), normal);
  ex = _mm256_add_epi32(_mm256_max_epi32(field, _mm256_set1_epi32(1)),
                        _mm256_set1_epi32(2 * In::kBias - Out::kBias));
  ex = _mm256_blendv_epi8(ex, _mm256_set1_epi32(kNoTerm), _mm256_cmpeq_epi32(sig, zero));
  neg = _mm256_srai_epi32(_mm256_slli_epi32(cv, 31 - Out::kE - Out::kM), 31);
}

// Signed, aligned, truncated terms: (q << up) >> (top - e), negated where neg is all ones.
// Every q << up is below 2^27, so 32-bit lanes hold it and shifts of 32 or more give 0.
__attribute__((target("avx2"))) inline __m256i term(__m256i q, __m128i up, __m256i top, __m256i e, __m256i neg) {
  const __m256i v = _mm256_srlv_epi32(_mm256_sll_epi32(q, up), _mm256_sub_epi32(top, e));
  return _mm256_sub_epi32(_mm256_xor_si256(v, neg), neg);
}

__attribute__((target("avx2"))) inline void widen_add(__m256i v, __m256i& lo, __m256i& hi) {
  lo = _mm256_add_epi64(lo, _mm256_cvtepi32_epi64(_mm256_castsi256_si128(v)));
  hi = _mm256_add_epi64(hi, _mm256_cvtepi32_epi64(_mm256_extracti128_si256(v, 1)));
}

}  // namespace

template <class In, class Out, int N>
__attribute__((target("avx2"))) void block_lanes_avx2(const uint32_t* da, const uint32_t* db, const uint32_t* c,
                                                       uint32_t* d, const BlockParams& p) {
  static_assert(N % 4 == 0 && N <= 16);
  constexpr int kBias2 = 2 * In::kBias;
  const __m256i lo16 = _mm256_set1_epi32(0xFFFF), zero = _mm256_setzero_si256();
  const __m256i no_term = _mm256_set1_epi32(kNoTerm), exp_mask = _mm256_set1_epi32(0x3FF);
  uint32_t c_in[8];
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(c_in), _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c)));
  const __m256i cv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c_in));
  __m256i c_sig, c_ex, c_neg;
  decode_c<In, Out>(cv, c_sig, c_ex, c_neg);
  const __m256i c_special = _mm256_cmpeq_epi32(_mm256_and_si256(cv, _mm256_set1_epi32(int(Out::kExpMask))),
                                               _mm256_set1_epi32(int(Out::kExpMask)));
  __m256i top = _mm256_max_epi32(c_ex, _mm256_set1_epi32(p.e_floor + kBias2));
  __m256i any_b = zero, mag[N], ex[N], neg[N];
  uint32_t any_a = 0;
  for (int k = 0; k < N; ++k) {
    const uint32_t x = da[k];
    any_a |= x;
    const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(db + 8 * k));
    any_b = _mm256_or_si256(any_b, y);
    mag[k] = _mm256_madd_epi16(_mm256_set1_epi32(int(x & 0xFFFF)), _mm256_and_si256(y, lo16));  // exact
    const __m256i e = _mm256_add_epi32(_mm256_set1_epi32(int((x >> 16) & 0x3FF)),
                                       _mm256_and_si256(_mm256_srli_epi32(y, 16), exp_mask));
    ex[k] = _mm256_blendv_epi8(e, no_term, _mm256_cmpeq_epi32(mag[k], zero));
    neg[k] = _mm256_srai_epi32(_mm256_xor_si256(_mm256_set1_epi32(int(x)), y), 31);
    top = _mm256_max_epi32(top, ex[k]);
  }
  const __m128i up = _mm_cvtsi32_si128(p.frac_keep - 2 * In::kM);
  __m256i lo = zero, hi = zero;
  for (int k0 = 0; k0 < N; k0 += 8) {  // up to 8 terms below 2^27 add up in 32 bits
    __m256i acc = zero;
    for (int k = k0; k < k0 + 8 && k < N; ++k) acc = _mm256_add_epi32(acc, term(mag[k], up, top, ex[k], neg[k]));
    widen_add(acc, lo, hi);
  }
  widen_add(term(c_sig, _mm_cvtsi32_si128(p.frac_keep - Out::kM), top, c_ex, c_neg), lo, hi);
  int64_t sums[8];
  int tops[8];
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(sums), lo);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(sums + 4), hi);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(tops), top);
  const __m256i special = _mm256_or_si256(_mm256_slli_epi32(any_b, 1), c_special);
  const int special_lanes = (any_a & kDecodedSpecial) ? 0xFF : _mm256_movemask_ps(_mm256_castsi256_ps(special));
  for (int j = 0; j < 8; ++j) {
    if (special_lanes >> j & 1) [[unlikely]] {
      uint32_t col[N];
      for (int k = 0; k < N; ++k) col[k] = db[8 * k + j];
      d[j] = fused_decoded<In, Out, N>(da, col, c_in[j], BlockParams{p.frac_keep, p.e_floor, p.rne, false});
      continue;
    }
    const bool negative = sums[j] < 0;
    d[j] = round_to<Out>(negative, uint64_t(negative ? -sums[j] : sums[j]), tops[j] - kBias2 - p.frac_keep, p.rne);
  }
}

template <class In>
__attribute__((target("avx2"))) void decode_avx2(const uint32_t* codes, uint32_t* out, int count) {
  constexpr int kShift = std::is_same_v<In, Tf32> ? 13 : 0;
  const __m256i field_mask = _mm256_set1_epi32((1 << In::kE) - 1), frac_mask = _mm256_set1_epi32(int(In::kFracMask));
  const __m256i one = _mm256_set1_epi32(1), zero = _mm256_setzero_si256();
  for (int i = 0; i < count; i += 8) {
    const __m256i x = _mm256_srli_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(codes + i)), kShift);
    const __m256i field = _mm256_and_si256(_mm256_srli_epi32(x, In::kM), field_mask);
    const __m256i normal = _mm256_andnot_si256(_mm256_cmpeq_epi32(field, zero), _mm256_set1_epi32(1 << In::kM));
    const __m256i sig = _mm256_or_si256(_mm256_and_si256(x, frac_mask), normal);
    const __m256i special = _mm256_and_si256(_mm256_cmpeq_epi32(field, field_mask), _mm256_set1_epi32(int(kDecodedSpecial)));
    const __m256i sign = _mm256_slli_epi32(_mm256_srli_epi32(x, In::kE + In::kM), 31);
    const __m256i d = _mm256_or_si256(_mm256_or_si256(sig, _mm256_slli_epi32(_mm256_max_epi32(field, one), 16)),
                                      _mm256_or_si256(special, sign));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), d);
  }
}

template void decode_avx2<F16>(const uint32_t*, uint32_t*, int);
template void decode_avx2<Bf16>(const uint32_t*, uint32_t*, int);
template void decode_avx2<Tf32>(const uint32_t*, uint32_t*, int);

__attribute__((target("avx2"))) void int_lanes_avx2(const uint32_t* da, const uint32_t* db, int k, const uint32_t* c,
                                                     uint32_t* d, bool satfinite) {
  // |a·b| <= 2^16 and k <= 64, so the products' sum fits in 32 bits; C joins in 64 bits.
  __m256i acc = _mm256_setzero_si256();
  for (int i = 0; i < k; ++i)
    acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(_mm256_set1_epi32(int(da[i])),
                                                   _mm256_loadu_si256(reinterpret_cast<const __m256i*>(db + 8 * i))));
  const __m256i cv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c));
  __m256i lo = _mm256_cvtepi32_epi64(_mm256_castsi256_si128(cv)), hi = _mm256_cvtepi32_epi64(_mm256_extracti128_si256(cv, 1));
  widen_add(acc, lo, hi);
  int64_t sums[8];
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(sums), lo);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(sums + 4), hi);
  for (int j = 0; j < 8; ++j) {
    const int64_t s = satfinite ? std::clamp<int64_t>(sums[j], INT32_MIN, INT32_MAX) : sums[j];
    d[j] = uint32_t(uint64_t(s));
  }
}

template void block_lanes_avx2<F16, F32, 16>(const uint32_t*, const uint32_t*, const uint32_t*, uint32_t*,
                                             const BlockParams&);
template void block_lanes_avx2<F16, F32, 8>(const uint32_t*, const uint32_t*, const uint32_t*, uint32_t*,
                                            const BlockParams&);
template void block_lanes_avx2<Bf16, F32, 16>(const uint32_t*, const uint32_t*, const uint32_t*, uint32_t*,
                                              const BlockParams&);
template void block_lanes_avx2<Bf16, F32, 8>(const uint32_t*, const uint32_t*, const uint32_t*, uint32_t*,
                                             const BlockParams&);
template void block_lanes_avx2<Tf32, F32, 8>(const uint32_t*, const uint32_t*, const uint32_t*, uint32_t*,
                                             const BlockParams&);
template void block_lanes_avx2<Tf32, F32, 4>(const uint32_t*, const uint32_t*, const uint32_t*, uint32_t*,
                                             const BlockParams&);
template void block_lanes_avx2<F16, F16, 16>(const uint32_t*, const uint32_t*, const uint32_t*, uint32_t*,
                                             const BlockParams&);
template void block_lanes_avx2<F16, F16, 8>(const uint32_t*, const uint32_t*, const uint32_t*, uint32_t*,
                                            const BlockParams&);

}  // namespace tilevm::numerics::detail
