// Scalar bit-exact conversion: codes are unpacked to sign/significand/exponent and re-rounded with
// integer arithmetic only. The NaN choices that mirror CUDA and the H100 live in nan_result().
#include "dtype/convert.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace tilevm::dt {
namespace {

enum class Cls { Zero, Finite, Inf, NaN };

// A decoded value: (-1)^neg * sig * 2^exp when Finite (sig != 0).
struct Value {
  Cls cls = Cls::Zero;
  bool neg = false;
  uint64_t sig = 0;
  int exp = 0;
};

uint64_t low_mask(int bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }
uint64_t sign_bit(const DType& t) { return t.has_sign ? uint64_t{1} << (t.bits - 1) : 0; }
uint64_t exp_field(uint64_t code, const DType& t) {
  return (code >> t.man_bits) & low_mask(t.exp_bits);
}
uint64_t man_field(uint64_t code, const DType& t) { return code & low_mask(t.man_bits); }

// Formats of 8 bits or fewer saturate (satfinite); wider ones with infinity overflow to it.
bool saturates(const DType& t) { return t.bits <= 8 || !t.has_inf; }

// Largest finite code without its sign bit.
uint64_t max_magnitude(const DType& t) {
  switch (t.nan) {
    case NanEncoding::None: return low_mask(t.bits - (t.has_sign ? 1 : 0));
    case NanEncoding::IeeeLike: return (low_mask(t.exp_bits) << t.man_bits) - 1;
    case NanEncoding::AllOnes: return low_mask(t.bits - 1) - 1;
    case NanEncoding::UE8M0: return 0xFE;
  }
  TILEVM_UNREACHABLE();
}

// The code an overflow (or an infinity) of sign `neg` produces.
uint64_t overflow_code(bool neg, const DType& t) {
  uint64_t s = neg ? sign_bit(t) : 0;
  if (saturates(t)) return s | max_magnitude(t);
  return s | (low_mask(t.exp_bits) << t.man_bits);  // infinity
}

Value unpack_float(uint64_t code, const DType& t) {
  Value v;
  if (t.nan == NanEncoding::UE8M0) {
    if (code == 0xFF) v.cls = Cls::NaN;
    else v = {Cls::Finite, false, 1, static_cast<int>(code) - 127};
    return v;
  }
  v.neg = t.has_sign && ((code >> (t.bits - 1)) & 1);
  uint64_t e = exp_field(code, t), m = man_field(code, t);
  bool top = e == low_mask(t.exp_bits);
  if (top && t.nan == NanEncoding::IeeeLike) {
    v.cls = m ? Cls::NaN : Cls::Inf;
  } else if (top && t.nan == NanEncoding::AllOnes && m == low_mask(t.man_bits)) {
    v.cls = Cls::NaN;
  } else if (e == 0) {
    if (m) v = {Cls::Finite, v.neg, m, 1 - t.bias - t.man_bits};
  } else {
    v = {Cls::Finite, v.neg, m | (uint64_t{1} << t.man_bits),
         static_cast<int>(e) - t.bias - t.man_bits};
  }
  return v;
}

// Two's complement value of an integer or bool code, sign-extended to 64 bits.
uint64_t int_value(uint64_t code, const DType& t) {
  if (t.kind == Kind::Bool) return code != 0;
  if (t.kind == Kind::Int && t.bits < 64 && ((code >> (t.bits - 1)) & 1)) return code | ~low_mask(t.bits);
  return code;
}

Value unpack(uint64_t code, const DType& t) {
  code &= low_mask(t.bits);
  if (t.is_float()) return unpack_float(code, t);
  uint64_t x = int_value(code, t);
  if (x == 0) return {};
  bool neg = t.kind == Kind::Int && static_cast<int64_t>(x) < 0;
  return {Cls::Finite, neg, neg ? 0 - x : x, 0};
}

// Rounds the finite nonzero value (-1)^neg * sig * 2^exp to the float format t (not ue8m0).
uint64_t round_to_float(bool neg, uint64_t sig, int exp, const DType& t) {
  int lz = std::countl_zero(sig);
  sig <<= lz;
  exp -= lz;  // now sig is in [2^63, 2^64)
  const int e_lead = exp + 63, emin = 1 - t.bias, m = t.man_bits;
  int q = std::max(e_lead, emin) - m;  // exponent of the result's last place
  int drop = q - exp;                  // >= 63 - m > 0
  uint64_t kept = 0;
  bool half = false, sticky = false;
  if (drop >= 65) {
    sticky = true;
  } else if (drop == 64) {
    half = true;
    sticky = (sig << 1) != 0;
  } else {
    kept = sig >> drop;
    half = (sig >> (drop - 1)) & 1;
    sticky = (sig & low_mask(drop - 1)) != 0;
  }
  if (half && (sticky || (kept & 1))) ++kept;  // ties to even
  if (kept >> (m + 1)) {                      // rounded up to the next binade
    kept >>= 1;
    ++q;
  }
  int64_t biased = static_cast<int64_t>(q) + m - emin + 1;  // exponent field if normal
  if (biased > static_cast<int64_t>(low_mask(t.exp_bits))) return overflow_code(neg, t);
  uint64_t mag = (static_cast<uint64_t>(biased - 1) << m) + kept;  // subnormal: biased - 1 == 0
  if (mag > max_magnitude(t)) return overflow_code(neg, t);
  return (neg ? sign_bit(t) : 0) | mag;
}

// ue8m0: the power of two at or below (TowardZero) or at or above (Up) |x|, clamped.
uint64_t to_ue8m0(const Value& v, Round round) {
  if (v.cls == Cls::NaN) return 0xFF;
  if (v.cls == Cls::Inf) return 0xFE;
  if (v.cls == Cls::Zero) return 0;
  int floor_log2 = v.exp + 63 - std::countl_zero(v.sig);
  bool exact = std::has_single_bit(v.sig);
  int k = floor_log2 + ((round == Round::TowardZero || exact) ? 0 : 1);
  return static_cast<uint64_t>(std::clamp(k + 127, 0, 254));
}

// Float to integer: toward zero, saturating; NaN gives 0.
uint64_t float_to_int(const Value& v, const DType& t) {
  if (v.cls == Cls::NaN || v.cls == Cls::Zero) return 0;
  const bool is_signed = t.kind == Kind::Int;
  const uint64_t max_pos = low_mask(is_signed ? t.bits - 1 : t.bits);
  const uint64_t max_neg = is_signed ? uint64_t{1} << (t.bits - 1) : 0;  // magnitude
  uint64_t mag = ~uint64_t{0};  // "too large" for Inf and overflow
  if (v.cls == Cls::Finite) {
    if (v.exp < 0) mag = v.exp <= -64 ? 0 : v.sig >> -v.exp;
    else if (v.exp == 0) mag = v.sig;
    else if (v.exp < 64 && (v.sig >> (64 - v.exp)) == 0) mag = v.sig << v.exp;
  }
  if (!v.neg) return std::min(mag, max_pos);
  return (0 - std::min(mag, max_neg)) & low_mask(t.bits);
}

// The NaN of a source as a sign and a payload left-aligned in 64 bits: the bits a widening
// to f32/f64 carries (fp8 formats widen through CUDA's canonical f32 NaN, ue8m0 through bf16's).
void nan_image(uint64_t code, const DType& from, bool* neg, uint64_t* payload) {
  if (from.nan == NanEncoding::UE8M0) {
    *neg = false, *payload = low_mask(7) << 57;
  } else if (from.bits <= 8) {
    *neg = false, *payload = low_mask(23) << 41;
  } else {
    *neg = (code >> (from.bits - 1)) & 1;
    *payload = man_field(code, from) << (64 - from.man_bits);
  }
}

// A quiet NaN of `to` keeping the image's sign and leading payload bits (how the H100's cvt
// narrows f64 NaNs and widens to f64, and how CUDA's __nv_cvt_double_to_fp8 treats e5m2).
uint64_t propagate_nan(bool neg, uint64_t payload, const DType& to) {
  uint64_t mant = (payload >> (64 - to.man_bits)) | (uint64_t{1} << (to.man_bits - 1));
  return (neg ? sign_bit(to) : 0) | (low_mask(to.exp_bits) << to.man_bits) | mant;
}

// The result of converting the NaN `code` of `from` to the float format `to` (docs/dtypes.md).
uint64_t nan_result(uint64_t code, const DType& from, const DType& to) {
  const bool from_f64 = from.is_float() && from.bits == 64;
  const bool from_neg = from.has_sign && ((code >> (from.bits - 1)) & 1);
  switch (to.nan) {
    case NanEncoding::None: return max_magnitude(to);  // +max: CUDA drops the sign
    case NanEncoding::UE8M0: return 0xFF;
    case NanEncoding::AllOnes:  // __nv_cvt_double_to_fp8 keeps the sign of a double NaN
      return (from_f64 && from_neg ? sign_bit(to) : 0) | low_mask(to.bits - 1);
    case NanEncoding::IeeeLike: break;
  }
  bool neg;
  uint64_t payload;
  nan_image(code, from, &neg, &payload);
  if (from_f64) return propagate_nan(neg, payload, to);                // cvt.rn.*.f64 keeps it
  if (to.bits <= 16) return low_mask(to.bits - 1);                     // canonical 0x7f / 0x7fff
  if (to.bits == 32 && from == kF16) return 0x7FFFFFFF;                // cvt.f32.f16
  if (to.bits == 32 && from == kBF16) return (code & 0xFFFF) << 16;    // a bit shift, exact
  return propagate_nan(neg, payload, to);  // to f32 from fp8/ue8m0 images; to f64 from any
}

uint64_t to_float(uint64_t code, const DType& from, const Value& v, const DType& to,
                  Round round) {
  if (to.nan == NanEncoding::UE8M0) return to_ue8m0(v, round);
  switch (v.cls) {
    case Cls::NaN: return nan_result(code & low_mask(from.bits), from, to);
    case Cls::Inf: return overflow_code(v.neg, to);
    case Cls::Zero: return v.neg ? sign_bit(to) : 0;
    case Cls::Finite: return round_to_float(v.neg, v.sig, v.exp, to);
  }
  TILEVM_UNREACHABLE();
}

}  // namespace

bool rounding_choice_allowed(const DType& to, Round round) {
  return round == Round::NearestEven || (to.is_float() && to.nan == NanEncoding::UE8M0);
}

uint64_t convert(uint64_t code, const DType& from, const DType& to, Round round) {
  TILEVM_CHECK(rounding_choice_allowed(to, round));
  code &= low_mask(from.bits);
  if (from == to) return code;
  if (to.kind == Kind::Bool) {
    return from.is_float() ? unpack(code, from).cls != Cls::Zero : code != 0;
  }
  if (to.is_int()) {
    if (!from.is_float()) return int_value(code, from) & low_mask(to.bits);  // wrap
    return float_to_int(unpack(code, from), to);
  }
  return to_float(code, from, unpack(code, from), to, round);
}

FloatClass classify(uint64_t code, const DType& t) {
  code &= low_mask(t.bits);
  Value v = unpack(code, t);
  switch (v.cls) {
    case Cls::Zero: return FloatClass::Zero;
    case Cls::Inf: return FloatClass::Infinity;
    case Cls::NaN: return FloatClass::NaN;
    case Cls::Finite: break;
  }
  bool sub = t.is_float() && t.nan != NanEncoding::UE8M0 && exp_field(code, t) == 0;
  return sub ? FloatClass::Subnormal : FloatClass::Normal;
}

double decode(uint64_t code, const DType& t) {
  Value v = unpack(code, t);
  switch (v.cls) {
    case Cls::Zero: return v.neg ? -0.0 : 0.0;
    case Cls::Inf: return v.neg ? -std::numeric_limits<double>::infinity()
                                : std::numeric_limits<double>::infinity();
    case Cls::NaN: return std::numeric_limits<double>::quiet_NaN();
    case Cls::Finite: break;
  }
  double mag = std::ldexp(static_cast<double>(v.sig), v.exp);
  return v.neg ? -mag : mag;
}

bool is_nan(uint64_t code, const DType& t) {
  return t.is_float() && unpack(code, t).cls == Cls::NaN;
}

}  // namespace tilevm::dt
