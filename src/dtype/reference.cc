// The reference conversion: exact decode, integer-arithmetic rounding, integer rules.
#include "dtype/reference.h"

#include <bit>
#include <cmath>
#include <cstdio>

#include "support/check.h"

namespace tilevm::dt::ref {
namespace {

uint64_t low_mask(int bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

// floor(log2(v)) of a nonzero finite value.
int floor_log2(const Exact& v) { return 63 - std::countl_zero(v.mant) + v.exp; }

// The largest finite code's (exponent field, mantissa field) of float format f.
void max_fields(const Format& f, uint64_t& ef, uint64_t& mf) {
  ef = low_mask(f.e);
  mf = low_mask(f.m);
  if (f.nan == Format::kIeeeNan || f.has_inf) ef -= 1;          // all-ones exponent is inf/NaN
  else if (f.nan == Format::kAllOnesNan) mf -= 1;                // S.11..1.11..1 is NaN
}

uint64_t sign_bit(const Format& f, bool neg) {
  return (f.is_signed && neg) ? uint64_t{1} << (f.bits - 1) : 0;
}

uint64_t max_code(const Format& f, bool neg) {
  uint64_t ef, mf;
  max_fields(f, ef, mf);
  return sign_bit(f, neg) | (ef << f.m) | mf;
}

uint64_t inf_code(const Format& f, bool neg) { return sign_bit(f, neg) | (low_mask(f.e) << f.m); }

}  // namespace

Format format_of(const DType& t) {
  Format f;
  f.bits = t.bits;
  switch (t.kind) {
    case Kind::Bool: f.kind = Format::kBool; return f;
    case Kind::Int: f.kind = Format::kInt; f.is_signed = true; return f;
    case Kind::UInt: f.kind = Format::kInt; f.is_signed = false; return f;
    case Kind::Float: break;
  }
  f.kind = t.nan == NanEncoding::UE8M0 ? Format::kE8M0 : Format::kFloat;
  f.is_signed = t.has_sign;
  f.e = t.exp_bits;
  f.m = t.man_bits;
  f.bias = t.bias;
  f.has_inf = t.has_inf;
  switch (t.nan) {
    case NanEncoding::None: f.nan = Format::kNoNan; break;
    case NanEncoding::IeeeLike: f.nan = Format::kIeeeNan; break;
    case NanEncoding::AllOnes: f.nan = Format::kAllOnesNan; break;
    case NanEncoding::UE8M0: f.nan = Format::kE8M0Nan; break;
  }
  return f;
}

// The canonical NaN each target produces (overview section 5 and CUDA's host functions):
// f16/bf16 0x7fff, f8e4m3/f8e5m2 0x7f, ue8m0 0xff, f32 0x7fffffff, f64 0x7fffffffffffffff;
// a format without NaN gets +max.
uint64_t nan_code(const Format& f) {
  switch (f.nan) {
    case Format::kNoNan: return max_code(f, false);
    case Format::kE8M0Nan: return 0xff;
    default: return low_mask(f.bits - 1);  // 0.11..1: sign clear, every other bit set
  }
}

Exact decode(uint64_t code, const Format& f) {
  code &= low_mask(f.bits);
  Exact v;
  if (f.kind == Format::kBool) {  // any nonzero code reads as true
    v.mant = code != 0 ? 1 : 0;
    return v;
  }
  if (f.kind == Format::kInt) {
    v.neg = f.is_signed && f.bits > 0 && ((code >> (f.bits - 1)) & 1);
    v.mant = v.neg ? ((~code + 1) & low_mask(f.bits)) : code;
    if (v.neg && v.mant == 0) v.mant = uint64_t{1} << (f.bits - 1);  // only for bits == 64
    return v;
  }
  if (f.kind == Format::kE8M0) {
    if (code == 0xff) v.cls = Exact::kNaN;
    v.mant = 1;
    v.exp = static_cast<int>(code) - 127;
    return v;
  }
  v.neg = f.is_signed && ((code >> (f.bits - 1)) & 1);
  uint64_t ef = (code >> f.m) & low_mask(f.e);
  uint64_t mf = code & low_mask(f.m);
  bool top = ef == low_mask(f.e);
  if (f.nan == Format::kIeeeNan && top) {
    v.cls = mf == 0 ? Exact::kInf : Exact::kNaN;
    return v;
  }
  if (f.nan == Format::kAllOnesNan && top && mf == low_mask(f.m)) {
    v.cls = Exact::kNaN;
    return v;
  }
  if (ef == 0) {  // zero or subnormal: mf · 2^(1 - bias - m)
    v.mant = mf;
    v.exp = 1 - f.bias - f.m;
  } else {
    v.mant = mf | (uint64_t{1} << f.m);
    v.exp = static_cast<int>(ef) - f.bias - f.m;
  }
  return v;
}

Exact decode(uint64_t code, const DType& t) { return decode(code, format_of(t)); }

double to_double(const Exact& v) {
  if (v.cls == Exact::kNaN) return std::nan("");
  if (v.cls == Exact::kInf) return v.neg ? -INFINITY : INFINITY;
  double d = std::ldexp(static_cast<double>(v.mant), v.exp);
  return v.neg ? -d : d;
}

namespace {

// mant · 2^-shift rounded to an integer in direction r applied to the magnitude (`up` says
// whether rounding away from zero is toward +inf, i.e. the value is positive).
uint64_t shift_round(uint64_t mant, int shift, Round r, bool positive) {
  if (shift <= 0) return mant << -shift;  // callers guarantee no overflow
  unsigned __int128 m = mant;
  uint64_t q = shift >= 128 ? 0 : static_cast<uint64_t>(m >> shift);
  bool inexact;
  bool above_half = false, is_half = false;
  if (shift >= 128) {
    inexact = mant != 0;
  } else {
    unsigned __int128 rem = m - (static_cast<unsigned __int128>(q) << shift);
    unsigned __int128 half = static_cast<unsigned __int128>(1) << (shift - 1);
    inexact = rem != 0;
    above_half = rem > half;
    is_half = rem == half;
  }
  switch (r) {
    case Round::NearestEven: return q + ((above_half || (is_half && (q & 1))) ? 1 : 0);
    case Round::TowardZero: return q;
    case Round::Up: return q + ((inexact && positive) ? 1 : 0);
  }
  TILEVM_UNREACHABLE();
}

uint64_t round_to_e8m0(const Exact& v, Round r) {
  if (v.cls == Exact::kNaN) return 0xff;
  if (v.cls == Exact::kInf) return 0xfe;
  if (v.mant == 0) return 0x00;
  int k = floor_log2(v);
  bool power_of_two = std::has_single_bit(v.mant);
  TILEVM_CHECK(r == Round::TowardZero || r == Round::Up);
  if (r == Round::Up && !power_of_two) k += 1;  // |x| rounded up, whatever the sign
  if (k < -127) k = -127;
  if (k > 127) k = 127;
  return static_cast<uint64_t>(k + 127);
}

// Overflow: saturating formats give ±max; IEEE formats give ±inf unless rounding toward zero
// (or up for a negative value) makes the largest finite the correct IEEE answer.
uint64_t overflow_code(const Format& f, bool neg, Round r) {
  if (f.saturates() || !f.has_inf) return max_code(f, neg);
  if (r == Round::TowardZero || (r == Round::Up && neg)) return max_code(f, neg);
  return inf_code(f, neg);
}

}  // namespace

uint64_t round_to_float(const Exact& v, const Format& f, Round r) {
  if (f.kind == Format::kE8M0) return round_to_e8m0(v, r);
  TILEVM_CHECK(f.kind == Format::kFloat);
  if (v.cls == Exact::kNaN) return nan_code(f);
  if (v.cls == Exact::kInf)
    return (f.has_inf && !f.saturates()) ? inf_code(f, v.neg) : max_code(f, v.neg);
  if (v.mant == 0) return sign_bit(f, v.neg);
  // The quantum at v's magnitude: 2^(max(floor log2 v, emin) - m), emin = 1 - bias.
  int emin = 1 - f.bias;
  int q = std::max(floor_log2(v), emin) - f.m;
  uint64_t n = shift_round(v.mant, q - v.exp, r, !v.neg);  // v / 2^q rounded, < 2^(m+2)
  if (n == 0) return sign_bit(f, v.neg);                   // rounded to a signed zero
  if (n == (uint64_t{2} << f.m)) {                         // carry into the next binade
    n >>= 1;
    q += 1;
  }
  uint64_t ef = 0, mf = n;
  if (n >> f.m) {  // normal: n = 2^m + mantissa field, exponent field q + m + bias
    long long field = static_cast<long long>(q) + f.m + f.bias;
    uint64_t max_ef, max_mf;
    max_fields(f, max_ef, max_mf);
    mf = n - (uint64_t{1} << f.m);
    if (field > static_cast<long long>(max_ef) ||
        (field == static_cast<long long>(max_ef) && mf > max_mf))
      return overflow_code(f, v.neg, r);
    ef = static_cast<uint64_t>(field);
  }
  return sign_bit(f, v.neg) | (ef << f.m) | mf;
}

namespace {

// Float (or bool-free) value → integer format: truncate toward zero, saturate, NaN → 0.
uint64_t float_to_int(const Exact& v, const Format& f) {
  if (v.cls == Exact::kNaN) return 0;
  uint64_t max_mag = f.is_signed ? low_mask(f.bits - 1) : low_mask(f.bits);
  uint64_t min_mag = f.is_signed ? uint64_t{1} << (f.bits - 1) : 0;  // |most negative|
  uint64_t mag;
  bool huge = v.cls == Exact::kInf;
  if (!huge && v.mant != 0 && v.exp >= 0) huge = (64 - std::countl_zero(v.mant)) + v.exp > 64;
  if (huge) mag = ~uint64_t{0};
  else if (v.exp >= 0) mag = v.mant << v.exp;
  else mag = -v.exp >= 64 ? 0 : v.mant >> -v.exp;
  if (!v.neg) return std::min(mag, max_mag);
  mag = std::min(mag, min_mag);
  return (~mag + 1) & low_mask(f.bits);
}

// Integer value → integer format: keep the low `bits` bits of the two's complement value.
uint64_t wrap_int(const Exact& v, const Format& f) {
  uint64_t twos = v.neg ? ~v.mant + 1 : v.mant;
  return twos & low_mask(f.bits);
}

}  // namespace

// NaN results that depend on the source, as CUDA's host functions give them: f64 → f8e4m3 or
// f8e5m2 keeps the sign, and f8e5m2 also the second payload bit (its first is the quiet bit,
// set) (__nv_cvt_double_to_fp8); bf16 → f32 keeps the bits (__bfloat162float); ue8m0 → f32
// passes through bf16's 0x7fff (__nv_cvt_e8m0_to_bf16raw). Where CUDA has no host function
// the GPU's cvt instructions decide (checked on an H200): f64 → f16/bf16/f32 and anything →
// f64 keep sign and payload. Everything else: nan_code(dst).
uint64_t nan_result(uint64_t code, const Format& src, const Format& dst) {
  bool src_f64 = src.kind == Format::kFloat && src.bits == 64;
  if (src_f64 && dst.kind == Format::kFloat && dst.bits == 8 && dst.nan != Format::kNoNan) {
    uint64_t sign = (code >> 63) << 7;
    if (dst.nan == Format::kAllOnesNan) return sign | 0x7f;
    return sign | 0x7e | ((code >> 50) & 1);
  }
  if (src_f64 && dst.kind == Format::kFloat && dst.nan == Format::kIeeeNan && dst.bits >= 16) {
    // The GPU's cvt.rn.{f16,bf16,f32}.f64 keep the sign and the top payload bits and set the
    // quiet bit (measured on an H200; CUDA's host __double2half gives 0x7fff instead).
    uint64_t sign = (code >> 63) & 1;
    uint64_t payload = ((code & low_mask(52)) >> (52 - dst.m)) | (uint64_t{1} << (dst.m - 1));
    return (sign << (dst.bits - 1)) | (low_mask(dst.e) << dst.m) | payload;
  }
  if (dst.kind == Format::kFloat && dst.bits == 32) {
    if (src.kind == Format::kFloat && src.bits == 16 && src.e == 8) return (code & 0xffff) << 16;
    if (src.kind == Format::kE8M0) return 0x7fff0000;
  }
  if (dst.kind == Format::kFloat && dst.bits == 64) {
    // f16, bf16 and f32 NaNs widen with their payload and the quiet bit set (as the CPU and
    // the GPU widen f32 to f64); other sources widen their f32 NaN result the same way.
    uint64_t sign = 0, payload = 0;
    bool ieee_src = src.kind == Format::kFloat && src.nan == Format::kIeeeNan && src.bits >= 16;
    if (ieee_src) {
      sign = (code >> (src.bits - 1)) & 1;
      payload = (code & low_mask(src.m)) << (52 - src.m);
    } else {
      uint64_t n = nan_result(code, src, format_of(kF32));
      sign = n >> 31;
      payload = (n & low_mask(23)) << 29;
    }
    return (sign << 63) | 0x7ff8000000000000ull | payload;
  }
  if (dst.kind == Format::kFloat || dst.kind == Format::kE8M0) return nan_code(dst);
  return dst.kind == Format::kBool ? 1 : 0;  // NaN is nonzero; integers take 0
}

uint64_t convert(uint64_t code, const DType& from, const DType& to, Round r) {
  return convert(code, format_of(from), format_of(to), r);
}

uint64_t convert(uint64_t code, const Format& src, const Format& dst, Round r) {
  if (src == dst) return code & low_mask(src.bits);  // the identity conversion
  Exact v = decode(code, src);
  if (v.cls == Exact::kNaN) return nan_result(code & low_mask(src.bits), src, dst);
  if (dst.kind == Format::kE8M0 && r == Round::NearestEven) r = Round::Up;  // CUDA's default
  bool src_is_float = src.kind == Format::kFloat || src.kind == Format::kE8M0;
  switch (dst.kind) {
    case Format::kFloat:
    case Format::kE8M0: return round_to_float(v, dst, r);
    case Format::kInt: return src_is_float ? float_to_int(v, dst) : wrap_int(v, dst);
    case Format::kBool: return (v.cls != Exact::kFinite || v.mant != 0) ? 1 : 0;
  }
  TILEVM_UNREACHABLE();
}

std::string exact_decimal(const Exact& v) {
  if (v.cls == Exact::kNaN) return "nan";
  if (v.cls == Exact::kInf) return v.neg ? "-inf" : "inf";
  std::string sign = v.neg ? "-" : "";
  if (v.mant == 0) return sign + "0";
  if (v.exp >= 0 && (64 - std::countl_zero(v.mant)) + v.exp <= 64)
    return sign + std::to_string(v.mant << v.exp);
  // Not an integer that fits 64 bits: a double holds it exactly (mant < 2^53), and glibc's
  // printf prints the exact binary value when given enough digits; trailing zeros are trimmed.
  TILEVM_CHECK(v.mant < (uint64_t{1} << 53));
  double d = std::ldexp(static_cast<double>(v.mant), v.exp);
  std::vector<char> buf(1600);
  int n = std::snprintf(buf.data(), buf.size(), "%.1100f", d);
  TILEVM_CHECK(n > 0 && static_cast<size_t>(n) < buf.size());
  std::string s(buf.data(), n);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return sign + s;
}

}  // namespace tilevm::dt::ref
