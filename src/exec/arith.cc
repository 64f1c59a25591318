// Bit-exact elementwise arithmetic on codes (semantics in arith.h).
#include "exec/arith.h"

#include <bit>
#include <cmath>
#include <limits>

#include "dtype/convert.h"
#include "support/check.h"

namespace tilevm::exec {
namespace {

using dt::DType;

bool is_f32(const DType& t) { return t.is_float() && t.bits == 32 && t.exp_bits == 8; }
bool is_f64(const DType& t) { return t.is_float() && t.bits == 64; }

double to_double(uint64_t code, const DType& t) {
  if (is_f64(t)) return std::bit_cast<double>(code);
  if (is_f32(t)) return static_cast<double>(std::bit_cast<float>(static_cast<uint32_t>(code)));
  return dt::decode(code, t);
}

uint64_t sign_bit(const DType& t) { return uint64_t{1} << (t.bits - 1); }

// f64 a + b rounded to odd: the sum rounded toward zero, with the last bit set if inexact.
// Exact when a + b does not overflow (TwoSum gives the rounding error exactly).
double add_round_to_odd(double a, double b) {
  double s = a + b;
  double bb = s - a;
  double err = (a - (s - bb)) + (b - bb);
  if (err == 0 || !std::isfinite(s)) return s;
  uint64_t bits = std::bit_cast<uint64_t>(s);
  if (bits & 1) return s;  // already odd
  // s was rounded to even; step one ulp toward the exact value, which makes it odd.
  return std::nextafter(s, err > 0 ? std::numeric_limits<double>::infinity()
                                   : -std::numeric_limits<double>::infinity());
}

uint64_t int_binary(BinaryOp op, const DType& t, uint64_t a, uint64_t b, bool* div0) {
  const bool sgn = t.kind == dt::Kind::Int;
  const int64_t sa = sign_extend(a, t.bits), sb = sign_extend(b, t.bits);
  const uint64_t ua = a & t.mask(), ub = b & t.mask();
  switch (op) {
    case BinaryOp::Add: return ua + ub;
    case BinaryOp::Sub: return ua - ub;
    case BinaryOp::Mul: return ua * ub;
    case BinaryOp::Div:
    case BinaryOp::Mod:
      if (ub == 0) return *div0 = true, 0;
      if (!sgn) return op == BinaryOp::Div ? ua / ub : ua % ub;
      if (sb == -1) return op == BinaryOp::Div ? 0 - ua : 0;  // MIN / -1 wraps to MIN
      return static_cast<uint64_t>(op == BinaryOp::Div ? sa / sb : sa % sb);
    case BinaryOp::Min: return sgn ? (sa < sb ? a : b) : (ua < ub ? a : b);
    case BinaryOp::Max: return sgn ? (sa > sb ? a : b) : (ua > ub ? a : b);
    case BinaryOp::And: return ua & ub;
    case BinaryOp::Or: return ua | ub;
    case BinaryOp::Xor: return ua ^ ub;
    case BinaryOp::Shl: return ub >= static_cast<uint64_t>(t.bits) ? 0 : ua << ub;
    case BinaryOp::Shr:
      if (ub >= static_cast<uint64_t>(t.bits)) return sgn && sa < 0 ? ~uint64_t{0} : 0;
      return sgn ? static_cast<uint64_t>(sa >> ub) : ua >> ub;
  }
  TILEVM_UNREACHABLE();
}

// min/max with NaN operands giving the other operand and -0 < +0.
uint64_t float_minmax(bool is_min, const DType& t, uint64_t a, uint64_t b) {
  const bool na = dt::is_nan(a, t), nb = dt::is_nan(b, t);
  if (na && nb) return canonical_nan(t);
  if (na) return b;
  if (nb) return a;
  double x = to_double(a, t), y = to_double(b, t);
  if (x == y) {  // equal values: only the sign of zero can differ
    bool a_neg = (a & sign_bit(t)) != 0;
    return (is_min == a_neg) ? a : b;
  }
  return (x < y) == is_min ? a : b;
}

double float_apply(BinaryOp op, double x, double y) {
  switch (op) {
    case BinaryOp::Add: return x + y;
    case BinaryOp::Sub: return x - y;
    case BinaryOp::Mul: return x * y;
    case BinaryOp::Div: return x / y;
    case BinaryOp::Mod: return std::fmod(x, y);
    default: TILEVM_UNREACHABLE();
  }
}

float float_apply32(BinaryOp op, float x, float y) {
  switch (op) {
    case BinaryOp::Add: return x + y;
    case BinaryOp::Sub: return x - y;
    case BinaryOp::Mul: return x * y;
    case BinaryOp::Div: return x / y;
    case BinaryOp::Mod: return std::fmod(x, y);
    default: TILEVM_UNREACHABLE();
  }
}

uint64_t float_binary(BinaryOp op, const DType& t, uint64_t a, uint64_t b) {
  if (op == BinaryOp::Min || op == BinaryOp::Max) return float_minmax(op == BinaryOp::Min, t, a, b);
  TILEVM_CHECK(op <= BinaryOp::Mod);
  if (is_f32(t)) {
    float r = float_apply32(op, std::bit_cast<float>(static_cast<uint32_t>(a)),
                            std::bit_cast<float>(static_cast<uint32_t>(b)));
    return std::isnan(r) ? canonical_nan(t) : std::bit_cast<uint32_t>(r);
  }
  double r = float_apply(op, to_double(a, t), to_double(b, t));
  if (is_f64(t)) return std::isnan(r) ? canonical_nan(t) : std::bit_cast<uint64_t>(r);
  return from_double(r, t);
}

double unary_double(UnaryOp op, double x) {
  switch (op) {
    case UnaryOp::Exp: return std::exp(x);
    case UnaryOp::Exp2: return std::exp2(x);
    case UnaryOp::Log: return std::log(x);
    case UnaryOp::Sqrt: return std::sqrt(x);
    case UnaryOp::Rsqrt: return 1.0 / std::sqrt(x);
    case UnaryOp::Round: return std::nearbyint(x);
    default: TILEVM_UNREACHABLE();
  }
}

}  // namespace

int64_t sign_extend(uint64_t code, int bits) {
  if (bits >= 64) return static_cast<int64_t>(code);
  uint64_t m = uint64_t{1} << (bits - 1);
  code &= (m << 1) - 1;
  return static_cast<int64_t>((code ^ m) - m);
}

uint64_t canonical_nan(const DType& t) {
  if (t.bits == 64) return 0x7fffffffffffffffull;
  if (t.bits == 32) return 0x7fffffffull;
  if (t.bits == 16) return 0x7fff;
  return dt::convert(0x7fffffff, dt::kF32, t);
}

uint64_t from_double(double v, const DType& t) {
  if (std::isnan(v) && t.is_float()) return canonical_nan(t);
  return dt::convert(std::bit_cast<uint64_t>(v), dt::kF64, t);
}

bool binary_op(BinaryOp op, const DType& t, uint64_t a, uint64_t b, uint64_t* out) {
  if (t.is_bool()) {
    bool x = a != 0, y = b != 0;
    switch (op) {
      case BinaryOp::And: case BinaryOp::Min: *out = x && y; return true;
      case BinaryOp::Or: case BinaryOp::Max: *out = x || y; return true;
      case BinaryOp::Xor: *out = x != y; return true;
      default: break;
    }
  }
  if (!t.is_float()) {
    bool div0 = false;
    *out = int_binary(op, t, a, b, &div0) & t.mask();
    return !div0;
  }
  *out = float_binary(op, t, a, b);
  return true;
}

bool compare_op(CompareOp op, const DType& t, uint64_t a, uint64_t b) {
  if (t.is_float()) {
    double x = to_double(a, t), y = to_double(b, t);
    switch (op) {
      case CompareOp::Eq: return x == y;
      case CompareOp::Ne: return x != y;
      case CompareOp::Lt: return x < y;
      case CompareOp::Le: return x <= y;
      case CompareOp::Gt: return x > y;
      case CompareOp::Ge: return x >= y;
    }
  }
  if (t.is_bool()) a = a != 0, b = b != 0;
  const bool sgn = t.kind == dt::Kind::Int;
  auto less = [&](uint64_t x, uint64_t y) {
    return sgn ? sign_extend(x, t.bits) < sign_extend(y, t.bits) : (x & t.mask()) < (y & t.mask());
  };
  a &= t.mask(), b &= t.mask();
  switch (op) {
    case CompareOp::Eq: return a == b;
    case CompareOp::Ne: return a != b;
    case CompareOp::Lt: return less(a, b);
    case CompareOp::Le: return !less(b, a);
    case CompareOp::Gt: return less(b, a);
    case CompareOp::Ge: return !less(a, b);
  }
  TILEVM_UNREACHABLE();
}

uint64_t unary_op(UnaryOp op, const DType& t, uint64_t a) {
  if (t.is_bool()) {
    TILEVM_CHECK(op == UnaryOp::Not);
    return a == 0;
  }
  if (!t.is_float()) {
    int64_t s = sign_extend(a, t.bits);
    switch (op) {
      case UnaryOp::Neg: return (0 - a) & t.mask();
      case UnaryOp::Abs: return (t.kind == dt::Kind::Int && s < 0 ? 0 - a : a) & t.mask();
      case UnaryOp::Not: return ~a & t.mask();
      default: TILEVM_UNREACHABLE();
    }
  }
  switch (op) {
    case UnaryOp::Neg: return a ^ sign_bit(t);
    case UnaryOp::Abs: return a & ~sign_bit(t);
    case UnaryOp::Not: TILEVM_UNREACHABLE();
    default: break;
  }
  double r = unary_double(op, to_double(a, t));
  if (is_f64(t)) return std::isnan(r) ? canonical_nan(t) : std::bit_cast<uint64_t>(r);
  return from_double(r, t);
}

uint64_t fma_op(const DType& t, uint64_t a, uint64_t b, uint64_t c) {
  if (!t.is_float()) return (a * b + c) & t.mask();
  if (is_f32(t)) {
    float r = std::fma(std::bit_cast<float>(static_cast<uint32_t>(a)), std::bit_cast<float>(static_cast<uint32_t>(b)),
                       std::bit_cast<float>(static_cast<uint32_t>(c)));
    return std::isnan(r) ? canonical_nan(t) : std::bit_cast<uint32_t>(r);
  }
  if (is_f64(t)) {
    double r = std::fma(std::bit_cast<double>(a), std::bit_cast<double>(b), std::bit_cast<double>(c));
    return std::isnan(r) ? canonical_nan(t) : std::bit_cast<uint64_t>(r);
  }
  // Formats of at most 16 bits: the product is exact in f64, the sum is rounded to odd in f64
  // (53 >= p + 2 bits), and the final rounding to the format is then a correct single rounding.
  double p = to_double(a, t) * to_double(b, t);
  return from_double(add_round_to_odd(p, to_double(c, t)), t);
}

}  // namespace tilevm::exec
