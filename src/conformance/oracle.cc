// Independent reference semantics: decoding, rounding and elementwise operations on codes.
#include "conformance/oracle.h"

#include <algorithm>
#include <bit>
#include <cfenv>
#include <cmath>
#include <optional>
#include <limits>

namespace tilevm::conf {
namespace {

using LD = long double;

bool is_ieee_like(const dt::DType& t) { return t.nan == dt::NanEncoding::IeeeLike; }
uint64_t sign_bit(const dt::DType& t) { return t.has_sign ? uint64_t{1} << (t.bits - 1) : 0; }
uint64_t exp_field(uint64_t code, const dt::DType& t) { return (code >> t.man_bits) & ((uint64_t{1} << t.exp_bits) - 1); }
uint64_t man_field(uint64_t code, const dt::DType& t) { return code & ((uint64_t{1} << t.man_bits) - 1); }

// Largest exponent and mantissa field of a finite value.
void max_fields(const dt::DType& t, uint64_t* e, uint64_t* m) {
  uint64_t eall = (uint64_t{1} << t.exp_bits) - 1, mall = (uint64_t{1} << t.man_bits) - 1;
  if (is_ieee_like(t)) *e = eall - 1, *m = mall;
  else if (t.nan == dt::NanEncoding::AllOnes) *e = eall, *m = mall - 1;
  else *e = eall, *m = mall;
}

int64_t sext(uint64_t code, int bits) {
  if (bits >= 64) return static_cast<int64_t>(code);
  uint64_t s = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((code ^ s) - s);
}

uint64_t wrap(int64_t v, const dt::DType& t) { return static_cast<uint64_t>(v) & t.mask(); }

// Rounds |a| (finite, > 0) to t's grid: returns the code without sign, or the all-ones marker
// kOverflow when the rounded value exceeds the largest finite one.
constexpr uint64_t kOverflow = ~uint64_t{0};
uint64_t round_magnitude(LD a, const dt::DType& t) {
  const int M = t.man_bits, emin = 1 - t.bias;
  int e = std::ilogb(a);
  if (e < emin) e = emin;
  LD q = std::ldexp(LD{1}, e - M);
  LD r = std::nearbyint(a / q);  // default rounding mode: to nearest, ties to even
  if (r == 0) return 0;
  if (r >= std::ldexp(LD{1}, M + 1)) r /= 2, ++e;  // carried into the next binade (r stays even)
  uint64_t emaxf, mmax;
  max_fields(t, &emaxf, &mmax);
  uint64_t mant = static_cast<uint64_t>(r);
  uint64_t field = (mant >> M) == 0 ? 0 : static_cast<uint64_t>(e + t.bias);
  mant &= (uint64_t{1} << M) - 1;
  if (field > emaxf || (field == emaxf && mant > mmax)) return kOverflow;
  return (field << M) | mant;
}

uint64_t max_code(const dt::DType& t) {
  uint64_t e, m;
  max_fields(t, &e, &m);
  return (e << t.man_bits) | m;
}

uint64_t inf_code(const dt::DType& t) { return ((uint64_t{1} << t.exp_bits) - 1) << t.man_bits; }

// ue8m0 (code c is 2^(c - 127), 0xff NaN, no zero, no sign): the power of two at or above |v|
// (a cast's rounding, as CUDA's __nv_fp8_e8m0 constructor: round up), clamped to [2^-127, 2^127];
// zero and tiny values give 0x00, infinities and huge values 0xfe, NaN 0xff; the sign is dropped.
uint64_t ue8m0_code(LD v) {
  if (std::isnan(v)) return 0xff;
  LD a = std::fabs(v);
  if (std::isinf(a)) return 0xfe;
  if (a == 0) return 0x00;
  int e = std::ilogb(a);  // 2^e <= a < 2^(e + 1), exactly (long double holds every f64)
  if (a != std::ldexp(LD{1}, e)) ++e;
  return static_cast<uint64_t>(std::clamp(e + 127, 0, 254));
}

Expected<uint64_t> float_code(LD v, const dt::DType& t) {
  if (t.nan == dt::NanEncoding::UE8M0) return ue8m0_code(v);
  const bool wide = t.bits > 8;  // f16, bf16, f32, f64: overflow to infinity
  if (std::isnan(v)) return t.nan == dt::NanEncoding::None ? max_code(t) : nan_code(t);
  uint64_t s = std::signbit(v) ? sign_bit(t) : 0;
  LD a = std::fabs(v);
  if (a == 0) return s;
  uint64_t mag = std::isinf(a) ? kOverflow : round_magnitude(a, t);
  if (mag == kOverflow) mag = wide && t.has_inf ? inf_code(t) : max_code(t);
  return s | mag;
}

Expected<uint64_t> int_code(LD v, const dt::DType& t) {
  if (std::isnan(v)) return uint64_t{0};
  LD tr = std::trunc(v);
  bool sg = t.kind == dt::Kind::Int;
  LD lo = sg ? -std::ldexp(LD{1}, t.bits - 1) : 0;
  LD hi = sg ? std::ldexp(LD{1}, t.bits - 1) - 1 : std::ldexp(LD{1}, t.bits) - 1;
  if (tr <= lo) tr = lo;
  if (tr >= hi) tr = hi;
  if (sg) return wrap(static_cast<int64_t>(tr), t);
  return static_cast<uint64_t>(tr) & t.mask();
}

Val make(const dt::DType& t, uint64_t c) { return Val{t, c & t.mask()}; }

// Float binary operations in the operands' format.
Expected<Val> float_binary(const std::string& op, const dt::DType& t, uint64_t ca, uint64_t cb) {
  LD a = value_of(ca, t), b = value_of(cb, t);
  bool na = std::isnan(a), nb = std::isnan(b);
  if (op == "min" || op == "max") {
    if (na && nb) return make(t, nan_code(t));
    if (na) return make(t, cb);
    if (nb) return make(t, ca);
    bool less = a < b || (a == b && std::signbit(a) && !std::signbit(b));
    return make(t, (op == "min") == less ? ca : cb);
  }
  // One IEEE operation in f64 for f64, in f32 for f16/bf16/f32 (their values are exact in f32).
  auto apply = [&](auto x, auto y) -> std::optional<LD> {
    if (op == "add") return x + y;
    if (op == "sub") return x - y;
    if (op == "mul") return x * y;
    if (op == "div") return x / y;
    if (op == "mod") return std::fmod(x, y);
    return std::nullopt;
  };
  auto r = t == dt::kF64 ? apply(static_cast<double>(a), static_cast<double>(b))
                         : apply(static_cast<float>(a), static_cast<float>(b));
  if (!r) return fail("the oracle has no float operation '" + op + "'");
  auto c = code_of(*r, t);
  if (!c) return c.error();
  return make(t, *c);
}

Expected<Val> int_binary(const std::string& op, const dt::DType& t, uint64_t ca, uint64_t cb) {
  const bool sg = t.kind == dt::Kind::Int;
  int64_t a = sg ? sext(ca, t.bits) : static_cast<int64_t>(ca), b = sg ? sext(cb, t.bits) : static_cast<int64_t>(cb);
  uint64_t ua = ca, ub = cb;
  auto ret = [&](uint64_t c) -> Expected<Val> { return make(t, c); };
  if (op == "add") return ret(ua + ub);
  if (op == "sub") return ret(ua - ub);
  if (op == "mul") return ret(ua * ub);
  if (op == "and") return ret(ua & ub);
  if (op == "or") return ret(ua | ub);
  if (op == "xor") return ret(ua ^ ub);
  if (op == "min" || op == "max") {
    bool less = sg ? a < b : ua < ub;
    return ret((op == "min") == less ? ua : ub);
  }
  if (op == "div" || op == "mod") {
    if (ub == 0) return fail("integer division by zero");
    if (sg) {
      if (b == -1) return ret(op == "div" ? 0 - ua : 0);  // MIN / -1 = MIN, MIN % -1 = 0
      return ret(static_cast<uint64_t>(op == "div" ? a / b : a % b));
    }
    return ret(op == "div" ? ua / ub : ua % ub);
  }
  if (op == "shl" || op == "shr") {
    if (ub >= static_cast<uint64_t>(t.bits)) return ret(op == "shr" && sg && a < 0 ? t.mask() : 0);
    if (op == "shl") return ret(ua << ub);
    return ret(sg ? static_cast<uint64_t>(a >> ub) : ua >> ub);
  }
  return fail("the oracle has no integer operation '" + op + "'");
}

Expected<Val> compare(const std::string& op, const dt::DType& t, uint64_t ca, uint64_t cb) {
  LD a = value_of(ca, t), b = value_of(cb, t);
  bool r;
  if (op == "eq") r = a == b;
  else if (op == "ne") r = a != b;
  else if (op == "lt") r = a < b;
  else if (op == "le") r = a <= b;
  else if (op == "gt") r = a > b;
  else r = a >= b;
  return make(dt::kBool, r ? 1 : 0);
}

// Unary float operations computed in long double and rounded once.
Expected<Val> float_unary(const std::string& op, const dt::DType& t, uint64_t ca) {
  if (op == "neg") return make(t, ca ^ sign_bit(t));
  if (op == "abs") return make(t, ca & ~sign_bit(t));
  LD a = value_of(ca, t), r;
  if (op == "sqrt") {
    if (t == dt::kF64) r = std::sqrt(static_cast<double>(a));
    else if (t == dt::kF32) r = std::sqrt(static_cast<float>(a));
    else r = std::sqrt(static_cast<double>(a));  // exact operand, one rounding to double, 53 >= 2p+2
  } else if (op == "round") {
    r = std::nearbyint(a);
  } else if (op == "exp") {
    r = std::exp(a);
  } else if (op == "exp2") {
    r = std::exp2(a);
  } else if (op == "log") {
    r = std::log(a);
  } else if (op == "rsqrt") {
    r = 1 / std::sqrt(a);
  } else {
    return fail("the oracle has no float operation '" + op + "'");
  }
  auto c = code_of(r, t);
  if (!c) return c.error();
  return make(t, *c);
}

// fma of f16/bf16: the product is exact in double; TwoSum gives the exact sum as s + err; a
// round-to-odd correction of s then makes the final rounding to the narrow format correct.
LD fma_narrow(LD a, LD b, LD c) {
  double p = static_cast<double>(a) * static_cast<double>(b), cc = static_cast<double>(c);
  double s = p + cc;
  if (!std::isfinite(s)) return s;
  double bp = s - cc, err = (p - bp) + (cc - (s - bp));
  if (err != 0 && (std::bit_cast<uint64_t>(s) & 1) == 0)
    s = std::nextafter(s, err > 0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity());
  return s;
}

// NaN conversions between formats that have NaN, as docs/dtypes.md's table records them (CUDA's
// host functions and the measured cvt instructions): payloads move only between the IEEE
// formats where the hardware keeps them (sign kept, payload aligned at the top of the mantissa,
// quiet bit set); every other pair gives the target's canonical NaN.
uint64_t nan_to(const Val& a, const dt::DType& to) {
  const dt::DType& from = a.t;
  bool keep = false;
  if (to == dt::kF64) keep = from == dt::kF32 || from == dt::kF16 || from == dt::kBF16;
  else if (from == dt::kF64) keep = to == dt::kF32 || to == dt::kF16 || to == dt::kBF16 || to == dt::kF8E5M2 || to == dt::kF8E4M3;
  else if (to == dt::kF32) keep = from == dt::kBF16;
  if (to == dt::kF64 && (from == dt::kF8E4M3 || from == dt::kF8E5M2)) return 0x7fffffffe0000000ull;
  if (to == dt::kF64 && from.nan == dt::NanEncoding::UE8M0) return 0x7fffe00000000000ull;
  if (to == dt::kF32 && from.nan == dt::NanEncoding::UE8M0) return 0x7fff0000u;
  if (!keep) return nan_code(to);
  uint64_t sign = (a.code & sign_bit(from)) ? sign_bit(to) : 0;
  if (to == dt::kF8E4M3) return sign | 0x7f;
  uint64_t m = man_field(a.code, from);
  uint64_t mant = to.man_bits >= from.man_bits ? m << (to.man_bits - from.man_bits) : m >> (from.man_bits - to.man_bits);
  if (to == dt::kF32 && from == dt::kBF16) return sign | inf_code(to) | mant;  // a plain shift: signalling NaNs stay
  return sign | inf_code(to) | mant | (uint64_t{1} << (to.man_bits - 1));
}

}  // namespace

bool is_nan_code(uint64_t code, const dt::DType& t) {
  if (!t.is_float()) return false;
  switch (t.nan) {
    case dt::NanEncoding::IeeeLike: return exp_field(code, t) == (uint64_t{1} << t.exp_bits) - 1 && man_field(code, t) != 0;
    case dt::NanEncoding::AllOnes: return (code & ~sign_bit(t) & t.mask()) == (t.mask() & ~sign_bit(t));
    case dt::NanEncoding::UE8M0: return code == 0xff;
    default: return false;
  }
}

uint64_t nan_code(const dt::DType& t) { return t.nan == dt::NanEncoding::UE8M0 ? 0xff : t.mask() >> 1; }

long double value_of(uint64_t code, const dt::DType& t) {
  code &= t.mask();
  if (t.is_bool()) return code != 0 ? 1 : 0;
  if (t.kind == dt::Kind::Int) return static_cast<LD>(sext(code, t.bits));
  if (t.kind == dt::Kind::UInt) return static_cast<LD>(code);
  if (is_nan_code(code, t)) return std::numeric_limits<LD>::quiet_NaN();
  if (t.nan == dt::NanEncoding::UE8M0) return std::ldexp(LD{1}, static_cast<int>(code) - 127);
  bool neg = (code & sign_bit(t)) != 0;
  uint64_t e = exp_field(code, t), m = man_field(code, t);
  LD mag;
  if (t.has_inf && e == (uint64_t{1} << t.exp_bits) - 1) mag = std::numeric_limits<LD>::infinity();
  else if (e == 0) mag = std::ldexp(static_cast<LD>(m), 1 - t.bias - t.man_bits);
  else mag = std::ldexp(static_cast<LD>(m + (uint64_t{1} << t.man_bits)), static_cast<int>(e) - t.bias - t.man_bits);
  return neg ? -mag : mag;
}

Expected<uint64_t> code_of(long double v, const dt::DType& t) {
  if (t.is_bool()) return fail("the oracle does not define conversions to bool");
  if (t.is_int()) return int_code(v, t);
  if (t == dt::kF32 && !std::isnan(v)) return uint64_t{std::bit_cast<uint32_t>(static_cast<float>(v))};
  if (t == dt::kF64 && !std::isnan(v)) return std::bit_cast<uint64_t>(static_cast<double>(v));
  return float_code(v, t);
}

Expected<Val> convert(const Val& a, const dt::DType& to) {
  if (a.t == to) return a;  // a type to itself: the code unchanged (docs/dtypes.md), NaN payloads included
  if (to.is_bool()) {  // nonzero (NaN included) is true
    LD v = value_of(a.code, a.t);
    return make(to, v != 0 || std::isnan(v) ? 1 : 0);
  }
  if (a.t.is_bool() && to.is_int()) return make(to, a.code != 0 ? 1 : 0);  // 1 wraps (bool -> i1 is -1)
  if (a.t.is_int() && to.is_int())  // the value, sign-extended, then its low bits
    return make(to, a.t.kind == dt::Kind::Int ? static_cast<uint64_t>(sext(a.code, a.t.bits)) : a.code);
  if (is_nan_code(a.code, a.t) && to.is_float() && to.nan != dt::NanEncoding::None) return make(to, nan_to(a, to));
  LD v = value_of(a.code, a.t);
  if (a.t.is_bool() && !to.is_bool()) v = a.code != 0 ? 1 : 0;
  auto c = code_of(v, to);
  if (!c) return c.error();
  return make(to, *c);
}

Expected<Val> apply(const std::string& op, const std::vector<Val>& args) {
  if (args.empty()) return fail("'" + op + "' needs operands");
  const dt::DType& t = args[0].t;
  if (op == "where") {
    if (args.size() != 3) return fail("'where' needs 3 operands");
    return args[0].code != 0 ? args[1] : args[2];
  }
  for (const Val& v : args)
    if (!(v.t == t)) return fail("operands of '" + op + "' have different types " + t.name() + " and " + v.t.name());
  if (op == "fma") {
    if (args.size() != 3 || !t.is_float()) return fail("'fma' needs three float operands");
    LD a = value_of(args[0].code, t), b = value_of(args[1].code, t), c = value_of(args[2].code, t), r;
    if (t == dt::kF64) r = std::fma(static_cast<double>(a), static_cast<double>(b), static_cast<double>(c));
    else if (t == dt::kF32) r = std::fma(static_cast<float>(a), static_cast<float>(b), static_cast<float>(c));
    else r = fma_narrow(a, b, c);
    auto code = code_of(r, t);
    if (!code) return code.error();
    return make(t, *code);
  }
  if (args.size() == 1) {
    if (t.is_float()) return float_unary(op, t, args[0].code);
    if (op == "not") return make(t, t.is_bool() ? (args[0].code == 0 ? 1 : 0) : ~args[0].code);
    if (op == "neg") return make(t, 0 - args[0].code);
    if (op == "abs") return make(t, t.kind == dt::Kind::Int && sext(args[0].code, t.bits) < 0 ? 0 - args[0].code : args[0].code);
    return fail("the oracle has no integer operation '" + op + "'");
  }
  if (args.size() != 2) return fail("'" + op + "' needs 2 operands");
  if (op == "eq" || op == "ne" || op == "lt" || op == "le" || op == "gt" || op == "ge")
    return compare(op, t, args[0].code, args[1].code);
  if (t.is_bool()) {
    uint64_t a = args[0].code != 0, b = args[1].code != 0;
    if (op == "and") return make(t, a & b);
    if (op == "or") return make(t, a | b);
    if (op == "xor") return make(t, a ^ b);
    return fail("the oracle has no bool operation '" + op + "'");
  }
  if (t.is_float()) return float_binary(op, t, args[0].code, args[1].code);
  return int_binary(op, t, args[0].code, args[1].code);
}

uint64_t ulp_distance(uint64_t a, uint64_t b, const dt::DType& t) {
  if (a == b) return 0;
  bool na = is_nan_code(a, t), nb = is_nan_code(b, t);
  if (na || nb) return na && nb ? 0 : std::numeric_limits<uint64_t>::max();
  // Map codes to a monotonic integer line: negative values mirror below zero.
  auto line = [&](uint64_t c) -> int64_t {
    int64_t mag = static_cast<int64_t>(c & ~sign_bit(t) & t.mask());
    return (c & sign_bit(t)) ? -mag : mag;
  };
  int64_t d = line(a) - line(b);
  return static_cast<uint64_t>(d < 0 ? -d : d);
}

}  // namespace tilevm::conf
