// The sum stage of a fused block (numerics/fused_block.h) on 8 or 16 decoded products, with AVX2.
// Same integer results as the portable loop; chosen at run time when the CPU has AVX2.
#include <immintrin.h>

#include "numerics/fused_block.h"

namespace tilevm::numerics::detail {

bool cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}

namespace {

template <int N>
__attribute__((target("avx2"))) inline bool sum_n(const uint32_t* da, const uint32_t* db, int up, int e_least,
                                                  BlockSum& out) {
  constexpr int n = N;
  const __m256i lo16 = _mm256_set1_epi32(0xFFFF), exp_mask = _mm256_set1_epi32(0x3FF);
  const __m256i no_term = _mm256_set1_epi32(kNoTerm), zero = _mm256_setzero_si256();
  __m256i any = zero, e_max = _mm256_set1_epi32(e_least), mag[N / 8], ex[N / 8], neg[N / 8];
  for (int j = 0; j < n / 8; ++j) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(da + 8 * j));
    const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(db + 8 * j));
    any = _mm256_or_si256(any, _mm256_or_si256(x, y));
    // Significands are below 2^15 with a zero upper half: madd gives the exact product.
    mag[j] = _mm256_madd_epi16(_mm256_and_si256(x, lo16), _mm256_and_si256(y, lo16));
    const __m256i e = _mm256_add_epi32(_mm256_and_si256(_mm256_srli_epi32(x, 16), exp_mask),
                                       _mm256_and_si256(_mm256_srli_epi32(y, 16), exp_mask));
    ex[j] = _mm256_blendv_epi8(e, no_term, _mm256_cmpeq_epi32(mag[j], zero));
    neg[j] = _mm256_srai_epi32(_mm256_xor_si256(x, y), 31);
    e_max = _mm256_max_epi32(e_max, ex[j]);
  }
  if (!_mm256_testz_si256(any, _mm256_set1_epi32(int(kDecodedSpecial)))) return false;
  __m128i m = _mm_max_epi32(_mm256_castsi256_si128(e_max), _mm256_extracti128_si256(e_max, 1));
  m = _mm_max_epi32(m, _mm_shuffle_epi32(m, 0x4E));
  m = _mm_max_epi32(m, _mm_shuffle_epi32(m, 0xB1));
  const int e_top = _mm_cvtsi128_si32(m);
  const __m256i top = _mm256_set1_epi32(e_top);
  const __m128i shift_up = _mm_cvtsi32_si128(up);
  __m256i acc = zero;
  for (int j = 0; j < n / 8; ++j) {
    // Terms are below 2^27 after the left shift; a right shift of 32 or more gives 0.
    __m256i v = _mm256_srlv_epi32(_mm256_sll_epi32(mag[j], shift_up), _mm256_sub_epi32(top, ex[j]));
    v = _mm256_sub_epi32(_mm256_xor_si256(v, neg[j]), neg[j]);
    acc = _mm256_add_epi64(acc, _mm256_cvtepi32_epi64(_mm256_castsi256_si128(v)));
    acc = _mm256_add_epi64(acc, _mm256_cvtepi32_epi64(_mm256_extracti128_si256(v, 1)));
  }
  const __m128i s = _mm_add_epi64(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  out.sum = _mm_cvtsi128_si64(s) + _mm_extract_epi64(s, 1);
  out.e_top = e_top;
  return true;
}

}  // namespace

__attribute__((target("avx2"))) bool block_sum_avx2(const uint32_t* da, const uint32_t* db, int n, int up,
                                                     int e_least, BlockSum& out) {
  return n == 16 ? sum_n<16>(da, db, up, e_least, out) : sum_n<8>(da, db, up, e_least, out);
}

}  // namespace tilevm::numerics::detail
