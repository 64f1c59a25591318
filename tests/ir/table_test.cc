// The instruction table drives everything: every row has a parser rule, a printer rule, a
// verifier rule and a docs entry; emulator, codegen and conformance coverage are reported (and
// enforced once those modules declare themselves complete, see src/ir/coverage.h).
#include <doctest/doctest.h>

#include "paths.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "ir/coverage.h"
#include "ir/insn.h"
#include "text/parser.h"
#include "text/printer.h"
#include "verify/verify.h"

#if __has_include("emulator/coverage.h")
#include "emulator/coverage.h"
#define TILEVM_HAVE_EMU_COVERAGE 1
#endif
#if __has_include("backend/cuda/coverage.h")
#include "backend/cuda/coverage.h"
#define TILEVM_HAVE_CODEGEN_COVERAGE 1
#endif

using namespace tilevm;
namespace fs = std::filesystem;

namespace {

// Reports (or, when `complete`, fails on) the instructions `has` lacks.
void report(const std::string& component, bool complete, const std::function<bool(ir::Op)>& has) {
  std::vector<std::string> missing;
  for (const ir::InsnInfo& i : ir::all_insns())
    if (!has(i.op)) missing.push_back(i.mnemonic);
  std::string list;
  for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
  if (complete) {
    INFO(component << " lacks: " << list);
    CHECK(missing.empty());
  } else if (!missing.empty()) {
    MESSAGE(component << " (not declared complete): " << missing.size() << " of " << ir::kNumOps
                      << " instructions missing: " << list);
  }
}

}  // namespace

TEST_CASE("table: mnemonics are unique, lower-case and dotted, with semantics") {
  std::set<std::string> seen;
  std::regex form("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
  REQUIRE(ir::all_insns().size() == static_cast<size_t>(ir::kNumOps));
  for (const ir::InsnInfo& i : ir::all_insns()) {
    INFO(i.mnemonic);
    CHECK(std::regex_match(i.mnemonic, form));
    CHECK(seen.insert(i.mnemonic).second);
    CHECK(i.semantics.size() > 10);
    CHECK(ir::find_insn(i.mnemonic) == i.op);
    CHECK(ir::insn_info(i.op).mnemonic == i.mnemonic);
    if (!i.exact) CHECK(i.ulp_bound > 0);
    std::set<std::string> names;
    for (const auto& a : i.attrs) CHECK(names.insert(a.name).second);
  }
  CHECK_FALSE(ir::find_insn("no.such").has_value());
}

TEST_CASE("table: the first-release instruction set is complete") {
  for (const char* m : {"block_index", "alloc.register", "alloc.shared", "alloc.global", "free.shared", "view.global",
                        "load.global", "store.global", "load.shared", "store.shared", "copy_async",
                        "copy_async.commit", "copy_async.wait", "add", "sub", "mul", "div", "mod", "neg", "abs",
                        "min", "max", "fma", "and", "or", "xor", "not", "shl", "shr", "eq", "ne", "lt", "le", "gt",
                        "ge", "where", "exp", "exp2", "log", "sqrt", "rsqrt", "round", "cast", "view", "reduce.sum",
                        "reduce.max", "reduce.min", "reduce.and", "reduce.or", "dot.mma", "dot.simt", "sync", "print",
                        "exit", "atomic.global", "atomic.shared", "semaphore.wait", "semaphore.signal"}) {
    INFO(m);
    CHECK(ir::find_insn(m).has_value());
  }
}

TEST_CASE("table: every instruction has a parser, printer and verifier rule") {
  report("parser", true, text::has_parse_rule);
  report("printer", true, text::has_print_rule);
  report("verifier", true, verify::has_rule);
}

TEST_CASE("table: docs/ir.md holds the generated instruction reference") {
  fs::path doc = fs::path(TILEVM_SOURCE_DIR) / "docs" / "ir.md";
  std::string text = tilevm::test::read_text(doc);
  const std::string begin = "<!-- BEGIN GENERATED: instruction reference (tests/ir/table_test.cc) -->\n";
  const std::string end = "<!-- END GENERATED -->";
  size_t b = text.find(begin), e = text.find(end);
  REQUIRE(b != std::string::npos);
  REQUIRE(e != std::string::npos);
  std::string want = ir::instruction_reference_markdown();
  std::string have = text.substr(b + begin.size(), e - b - begin.size());
  if (have != want && std::getenv("TILEVM_UPDATE_DOCS")) {
    std::ofstream(doc, std::ios::binary) << text.substr(0, b + begin.size()) + want + text.substr(e);
    have = want;
  }
  INFO("regenerate with: TILEVM_UPDATE_DOCS=1 build/tests/test_ir -tc='table: docs*'");
  CHECK(have == want);
  report("docs", true, [&](ir::Op op) { return text.find("#### `" + ir::mnemonic(op) + "`") != std::string::npos; });
}

TEST_CASE("table: emulator, codegen and conformance coverage") {
#ifdef TILEVM_HAVE_EMU_COVERAGE
  const ir::Coverage& emu = tilevm::emu::coverage();
  report("emulator", emu.complete, [&](ir::Op op) { return emu.covers(op); });
#else
  report("emulator (emulator/coverage.h not present yet)", false, [](ir::Op) { return false; });
#endif
#ifdef TILEVM_HAVE_CODEGEN_COVERAGE
  const ir::Coverage& cg = tilevm::cuda::coverage();
  report("codegen", cg.complete, [&](ir::Op op) { return cg.covers(op); });
#else
  report("codegen (backend/cuda/coverage.h not present yet)", false, [](ir::Op) { return false; });
#endif
  // A conformance case covers an instruction when its mnemonic appears as `mnemonic(`.
  std::set<std::string> used;
  fs::path conf = fs::path(TILEVM_SOURCE_DIR) / "conformance";
  if (fs::exists(conf)) {
    std::regex call("([a-z][a-z0-9_.]*)\\(");
    for (const auto& entry : fs::recursive_directory_iterator(conf)) {
      if (entry.path().extension() != ".tile") continue;
      std::string t = tilevm::test::read_text(entry.path());
      for (std::sregex_iterator it(t.begin(), t.end(), call), stop; it != stop; ++it) used.insert((*it)[1]);
    }
  }
  report("conformance", fs::exists(conf / "COVERAGE_COMPLETE"),
         [&](ir::Op op) { return used.count(ir::mnemonic(op)) > 0; });
}
