// Evaluation of the IR's scalar expressions (ir/expr.h) on typed codes: grid extents, view
// shapes, offsets, loop bounds and lets. Semantics as in ir/expr.h; arithmetic through arith.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "ir/expr.h"
#include "support/expected.h"

namespace tilevm::exec {

// A scalar value: a code of `type`. `literal` marks an untyped literal, which adopts the type of
// the other operand of a binary operation (integer literals default to i32, floats to f32).
struct Scalar {
  dt::DType type = dt::kI32;
  uint64_t code = 0;
  bool literal = false;
  double literal_float = 0;  // float literals: the exact written value (rounded when typed)
  bool literal_is_float = false;

  // The value as int64 (integers sign- or zero-extended, bool 0/1, floats truncated).
  int64_t as_int() const;
  bool as_bool() const;
  static Scalar of(dt::DType t, uint64_t code) { return Scalar{t, code & t.mask()}; }
  static Scalar of_i64(int64_t v) { return of(dt::kI64, static_cast<uint64_t>(v)); }
};

// The value of a variable, or nullopt if it has none.
using ScalarLookup = std::function<std::optional<Scalar>(const std::string&)>;

// Why evaluation failed: division by zero (a trap), or a name without a value.
struct EvalError {
  enum Kind { DivideByZero, Unbound } kind;
  std::string message;
  ir::SrcRange loc;
};

// Evaluates `e`. Untyped literals left at the end take their default type.
// Returns nullopt and fills *err on failure.
std::optional<Scalar> eval_scalar(const ir::Expr& e, const ScalarLookup& lookup, EvalError* err);

// Converts a scalar to `t` by the conversion rules (a literal is rounded once from its value).
Scalar convert_scalar(const Scalar& s, const dt::DType& t);

}  // namespace tilevm::exec
