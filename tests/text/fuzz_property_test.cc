// The fuzz target's property (verify::roundtrip_violation) on every seed: the examples, the
// diagnostics corpus and the inputs the fuzzer once failed on (tests/fuzz/tile/regressions/).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "verify/pipeline.h"

namespace fs = std::filesystem;

TEST_CASE("fuzz property: every seed and regression round-trips without a crash") {
  fs::path root(TILEVM_SOURCE_DIR);
  int n = 0;
  for (const char* dir : {"examples", "tests/diagnostics/cases", "tests/fuzz/tile/regressions"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& e : fs::directory_iterator(root / dir)) {
      if (e.path().extension() == ".err") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      auto v = tilevm::verify::roundtrip_violation(ss.str());
      INFO(e.path().string());
      CHECK_FALSE(v.has_value());
      ++n;
    }
  }
  CHECK(n >= 100);
}
