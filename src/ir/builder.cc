// The C++ builder of programs.
#include "ir/builder.h"

#include "support/check.h"

namespace tilevm::ir {

S operator+(S a, S b) { return Expr::make_binary(BinOp::Add, a.e, b.e); }
S operator-(S a, S b) { return Expr::make_binary(BinOp::Sub, a.e, b.e); }
S operator*(S a, S b) { return Expr::make_binary(BinOp::Mul, a.e, b.e); }
S operator/(S a, S b) { return Expr::make_binary(BinOp::Div, a.e, b.e); }
S operator%(S a, S b) { return Expr::make_binary(BinOp::Mod, a.e, b.e); }
S operator<<(S a, S b) { return Expr::make_binary(BinOp::Shl, a.e, b.e); }
S operator>>(S a, S b) { return Expr::make_binary(BinOp::Shr, a.e, b.e); }
S operator&(S a, S b) { return Expr::make_binary(BinOp::BitAnd, a.e, b.e); }
S operator|(S a, S b) { return Expr::make_binary(BinOp::BitOr, a.e, b.e); }
S operator^(S a, S b) { return Expr::make_binary(BinOp::BitXor, a.e, b.e); }
S operator-(S a) {
  if (a.e->kind == ExprKind::Int) return Expr::make_int(-a.e->int_value);
  if (a.e->kind == ExprKind::Float) return Expr::make_float(-a.e->float_value);
  return Expr::make_unary(UnOp::Neg, a.e);
}
S lt(S a, S b) { return Expr::make_binary(BinOp::Lt, a.e, b.e); }
S le(S a, S b) { return Expr::make_binary(BinOp::Le, a.e, b.e); }
S gt(S a, S b) { return Expr::make_binary(BinOp::Gt, a.e, b.e); }
S ge(S a, S b) { return Expr::make_binary(BinOp::Ge, a.e, b.e); }
S eq(S a, S b) { return Expr::make_binary(BinOp::Eq, a.e, b.e); }
S ne(S a, S b) { return Expr::make_binary(BinOp::Ne, a.e, b.e); }
S logical_and(S a, S b) { return Expr::make_binary(BinOp::LogicAnd, a.e, b.e); }
S logical_or(S a, S b) { return Expr::make_binary(BinOp::LogicOr, a.e, b.e); }
S logical_not(S a) { return Expr::make_unary(UnOp::LogicNot, a.e); }
S cdiv(S a, S b) { return Expr::make_call("cdiv", {a.e, b.e}); }
S min(S a, S b) { return Expr::make_call("min", {a.e, b.e}); }
S max(S a, S b) { return Expr::make_call("max", {a.e, b.e}); }
S convert(DType to, S a) { return Expr::make_convert(to, a.e); }
S var(std::string name) { return Expr::make_var(std::move(name)); }
S boolean(bool v) { return Expr::make_bool(v); }

namespace attr {
AttrValue i(int64_t v) { return AttrValue::of_int(v); }
AttrValue ints(std::vector<int64_t> v) { return AttrValue::of_ints(std::move(v)); }
AttrValue expr(S e) { return AttrValue::of_expr(e.e); }
AttrValue exprs(std::vector<S> v) {
  std::vector<ExprPtr> out;
  for (S& s : v) out.push_back(s.e);
  return AttrValue::of_exprs(std::move(out));
}
AttrValue dtype(DType d) { return AttrValue::of_dtype(d); }
AttrValue layout(RegisterLayout l) { return AttrValue::of_rlayout(std::move(l)); }
AttrValue shared_layout(SharedLayout l) { return AttrValue::of_slayout(std::move(l)); }
AttrValue boolean(bool b) { return AttrValue::of_bool(b); }
AttrValue str(std::string s) { return AttrValue::of_string(std::move(s)); }
AttrValue word(std::string w) { return AttrValue::of_enum(std::move(w)); }
}  // namespace attr

ProgramBuilder::ProgramBuilder(std::string name, int64_t warps) {
  p_.name = std::move(name);
  p_.warps = warps;
  stack_.push_back(&p_.body);
}

S ProgramBuilder::param(std::string name, DType type) {
  p_.params.push_back(Param{name, ScalarType{type, false}, {}, {}});
  return var(std::move(name));
}

S ProgramBuilder::pointer_param(std::string name, DType element) {
  p_.params.push_back(Param{name, ScalarType{element, true}, {}, {}});
  return var(std::move(name));
}

void ProgramBuilder::grid(std::vector<S> extents) {
  p_.grid.clear();
  for (S& s : extents) p_.grid.push_back(s.e);
}

S ProgramBuilder::block_index(std::string name, char dim) {
  TILEVM_CHECK(dim == 'x' || dim == 'y' || dim == 'z');
  Stmt s;
  s.kind = StmtKind::Insn;
  s.insn = make_insn("block_index", {}, {{"dim", attr::word(std::string(1, dim))}});
  s.insn.result = name;
  current().push_back(std::move(s));
  return var(std::move(name));
}

S ProgramBuilder::let(std::string name, S value) {
  Stmt s;
  s.kind = StmtKind::Let;
  s.name = name;
  s.value = value.e;
  current().push_back(std::move(s));
  return var(std::move(name));
}

S ProgramBuilder::let(std::string name, ScalarType type, S value) {
  let(name, value);
  current().back().type = type;
  return var(std::move(name));
}

void ProgramBuilder::assign(std::string name, S value) {
  Stmt s;
  s.kind = StmtKind::Assign;
  s.name = std::move(name);
  s.value = value.e;
  current().push_back(std::move(s));
}

Insn ProgramBuilder::make_insn(const std::string& mnemonic, std::vector<Arg> operands, Attrs attrs) {
  auto op = find_insn(mnemonic);
  TILEVM_CHECK(op.has_value());
  const InsnInfo& info = insn_info(*op);
  Insn insn;
  insn.op = *op;
  TILEVM_CHECK(operands.size() == info.operands.size());
  for (size_t i = 0; i < operands.size(); ++i) {
    uint8_t k = info.operands[i].kinds;
    TILEVM_CHECK(operands[i].op.is_tensor ? (k & ~kOperandScalar) != 0 : (k & kOperandScalar) != 0);
    insn.operands.push_back(std::move(operands[i].op));
  }
  insn.attrs.resize(info.attrs.size());
  for (auto& [name, value] : attrs) {
    int idx = info.attr_index(name);
    TILEVM_CHECK(idx >= 0 && !insn.attrs[idx] && info.attrs[idx].kind == value.kind);
    insn.attrs[idx] = std::move(value);
  }
  for (size_t i = 0; i < info.attrs.size(); ++i) TILEVM_CHECK(info.attrs[i].optional || insn.attrs[i].has_value());
  return insn;
}

T ProgramBuilder::emit(const std::string& mnemonic, std::string result, std::vector<Arg> operands, Attrs attrs) {
  Stmt s;
  s.kind = StmtKind::Insn;
  s.insn = make_insn(mnemonic, std::move(operands), std::move(attrs));
  const InsnInfo& info = s.insn.info();
  TILEVM_CHECK(info.result != ResultKind::Scalar);
  TILEVM_CHECK(result.empty() == (info.result == ResultKind::None));
  s.insn.result = result;
  current().push_back(std::move(s));
  return T{std::move(result)};
}

void ProgramBuilder::emit_into(const std::string& mnemonic, T out, std::vector<Arg> operands, Attrs attrs) {
  Stmt s;
  s.kind = StmtKind::Insn;
  s.insn = make_insn(mnemonic, std::move(operands), std::move(attrs));
  TILEVM_CHECK(s.insn.info().in_place);
  s.insn.out = out.name;
  current().push_back(std::move(s));
}

void ProgramBuilder::for_range(std::string v, S start, S stop, S step, Unroll unroll, const std::function<void(S)>& body) {
  Stmt s;
  s.kind = StmtKind::For;
  s.name = v;
  s.start = start.e;
  s.stop = stop.e;
  s.step = step.e;
  s.unroll = unroll;
  // range(stop) and range(start, stop) are the canonical spellings of a zero start and a unit step.
  if (s.step->kind == ExprKind::Int && s.step->int_value == 1) {
    s.step = nullptr;
    if (s.start->kind == ExprKind::Int && s.start->int_value == 0) s.start = nullptr;
  }
  current().push_back(std::move(s));
  Stmt& ref = current().back();
  stack_.push_back(&ref.body);
  body(var(v));
  stack_.pop_back();
}

void ProgramBuilder::for_range(std::string v, S stop, const std::function<void(S)>& body) {
  for_range(std::move(v), 0, stop, 1, Unroll{}, body);
}

void ProgramBuilder::if_then(S cond, const std::function<void()>& then_body, const std::function<void()>& else_body) {
  Stmt s;
  s.kind = StmtKind::If;
  s.cond = cond.e;
  current().push_back(std::move(s));
  Stmt& ref = current().back();
  stack_.push_back(&ref.body);
  then_body();
  stack_.pop_back();
  if (else_body) {
    stack_.push_back(&ref.else_body);
    else_body();
    stack_.pop_back();
  }
}

void ProgramBuilder::while_loop(S cond, const std::function<void()>& body) {
  Stmt s;
  s.kind = StmtKind::While;
  s.cond = cond.e;
  current().push_back(std::move(s));
  Stmt& ref = current().back();
  stack_.push_back(&ref.body);
  body();
  stack_.pop_back();
}

void ProgramBuilder::break_loop() {
  Stmt s;
  s.kind = StmtKind::Break;
  current().push_back(std::move(s));
}

Program ProgramBuilder::build() {
  TILEVM_CHECK(stack_.size() == 1);
  return p_;
}

}  // namespace tilevm::ir
