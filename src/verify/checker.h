// The verifier's internal state, shared by its passes: check_stmts.cc (names, statements),
// check_scalar.cc (scalar types), check_insn.cc (instruction typing), infer.cc (layout
// inference) and check_layouts.cc (layout rules).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "verify/verify.h"

namespace tilevm::verify {

// The type of a scalar expression: a ScalarType, or an untyped literal that takes the type of
// its context.
struct SType {
  enum Kind { Typed, IntLiteral, FloatLiteral } kind = Typed;
  ir::ScalarType type;
  int64_t literal = 0;  // IntLiteral: the value, when the expression is a plain literal
  bool plain = false;   // the expression is one literal (so its range can be checked)
};

struct Symbol {
  bool is_tensor = false;
  ir::ScalarType type;       // scalars
  int tensor = -1;           // tensors: index into Facts::tensors
  bool assignable = false;   // scalars defined by let
  const char* what = "";     // "parameter", "loop variable", ...
  ir::SrcRange loc;
};

// An equality or derivation between register layouts, recorded by the typing pass for
// inference and checking.
struct LayoutRule {
  enum Kind { Equal, Broadcast, Reduce, View, DotMma, DotSimt } kind = Equal;
  int a = -1, b = -1, c = -1, d = -1;  // tensor ids (meaning per kind, see infer.cc)
  std::vector<int64_t> dims;
  bool keepdims = false;
  const ir::Insn* insn = nullptr;
};

inline LayoutRule make_rule(LayoutRule::Kind k, int a, int b, const ir::Insn* insn) {
  LayoutRule r;
  r.kind = k;
  r.a = a;
  r.b = b;
  r.insn = insn;
  return r;
}

class Checker {
 public:
  Checker(ir::Program& p, text::Diagnostics& diags) : p_(p), diags_(diags) {}
  std::optional<Facts> run(bool fill_layouts);

  // --- reporting
  void error(ir::SrcRange r, const std::string& msg) { diags_.error(r, msg); }
  void note(ir::SrcRange r, const std::string& msg) { diags_.note(r, msg); }

  // --- names (check_stmts.cc)
  void push_scope() { scopes_.emplace_back(); }
  void pop_scope() { scopes_.pop_back(); }
  const Symbol* lookup(const std::string& name, bool tensor) const;
  bool define(const std::string& name, Symbol sym);
  void check_header();
  void check_block(std::vector<ir::Stmt>& body);
  void check_stmt(ir::Stmt& s);

  // --- scalars (check_scalar.cc)
  std::optional<SType> type_of(const ir::ExprPtr& e);
  // Types `e` where a value of `want` is required (literals adapt, typed values must match).
  bool expect_type(const ir::ExprPtr& e, const ir::ScalarType& want, const char* what);
  // Types `e` as an integer; returns its type (literals default to i32).
  std::optional<ir::ScalarType> expect_integer(const ir::ExprPtr& e, const char* what);
  std::optional<ir::ScalarType> resolve(const SType& t, const ir::ExprPtr& e);
  bool literal_fits(int64_t v, const ir::DType& d, ir::SrcRange r);

  // --- instructions (check_insn.cc)
  void check_insn(ir::Insn& insn);
  using Rule = void (Checker::*)(ir::Insn&, InsnFacts&);
  // The checking function of `op` (every op has one; a new op without one is caught by the
  // compiler's switch warning and by tests/ir/table_test.cc).
  static Rule rule_for(ir::Op op);
  int tensor_operand(const ir::Insn& insn, size_t i, uint8_t kinds);
  int new_tensor(const ir::Insn& insn, TensorFacts t);
  bool check_offsets(const ir::Insn& insn, size_t rank, size_t tile_rank, std::vector<int64_t>* dims,
                     bool offsets_required);
  void check_elementwise(ir::Insn& insn, InsnFacts& f);
  void check_memory(ir::Insn& insn, InsnFacts& f);
  void check_alloc(ir::Insn& insn, InsnFacts& f);
  void check_dot(ir::Insn& insn, InsnFacts& f);
  void check_misc(ir::Insn& insn, InsnFacts& f);
  void finish_result(ir::Insn& insn, InsnFacts& f, TensorFacts t);
  // Register tensors hold at most kMaxRegisterElements elements (reported at `loc`).
  bool small_enough(const std::vector<int64_t>& shape, ir::SrcRange loc);
  std::string tensor_desc(int id) const;

  // --- layouts (infer.cc, check_layouts.cc)
  void infer_layouts();
  void check_layouts();
  void fill_layout_attrs();

  ir::Program& p_;
  text::Diagnostics& diags_;
  Facts facts_;
  std::vector<LayoutRule> rules_;
  std::vector<std::map<std::string, Symbol>> scopes_;
  int loop_depth_ = 0;
  int64_t shared_live_ = 0;
  std::map<int, ir::SrcRange> freed_;  // shared tensors released by free.shared
  std::vector<std::pair<int, ir::Insn*>> order_;  // instructions in program order
};

// The dtype list of a message: "f16", "i32", ...
std::string dims_text(const std::vector<int64_t>& v);

}  // namespace tilevm::verify
