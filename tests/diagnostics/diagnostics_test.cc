// Invalid programs and their diagnostics: each cases/NAME.tile must produce exactly the text in
// cases/NAME.err (file:line:col, message, source line, carets, notes). Regenerate the expected
// files after an intended change with TILEVM_UPDATE_EXPECTED=1 and review the diff.
#include <doctest/doctest.h>

#include "paths.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "verify/pipeline.h"

using namespace tilevm;
namespace fs = std::filesystem;

TEST_CASE("diagnostics: every invalid program gives exactly its expected diagnostics") {
  fs::path dir = fs::path(TILEVM_SOURCE_DIR) / "tests" / "diagnostics" / "cases";
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".tile") cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  CHECK(cases.size() >= 60);
  bool update = std::getenv("TILEVM_UPDATE_EXPECTED") != nullptr;
  for (const fs::path& c : cases) {
    std::string name = c.filename().string();
    auto r = verify::check_source(name, tilevm::test::read_text(c));
    fs::path expected = c;
    expected.replace_extension(".err");
    if (update) std::ofstream(expected, std::ios::binary) << r.diagnostics;
    INFO(name);
    CHECK_FALSE(r.ok());
    REQUIRE(fs::exists(expected));
    CHECK(r.diagnostics == tilevm::test::read_text(expected));
  }
}
