// Construction, equality and operator tables of scalar expressions.
#include "ir/expr.h"

#include <cmath>

#include "support/check.h"

namespace tilevm::ir {
namespace {
std::shared_ptr<Expr> node(ExprKind k, SrcRange loc) {
  auto e = std::make_shared<Expr>();
  e->kind = k;
  e->loc = loc;
  return e;
}
}  // namespace

ExprPtr Expr::make_int(int64_t v, SrcRange loc) {
  auto e = node(ExprKind::Int, loc);
  e->int_value = v;
  return e;
}
ExprPtr Expr::make_float(double v, SrcRange loc) {
  TILEVM_CHECK(std::isfinite(v));
  auto e = node(ExprKind::Float, loc);
  e->float_value = v;
  return e;
}
ExprPtr Expr::make_bool(bool v, SrcRange loc) {
  auto e = node(ExprKind::Bool, loc);
  e->bool_value = v;
  return e;
}
ExprPtr Expr::make_var(std::string name, SrcRange loc) {
  TILEVM_CHECK(!name.empty());
  auto e = node(ExprKind::Var, loc);
  e->name = std::move(name);
  return e;
}
ExprPtr Expr::make_unary(UnOp op, ExprPtr a, SrcRange loc) {
  TILEVM_CHECK(a != nullptr);
  auto e = node(ExprKind::Unary, loc);
  e->un = op;
  e->args = {std::move(a)};
  return e;
}
ExprPtr Expr::make_binary(BinOp op, ExprPtr a, ExprPtr b, SrcRange loc) {
  TILEVM_CHECK(a != nullptr && b != nullptr);
  auto e = node(ExprKind::Binary, loc);
  e->bin = op;
  e->args = {std::move(a), std::move(b)};
  return e;
}
ExprPtr Expr::make_call(std::string fn, std::vector<ExprPtr> args, SrcRange loc) {
  for (const auto& a : args) TILEVM_CHECK(a != nullptr);
  auto e = node(ExprKind::Call, loc);
  e->name = std::move(fn);
  e->args = std::move(args);
  return e;
}
ExprPtr Expr::make_convert(DType to, ExprPtr a, SrcRange loc) {
  TILEVM_CHECK(a != nullptr);
  auto e = node(ExprKind::Convert, loc);
  e->dtype = to;
  e->args = {std::move(a)};
  return e;
}

bool equal(const ExprPtr& a, const ExprPtr& b) {
  if (!a || !b) return !a && !b;
  if (a->kind != b->kind || a->args.size() != b->args.size()) return false;
  switch (a->kind) {
    case ExprKind::Int: return a->int_value == b->int_value;
    case ExprKind::Float: return a->float_value == b->float_value && std::signbit(a->float_value) == std::signbit(b->float_value);
    case ExprKind::Bool: return a->bool_value == b->bool_value;
    case ExprKind::Var: return a->name == b->name;
    case ExprKind::Unary: if (a->un != b->un) return false; break;
    case ExprKind::Binary: if (a->bin != b->bin) return false; break;
    case ExprKind::Call: if (a->name != b->name) return false; break;
    case ExprKind::Convert: if (!(a->dtype == b->dtype)) return false; break;
  }
  for (size_t i = 0; i < a->args.size(); ++i)
    if (!equal(a->args[i], b->args[i])) return false;
  return true;
}

const char* binop_spelling(BinOp op) {
  static const char* const kSpell[] = {"*", "/", "%", "+", "-", "<<", ">>", "<", "<=", ">", ">=",
                                       "==", "!=", "&", "^", "|", "&&", "||"};
  return kSpell[static_cast<int>(op)];
}

int binop_precedence(BinOp op) {
  switch (op) {
    case BinOp::Mul: case BinOp::Div: case BinOp::Mod: return 10;
    case BinOp::Add: case BinOp::Sub: return 9;
    case BinOp::Shl: case BinOp::Shr: return 8;
    case BinOp::Lt: case BinOp::Le: case BinOp::Gt: case BinOp::Ge: return 7;
    case BinOp::Eq: case BinOp::Ne: return 6;
    case BinOp::BitAnd: return 5;
    case BinOp::BitXor: return 4;
    case BinOp::BitOr: return 3;
    case BinOp::LogicAnd: return 2;
    case BinOp::LogicOr: return 1;
  }
  return 0;
}

const char* unop_spelling(UnOp op) {
  switch (op) {
    case UnOp::Neg: return "-";
    case UnOp::LogicNot: return "!";
    case UnOp::BitNot: return "~";
  }
  return "?";
}

bool is_scalar_function(const std::string& name, int* arity) {
  if (name == "cdiv" || name == "min" || name == "max") {
    if (arity) *arity = 2;
    return true;
  }
  return false;
}

}  // namespace tilevm::ir
