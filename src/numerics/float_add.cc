// IEEE binary32 addition in integers (the final FADD of the fp8 mma.sync lowering on sm_90).
#include "numerics/fused_block.h"

namespace tilevm::numerics::detail {

uint32_t f32_add_rne(uint32_t x, uint32_t y) {
  if (F32::is_nan(x) || F32::is_nan(y)) return F32::kNaN;
  if (F32::is_inf(x) && F32::is_inf(y) && F32::neg(x) != F32::neg(y)) return F32::kNaN;
  if (F32::is_inf(x)) return x;
  if (F32::is_inf(y)) return y;
  if (F32::is_zero(x) && F32::is_zero(y)) return x & y & F32::kSignBit;  // -0 only for -0 + -0
  if (F32::is_zero(x)) return y;
  if (F32::is_zero(y)) return x;
  if (F32::exp(x) < F32::exp(y)) std::swap(x, y);
  // x has the larger exponent. Up to kGuard bits of distance the sum is formed exactly; beyond,
  // y is below 2^-14 of x's ulp and any stand-in strictly between 0 and a quarter ulp rounds
  // the same, so y becomes a single sticky unit far below x's ulp.
  constexpr int kGuard = 38;
  const int d = F32::exp(x) - F32::exp(y);
  const int shift = std::min(d, kGuard);
  const int64_t mx = int64_t(F32::sig(x)) << shift;
  const int64_t my = d <= kGuard ? int64_t(F32::sig(y)) : 1;
  const int64_t sum = (F32::neg(x) ? -mx : mx) + (F32::neg(y) ? -my : my);
  const bool neg = sum < 0;
  return round_to<F32>(neg, uint64_t(neg ? -sum : sum), F32::exp(x) - F32::kM - shift, true);
}

}  // namespace tilevm::numerics::detail
