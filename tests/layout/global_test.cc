// Symbolic expressions and global layouts: evaluation (floor division, errors), printing with
// minimal parentheses, parse/print round trips, row- and column-major strides.
#include <doctest/doctest.h>

#include <functional>
#include <random>

#include "layout/global_layout.h"

using namespace tilevm::layout;

namespace {

Expr ok(tilevm::Expected<Expr> e) {
  REQUIRE_MESSAGE(e.ok(), e.error().message);
  return *e;
}

int64_t val(const char* text, const Params& p = {}) {
  auto v = ok(parse_expr(text)).eval(p);
  REQUIRE_MESSAGE(v.ok(), v.error().message);
  return *v;
}

}  // namespace

TEST_CASE("expr: evaluation, precedence and floor division") {
  Params p{{"M", 100}, {"K", 64}, {"n", -7}};
  CHECK(val("M * K + 1", p) == 6401);
  CHECK(val("M * (K + 1)", p) == 6500);
  CHECK(val("M - K - 1", p) == 35);
  CHECK(val("(M + 127) / 128 * 128", p) == 128);
  CHECK(val("n / 2", p) == -4);   // floor
  CHECK(val("n % 2", p) == 1);    // sign of the divisor
  CHECK(val("7 % -2") == -1);
  CHECK(val("7 / -2") == -4);
  CHECK(val("-3 * 2") == -6);
  CHECK(val("2 - -3") == 5);
  CHECK(!ok(parse_expr("M / (K - 64)")).eval(p).ok());
  CHECK(ok(parse_expr("M / (K - 64)")).eval(p).error().message.find("division by zero") != std::string::npos);
  CHECK(ok(parse_expr("N + 1")).eval(p).error().message.find("'N'") != std::string::npos);
  CHECK(!ok(parse_expr("999999999999999999 * 100")).eval({}).ok());
  CHECK(!ok(parse_expr("x + 1")).eval({{"x", INT64_MAX}}).ok());
}

TEST_CASE("expr: printing keeps the tree, parsing gives it back") {
  auto a = Expr::param("a"), b = Expr::param("b"), c = Expr::param("c");
  CHECK((a - (b - c)).to_string() == "a - (b - c)");
  CHECK(((a - b) - c).to_string() == "a - b - c");
  CHECK((a * (b + c)).to_string() == "a * (b + c)");
  CHECK((a / (b * c)).to_string() == "a / (b * c)");
  CHECK((a * b + c).to_string() == "a * b + c");
  CHECK((a * Expr(1)).to_string() == "a");
  CHECK((Expr(6) * Expr(7)).to_string() == "42");
  CHECK(Expr::make(Expr::Kind::kMul, a, Expr(-2)).to_string() == "a * (-2)");
  // Random trees round-trip.
  std::mt19937 rng(7);
  std::function<Expr(int)> gen = [&](int depth) -> Expr {
    if (depth == 0 || rng() % 3 == 0) {
      if (rng() % 2) return Expr(static_cast<int64_t>(rng() % 21) - 10);
      return Expr::param(std::string(1, static_cast<char>('a' + rng() % 3)));
    }
    auto k = static_cast<Expr::Kind>(2 + rng() % 5);
    return Expr::make(k, gen(depth - 1), gen(depth - 1));
  };
  for (int i = 0; i < 500; ++i) {
    Expr e = gen(4);
    auto back = parse_expr(e.to_string());
    REQUIRE_MESSAGE(back.ok(), e.to_string());
    CHECK_MESSAGE(*back == e, e.to_string());
  }
}

TEST_CASE("expr: located parse errors") {
  auto e = parse_expr("M * (K + 1");
  REQUIRE(!e.ok());
  CHECK(e.error().offset == 10);
  e = parse_expr("M * * K");
  REQUIRE(!e.ok());
  CHECK(e.error().offset == 4);
  e = parse_expr("M K");
  REQUIRE(!e.ok());
  CHECK(e.error().offset == 2);
}

TEST_CASE("global: row and column major over symbolic shapes") {
  auto B = Expr::param("B"), M = Expr::param("M"), K = Expr::param("K");
  auto r = global_row_major({B, M, K});
  CHECK(r.strides[0].to_string() == "M * K");
  CHECK(r.strides[1].to_string() == "K");
  CHECK(r.strides[2].to_string() == "1");
  CHECK(to_string(r) == "global_row_major(B, M, K)");
  auto c = r.evaluate({{"B", 2}, {"M", 3}, {"K", 5}});
  REQUIRE(c.ok());
  CHECK(c->strides == std::vector<int64_t>{15, 5, 1});
  CHECK(c->element_offset({1, 2, 3}) == 15 + 10 + 3);
  CHECK(c->in_bounds({1, 2, 4}));
  CHECK(!c->in_bounds({1, 3, 0}));
  auto col = global_column_major({M, K}).evaluate({{"M", 3}, {"K", 5}});
  CHECK(col->strides == std::vector<int64_t>{1, 3});
  CHECK(!r.evaluate({{"B", 2}, {"M", -3}, {"K", 5}}).ok());
  CHECK(!r.evaluate({{"B", 2}}).ok());
}

TEST_CASE("global: text round trips and errors") {
  const char* texts[] = {"global_row_major(M, K)", "global_column_major(M, 128)",
                         "global(shape=[M, K / 2], strides=[1, M * 2 + 8])", "global_row_major()"};
  for (const char* t : texts) {
    auto l = parse_global_layout(t);
    REQUIRE_MESSAGE(l.ok(), l.error().message);
    CHECK(to_string(*l) == t);
  }
  CHECK(to_string(*parse_global_layout("global(shape=[M,K], strides=[K,1])")) == "global_row_major(M, K)");
  auto e = parse_global_layout("global(shape=[M, K], strides=[1])");
  REQUIRE(!e.ok());
  CHECK(e.error().offset == 0);
  e = parse_global_layout("global_rowmajor(M)");
  REQUIRE(!e.ok());
  CHECK(e.error().length == 15);
  size_t n = 0;
  REQUIRE(parse_global_layout_prefix("global_row_major(M, K) rest", &n).ok());
  CHECK(n == 22);
}
