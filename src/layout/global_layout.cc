// Symbolic integer expressions and global layouts: building, evaluating, printing, parsing.
#include "layout/global_layout.h"

#include <cctype>

#include "layout/text_scan.h"

namespace tilevm::layout {

struct Expr::Node {
  Kind kind;
  int64_t value = 0;
  std::string name;
  std::shared_ptr<const Node> lhs, rhs;
};

Expr::Expr(int64_t value) : node_(std::make_shared<Node>(Node{Kind::kInt, value, {}, {}, {}})) {}

Expr Expr::param(std::string name) {
  TILEVM_CHECK(!name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])));
  return Expr(std::make_shared<Node>(Node{Kind::kParam, 0, std::move(name), {}, {}}));
}

Expr::Kind Expr::kind() const { return node_->kind; }
int64_t Expr::value() const { TILEVM_CHECK(kind() == Kind::kInt); return node_->value; }
const std::string& Expr::name() const { TILEVM_CHECK(kind() == Kind::kParam); return node_->name; }
Expr Expr::lhs() const { TILEVM_CHECK(node_->lhs); return Expr(node_->lhs); }
Expr Expr::rhs() const { TILEVM_CHECK(node_->rhs); return Expr(node_->rhs); }

Expr Expr::make(Kind k, const Expr& a, const Expr& b) {
  TILEVM_CHECK(k != Kind::kInt && k != Kind::kParam);
  return Expr(std::make_shared<Node>(Node{k, 0, {}, a.node_, b.node_}));
}

namespace {

const char* op_text(Expr::Kind k) {
  switch (k) {
    case Expr::Kind::kAdd: return "+";
    case Expr::Kind::kSub: return "-";
    case Expr::Kind::kMul: return "*";
    case Expr::Kind::kDiv: return "/";
    case Expr::Kind::kMod: return "%";
    default: return "?";
  }
}

int precedence(Expr::Kind k) {
  if (k == Expr::Kind::kAdd || k == Expr::Kind::kSub) return 1;
  if (k == Expr::Kind::kMul || k == Expr::Kind::kDiv || k == Expr::Kind::kMod) return 2;
  return 3;
}

// The exact result of a op b, or an error message.
Expected<int64_t> apply(Expr::Kind k, int64_t a, int64_t b) {
  int64_t r = 0;
  switch (k) {
    case Expr::Kind::kAdd: if (__builtin_add_overflow(a, b, &r)) return fail("integer overflow in +"); return r;
    case Expr::Kind::kSub: if (__builtin_sub_overflow(a, b, &r)) return fail("integer overflow in -"); return r;
    case Expr::Kind::kMul: if (__builtin_mul_overflow(a, b, &r)) return fail("integer overflow in *"); return r;
    default: break;
  }
  if (b == 0) return fail(std::string("division by zero in ") + op_text(k));
  if (a == INT64_MIN && b == -1) return fail("integer overflow in /");
  int64_t q = a / b, m = a % b;
  if (m != 0 && ((m < 0) != (b < 0))) q -= 1, m += b;  // floor division, remainder takes b's sign
  return k == Expr::Kind::kDiv ? q : m;
}

}  // namespace

Expected<int64_t> Expr::eval(const Params& params) const {
  switch (kind()) {
    case Kind::kInt: return node_->value;
    case Kind::kParam: {
      auto it = params.find(node_->name);
      if (it == params.end()) return fail("no value for parameter '" + node_->name + "'");
      return it->second;
    }
    default: break;
  }
  auto a = lhs().eval(params);
  if (!a) return a;
  auto b = rhs().eval(params);
  if (!b) return b;
  auto r = apply(kind(), *a, *b);
  if (!r) return fail(r.error().message + " evaluating " + to_string());
  return r;
}

std::string Expr::to_string() const {
  if (kind() == Kind::kInt) return std::to_string(node_->value);
  if (kind() == Kind::kParam) return node_->name;
  int p = precedence(kind());
  Expr a = lhs(), b = rhs();
  std::string l = a.to_string(), r = b.to_string();
  if (precedence(a.kind()) < p) l = "(" + l + ")";
  if (precedence(b.kind()) <= p || (b.kind() == Kind::kInt && b.value() < 0)) r = "(" + r + ")";
  if (a.kind() == Kind::kInt && a.value() < 0 && p > 1) l = "(" + l + ")";
  return l + " " + op_text(kind()) + " " + r;
}

bool Expr::operator==(const Expr& o) const {
  if (node_ == o.node_) return true;
  if (kind() != o.kind()) return false;
  if (kind() == Kind::kInt) return value() == o.value();
  if (kind() == Kind::kParam) return name() == o.name();
  return lhs() == o.lhs() && rhs() == o.rhs();
}

namespace {
bool is_lit(const Expr& e, int64_t v) { return e.kind() == Expr::Kind::kInt && e.value() == v; }
bool both_lit(const Expr& a, const Expr& b) { return a.kind() == Expr::Kind::kInt && b.kind() == Expr::Kind::kInt; }
}  // namespace

Expr operator+(const Expr& a, const Expr& b) {
  if (both_lit(a, b)) if (auto r = apply(Expr::Kind::kAdd, a.value(), b.value())) return *r;
  return Expr::make(Expr::Kind::kAdd, a, b);
}
Expr operator-(const Expr& a, const Expr& b) {
  if (both_lit(a, b)) if (auto r = apply(Expr::Kind::kSub, a.value(), b.value())) return *r;
  return Expr::make(Expr::Kind::kSub, a, b);
}
Expr operator*(const Expr& a, const Expr& b) {
  if (both_lit(a, b)) if (auto r = apply(Expr::Kind::kMul, a.value(), b.value())) return *r;
  if (is_lit(a, 1)) return b;
  if (is_lit(b, 1)) return a;
  return Expr::make(Expr::Kind::kMul, a, b);
}
Expr operator/(const Expr& a, const Expr& b) {
  if (both_lit(a, b)) if (auto r = apply(Expr::Kind::kDiv, a.value(), b.value())) return *r;
  return Expr::make(Expr::Kind::kDiv, a, b);
}
Expr operator%(const Expr& a, const Expr& b) {
  if (both_lit(a, b)) if (auto r = apply(Expr::Kind::kMod, a.value(), b.value())) return *r;
  return Expr::make(Expr::Kind::kMod, a, b);
}

// ---- Parsing: a recursive-descent parser that builds the tree as written (no folding).

namespace {

using detail::Scanner;

Expected<Expr> parse_sum(Scanner& s);

Expected<Expr> parse_factor(Scanner& s) {
  s.skip_ws();
  if (s.accept('(')) {
    auto e = parse_sum(s);
    if (!e) return e;
    if (auto err = s.expect(')', "')'")) return *err;
    return e;
  }
  std::string_view id = s.peek_ident();
  if (!id.empty()) return Expr::param(std::string(s.take_ident()));
  auto v = s.integer();
  if (!v) return s.error_here("expected an integer, a parameter name or '('");
  return Expr(*v);
}

Expected<Expr> parse_chain(Scanner& s, bool products) {
  auto acc = products ? parse_factor(s) : parse_chain(s, true);
  if (!acc) return acc;
  for (;;) {
    size_t at = (s.skip_ws(), s.pos());
    char c = at < s.text().size() ? s.text()[at] : 0;
    Expr::Kind k;
    if (products && (c == '*' || c == '/' || c == '%'))
      k = c == '*' ? Expr::Kind::kMul : c == '/' ? Expr::Kind::kDiv : Expr::Kind::kMod;
    else if (!products && (c == '+' || c == '-'))
      k = c == '+' ? Expr::Kind::kAdd : Expr::Kind::kSub;
    else
      return acc;
    s.set_pos(at + 1);
    auto rhs = products ? parse_factor(s) : parse_chain(s, true);
    if (!rhs) return rhs;
    acc = Expr::make(k, *acc, *rhs);
  }
}

Expected<Expr> parse_sum(Scanner& s) { return parse_chain(s, false); }

}  // namespace

Expected<Expr> parse_expr_prefix(std::string_view text, size_t* consumed) {
  Scanner s(text);
  auto e = parse_sum(s);
  if (e && consumed) *consumed = s.pos();
  return e;
}

Expected<Expr> parse_expr(std::string_view text) {
  size_t n = 0;
  auto e = parse_expr_prefix(text, &n);
  if (!e) return e;
  Scanner s(text);
  s.set_pos(n);
  if (!s.at_end()) return fail("unexpected text after the expression", s.pos(), text.size() - s.pos());
  return e;
}

// ---- Global layouts

int64_t ConcreteGlobalLayout::element_offset(const std::vector<int64_t>& index) const {
  TILEVM_CHECK(index.size() == shape.size());
  int64_t off = 0;
  for (size_t d = 0; d < index.size(); ++d) off += index[d] * strides[d];
  return off;
}

bool ConcreteGlobalLayout::in_bounds(const std::vector<int64_t>& index) const {
  TILEVM_CHECK(index.size() == shape.size());
  for (size_t d = 0; d < index.size(); ++d)
    if (index[d] < 0 || index[d] >= shape[d]) return false;
  return true;
}

Expected<GlobalLayout> GlobalLayout::make(std::vector<Expr> shape, std::vector<Expr> strides) {
  if (shape.size() != strides.size())
    return fail("a global layout needs one stride per dimension: " + std::to_string(shape.size()) + " extents, " +
                std::to_string(strides.size()) + " strides");
  return GlobalLayout{std::move(shape), std::move(strides)};
}

Expected<ConcreteGlobalLayout> GlobalLayout::evaluate(const Params& params) const {
  ConcreteGlobalLayout c;
  for (size_t d = 0; d < shape.size(); ++d) {
    auto e = shape[d].eval(params);
    if (!e) return e.error();
    if (*e < 0) return fail("extent " + shape[d].to_string() + " of dimension " + std::to_string(d) + " is negative (" + std::to_string(*e) + ")");
    auto st = strides[d].eval(params);
    if (!st) return st.error();
    if (*st < 0) return fail("stride " + strides[d].to_string() + " of dimension " + std::to_string(d) + " is negative (" + std::to_string(*st) + ")");
    c.shape.push_back(*e);
    c.strides.push_back(*st);
  }
  return c;
}

namespace {

GlobalLayout strided(std::vector<Expr> shape, bool column) {
  int n = static_cast<int>(shape.size());
  std::vector<Expr> strides(n);
  Expr st(1);
  for (int k = 0; k < n; ++k) {
    int d = column ? k : n - 1 - k;
    strides[d] = st;
    st = shape[d] * st;
  }
  return GlobalLayout{std::move(shape), std::move(strides)};
}

Expected<std::vector<Expr>> expr_list(Scanner& s, char open, char close) {
  if (auto e = s.expect(open, open == '(' ? "'('" : "'['")) return *e;
  std::vector<Expr> out;
  if (s.accept(close)) return out;
  for (;;) {
    auto e = parse_sum(s);
    if (!e) return e.error();
    out.push_back(*e);
    if (s.accept(close)) return out;
    if (!s.accept(',')) return s.error_here(std::string("expected ',' or '") + close + "'");
  }
}

std::string join_exprs(const std::vector<Expr>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += v[i].to_string();
  }
  return s;
}

}  // namespace

GlobalLayout global_row_major(std::vector<Expr> shape) { return strided(std::move(shape), false); }
GlobalLayout global_column_major(std::vector<Expr> shape) { return strided(std::move(shape), true); }

Expected<GlobalLayout> parse_global_layout_prefix(std::string_view text, size_t* consumed) {
  Scanner s(text);
  s.skip_ws();
  size_t begin = s.pos();
  std::string_view name = s.take_ident();
  Expected<GlobalLayout> out = fail("");
  if (name == "global_row_major" || name == "global_column_major") {
    auto shape = expr_list(s, '(', ')');
    if (!shape) return shape.error();
    out = name == "global_row_major" ? global_row_major(*shape) : global_column_major(*shape);
  } else if (name == "global") {
    if (auto e = s.expect('(', "'('")) return *e;
    if (auto e = s.keyword("shape", false)) return *e;
    auto shape = expr_list(s, '[', ']');
    if (!shape) return shape.error();
    if (auto e = s.keyword("strides", true)) return *e;
    auto strides = expr_list(s, '[', ']');
    if (!strides) return strides.error();
    if (auto e = s.expect(')', "')'")) return *e;
    out = GlobalLayout::make(*shape, *strides);
    if (!out) return fail(out.error().message, begin, s.pos() - begin);
  } else {
    s.set_pos(begin);
    return s.error_here("expected a global layout (global_row_major, global_column_major or global)",
                        std::max<size_t>(1, name.size()));
  }
  if (consumed) *consumed = s.pos();
  return out;
}

Expected<GlobalLayout> parse_global_layout(std::string_view text) {
  size_t n = 0;
  auto l = parse_global_layout_prefix(text, &n);
  if (!l) return l;
  Scanner s(text);
  s.set_pos(n);
  if (!s.at_end()) return fail("unexpected text after the global layout", s.pos(), text.size() - s.pos());
  return l;
}

std::string to_string(const GlobalLayout& l) {
  if (l == global_row_major(l.shape)) return "global_row_major(" + join_exprs(l.shape) + ")";
  if (l == global_column_major(l.shape)) return "global_column_major(" + join_exprs(l.shape) + ")";
  return "global(shape=[" + join_exprs(l.shape) + "], strides=[" + join_exprs(l.strides) + "])";
}

}  // namespace tilevm::layout
