// The builder makes the same programs as the text: a built vector_add equals the parsed example
// and prints to the same text (comments aside).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ir/builder.h"
#include "text/printer.h"
#include "verify/pipeline.h"

using namespace tilevm;
using namespace tilevm::ir;

namespace {
std::string slurp(const std::string& name) {
  std::ifstream in(std::filesystem::path(TILEVM_SOURCE_DIR) / "examples" / name, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string strip_comments(const std::string& s) {
  std::istringstream in(s);
  std::string out, line;
  while (std::getline(in, line)) {
    size_t c = line.find("//");
    if (c != std::string::npos) line = line.substr(0, c);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (!line.empty()) out += line + "\n";
  }
  return out;
}
}  // namespace

TEST_CASE("builder: vector_add equals the parsed example") {
  ProgramBuilder b("vector_add", 4);
  S n = b.param("n", dt::kI32);
  S a = b.pointer_param("a", dt::kF32);
  S bp = b.pointer_param("b", dt::kF32);
  S c = b.pointer_param("c", dt::kF32);
  b.grid({cdiv(n, 1024)});
  S bi = b.block_index("bi", 'x');
  T ga = b.emit("view.global", "ga", {a}, {{"shape", attr::exprs({n})}});
  T gb = b.emit("view.global", "gb", {bp}, {{"shape", attr::exprs({n})}});
  T gc = b.emit("view.global", "gc", {c}, {{"shape", attr::exprs({n})}});
  T ta = b.emit("load.global", "ta", {ga},
                {{"offset", attr::exprs({bi * 1024})},
                 {"shape", attr::ints({1024})},
                 {"layout", attr::layout(layout::local({8}).spatial({128}))}});
  T tb = b.emit("load.global", "tb", {gb}, {{"offset", attr::exprs({bi * 1024})}, {"shape", attr::ints({1024})}});
  T tc = b.emit("add", "tc", {ta, tb});
  b.emit("store.global", "", {tc, gc}, {{"offset", attr::exprs({bi * 1024})}});
  Program built = b.build();

  std::string src = slurp("vector_add.tile");
  auto parsed = verify::check_source("vector_add.tile", src);
  REQUIRE(parsed.ok());
  CHECK(equal(built, *parsed.program));
  CHECK(text::print_program(built) == strip_comments(src));
}

TEST_CASE("builder: matmul_simt with a loop and an in-place dot equals the parsed example") {
  ProgramBuilder b("matmul_simt", 4);
  S m = b.param("m", dt::kI32), n = b.param("n", dt::kI32), k = b.param("k", dt::kI32);
  S a = b.pointer_param("a", dt::kF16), bp = b.pointer_param("b", dt::kF16), c = b.pointer_param("c", dt::kF16);
  b.grid({cdiv(m, 64), cdiv(n, 64)});
  S bi = b.block_index("bi", 'x');
  S bj = b.block_index("bj", 'y');
  T ga = b.emit("view.global", "ga", {a}, {{"shape", attr::exprs({m, k})}});
  T gb = b.emit("view.global", "gb", {bp}, {{"shape", attr::exprs({k, n})}});
  T gc = b.emit("view.global", "gc", {c}, {{"shape", attr::exprs({m, n})}});
  T acc = b.emit("alloc.register", "acc", {},
                 {{"dtype", attr::dtype(dt::kF32)},
                  {"shape", attr::ints({64, 64})},
                  {"layout", attr::layout(layout::local({4, 8}).spatial({16, 8}))},
                  {"init", attr::expr(0.0)}});
  b.for_range("kk", cdiv(k, 8), [&](S kk) {
    T ta = b.emit("load.global", "ta", {ga}, {{"offset", attr::exprs({bi * 64, kk * 8})}, {"shape", attr::ints({64, 8})}});
    T tb = b.emit("load.global", "tb", {gb}, {{"offset", attr::exprs({kk * 8, bj * 64})}, {"shape", attr::ints({8, 64})}});
    b.emit_into("dot.simt", acc, {ta, tb, acc});
  });
  T out = b.emit("cast", "out", {acc}, {{"dtype", attr::dtype(dt::kF16)}});
  b.emit("store.global", "", {out, gc}, {{"offset", attr::exprs({bi * 64, bj * 64})}});
  Program built = b.build();

  std::string src = slurp("matmul_simt.tile");
  auto parsed = verify::check_source("matmul_simt.tile", src);
  REQUIRE(parsed.ok());
  CHECK(equal(built, *parsed.program));
  CHECK(text::print_program(built) == strip_comments(src));
}

TEST_CASE("builder: structured statements print as the text format spells them") {
  ProgramBuilder b("control", 1);
  S n = b.param("n", dt::kI32);
  b.grid({S(1)});
  S i = b.let("i", S(0));
  b.while_loop(lt(i, n), [&] {
    b.if_then(eq(i % 2, 1), [&] { b.break_loop(); }, [&] { b.assign("i", i + 1); });
  });
  b.for_range("j", 2, n, 2, Unroll{Unroll::Full, 0}, [&](S) { b.emit("sync", "", {}); });
  Program p = b.build();
  CHECK(text::print_program(p) ==
        "program control(n: i32) grid [1] warps 1 {\n"
        "  let i = 0\n"
        "  while i < n {\n"
        "    if i % 2 == 1 {\n"
        "      break\n"
        "    } else {\n"
        "      i = i + 1\n"
        "    }\n"
        "  }\n"
        "  for j in range(2, n, 2) unroll {\n"
        "    sync()\n"
        "  }\n"
        "}\n");
  auto r = verify::check_source("control.tile", text::print_program(p));
  INFO(r.diagnostics);
  CHECK(r.ok());
}
