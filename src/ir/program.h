// Programs, statements and instruction nodes: plain structs with public fields. One `Insn`
// node shape serves every instruction; its operand and attribute slots follow the row of the
// instruction table (ir/insn.h), so `attrs[i]` is the value of `insn_info(op).attrs[i]`.
//
// Names: tensors are written `%name` in text and stored without the `%`; scalars are bare
// names. A name is visible from its definition to the end of the enclosing block; it may not
// be redefined while visible. Tensors are defined once and mutated only by in-place forms
// (`out=%t`); scalars are defined by `let` (or a scalar-result instruction) and reassigned by
// `name = expr`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/expr.h"
#include "ir/insn.h"

namespace tilevm::ir {

// The value of one attribute; which field is meaningful depends on `kind`.
struct AttrValue {
  AttrKind kind = AttrKind::Int;
  int64_t int_value = 0;                      // Int
  std::vector<int64_t> ints;                  // Ints
  ExprPtr expr;                               // Expr
  std::vector<ExprPtr> exprs;                 // Exprs
  std::optional<DType> dtype;                 // DType
  std::optional<RegisterLayout> rlayout;      // RLayout
  std::optional<SharedLayout> slayout;        // SLayout
  bool bool_value = false;                    // Bool
  std::string word;                           // String (the text) and Enum (the word)
  SrcRange loc;

  static AttrValue of_int(int64_t v);
  static AttrValue of_ints(std::vector<int64_t> v);
  static AttrValue of_expr(ExprPtr e);
  static AttrValue of_exprs(std::vector<ExprPtr> v);
  static AttrValue of_dtype(DType d);
  static AttrValue of_rlayout(RegisterLayout l);
  static AttrValue of_slayout(SharedLayout l);
  static AttrValue of_bool(bool b);
  static AttrValue of_string(std::string s);
  static AttrValue of_enum(std::string word);
};

// An operand: a tensor (by name) or a scalar expression.
struct Operand {
  bool is_tensor = true;
  std::string tensor;  // is_tensor
  ExprPtr scalar;      // !is_tensor
  SrcRange loc;

  static Operand of_tensor(std::string name, SrcRange loc = {});
  static Operand of_scalar(ExprPtr e);
};

struct Insn {
  Op op = Op::kSync;
  std::string result;  // the defined tensor (or scalar, for scalar-result rows); may be empty
  std::vector<Operand> operands;
  std::vector<std::optional<AttrValue>> attrs;  // one slot per table attribute
  std::string out;     // in-place target tensor; empty when the result is a new tensor
  SrcRange loc;        // the mnemonic
  SrcRange result_loc, out_loc;

  const InsnInfo& info() const { return insn_info(op); }
  // The attribute named `name`, if the row has it and it is present.
  const AttrValue* attr(std::string_view name) const;
};

enum class StmtKind : uint8_t { Let, Assign, For, If, While, Break, Insn };

// Unroll hint of a `for`: none, full, or by a factor.
struct Unroll {
  enum Kind : uint8_t { None, Full, Factor } kind = None;
  int64_t factor = 0;
  bool operator==(const Unroll& o) const { return kind == o.kind && factor == o.factor; }
};

struct Stmt {
  StmtKind kind = StmtKind::Break;
  // Let / Assign: name = value. For: the loop variable.
  std::string name;
  std::optional<ScalarType> type;  // Let: the declared type, if written
  ExprPtr value;                   // Let / Assign
  // For: `for name in range(start, stop, step)`; start defaults to 0 and step to 1.
  ExprPtr start, stop, step;
  Unroll unroll;
  // If / While
  ExprPtr cond;
  std::vector<Stmt> body, else_body;
  // Insn
  Insn insn;

  // Comments on the lines before this statement (text after `//`), and the one on its line.
  std::vector<std::string> comments;
  std::string trailing_comment;
  bool blank_line_before = false;
  SrcRange loc, name_loc, type_loc;
};

struct Param {
  std::string name;
  ScalarType type;
  SrcRange loc, type_loc;
};

struct Program {
  std::string name;
  std::vector<Param> params;
  std::vector<ExprPtr> grid;  // 1 to 3 expressions over the parameters
  int64_t warps = 1;          // block size in warps
  std::vector<Stmt> body;
  std::vector<std::string> comments;  // comment lines before `program`
  SrcRange loc, name_loc, grid_loc, warps_loc;
};

// Structural equality: names, types, expressions, attributes, statements. Source locations,
// comments and blank lines are ignored.
bool equal(const Program& a, const Program& b);
bool equal(const Stmt& a, const Stmt& b);
bool equal(const Insn& a, const Insn& b);
bool equal(const AttrValue& a, const AttrValue& b);

}  // namespace tilevm::ir
