// The verifier: types of scalar expressions (rules in ir/expr.h).
#include "verify/checker.h"

namespace tilevm::verify {
namespace {

bool is_numeric(const ir::ScalarType& t) { return !t.pointer && ir::is_arithmetic(t.dtype); }
bool is_int(const ir::ScalarType& t) { return !t.pointer && ir::is_integer(t.dtype); }
bool is_boolean(const ir::ScalarType& t) { return !t.pointer && ir::is_bool(t.dtype); }

SType typed(ir::ScalarType t) { return SType{SType::Typed, t, 0, false}; }
SType typed(ir::DType d) { return typed(ir::ScalarType{d, false}); }

std::string show(const SType& t) {
  if (t.kind == SType::IntLiteral) return "an integer literal";
  if (t.kind == SType::FloatLiteral) return "a float literal";
  return t.type.name();
}

}  // namespace

bool Checker::literal_fits(int64_t v, const ir::DType& d, ir::SrcRange r) {
  if (!ir::is_integer(d)) return true;
  bool ok;
  if (d.kind == dt::Kind::UInt) ok = v >= 0 && (d.bits >= 63 || v < (int64_t{1} << d.bits));
  else ok = d.bits >= 64 || (v >= -(int64_t{1} << (d.bits - 1)) && v < (int64_t{1} << (d.bits - 1)));
  if (!ok) error(r, "literal " + std::to_string(v) + " does not fit in " + d.name());
  return ok;
}

std::optional<ir::ScalarType> Checker::resolve(const SType& t, const ir::ExprPtr& e) {
  if (t.kind == SType::IntLiteral) {
    bool fits32 = !t.plain || (t.literal >= INT32_MIN && t.literal <= INT32_MAX);
    return ir::ScalarType{fits32 ? dt::kI32 : dt::kI64, false};
  }
  if (t.kind == SType::FloatLiteral) return ir::ScalarType{dt::kF32, false};
  return t.type;
}

// Combines the operand types of a binary operator or a two-argument call; literals adapt.
static std::optional<SType> unify(Checker& c, const SType& a, const SType& b, const ir::ExprPtr& e,
                                  const char* op) {
  if (a.kind != SType::Typed && b.kind != SType::Typed) {
    SType r;
    r.kind = (a.kind == SType::FloatLiteral || b.kind == SType::FloatLiteral) ? SType::FloatLiteral : SType::IntLiteral;
    return r;
  }
  if (a.kind == SType::Typed && b.kind == SType::Typed) {
    if (!(a.type == b.type)) {
      c.error(e->loc, std::string("operands of '") + op + "' have different types " + a.type.name() + " and " +
                          b.type.name() + "; convert one, like " + b.type.dtype.name() + "(x)");
      return std::nullopt;
    }
    return a;
  }
  const SType& t = a.kind == SType::Typed ? a : b;
  const SType& lit = a.kind == SType::Typed ? b : a;
  const ir::ExprPtr& lit_e = a.kind == SType::Typed ? e->args[1] : e->args[0];
  if (lit.kind == SType::FloatLiteral && !t.type.pointer && !ir::is_float(t.type.dtype)) {
    c.error(lit_e->loc, "float literal used with " + t.type.name());
    return std::nullopt;
  }
  if (lit.plain && !t.type.pointer && !c.literal_fits(lit.literal, t.type.dtype, lit_e->loc)) return std::nullopt;
  return t;
}

std::optional<SType> Checker::type_of(const ir::ExprPtr& e) {
  switch (e->kind) {
    case ir::ExprKind::Int: return SType{SType::IntLiteral, {}, e->int_value, true};
    case ir::ExprKind::Float: return SType{SType::FloatLiteral, {}, 0, false};
    case ir::ExprKind::Bool: return typed(dt::kBool);
    case ir::ExprKind::Var: {
      const Symbol* s = lookup(e->name, false);
      if (!s) {
        std::string msg = "unknown name '" + e->name + "'";
        if (scopes_.size() == 1) msg += "; the grid can only use the program's parameters";
        error(e->loc, msg);
        return std::nullopt;
      }
      return typed(s->type);
    }
    case ir::ExprKind::Unary: {
      auto a = type_of(e->args[0]);
      if (!a) return std::nullopt;
      const char* sp = ir::unop_spelling(e->un);
      bool ok = e->un == ir::UnOp::Neg ? (a->kind != SType::Typed || is_numeric(a->type))
              : e->un == ir::UnOp::BitNot ? (a->kind == SType::IntLiteral || is_int(a->type))
                                          : (a->kind == SType::Typed && is_boolean(a->type));
      if (!ok) {
        error(e->loc, std::string("operator '") + sp + "' cannot be applied to " + show(*a));
        return std::nullopt;
      }
      SType r = *a;
      r.plain = false;
      return r;
    }
    case ir::ExprKind::Binary: {
      auto a = type_of(e->args[0]);
      auto b = type_of(e->args[1]);
      if (!a || !b) return std::nullopt;
      const char* sp = ir::binop_spelling(e->bin);
      ir::BinOp op = e->bin;
      bool logic = op == ir::BinOp::LogicAnd || op == ir::BinOp::LogicOr;
      bool cmp = ir::binop_precedence(op) == 6 || ir::binop_precedence(op) == 7;
      bool bits = op == ir::BinOp::BitAnd || op == ir::BinOp::BitOr || op == ir::BinOp::BitXor;
      bool shift = op == ir::BinOp::Shl || op == ir::BinOp::Shr;
      auto allowed = [&](const SType& t) {
        if (t.kind == SType::IntLiteral) return !logic;
        if (t.kind == SType::FloatLiteral) return !logic && !bits && !shift;
        if (logic) return is_boolean(t.type);
        if (bits) return is_int(t.type) || is_boolean(t.type);
        if (shift) return is_int(t.type);
        if (op == ir::BinOp::Eq || op == ir::BinOp::Ne) return is_numeric(t.type) || is_boolean(t.type);
        return is_numeric(t.type);
      };
      for (const SType* t : {&*a, &*b})
        if (!allowed(*t)) {
          error(e->loc, std::string("operator '") + sp + "' cannot be applied to " + show(*t));
          return std::nullopt;
        }
      auto u = unify(*this, *a, *b, e, sp);
      if (!u) return std::nullopt;
      u->plain = false;
      if (cmp || logic) return typed(dt::kBool);
      return u;
    }
    case ir::ExprKind::Call: {
      auto a = type_of(e->args[0]);
      auto b = type_of(e->args[1]);
      if (!a || !b) return std::nullopt;
      bool cdiv = e->name == "cdiv";
      for (const SType* t : {&*a, &*b}) {
        bool ok = cdiv ? (t->kind == SType::IntLiteral || (t->kind == SType::Typed && is_int(t->type)))
                       : (t->kind != SType::Typed || is_numeric(t->type));
        if (!ok) {
          error(e->loc, "'" + e->name + "' cannot be applied to " + show(*t));
          return std::nullopt;
        }
      }
      auto u = unify(*this, *a, *b, e, e->name.c_str());
      if (u) u->plain = false;
      return u;
    }
    case ir::ExprKind::Convert: {
      auto a = type_of(e->args[0]);
      if (!a) return std::nullopt;
      if (!ir::is_standard(e->dtype)) {
        error(e->loc, "scalars must have a standard type; cannot convert to " + e->dtype.name());
        return std::nullopt;
      }
      if (a->kind == SType::Typed && a->type.pointer) {
        error(e->loc, "a pointer cannot be converted");
        return std::nullopt;
      }
      return typed(e->dtype);
    }
  }
  return std::nullopt;
}

bool Checker::expect_type(const ir::ExprPtr& e, const ir::ScalarType& want, const char* what) {
  auto t = type_of(e);
  if (!t) return false;
  if (t->kind == SType::Typed) {
    if (t->type == want) return true;
    error(e->loc, std::string(what) + " must be " + want.name() + ", not " + t->type.name());
    return false;
  }
  if (want.pointer || ir::is_bool(want.dtype) || (t->kind == SType::FloatLiteral && !ir::is_float(want.dtype))) {
    error(e->loc, std::string(what) + " must be " + want.name() + ", not " + show(*t));
    return false;
  }
  if (t->plain) return literal_fits(t->literal, want.dtype, e->loc);
  return true;
}

std::optional<ir::ScalarType> Checker::expect_integer(const ir::ExprPtr& e, const char* what) {
  auto t = type_of(e);
  if (!t) return std::nullopt;
  if (t->kind == SType::IntLiteral) return ir::ScalarType{dt::kI32, false};
  if (t->kind == SType::Typed && is_int(t->type)) return t->type;
  error(e->loc, std::string(what) + " must be an integer, not " + show(*t));
  return std::nullopt;
}

}  // namespace tilevm::verify
