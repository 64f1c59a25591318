// The fixed-seed fuzz batch (1000 random programs through the emulator with every check on,
// compared with the independent oracle), and tests of the fuzzer's own parts.
#include <doctest/doctest.h>

#include <bit>
#include <cstring>

#include "conformance/fuzz.h"
#include "conformance/runner.h"
#include "dtype/pack.h"
#include "emulator/emulator.h"
#include "text/printer.h"

using namespace tilevm;

namespace {

const bool kEmu = exec::register_executor("emu", []() -> Expected<std::unique_ptr<exec::Executor>> { return emu::make_emulator(); });

void batch(uint64_t first, int count) {
  std::string failures;
  int failed = 0;
  for (int i = 0; i < count; ++i) {
    conf::FuzzOutcome o = conf::check_spec(conf::random_spec(first + i), false);
    if (!o.ok && ++failed <= 3) failures += "seed " + std::to_string(first + i) + ": " + o.message + "\n" + o.text + "\n";
  }
  INFO(failures);
  CHECK(failed == 0);
}

}  // namespace

TEST_CASE("fuzz: seeds 1 to 250 verify, run without traps and match the oracle") { batch(1, 250); }
TEST_CASE("fuzz: seeds 251 to 500 verify, run without traps and match the oracle") { batch(251, 250); }
TEST_CASE("fuzz: seeds 501 to 750 verify, run without traps and match the oracle") { batch(501, 250); }
TEST_CASE("fuzz: seeds 751 to 1000 verify, run without traps and match the oracle") { batch(751, 250); }

TEST_CASE("fuzz: the generator covers sub-byte types, views, shared memory, async copies and reductions") {
  int subbyte = 0, views = 0, reload = 0, async = 0, reduce = 0, rank2 = 0;
  for (uint64_t seed = 1; seed <= 1000; ++seed) {
    conf::FuzzSpec s = conf::random_spec(seed);
    for (const dt::DType& t : s.inputs) subbyte += t.bits < 8;
    for (const conf::FuzzStep& st : s.steps) views += st.op == "view";
    reload += !s.reload_layout.empty();
    async += s.async;
    reduce += !s.reduce.empty();
    rank2 += s.tile.size() == 2;
  }
  CHECK(subbyte > 100);
  CHECK(views > 20);
  CHECK(reload > 50);
  CHECK(async > 50);
  CHECK(reduce > 50);
  CHECK(rank2 > 300);
}

TEST_CASE("fuzz: the oracle of an f32 chain equals host IEEE arithmetic") {
  conf::FuzzSpec s;
  s.seed = 3;
  s.warps = 1;
  s.tile = {64};
  s.extent = {100};
  s.layout = "spatial(32).local(2)";
  s.local = 2;
  s.inputs = {dt::kF32, dt::kF32};
  s.steps = {{"mul", {0, 1}, {}}, {"add", {2, 0}, {}}};  // v3 = v0 * v1 + v0 (two roundings)
  s.result = 3;
  std::vector<exec::Arg> args(2);
  std::vector<float> a(100), b(100);
  for (int i = 0; i < 100; ++i) a[i] = 1.0f + i * 0.37f, b[i] = 3.0f - i * 0.11f;
  for (int k = 0; k < 2; ++k) {
    args[k].name = "in" + std::to_string(k);
    args[k].type = {dt::kF32, true};
    args[k].shape = {100};
    args[k].bytes.resize(400);
    std::memcpy(args[k].bytes.data(), (k ? b : a).data(), 400);
  }
  auto want = conf::oracle_outputs(s, args);
  REQUIRE(want);
  REQUIRE(*want);
  for (int i = 0; i < 100; ++i) CHECK((**want)[i] == std::bit_cast<uint32_t>(a[i] * b[i] + a[i]));
  // And the emulator agrees on the program built from the spec.
  CHECK(conf::check_spec(s, false).ok);
}

TEST_CASE("fuzz: a failing program is shrunk and written as a case that reproduces the failure") {
  // Integer division by the zero-filled ragged tail traps (the generator never emits it).
  conf::FuzzSpec s;
  s.seed = 9;
  s.warps = 2;
  s.tile = {8, 64};
  s.extent = {19, 100};
  s.layout = "local(1,2).spatial(2,32).local(4,1)";
  s.inputs = {dt::kI32, dt::kI32};
  s.steps = {{"add", {0, 1}, {}}, {"neg", {2}, {}}, {"div", {3, 1}, {}}, {"max", {4, 4}, {}}};
  s.result = 5;
  conf::FuzzOutcome o = conf::check_spec(s, false);
  REQUIRE_FALSE(o.ok);
  CHECK(o.message.rfind("trap", 0) == 0);
  conf::FuzzSpec small = conf::shrink(s, false);
  CHECK(small.steps.size() < s.steps.size());
  CHECK(small.extent[0] * small.extent[1] < s.extent[0] * s.extent[1]);
  CHECK_FALSE(conf::check_spec(small, false).ok);
  std::string c = conf::reproducer_case(small, o.message);
  CHECK(c.find("//! run e0=") != std::string::npos);
  CHECK(c.find("div(") != std::string::npos);
}

TEST_CASE("fuzz: reproducer cases are valid conformance cases that pass where the program passes") {
  for (uint64_t seed : {5, 6, 7, 12, 40}) {
    conf::FuzzSpec s = conf::random_spec(seed);
    auto c = conf::parse_case("fuzz/seed", "seed.tile", conf::reproducer_case(s, "test"));
    REQUIRE_MESSAGE(c, c.error().message);
    conf::Options opt;
    opt.backends = {"emu"};
    opt.emu_workers = 1;
    conf::CaseResult r = conf::run_case(*c, opt);
    bool golden = c->runs[0].expects[0].kind == conf::Expect::Kind::Golden;
    if (golden) CHECK(r.status == conf::CaseResult::Status::Fail);  // no recording exists
    else CHECK_MESSAGE(r.status == conf::CaseResult::Status::Pass, r.message);
  }
}
