// `tilevm dtype`: outputs and diagnostics of the built command, run through the shell.
#include <doctest/doctest.h>

#include "paths.h"
#include "shell.h"

#include <cstdio>
#include <string>

namespace {

struct Run {
  std::string out;  // stdout and stderr together
  int status = -1;
};

// Runs `tilevm <args>` with `input` on standard input.
Run run_cli(const std::string& args, const std::string& input = "") {
  auto s = tilevm::test::shell("printf '" + input + "' | " + tilevm::test::binary_dir() + "/tilevm " + args + " 2>&1");
  return {s.out, s.status};
}

}  // namespace

TEST_CASE("cli: convert writes padded lowercase hex, one per line") {
  Run r = run_cli("dtype convert --from f32 --to f8e4m3", "0x43E00000\\n3f800000\\n  0X7FC00000 \\nff800000\\r\\n00000001");
  CHECK(r.status == 0);
  CHECK(r.out == "7e\n38\n7f\nfe\n00\n");
  CHECK(run_cli("dtype convert --from u64 --to f32", "ffffffffffffffff\\n").out == "5f800000\n");
  CHECK(run_cli("dtype convert --from i4 --to i64", "f\\n8\\n").out == "ffffffffffffffff\nfffffffffffffff8\n");
  CHECK(run_cli("dtype convert --from f32 --to f4e2m1", "40a00000\\nc0200000\\n").out == "6\nc\n");
  CHECK(run_cli("dtype convert --from f8e4m3 --to f16", "7e\\n").out == "5f00\n");
}

TEST_CASE("cli: ue8m0 rounding choices") {
  CHECK(run_cli("dtype convert --from f32 --to ue8m0 --round rz", "40400000\\n").out == "80\n");
  CHECK(run_cli("dtype convert --from f32 --to ue8m0 --round ru", "40400000\\n").out == "81\n");
  CHECK(run_cli("dtype convert --from f32 --to ue8m0", "40400000\\n").out == "81\n");
  Run r = run_cli("dtype convert --from f32 --to f16 --round rz", "40400000\\n");
  CHECK(r.status != 0);
  CHECK(r.out.find("error: --round rz: f16 offers no rounding choice") != std::string::npos);
}

TEST_CASE("cli: bad input is diagnosed with the line and a non-zero exit") {
  Run wide = run_cli("dtype convert --from f8e4m3 --to f16", "7e\\n1ff\\n");
  CHECK(wide.status == 1);
  CHECK(wide.out == "5f00\n<stdin>:2: error: code '1ff' is wider than f8e4m3 (8 bits)\n");
  Run bad = run_cli("dtype convert --from f8e4m3 --to f16", "7g\\n");
  CHECK(bad.status == 1);
  CHECK(bad.out.find("<stdin>:1: error: malformed code '7g'") != std::string::npos);
  CHECK(run_cli("dtype convert --from f8e4m3 --to f16", "\\n").out.find("<stdin>:1: error: empty line") !=
        std::string::npos);
  Run unknown = run_cli("dtype convert --from f8 --to f16");
  CHECK(unknown.status == 2);
  CHECK(unknown.out.find("unknown data type 'f8'; did you mean") != std::string::npos);
  Run table = run_cli("dtype table f32");
  CHECK(table.status == 2);
  CHECK(run_cli("dtype frobnicate").status == 2);
}

TEST_CASE("cli: list, table and verify") {
  Run list = run_cli("dtype list");
  CHECK(list.status == 0);
  CHECK(list.out.find("\nf8e4m3       8  float      7  0.001953125") != std::string::npos);
  Run table = run_cli("dtype table f4e2m1");
  CHECK(table.status == 0);
  CHECK(table.out.find("0x5  0101  normal     3\n") != std::string::npos);
  CHECK(table.out.find("0x8  1000  zero       -0\n") != std::string::npos);
  Run verify = run_cli("dtype verify --only 'f8e4m3 (every code) -> f16'");
  CHECK(verify.status == 0);
  CHECK(verify.out.find("\n1 passed, 0 failed\n") != std::string::npos);
  CHECK(run_cli("dtype --help").out.find("verify [--exhaustive]") != std::string::npos);
}
