// docs/text-format.md: its worked example uses every instruction, verifies, and is canonical.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <fstream>
#include <sstream>

#include "ir/insn.h"
#include "text/printer.h"
#include "verify/pipeline.h"

using namespace tilevm;

namespace {
// Collects the mnemonics of every instruction statement.
void collect(const std::vector<ir::Stmt>& body, std::set<ir::Op>* ops) {
  for (const ir::Stmt& s : body) {
    if (s.kind == ir::StmtKind::Insn) ops->insert(s.insn.op);
    collect(s.body, ops);
    collect(s.else_body, ops);
  }
}
}  // namespace

TEST_CASE("docs: the text-format tour uses every instruction and verifies") {
  std::ifstream in(std::filesystem::path(TILEVM_SOURCE_DIR) / "docs" / "text-format.md");
  std::string line, tour;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line == "```tile") {
      inside = true;
      continue;
    }
    if (inside && line == "```") break;
    if (inside) tour += line + "\n";
  }
  REQUIRE_FALSE(tour.empty());
  auto r = verify::check_source("tour.tile", tour);
  INFO(r.diagnostics);
  REQUIRE(r.ok());
  CHECK(text::print_program(*r.program) == tour);
  std::set<ir::Op> ops;
  collect(r.program->body, &ops);
  for (const ir::InsnInfo& i : ir::all_insns()) {
    INFO(i.mnemonic);
    CHECK(ops.count(i.op) == 1);
  }
}
