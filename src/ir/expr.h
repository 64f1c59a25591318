// Scalar expressions: per-block values (parameters, block indices, loop variables, lets) and
// arithmetic on them. Nodes are immutable and shared.
//
// Semantics: integer arithmetic wraps in the operands' type; `/` truncates toward zero and
// `%` takes the sign of the dividend (C rules); division by zero traps at run time. Shifts by
// the bit width or more give 0 (or -1 for `>>` of a negative signed value). Comparisons and
// `&&`, `||`, `!` give bool. An untyped literal takes the type of the other operand (an integer
// literal defaults to i32, a float literal to f32). `cdiv(a, b)` is ceil(a / b) for b > 0;
// `min`/`max` take two operands of one type; `T(x)` converts x to dtype T by the conversion rules.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ir/location.h"
#include "ir/types.h"

namespace tilevm::ir {

enum class ExprKind : uint8_t { Int, Float, Bool, Var, Unary, Binary, Call, Convert };

enum class UnOp : uint8_t { Neg, LogicNot, BitNot };

enum class BinOp : uint8_t {
  Mul, Div, Mod, Add, Sub, Shl, Shr, Lt, Le, Gt, Ge, Eq, Ne, BitAnd, BitXor, BitOr, LogicAnd, LogicOr,
};

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  ExprKind kind = ExprKind::Int;
  int64_t int_value = 0;     // Int
  double float_value = 0;    // Float (finite)
  bool bool_value = false;   // Bool
  std::string name;          // Var: the variable; Call: the function (cdiv, min, max)
  UnOp un = UnOp::Neg;       // Unary
  BinOp bin = BinOp::Add;    // Binary
  DType dtype;               // Convert: the target type
  std::vector<ExprPtr> args; // Unary: 1, Binary: 2, Call: n, Convert: 1
  SrcRange loc;

  static ExprPtr make_int(int64_t v, SrcRange loc = {});
  static ExprPtr make_float(double v, SrcRange loc = {});
  static ExprPtr make_bool(bool v, SrcRange loc = {});
  static ExprPtr make_var(std::string name, SrcRange loc = {});
  static ExprPtr make_unary(UnOp op, ExprPtr a, SrcRange loc = {});
  static ExprPtr make_binary(BinOp op, ExprPtr a, ExprPtr b, SrcRange loc = {});
  static ExprPtr make_call(std::string fn, std::vector<ExprPtr> args, SrcRange loc = {});
  static ExprPtr make_convert(DType to, ExprPtr a, SrcRange loc = {});
};

// Structural equality (locations ignored).
bool equal(const ExprPtr& a, const ExprPtr& b);

// Spelling and binding strength of operators (higher binds tighter).
const char* binop_spelling(BinOp op);
int binop_precedence(BinOp op);
const char* unop_spelling(UnOp op);
// Scalar functions callable in expressions, and their arity.
bool is_scalar_function(const std::string& name, int* arity = nullptr);

}  // namespace tilevm::ir
