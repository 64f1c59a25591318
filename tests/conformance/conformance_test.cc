// The conformance suite on the emulator, the suite's own oracle against hand-computed codes, and
// the case-format parser.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "conformance/expr.h"
#include "conformance/oracle.h"
#include "conformance/runner.h"
#include "emulator/emulator.h"
#include "ir/insn.h"

using namespace tilevm;

namespace {

const bool kEmu = exec::register_executor("emu", []() -> Expected<std::unique_ptr<exec::Executor>> { return emu::make_emulator(); });

const std::string kRoot = std::string(TILEVM_SOURCE_DIR) + "/conformance";

uint64_t code(long double v, const dt::DType& t) { return *conf::code_of(v, t); }

}  // namespace

TEST_CASE("every conformance case passes on the emulator") {
  conf::Options opt;
  opt.root = kRoot;
  opt.backends = {"emu"};
  opt.emu_workers = 1;
  std::string failures;
  conf::Summary s = conf::run_suite(opt, "", 2, [&](const std::string& name, const conf::CaseResult& r, int, int) {
    if (r.status == conf::CaseResult::Status::Fail) failures += name + ": " + r.message + "\n";
  });
  INFO(failures);
  CHECK(s.failed == 0);
  CHECK(s.passed + s.failed + s.skipped >= 150);
}

TEST_CASE("every instruction of the table has a conformance case") {
  std::string all;
  for (const std::string& f : conf::find_case_files(kRoot)) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    all += ss.str();
  }
  std::string missing;
  for (const ir::InsnInfo& i : ir::all_insns())
    if (all.find(i.mnemonic + "(") == std::string::npos) missing += i.mnemonic + " ";
  INFO("instructions without a case: " << missing);
  CHECK(missing.empty());
}

TEST_CASE("the oracle rounds to nearest even at every magnitude") {
  CHECK(code(1.0L, dt::kF16) == 0x3c00);
  CHECK(code(65519.0L, dt::kF16) == 0x7bff);
  CHECK(code(65520.0L, dt::kF16) == 0x7c00);           // halfway to 2^16 rounds up: infinity
  CHECK(code(std::ldexp(1.0L, -25), dt::kF16) == 0);    // halfway to the smallest subnormal: even
  CHECK(code(3 * std::ldexp(1.0L, -25), dt::kF16) == 2);
  CHECK(code(-0.0L, dt::kF16) == 0x8000);
  CHECK(code(448.0L, dt::kF8E4M3) == 0x7e);
  CHECK(code(1e9L, dt::kF8E4M3) == 0x7e);              // saturates
  CHECK(code(-INFINITY, dt::kF8E5M2) == 0xfb);         // saturates, e5m2 included
  CHECK(code(5.0L, dt::kF4E2M1) == 0x6);               // tie between 4 and 6: even mantissa
  CHECK(code(NAN, dt::kF4E2M1) == 0x7);                // no NaN: +max
  CHECK(code(NAN, dt::kF32) == 0x7fffffff);
  CHECK(code(1.0L + std::ldexp(1.0L, -8), dt::kBF16) == 0x3f80);
  CHECK(code(-3.7L, dt::kI8) == 0xfd);                 // truncates
  CHECK(code(1e10L, dt::kU8) == 0xff);                 // saturates
  CHECK(code(NAN, dt::kI32) == 0);
  CHECK(conf::value_of(0x1, dt::float_format(2, 1)) == 0.5L);  // f4e2m1 subnormal
}

TEST_CASE("the oracle's f16 fma rounds once") {
  // a*b + c = (1 + 2^-9 + 2^-20) - 3*2^-11 = 1 + 2^-11 + 2^-20: the tie 1 + 2^-11 is broken
  // upward by 2^-20, which rounding a*b to f16 first would lose (giving 1.0).
  uint64_t a = code(1.0L + std::ldexp(1.0L, -10), dt::kF16);
  uint64_t c = code(-3 * std::ldexp(1.0L, -11), dt::kF16);
  auto r = conf::apply("fma", {{dt::kF16, a}, {dt::kF16, a}, {dt::kF16, c}});
  REQUIRE(r);
  CHECK(r->code == 0x3c01);
}

TEST_CASE("case files with malformed directives are rejected with the line") {
  auto bad = conf::parse_case("x", "x.tile", "//! run n=1\n//! expect c = \nprogram p() grid [1] warps 1 {}\n");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("x.tile:2") != std::string::npos);
  auto none = conf::parse_case("x", "x.tile", "program p() grid [1] warps 1 {}\n");
  CHECK_FALSE(none);
  auto ok = conf::parse_case("x", "x.tile", "//! run n=2 a=[1, 2*3]\n//! expect a[0:2] ulp=1 = [1, 2]\n");
  REQUIRE(ok);
  CHECK(ok->runs[0].expects[0].ulp == 1);
  CHECK(ok->runs[0].expects[0].hi == 2);
}

TEST_CASE("value tokens must be exact") {
  CHECK(conf::parse_value("0.5", dt::kF16).ok());
  CHECK_FALSE(conf::parse_value("0.1", dt::kF16).ok());
  CHECK(*conf::parse_value("-0", dt::kF32) == 0x80000000u);
  CHECK_FALSE(conf::parse_value("300", dt::kI8).ok());
  CHECK(*conf::parse_value("-128", dt::kI8) == 0x80);
}
