// The C++ builder: builds the same programs the text format describes, statement by
// statement. Printing a built program gives the same text as writing it by hand, and parsing
// that text gives a program equal to the built one (tests/ir/builder_test.cc).
//
//   ir::ProgramBuilder b("vector_add", /*warps=*/4);
//   ir::S n = b.param("n", dt::kI32);
//   ir::S a = b.pointer_param("a", dt::kF32);
//   b.grid({cdiv(n, 1024)});
//   ir::S bi = b.block_index("bi", 'x');
//   ir::T ga = b.emit("view.global", "ga", {a}, {{"shape", attr::exprs({n})}});
//   ...
//   ir::Program p = b.build();
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "ir/program.h"

namespace tilevm::ir {

// A scalar expression with C++ operators. Integers and doubles convert to literals.
struct S {
  ExprPtr e;
  S(ExprPtr x) : e(std::move(x)) {}
  S(int v) : e(Expr::make_int(v)) {}
  S(int64_t v) : e(Expr::make_int(v)) {}
  S(double v) : e(Expr::make_float(v)) {}
};
S operator+(S a, S b);
S operator-(S a, S b);
S operator*(S a, S b);
S operator/(S a, S b);
S operator%(S a, S b);
S operator<<(S a, S b);
S operator>>(S a, S b);
S operator&(S a, S b);
S operator|(S a, S b);
S operator^(S a, S b);
S operator-(S a);
S lt(S a, S b);
S le(S a, S b);
S gt(S a, S b);
S ge(S a, S b);
S eq(S a, S b);
S ne(S a, S b);
S logical_and(S a, S b);
S logical_or(S a, S b);
S logical_not(S a);
S cdiv(S a, S b);
S min(S a, S b);
S max(S a, S b);
S convert(DType to, S a);
S var(std::string name);
S boolean(bool v);

// A tensor by name (its definition is in the program being built).
struct T {
  std::string name;
};

// An instruction operand: a tensor or a scalar.
struct Arg {
  Operand op;
  Arg(T t) : op(Operand::of_tensor(t.name)) {}
  Arg(S s) : op(Operand::of_scalar(s.e)) {}
  Arg(int v) : op(Operand::of_scalar(Expr::make_int(v))) {}
  Arg(double v) : op(Operand::of_scalar(Expr::make_float(v))) {}
};

// Attribute values by kind.
namespace attr {
AttrValue i(int64_t v);
AttrValue ints(std::vector<int64_t> v);
AttrValue expr(S e);
AttrValue exprs(std::vector<S> v);
AttrValue dtype(DType d);
AttrValue layout(RegisterLayout l);
AttrValue shared_layout(SharedLayout l);
AttrValue boolean(bool b);
AttrValue str(std::string s);
AttrValue word(std::string w);
}  // namespace attr

using Attrs = std::vector<std::pair<std::string, AttrValue>>;

class ProgramBuilder {
 public:
  ProgramBuilder(std::string name, int64_t warps);

  S param(std::string name, DType type);
  S pointer_param(std::string name, DType element);
  void grid(std::vector<S> extents);

  // `let name = block_index(dim=...)`; dim is 'x', 'y' or 'z'.
  S block_index(std::string name, char dim);
  S let(std::string name, S value);
  S let(std::string name, ScalarType type, S value);
  void assign(std::string name, S value);

  // Any instruction by mnemonic (checked against the table: operand count, attribute names and
  // kinds, required attributes; a mistake aborts, as it is a bug in the calling code).
  // `result` names the new tensor (empty for instructions without one).
  T emit(const std::string& mnemonic, std::string result, std::vector<Arg> operands, Attrs attrs = {});
  // The in-place form: writes into `out`.
  void emit_into(const std::string& mnemonic, T out, std::vector<Arg> operands, Attrs attrs = {});

  // Structured statements; the callbacks emit the bodies.
  void for_range(std::string var, S start, S stop, S step, Unroll unroll, const std::function<void(S)>& body);
  void for_range(std::string var, S stop, const std::function<void(S)>& body);
  void if_then(S cond, const std::function<void()>& then_body, const std::function<void()>& else_body = nullptr);
  void while_loop(S cond, const std::function<void()>& body);
  void break_loop();

  Program build();

 private:
  Insn make_insn(const std::string& mnemonic, std::vector<Arg> operands, Attrs attrs);
  std::vector<Stmt>& current() { return *stack_.back(); }

  Program p_;
  std::vector<std::vector<Stmt>*> stack_;
};

}  // namespace tilevm::ir
