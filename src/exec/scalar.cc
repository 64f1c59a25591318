// Evaluation of scalar expressions on typed codes.
#include "exec/scalar.h"

#include <bit>
#include <cmath>

#include "dtype/convert.h"
#include "exec/arith.h"
#include "support/check.h"

namespace tilevm::exec {
namespace {

Scalar int_literal(int64_t v) {
  Scalar s;
  s.literal = true;
  bool fits32 = v >= INT32_MIN && v <= INT32_MAX;
  s.type = fits32 ? dt::kI32 : dt::kI64;
  s.code = static_cast<uint64_t>(v) & s.type.mask();
  return s;
}

Scalar float_literal(double v) {
  Scalar s;
  s.literal = true;
  s.literal_is_float = true;
  s.literal_float = v;
  s.type = dt::kF32;
  s.code = from_double(v, dt::kF32);
  return s;
}

// Literal arithmetic stays untyped: integers in int64 (wrapping), floats in double.
std::optional<Scalar> literal_binary(ir::BinOp op, const Scalar& a, const Scalar& b, EvalError* err, ir::SrcRange loc) {
  if (a.literal_is_float || b.literal_is_float) {
    double x = a.literal_is_float ? a.literal_float : static_cast<double>(a.as_int());
    double y = b.literal_is_float ? b.literal_float : static_cast<double>(b.as_int());
    switch (op) {
      case ir::BinOp::Add: return float_literal(x + y);
      case ir::BinOp::Sub: return float_literal(x - y);
      case ir::BinOp::Mul: return float_literal(x * y);
      case ir::BinOp::Div: return float_literal(x / y);
      default: break;
    }
    return std::nullopt;  // comparisons: handled by the typed path
  }
  return std::nullopt;
}

BinaryOp arith_of(ir::BinOp op) {
  switch (op) {
    case ir::BinOp::Add: return BinaryOp::Add;
    case ir::BinOp::Sub: return BinaryOp::Sub;
    case ir::BinOp::Mul: return BinaryOp::Mul;
    case ir::BinOp::Div: return BinaryOp::Div;
    case ir::BinOp::Mod: return BinaryOp::Mod;
    case ir::BinOp::Shl: return BinaryOp::Shl;
    case ir::BinOp::Shr: return BinaryOp::Shr;
    case ir::BinOp::BitAnd: return BinaryOp::And;
    case ir::BinOp::BitOr: return BinaryOp::Or;
    case ir::BinOp::BitXor: return BinaryOp::Xor;
    default: TILEVM_UNREACHABLE();
  }
}

std::optional<CompareOp> compare_of(ir::BinOp op) {
  switch (op) {
    case ir::BinOp::Lt: return CompareOp::Lt;
    case ir::BinOp::Le: return CompareOp::Le;
    case ir::BinOp::Gt: return CompareOp::Gt;
    case ir::BinOp::Ge: return CompareOp::Ge;
    case ir::BinOp::Eq: return CompareOp::Eq;
    case ir::BinOp::Ne: return CompareOp::Ne;
    default: return std::nullopt;
  }
}

// Gives both operands one type: a literal adopts the other operand's type.
void unify(Scalar& a, Scalar& b) {
  if (a.literal && !b.literal) a = convert_scalar(a, b.type);
  else if (b.literal && !a.literal) b = convert_scalar(b, a.type);
  else if (a.literal && b.literal) {
    dt::DType t = (a.literal_is_float || b.literal_is_float) ? dt::kF32
                  : (a.type == dt::kI64 || b.type == dt::kI64) ? dt::kI64 : dt::kI32;
    a = convert_scalar(a, t), b = convert_scalar(b, t);
    a.literal = b.literal = true;  // the result of two literals stays a literal
  }
}

std::optional<Scalar> eval_binary(const ir::Expr& e, Scalar a, Scalar b, EvalError* err) {
  const ir::BinOp op = e.bin;
  if (op == ir::BinOp::LogicAnd) return Scalar::of(dt::kBool, a.as_bool() && b.as_bool());
  if (op == ir::BinOp::LogicOr) return Scalar::of(dt::kBool, a.as_bool() || b.as_bool());
  if (a.literal && b.literal && (a.literal_is_float || b.literal_is_float))
    if (auto r = literal_binary(op, a, b, err, e.loc)) return r;
  if (a.literal && b.literal && !a.literal_is_float && !b.literal_is_float && op != ir::BinOp::Shl &&
      op != ir::BinOp::Shr && !compare_of(op)) {
    int64_t x = a.as_int(), y = b.as_int();
    if ((op == ir::BinOp::Div || op == ir::BinOp::Mod) && y == 0) {
      *err = EvalError{EvalError::DivideByZero, "integer division by zero", e.loc};
      return std::nullopt;
    }
    uint64_t r = 0;
    binary_op(arith_of(op), dt::kI64, static_cast<uint64_t>(x), static_cast<uint64_t>(y), &r);
    return int_literal(static_cast<int64_t>(r));
  }
  bool both_literal = a.literal && b.literal;
  unify(a, b);
  if (auto c = compare_of(op)) return Scalar::of(dt::kBool, compare_op(*c, a.type, a.code, b.code));
  uint64_t r = 0;
  if (!binary_op(arith_of(op), a.type, a.code, b.code, &r)) {
    *err = EvalError{EvalError::DivideByZero, "integer division by zero", e.loc};
    return std::nullopt;
  }
  Scalar s = Scalar::of(a.type, r);
  s.literal = both_literal;
  return s;
}

std::optional<Scalar> eval_call(const ir::Expr& e, Scalar a, Scalar b, EvalError* err) {
  bool both_literal = a.literal && b.literal;
  unify(a, b);
  uint64_t r = 0;
  if (e.name == "min" || e.name == "max") {
    binary_op(e.name == "min" ? BinaryOp::Min : BinaryOp::Max, a.type, a.code, b.code, &r);
  } else {  // cdiv(a, b) = (a + b - 1) / b
    uint64_t t = 0;
    binary_op(BinaryOp::Add, a.type, a.code, b.code, &t);
    binary_op(BinaryOp::Sub, a.type, t, 1, &t);
    if (!binary_op(BinaryOp::Div, a.type, t, b.code, &r)) {
      *err = EvalError{EvalError::DivideByZero, "integer division by zero in cdiv", e.loc};
      return std::nullopt;
    }
  }
  Scalar s = Scalar::of(a.type, r);
  s.literal = both_literal;
  return s;
}

}  // namespace

int64_t Scalar::as_int() const {
  if (type.is_bool()) return code != 0;
  if (type.is_float()) return static_cast<int64_t>(sign_extend(dt::convert(code, type, dt::kI64), 64));
  if (type.kind == dt::Kind::Int) return sign_extend(code, type.bits);
  return static_cast<int64_t>(code & type.mask());
}

bool Scalar::as_bool() const { return dt::convert(code, type, dt::kBool) != 0; }

Scalar convert_scalar(const Scalar& s, const dt::DType& t) {
  if (s.literal && s.literal_is_float) return Scalar::of(t, from_double(s.literal_float, t));
  if (s.literal && !t.is_float()) return Scalar::of(t, static_cast<uint64_t>(s.as_int()));
  return Scalar::of(t, dt::convert(s.code, s.type, t));
}

std::optional<Scalar> eval_scalar(const ir::Expr& e, const ScalarLookup& lookup, EvalError* err) {
  switch (e.kind) {
    case ir::ExprKind::Int: return int_literal(e.int_value);
    case ir::ExprKind::Float: return float_literal(e.float_value);
    case ir::ExprKind::Bool: return Scalar::of(dt::kBool, e.bool_value);
    case ir::ExprKind::Var: {
      auto v = lookup(e.name);
      if (!v) *err = EvalError{EvalError::Unbound, "'" + e.name + "' has no value here", e.loc};
      return v;
    }
    case ir::ExprKind::Unary: {
      auto a = eval_scalar(*e.args[0], lookup, err);
      if (!a) return a;
      if (e.un == ir::UnOp::LogicNot) return Scalar::of(dt::kBool, !a->as_bool());
      if (a->literal && a->literal_is_float) {
        Scalar r = float_literal(-a->literal_float);
        return r;
      }
      Scalar r = Scalar::of(a->type, unary_op(e.un == ir::UnOp::Neg ? UnaryOp::Neg : UnaryOp::Not, a->type, a->code));
      r.literal = a->literal;
      if (r.literal) r = int_literal(e.un == ir::UnOp::Neg ? -a->as_int() : ~a->as_int());
      return r;
    }
    case ir::ExprKind::Binary: {
      auto a = eval_scalar(*e.args[0], lookup, err);
      if (!a) return a;
      auto b = eval_scalar(*e.args[1], lookup, err);
      if (!b) return b;
      return eval_binary(e, *a, *b, err);
    }
    case ir::ExprKind::Call: {
      auto a = eval_scalar(*e.args[0], lookup, err);
      if (!a) return a;
      auto b = eval_scalar(*e.args[1], lookup, err);
      if (!b) return b;
      return eval_call(e, *a, *b, err);
    }
    case ir::ExprKind::Convert: {
      auto a = eval_scalar(*e.args[0], lookup, err);
      if (!a) return a;
      return convert_scalar(*a, e.dtype);
    }
  }
  TILEVM_UNREACHABLE();
}

}  // namespace tilevm::exec
