// Emulator results against independent values: hand-computed cases, host IEEE arithmetic,
// Eigen references for matmul with exactly representable partial sums.
#include <Eigen/Dense>
#include <bit>
#include <cmath>

#include "dtype/convert.h"
#include "run_helpers.h"

using namespace tilevm;
using namespace tilevm::testing;

namespace {


const char* kMatmulSimt = R"(program matmul_simt(m: i32, n: i32, k: i32, a: f16*, b: f16*, c: f32*) grid [cdiv(m, 64), cdiv(n, 64)] warps 4 {
  let bi = block_index(dim=x)
  let bj = block_index(dim=y)
  %ga = view.global(a, shape=[m, k])
  %gb = view.global(b, shape=[k, n])
  %gc = view.global(c, shape=[m, n])
  %acc = alloc.register(dtype=f32, shape=[64, 64], layout=local(4,8).spatial(16,8), init=0.0)
  for kk in range(cdiv(k, 8)) {
    %ta = load.global(%ga, offset=[bi * 64, kk * 8], shape=[64, 8])
    %tb = load.global(%gb, offset=[kk * 8, bj * 64], shape=[8, 64])
    dot.simt(%ta, %tb, %acc, out=%acc)
  }
  store.global(%acc, %gc, offset=[bi * 64, bj * 64])
}
)";

uint16_t f16(double v) { return static_cast<uint16_t>(dt::convert(std::bit_cast<uint64_t>(v), dt::kF64, dt::kF16)); }

}  // namespace

TEST_CASE("vector add equals host IEEE addition bit for bit, with the tail masked") {
  exec::Launch l = make(example_text("vector_add"), {"n=3000", "a=rand:f32:1", "b=rand:f32:2"});
  exec::RunResult r = run(l);
  REQUIRE_MESSAGE(!r.trap, trap_text(r, l));
  CHECK(r.blocks_run == 3);
  auto a = get_buffer<float>(r, "a"), b = get_buffer<float>(r, "b"), c = get_buffer<float>(r, "c");
  REQUIRE(c.size() == 3000);
  int mismatches = 0;
  for (size_t i = 0; i < c.size(); ++i) {
    float want = a[i] + b[i];
    uint32_t w = std::isnan(want) ? 0x7fffffffu : std::bit_cast<uint32_t>(want);
    mismatches += w != std::bit_cast<uint32_t>(c[i]);
  }
  CHECK(mismatches == 0);
}

TEST_CASE("dot.simt matmul equals an exact Eigen reference") {
  // Small integers: every product and partial sum is an exactly representable f32.
  const int M = 70, N = 96, K = 20;
  exec::Launch l = make(kMatmulSimt, {"m=70", "n=96", "k=20"});
  Eigen::MatrixXd A(M, K), B(K, N);
  std::vector<uint16_t> a(M * K), b(K * N);
  for (int i = 0; i < M; ++i)
    for (int k = 0; k < K; ++k) A(i, k) = (i * 7 + k * 3) % 11 - 5, a[i * K + k] = f16(A(i, k));
  for (int k = 0; k < K; ++k)
    for (int j = 0; j < N; ++j) B(k, j) = (k * 5 + j) % 9 - 4, b[k * N + j] = f16(B(k, j));
  set_buffer(l, "a", a);
  set_buffer(l, "b", b);
  exec::RunResult r = run(l);
  REQUIRE_MESSAGE(!r.trap, trap_text(r, l));
  Eigen::MatrixXd C = A * B;
  auto c = get_buffer<float>(r, "c");
  int bad = 0;
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) bad += c[i * N + j] != static_cast<float>(C(i, j));
  CHECK(bad == 0);
}

TEST_CASE("dot.simt is an fma chain in increasing k") {
  // c = 1 + 2^-24 * 1 ... : with a = [1, 2^-24, 2^-24], b = [1, 1, 1] and c = 0 the chain gives
  // ((0 + 1) + 2^-24) + 2^-24 = 1 (each step rounds to even), while summing the small terms
  // first would give 1 + 2^-23.
  const char* prog = R"(program d(a: f32*, b: f32*, c: f32*) grid [1] warps 1 {
  %ga = view.global(a, shape=[1, 3])
  %gb = view.global(b, shape=[3, 1])
  %gc = view.global(c, shape=[1, 1])
  %ta = load.global(%ga, offset=[0, 0], shape=[1, 3], layout=replicated(32).local(1, 3))
  %tb = load.global(%gb, offset=[0, 0], shape=[3, 1], layout=replicated(32).local(3, 1))
  %acc = alloc.register(dtype=f32, shape=[1, 1], layout=replicated(32).local(1, 1), init=0.0)
  dot.simt(%ta, %tb, %acc, out=%acc)
  store.global(%acc, %gc, offset=[0, 0])
}
)";
  exec::Launch l = make(prog, {});
  set_buffer<float>(l, "a", {1.0f, std::ldexp(1.0f, -24), std::ldexp(1.0f, -24)});
  set_buffer<float>(l, "b", {1.0f, 1.0f, 1.0f});
  exec::RunResult r = run(l);
  REQUIRE_MESSAGE(!r.trap, trap_text(r, l));
  CHECK(get_buffer<float>(r, "c")[0] == 1.0f);
}

TEST_CASE("one worker and many workers give identical bits") {
  exec::Launch l = make(kMatmulSimt, {"m=128", "n=192", "k=24", "a=rand:f16:5", "b=rand:f16:6"});
  l.workers = 1;
  exec::RunResult one = run(l);
  l.workers = 4;
  exec::RunResult four = run(l);
  REQUIRE(!one.trap);
  REQUIRE(!four.trap);
  CHECK(one.blocks_run == 6);
  CHECK(get_buffer<uint32_t>(one, "c") == get_buffer<uint32_t>(four, "c"));
}

TEST_CASE("reduce.sum folds slots, then lanes by butterfly, then warps") {
  // 64 threads (2 warps), one element each; values chosen so that the order shows:
  // x[t] = 2^24 for t = 0, 1 for every other t. Butterfly in warp 0 pairs lanes (0,1): 2^24 + 1
  // rounds to 2^24 (tie to even), and so on: the ones never join 2^24 one at a time except in
  // pairs summed first. Exact expectation computed by hand below.
  const char* prog = R"(program r(x: f32*, y: f32*) grid [1] warps 2 {
  %gx = view.global(x, shape=[64])
  %gy = view.global(y, shape=[1])
  %t = load.global(%gx, offset=[0], shape=[64], layout=spatial(64))
  %s = reduce.sum(%t, dims=[0], keepdims=true)
  store.global(%s, %gy, offset=[0])
}
)";
  exec::Launch l = make(prog, {});
  std::vector<float> x(64, 1.0f);
  x[0] = 16777216.0f;
  set_buffer(l, "x", x);
  exec::RunResult r = run(l);
  REQUIRE_MESSAGE(!r.trap, trap_text(r, l));
  // Warp 0 butterfly: mask 1: lane 0 = 2^24 + 1 -> 2^24; mask 2: 2^24 + 2 (lanes 2,3 hold 2);
  // mask 4: + 4; mask 8: + 8; mask 16: + 16 -> 2^24 + 30 (all exact above the first step).
  // Warp 1: 32. Total: 2^24 + 30 + 32 = 2^24 + 62.
  CHECK(get_buffer<float>(r, "y")[0] == 16777216.0f + 62.0f);
}

TEST_CASE("cast and view: u4 codes through a packed reinterpretation") {
  const char* prog = R"(program v(w: u8*, y: f16*) grid [1] warps 1 {
  %gw = view.global(w, shape=[32])
  %gy = view.global(y, shape=[64])
  %raw = load.global(%gw, offset=[0], shape=[32], layout=spatial(32))
  %q = view(%raw, dtype=u4, shape=[64], layout=spatial(32).local(2))
  %f = cast(%q, dtype=f16)
  store.global(%f, %gy, offset=[0])
}
)";
  exec::Launch l = make(prog, {});
  std::vector<uint8_t> w(32);
  for (int i = 0; i < 32; ++i) w[i] = static_cast<uint8_t>(i * 37);
  set_buffer(l, "w", w);
  exec::RunResult r = run(l);
  REQUIRE_MESSAGE(!r.trap, trap_text(r, l));
  auto y = get_buffer<uint16_t>(r, "y");
  for (int i = 0; i < 32; ++i) {
    CHECK(y[2 * i] == f16(w[i] & 15));      // the low nibble is slot 0
    CHECK(y[2 * i + 1] == f16(w[i] >> 4));  // the high nibble is slot 1
  }
}

TEST_CASE("copy_async lands at the wait and reads back through shared memory") {
  const char* prog = R"(program c(x: i32*, y: i32*) grid [1] warps 1 {
  %gx = view.global(x, shape=[40])
  %gy = view.global(y, shape=[32])
  %s = alloc.shared(dtype=i32, shape=[32])
  copy_async(%s, %gx, offset=[20])
  copy_async.commit()
  copy_async.wait(n=0)
  sync()
  %t = load.shared(%s, layout=spatial(32))
  store.global(%t, %gy, offset=[0])
}
)";
  exec::Launch l = make(prog, {});
  std::vector<int32_t> x(40);
  for (int i = 0; i < 40; ++i) x[i] = i * i;
  set_buffer(l, "x", x);
  exec::RunResult r = run(l);
  REQUIRE_MESSAGE(!r.trap, trap_text(r, l));
  auto y = get_buffer<int32_t>(r, "y");
  for (int i = 0; i < 32; ++i) CHECK(y[i] == (i + 20 < 40 ? (i + 20) * (i + 20) : 0));
}

TEST_CASE("split-K blocks ordered by a semaphore accumulate in block order") {
  const char* prog = R"(program s(x: f32*, y: f32*, sem: i32*) grid [4] warps 1 {
  let bi = block_index(dim=x)
  %gx = view.global(x, shape=[4, 32])
  %gy = view.global(y, shape=[32])
  %gs = view.global(sem, shape=[1])
  %t = load.global(%gx, offset=[bi, 0], shape=[32], layout=spatial(32))
  semaphore.wait(%gs, offset=[0], value=bi)
  %acc = load.global(%gy, offset=[0], shape=[32], layout=spatial(32))
  %sum = add(%acc, %t)
  store.global(%sum, %gy, offset=[0])
  semaphore.signal(%gs, offset=[0], value=bi + 1)
}
)";
  exec::Launch l = make(prog, {});
  std::vector<float> x(128);
  for (int i = 0; i < 128; ++i) x[i] = static_cast<float>(i % 7) + 0.25f * (i / 32);
  set_buffer(l, "x", x);
  set_buffer(l, "y", std::vector<float>(32, 0.0f));
  set_buffer(l, "sem", std::vector<int32_t>{0});
  for (int workers : {1, 3}) {
    l.workers = workers;
    exec::RunResult r = run(l);
    REQUIRE_MESSAGE(!r.trap, trap_text(r, l));
    auto y = get_buffer<float>(r, "y");
    for (int j = 0; j < 32; ++j) {
      float want = 0;
      for (int b = 0; b < 4; ++b) want += x[b * 32 + j];
      CHECK(y[j] == want);
    }
    CHECK(get_buffer<int32_t>(r, "sem")[0] == 4);
  }
}

TEST_CASE("every row of the instruction table has an emulator body") {
  for (const ir::InsnInfo& i : ir::all_insns()) CHECK_MESSAGE(emu::has_exec(i.op), i.mnemonic);
}
