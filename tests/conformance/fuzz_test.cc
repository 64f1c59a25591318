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

TEST_CASE("fuzz: the generator covers sub-byte types, views, shared memory, async copies, reductions, dots, div/mod and approximate ops") {
  int subbyte = 0, views = 0, reload = 0, async = 0, reduce = 0, rank2 = 0, simt = 0, mma = 0, approx = 0, divmod = 0;
  for (uint64_t seed = 1; seed <= 1000; ++seed) {
    conf::FuzzSpec s = conf::random_spec(seed);
    for (const dt::DType& t : s.inputs) subbyte += t.bits < 8;
    for (const conf::FuzzStep& st : s.steps) views += st.op == "view";
    reload += !s.reload_layout.empty();
    async += s.async;
    reduce += !s.reduce.empty();
    rank2 += s.tile.size() == 2;
    simt += s.dot == "simt";
    mma += s.dot == "mma";
    approx += s.approximate();
    for (const conf::FuzzStep& st : s.steps) divmod += st.op == "div" || st.op == "mod";
  }
  CHECK(subbyte > 100);
  CHECK(views > 20);
  CHECK(reload > 50);
  CHECK(async > 50);
  CHECK(reduce > 50);
  CHECK(rank2 > 300);
  CHECK(simt > 20);
  CHECK(mma > 20);
  CHECK(approx > 40);
  CHECK(divmod > 200);
}

// A 1-D chain spec over one warp: a [64] tile of `spatial(32).local(2)` over `extent` elements;
// the caller adds the steps and the result.
conf::FuzzSpec chain_spec(uint64_t seed, int64_t extent, std::vector<dt::DType> inputs) {
  conf::FuzzSpec s;
  s.seed = seed;
  s.warps = 1;
  s.tile = {64};
  s.extent = {extent};
  s.layout = "spatial(32).local(2)";
  s.local = 2;
  s.inputs = std::move(inputs);
  return s;
}

TEST_CASE("fuzz: the oracle of an f32 chain equals host IEEE arithmetic") {
  conf::FuzzSpec s = chain_spec(3, 100, {dt::kF32, dt::kF32});
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
  // sqrt of an integer, which the verifier rejects (the generator never emits it): the failure
  // is "verify: ...", and shrinking keeps the sqrt while dropping the rest.
  conf::FuzzSpec s;
  s.seed = 9;
  s.warps = 2;
  s.tile = {8, 64};
  s.extent = {19, 100};
  s.layout = "local(1,2).spatial(2,32).local(4,1)";
  s.inputs = {dt::kI32, dt::kI32};
  s.steps = {{"add", {0, 1}, {}}, {"neg", {2}, {}}, {"sqrt", {3}, {}}, {"cast", {4}, dt::kF32}, {"max", {5, 5}, {}}};
  s.result = 6;
  conf::FuzzOutcome o = conf::check_spec(s, false);
  REQUIRE_FALSE(o.ok);
  CHECK(o.message.rfind("verify", 0) == 0);
  conf::FuzzSpec small = conf::shrink(s, false);
  CHECK(small.steps.size() < s.steps.size());
  CHECK(small.extent[0] * small.extent[1] < s.extent[0] * s.extent[1]);
  CHECK_FALSE(conf::check_spec(small, false).ok);
  std::string c = conf::reproducer_case(small, o.message);
  CHECK(c.find("//! run e0=") != std::string::npos);
  CHECK(c.find("sqrt(") != std::string::npos);
}

// A dot-mode spec: value 0 = in0 + a x b over a [TM, TN] tile, k in chunks of tk.
conf::FuzzSpec dot_spec(const std::string& kind, dt::DType ab, dt::DType c, std::vector<int64_t> tile, std::string layout,
                        int64_t tk, int64_t k, std::vector<int64_t> extent) {
  conf::FuzzSpec s;
  s.seed = 77;
  s.warps = 1;
  s.tile = tile;
  s.extent = extent;
  s.layout = layout;
  s.inputs = {c};
  s.dot = kind, s.dot_ab = ab, s.dot_tk = tk, s.dot_k = k;
  s.result = 0;
  return s;
}

exec::Arg int_buffer(const std::string& name, dt::DType t, std::vector<int64_t> shape, const std::vector<int64_t>& v) {
  exec::Arg a;
  a.name = name;
  a.type = {t, true};
  a.shape = shape;
  a.bytes.resize(v.size() * t.bits / 8);
  for (size_t i = 0; i < v.size(); ++i) dt::set_element(a.bytes.data(), t.bits, i, static_cast<uint64_t>(v[i]) & t.mask());
  return a;
}

TEST_CASE("fuzz: the dot oracle adds a x b into in0 over a ragged k, integers wrapping") {
  // i8 x i8 + i32 on a [8, 4] tile with k = 6 in chunks of 4 (the second chunk half padding),
  // over a ragged [11, 6] output: checked against plain integer loops.
  for (const std::string kind : {"simt", "mma"}) {
    const bool mma = kind == "mma";
    const int64_t M = mma ? 16 : 11, N = mma ? 8 : 6, K = mma ? 40 : 6;
    conf::FuzzSpec s = mma ? dot_spec("mma", dt::kI8, dt::kI32, {16, 8}, "", 32, K, {M, N})
                           : dot_spec("simt", dt::kI8, dt::kI32, {8, 4}, "spatial(8,4)", 4, K, {M, N});
    std::vector<int64_t> c(M * N), a(M * K), b(K * N);
    for (size_t i = 0; i < c.size(); ++i) c[i] = i % 2 ? 2147483000 : -int64_t(i) * 1000;  // wraps past INT_MAX
    for (size_t i = 0; i < a.size(); ++i) a[i] = int64_t(i * 37 % 256) - 128;
    for (size_t i = 0; i < b.size(); ++i) b[i] = int64_t(i * 91 % 256) - 128;
    std::vector<exec::Arg> args = {int_buffer("in0", dt::kI32, {M, N}, c), int_buffer("a", dt::kI8, {M, K}, a),
                                   int_buffer("b", dt::kI8, {K, N}, b)};
    auto want = conf::oracle_outputs(s, args);
    REQUIRE_MESSAGE(want.ok(), want.error().message);
    REQUIRE(want->has_value());
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j) {
        int64_t acc = c[i * N + j];
        for (int64_t k = 0; k < K; ++k) acc += a[i * K + k] * b[k * N + j];
        CHECK((**want)[i * N + j] == (static_cast<uint64_t>(acc) & 0xffffffffu));
      }
    CHECK(conf::check_spec(s, false).ok);  // the emulator agrees (seeded inputs)
  }
}

TEST_CASE("fuzz: a float dot.mma result is left undecided, a float dot.simt one is decided") {
  conf::FuzzSpec mma = dot_spec("mma", dt::kF16, dt::kF32, {16, 8}, "", 16, 20, {16, 8});
  conf::FuzzSpec simt = dot_spec("simt", dt::kF16, dt::kF32, {8, 4}, "spatial(8,4)", 3, 7, {9, 5});
  conf::FuzzPrepared pm = conf::prepare_spec(mma), ps = conf::prepare_spec(simt);
  REQUIRE_MESSAGE(pm.outcome.ok, pm.outcome.message);
  REQUIRE_MESSAGE(ps.outcome.ok, ps.outcome.message);
  CHECK_FALSE(pm.oracle.has_value());
  CHECK(ps.oracle.has_value());
}

TEST_CASE("fuzz: integer div and mod use an odd divisor and match truncating host division") {
  conf::FuzzSpec s = chain_spec(11, 100, {dt::kI32, dt::kI32});
  s.steps = {{"div", {0, 1}, {}}, {"mod", {0, 1}, {}}, {"add", {2, 3}, {}}};
  s.result = 4;
  std::vector<int64_t> x(100), y(100);
  for (int i = 0; i < 100; ++i) x[i] = (i * 7919 % 2001) - 1000, y[i] = (i % 7) - 3;  // y includes 0 and -1
  x[5] = INT32_MIN, y[5] = -1;                                                       // MIN / -1 wraps
  std::vector<exec::Arg> args = {int_buffer("in0", dt::kI32, {100}, x), int_buffer("in1", dt::kI32, {100}, y)};
  auto want = conf::oracle_outputs(s, args);
  REQUIRE_MESSAGE(want.ok(), want.error().message);
  for (int i = 0; i < 100; ++i) {
    int64_t d = y[i] | 1, q = x[i] / d, r = x[i] % d;
    if (x[i] == INT32_MIN && d == -1) q = INT32_MIN, r = 0;
    CHECK((**want)[i] == (static_cast<uint64_t>(q + r) & 0xffffffffu));
  }
  CHECK(conf::check_spec(s, false).ok);  // no division-by-zero trap on the zero-filled tail
  CHECK(text::print_program(conf::build_program(s)).find("or(") != std::string::npos);
}

TEST_CASE("fuzz: an approximate result is checked within its ulp bound and written with ulp= in a case") {
  conf::FuzzSpec s = chain_spec(13, 90, {dt::kF32});
  s.steps = {{"exp", {0}, {}}};
  s.result = 1;
  CHECK(s.approximate());
  CHECK(conf::result_ulp_bound(s) == 2);
  conf::FuzzPrepared p = conf::prepare_spec(s);
  REQUIRE_MESSAGE(p.outcome.ok, p.outcome.message);
  // Another backend 2 ulp away passes, 3 ulp away fails.
  std::vector<exec::Arg> other = p.emu_args;
  exec::Arg& out = other.back();
  REQUIRE(out.name == "out");
  auto nudge = [&](int ulp) {
    std::vector<exec::Arg> o = other;
    uint64_t w = (*p.oracle)[7];
    dt::set_element(o.back().bytes.data(), 32, 7, w + ulp);
    return conf::compare_backends(s, p, o);
  };
  CHECK_FALSE(nudge(2).has_value());
  CHECK(nudge(3).has_value());
  CHECK(conf::reproducer_case(s, "x").find("//! expect out ulp=2 = [") != std::string::npos);
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
