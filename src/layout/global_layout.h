// Global layouts: strides over shapes that may be symbolic (names of program parameters),
// evaluated at launch; and the small integer expression type they use.
//
// Semantics. An Expr is an integer literal, a parameter name, or a binary + - * / % of two
// Exprs, over int64. `/` rounds toward negative infinity and `%` takes the sign of the divisor
// (so x == (x / y) * y + x % y always); division or remainder by zero, overflow of int64, and a
// parameter missing from the map are errors reported by eval(), never undefined behaviour.
// A GlobalLayout maps a logical index i (one entry per dimension) to the element offset
// Σ_d i[d] * strides[d] from the tensor's base pointer; it has no swizzle. Offsets of sub-byte
// elements follow the same packing as shared memory (element e at bits [e*bits, e*bits+bits)).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/expected.h"

namespace tilevm::layout {

using Params = std::map<std::string, int64_t, std::less<>>;

class Expr {
 public:
  enum class Kind { kInt, kParam, kAdd, kSub, kMul, kDiv, kMod };

  Expr(int64_t value = 0);  // NOLINT: a literal converts implicitly
  static Expr param(std::string name);  // @pre name is an identifier [A-Za-z_][A-Za-z0-9_]*
  // The node `a op b` exactly as given (no folding); `k` is a binary kind.
  static Expr make(Kind k, const Expr& a, const Expr& b);

  Kind kind() const;
  int64_t value() const;              // @pre kind() == kInt
  const std::string& name() const;    // @pre kind() == kParam
  Expr lhs() const;                   // @pre binary
  Expr rhs() const;                   // @pre binary

  // The value for `params`; errors name the missing parameter or the failing operation.
  Expected<int64_t> eval(const Params& params) const;
  // Infix text with the fewest parentheses that keep the tree: "M * K + 1", "a - (b - c)".
  std::string to_string() const;
  // Structural equality (the same tree), not algebraic equality.
  bool operator==(const Expr& other) const;

  // These build the tree as written, except that literal arithmetic is folded and a literal
  // 1 factor is dropped (x * 1 == x), so that row-major strides read naturally.
  friend Expr operator+(const Expr& a, const Expr& b);
  friend Expr operator-(const Expr& a, const Expr& b);
  friend Expr operator*(const Expr& a, const Expr& b);
  friend Expr operator/(const Expr& a, const Expr& b);
  friend Expr operator%(const Expr& a, const Expr& b);

 private:
  struct Node;
  explicit Expr(std::shared_ptr<const Node> node) : node_(std::move(node)) {}
  std::shared_ptr<const Node> node_;
};

// Grammar: expr := term (('+'|'-') term)*; term := factor (('*'|'/'|'%') factor)*;
// factor := integer | name | '(' expr ')' | '-' integer. Errors carry the byte range.
Expected<Expr> parse_expr(std::string_view text);
Expected<Expr> parse_expr_prefix(std::string_view text, size_t* consumed);

// A global layout evaluated for one launch.
struct ConcreteGlobalLayout {
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
  // @pre index has one entry per dimension (checked); entries may be out of bounds (callers
  // mask); the offset is computed without overflow checks on int64.
  int64_t element_offset(const std::vector<int64_t>& index) const;
  bool in_bounds(const std::vector<int64_t>& index) const;
};

struct GlobalLayout {
  std::vector<Expr> shape;
  std::vector<Expr> strides;

  // @pre (error otherwise) as many strides as dimensions.
  static Expected<GlobalLayout> make(std::vector<Expr> shape, std::vector<Expr> strides);
  int rank() const { return static_cast<int>(shape.size()); }
  // Evaluates every expression; error if one fails or an extent or stride is negative.
  Expected<ConcreteGlobalLayout> evaluate(const Params& params) const;
  bool operator==(const GlobalLayout&) const = default;
};

// strides[d] = shape[d+1] * strides[d+1], the last stride 1. Example: [B, M, K] → [M*K, K, 1].
GlobalLayout global_row_major(std::vector<Expr> shape);
// strides[d] = shape[d-1] * strides[d-1], the first stride 1.
GlobalLayout global_column_major(std::vector<Expr> shape);

// Text: global_row_major(e, ...) | global_column_major(e, ...) |
//       global(shape=[e, ...], strides=[e, ...]). to_string prints the shortest of these.
Expected<GlobalLayout> parse_global_layout(std::string_view text);
Expected<GlobalLayout> parse_global_layout_prefix(std::string_view text, size_t* consumed);
std::string to_string(const GlobalLayout& layout);

}  // namespace tilevm::layout
