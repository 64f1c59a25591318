// The text format: every example checks, is in canonical form, and round-trips
// (parse(print(p)) == p, print(parse(t)) canonical); expressions print with the fewest
// parentheses that read back the same tree.
#include <doctest/doctest.h>

#include "paths.h"

#include <filesystem>

#include "text/parser.h"
#include "text/printer.h"
#include "verify/pipeline.h"

using namespace tilevm;
namespace fs = std::filesystem;

namespace {

std::optional<ir::Program> parse(const std::string& text, std::string* diags = nullptr) {
  text::SourceFile f("t.tile", text);
  text::Diagnostics d(f);
  auto p = text::parse_program(d);
  if (diags) *diags = d.render();
  return p;
}

// The tree of a one-expression program, printed back.
std::string reprint_expr(const std::string& e) {
  auto p = parse("program p(x: i32, y: i32, z: i32, b: bool) grid [1] warps 1 {\n  let v = " + e + "\n}\n");
  REQUIRE(p);
  return text::print_expr(p->body[0].value);
}

}  // namespace

TEST_CASE("text: every example checks, is canonical and round-trips") {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(TILEVM_SOURCE_DIR) / "examples")) {
    if (entry.path().extension() != ".tile") continue;
    ++n;
    std::string src = tilevm::test::read_text(entry.path());
    INFO(entry.path().filename().string());
    auto r = verify::check_source(entry.path().filename().string(), src);
    INFO(r.diagnostics);
    REQUIRE(r.ok());
    std::string printed = text::print_program(*r.program);
    CHECK(printed == src);  // examples are kept in canonical form
    auto again = parse(printed);
    REQUIRE(again);
    CHECK(ir::equal(*again, *r.program));
    // The program with inferred layouts written out also round-trips and verifies.
    std::string inferred = text::print_program(*r.inferred);
    auto r2 = verify::check_source("inferred.tile", inferred);
    INFO(r2.diagnostics);
    CHECK(r2.ok());
    CHECK(ir::equal(*r2.program, *r.inferred));
  }
  CHECK(n >= 5);
}

TEST_CASE("text: print(parse(t)) is the canonical form") {
  const char* messy =
      "// leading comment\n"
      "program   p ( n:i32 ,a : f32* )  grid[ cdiv( n,128 ) ]warps   4{\n"
      "let  bi=block_index( dim = x )   // trailing\n"
      "\n\n"
      "  %g = view.global(a,\n      shape=[n])\n"
      "  for i in range(0, n, 1) unroll(2) { if i < 3 { break } else if i > 4 {\n x = 1 } else { let q = -(1) } }\n"
      "  %t = load.global(%g, shape=[128], offset=[bi*128])\n"
      "}\n";
  std::string d;
  auto p = parse(messy, &d);
  INFO(d);
  REQUIRE(p);
  std::string canon = text::print_program(*p);
  CHECK(canon ==
        "// leading comment\n"
        "program p(n: i32, a: f32*) grid [cdiv(n, 128)] warps 4 {\n"
        "  let bi = block_index(dim=x)  // trailing\n"
        "\n"
        "  %g = view.global(a, shape=[n])\n"
        "  for i in range(0, n, 1) unroll(2) {\n"
        "    if i < 3 {\n"
        "      break\n"
        "    } else if i > 4 {\n"
        "      x = 1\n"
        "    } else {\n"
        "      let q = -(1)\n"
        "    }\n"
        "  }\n"
        "  %t = load.global(%g, offset=[bi * 128], shape=[128])\n"
        "}\n");
  auto again = parse(canon);
  REQUIRE(again);
  CHECK(ir::equal(*again, *p));
  CHECK(text::print_program(*again) == canon);
}

TEST_CASE("text: expressions keep their tree through print and parse") {
  CHECK(reprint_expr("x + y * z") == "x + y * z");
  CHECK(reprint_expr("(x + y) * z") == "(x + y) * z");
  CHECK(reprint_expr("x - (y - z)") == "x - (y - z)");
  CHECK(reprint_expr("(x - y) - z") == "x - y - z");
  CHECK(reprint_expr("x * -y") == "x * -y");
  CHECK(reprint_expr("-(x + y)") == "-(x + y)");
  CHECK(reprint_expr("- -x") == "-(-x)");
  CHECK(reprint_expr("x * (-3)") == "x * (-3)");
  CHECK(reprint_expr("x - -3") == "x - -3");
  CHECK(reprint_expr("-9223372036854775808") == "-9223372036854775808");
  CHECK(reprint_expr("0x10 << 2 | 1") == "16 << 2 | 1");
  CHECK(reprint_expr("x < y && !b || y >= z") == "x < y && !b || y >= z");
  CHECK(reprint_expr("x < y == b") == "x < y == b");
  CHECK(reprint_expr("cdiv(x, 4) + min(y, max(z, 1))") == "cdiv(x, 4) + min(y, max(z, 1))");
  CHECK(reprint_expr("f32(x) * 0.5") == "f32(x) * 0.5");
  CHECK(reprint_expr("1e20 + 2.5e-3") == "1e+20 + 0.0025");
  CHECK(reprint_expr("~x & 7") == "~x & 7");
}

TEST_CASE("text: parse(print(p)) == p for programs built without text") {
  // Literals the parser never produces directly (a negated literal node) print so that they
  // read back as the same tree.
  ir::Program p;
  p.name = "q";
  p.warps = 1;
  p.grid = {ir::Expr::make_int(1)};
  for (auto [name, value] : {std::pair<const char*, ir::ExprPtr>{"v", ir::Expr::make_unary(ir::UnOp::Neg, ir::Expr::make_int(5))},
                              {"w", ir::Expr::make_binary(ir::BinOp::Mul, ir::Expr::make_int(-5), ir::Expr::make_float(-0.0))}}) {
    ir::Stmt s;
    s.kind = ir::StmtKind::Let;
    s.name = name;
    s.value = value;
    p.body.push_back(s);
  }
  auto again = parse(text::print_program(p));
  REQUIRE(again);
  CHECK(ir::equal(*again, p));
}
