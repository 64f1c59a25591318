// The library's conversions against CUDA's host functions and the reference, over the standard
// input sets (the same checks `tilevm dtype verify` runs), one test case per group.
#include <doctest/doctest.h>

#include <string>

#include "backend/cuda/dtype_verify.h"

namespace {

void run_group(const std::string& group) {
  int checks = 0;
  for (const tilevm::cuda::Check& c : tilevm::cuda::standard_checks()) {
    if (c.group != group) continue;
    ++checks;
    tilevm::cuda::CheckResult r = c.run();
    INFO(r.name, " (vs ", r.oracles, "): ", r.failed, " of ", r.checked, " failed; first: ", r.first_failure);
    CHECK(r.checked > 0);
    CHECK(r.failed == 0);
  }
  CHECK(checks > 0);
}

}  // namespace

TEST_CASE("oracles: every f16 code to every type (CUDA where defined, reference)") { run_group("f16"); }
TEST_CASE("oracles: every bf16 code to every type (CUDA where defined, reference)") { run_group("bf16"); }
TEST_CASE("oracles: f32 boundary inputs to every float type") { run_group("f32-float"); }
TEST_CASE("oracles: f32 boundary inputs to every integer type") { run_group("f32-int"); }
TEST_CASE("oracles: f64 boundary inputs to every type") { run_group("f64"); }
TEST_CASE("oracles: every code of every small float format to every type") { run_group("small"); }
TEST_CASE("oracles: integers to every type") { run_group("int"); }
TEST_CASE("oracles: decode and classify every code of every type of at most 16 bits") { run_group("decode"); }
