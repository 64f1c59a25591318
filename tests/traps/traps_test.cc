// The trap corpus: every tests/traps/*.tile names its expected outcome in a header comment
// (`// expect: race`, `// expect: ok`, optional `// args: ...` and `// check-init`); each buggy
// program has a correct near-twin NAME-ok.tile that must not trap.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "emulator/emulator.h"
#include "exec/launch.h"

using namespace tilevm;
namespace fs = std::filesystem;

namespace {

struct Case {
  std::string path, expect;
  std::vector<std::string> args;
  bool check_init = false;
  std::string text;
};

Case read_case(const fs::path& p) {
  Case c;
  c.path = p.string();
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  c.text = ss.str();
  std::istringstream lines(c.text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("// expect: ", 0) == 0) c.expect = line.substr(11);
    if (line.rfind("// check-init", 0) == 0) c.check_init = true;
    if (line.rfind("// args: ", 0) == 0) {
      std::istringstream words(line.substr(9));
      for (std::string w; words >> w;) c.args.push_back(w);
    }
  }
  return c;
}

std::vector<Case> corpus() {
  std::vector<Case> all;
  for (const auto& e : fs::directory_iterator(fs::path(TILEVM_SOURCE_DIR) / "tests" / "traps"))
    if (e.path().extension() == ".tile") all.push_back(read_case(e.path()));
  std::sort(all.begin(), all.end(), [](const Case& a, const Case& b) { return a.path < b.path; });
  return all;
}

// The outcome: "ok", a trap kind name, or "error: ..." when the run could not happen.
std::string outcome(const Case& c, int workers, std::string* report) {
  auto p = exec::load_program_text(c.path, c.text);
  if (!p) return "error: " + p.error().message;
  std::vector<exec::ArgSpec> specs;
  for (const std::string& a : c.args) {
    auto s = exec::parse_arg_spec(a);
    if (!s) return "error: " + s.error().message;
    specs.push_back(*s);
  }
  auto l = exec::make_launch(*p, specs);
  if (!l) return "error: " + l.error().message;
  l->check_init = c.check_init;
  l->workers = workers;
  auto r = emu::make_emulator()->run(*l);
  if (!r) return "error: " + r.error().message;
  if (!r->trap) return "ok";
  *report = exec::render_trap(*r->trap, (*p)->source.get());
  return exec::trap_kind_name(r->trap->kind);
}

}  // namespace

TEST_CASE("every program of the trap corpus has its expected outcome") {
  std::vector<Case> all = corpus();
  int buggy = 0, twins = 0;
  for (const Case& c : all) {
    std::string report;
    std::string got = outcome(c, 2, &report);
    CHECK_MESSAGE(got == c.expect, c.path << ": expected " << c.expect << ", got " << got << "\n" << report);
    if (c.expect == "ok") ++twins;
    else ++buggy;
  }
  CHECK(buggy >= 30);
  CHECK(twins >= 30);
}

TEST_CASE("every buggy program of the corpus has a correct near-twin") {
  for (const Case& c : corpus()) {
    if (c.expect == "ok") continue;
    fs::path twin = fs::path(c.path).replace_extension("").string() + "-ok.tile";
    bool listed = fs::exists(twin) || c.path.find("replicated-store-twice") != std::string::npos;
    CHECK_MESSAGE(listed, c.path << " has no twin " << twin.string());
  }
}

TEST_CASE("trap reports name the instruction, block, thread and the other access") {
  for (const Case& c : corpus()) {
    if (c.path.find("race-shared-missing-sync.tile") == std::string::npos) continue;
    std::string report;
    REQUIRE(outcome(c, 1, &report) == "race");
    CHECK(report.find("race-shared-missing-sync.tile:7:8: trap: race:") != std::string::npos);
    CHECK(report.find("block (0,0,0) thread") != std::string::npos);
    CHECK(report.find("note: the other access (a write)") != std::string::npos);
    CHECK(report.find("store.shared(%v, %s)") != std::string::npos);
  }
}

TEST_CASE("races between blocks are found whatever the number of workers") {
  for (const Case& c : corpus()) {
    if (c.path.find("race-global-blocks") == std::string::npos || c.expect == "ok") continue;
    std::string r1, r4;
    CHECK(outcome(c, 1, &r1) == "race");
    CHECK(outcome(c, 4, &r4) == "race");
    CHECK(r1 == r4);
  }
}
