// Attribute and operand factories, and structural equality of programs.
#include "ir/program.h"

#include "support/check.h"

namespace tilevm::ir {

AttrValue AttrValue::of_int(int64_t v) { AttrValue a; a.kind = AttrKind::Int; a.int_value = v; return a; }
AttrValue AttrValue::of_ints(std::vector<int64_t> v) { AttrValue a; a.kind = AttrKind::Ints; a.ints = std::move(v); return a; }
AttrValue AttrValue::of_expr(ExprPtr e) {
  TILEVM_CHECK(e != nullptr);
  AttrValue a; a.kind = AttrKind::Expr; a.expr = std::move(e); return a;
}
AttrValue AttrValue::of_exprs(std::vector<ExprPtr> v) {
  for (const auto& e : v) TILEVM_CHECK(e != nullptr);
  AttrValue a; a.kind = AttrKind::Exprs; a.exprs = std::move(v); return a;
}
AttrValue AttrValue::of_dtype(DType d) { AttrValue a; a.kind = AttrKind::DType; a.dtype = d; return a; }
AttrValue AttrValue::of_rlayout(RegisterLayout l) { AttrValue a; a.kind = AttrKind::RLayout; a.rlayout = std::move(l); return a; }
AttrValue AttrValue::of_slayout(SharedLayout l) { AttrValue a; a.kind = AttrKind::SLayout; a.slayout = std::move(l); return a; }
AttrValue AttrValue::of_bool(bool b) { AttrValue a; a.kind = AttrKind::Bool; a.bool_value = b; return a; }
AttrValue AttrValue::of_string(std::string s) { AttrValue a; a.kind = AttrKind::String; a.word = std::move(s); return a; }
AttrValue AttrValue::of_enum(std::string w) { AttrValue a; a.kind = AttrKind::Enum; a.word = std::move(w); return a; }

Operand Operand::of_tensor(std::string name, SrcRange loc) {
  TILEVM_CHECK(!name.empty());
  Operand o; o.is_tensor = true; o.tensor = std::move(name); o.loc = loc; return o;
}
Operand Operand::of_scalar(ExprPtr e) {
  TILEVM_CHECK(e != nullptr);
  Operand o; o.is_tensor = false; o.loc = e->loc; o.scalar = std::move(e); return o;
}

const AttrValue* Insn::attr(std::string_view name) const {
  int i = info().attr_index(name);
  if (i < 0 || static_cast<size_t>(i) >= attrs.size() || !attrs[i]) return nullptr;
  return &*attrs[i];
}

namespace {
bool equal_exprs(const std::vector<ExprPtr>& a, const std::vector<ExprPtr>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!equal(a[i], b[i])) return false;
  return true;
}
bool equal_stmts(const std::vector<Stmt>& a, const std::vector<Stmt>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!equal(a[i], b[i])) return false;
  return true;
}
}  // namespace

bool equal(const AttrValue& a, const AttrValue& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case AttrKind::Int: return a.int_value == b.int_value;
    case AttrKind::Ints: return a.ints == b.ints;
    case AttrKind::Expr: return equal(a.expr, b.expr);
    case AttrKind::Exprs: return equal_exprs(a.exprs, b.exprs);
    case AttrKind::DType: return a.dtype == b.dtype;
    case AttrKind::RLayout: return a.rlayout == b.rlayout;
    case AttrKind::SLayout: return a.slayout == b.slayout;
    case AttrKind::Bool: return a.bool_value == b.bool_value;
    case AttrKind::String: case AttrKind::Enum: return a.word == b.word;
  }
  return false;
}

bool equal(const Insn& a, const Insn& b) {
  if (a.op != b.op || a.result != b.result || a.out != b.out) return false;
  if (a.operands.size() != b.operands.size() || a.attrs.size() != b.attrs.size()) return false;
  for (size_t i = 0; i < a.operands.size(); ++i) {
    const Operand &x = a.operands[i], &y = b.operands[i];
    if (x.is_tensor != y.is_tensor) return false;
    if (x.is_tensor ? x.tensor != y.tensor : !equal(x.scalar, y.scalar)) return false;
  }
  for (size_t i = 0; i < a.attrs.size(); ++i) {
    if (a.attrs[i].has_value() != b.attrs[i].has_value()) return false;
    if (a.attrs[i] && !equal(*a.attrs[i], *b.attrs[i])) return false;
  }
  return true;
}

bool equal(const Stmt& a, const Stmt& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case StmtKind::Let:
      return a.name == b.name && a.type == b.type && equal(a.value, b.value);
    case StmtKind::Assign: return a.name == b.name && equal(a.value, b.value);
    case StmtKind::For:
      return a.name == b.name && equal(a.start, b.start) && equal(a.stop, b.stop) && equal(a.step, b.step) &&
             a.unroll == b.unroll && equal_stmts(a.body, b.body);
    case StmtKind::If:
      return equal(a.cond, b.cond) && equal_stmts(a.body, b.body) && equal_stmts(a.else_body, b.else_body);
    case StmtKind::While: return equal(a.cond, b.cond) && equal_stmts(a.body, b.body);
    case StmtKind::Break: return true;
    case StmtKind::Insn: return equal(a.insn, b.insn);
  }
  return false;
}

bool equal(const Program& a, const Program& b) {
  if (a.name != b.name || a.warps != b.warps || a.params.size() != b.params.size()) return false;
  for (size_t i = 0; i < a.params.size(); ++i)
    if (a.params[i].name != b.params[i].name || !(a.params[i].type == b.params[i].type)) return false;
  return equal_exprs(a.grid, b.grid) && equal_stmts(a.body, b.body);
}

}  // namespace tilevm::ir
