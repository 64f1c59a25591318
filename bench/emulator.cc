// Emulator throughput: vector add of 2^24 f32 and the weight-only quantised matmul (u4 weights,
// f16 activations, group 128) at M=1, K=N=4096. Run from a Release build:
//   build/bench/bench_emulator --benchmark_min_time=0.01
#include <benchmark/benchmark.h>

#include "emulator/emulator.h"
#include "exec/launch.h"

using namespace tilevm;

namespace {

const char* kVectorAdd = R"(program vector_add(n: i32, a: f32*, b: f32*, c: f32*) grid [cdiv(n, 1024)] warps 4 {
  let bi = block_index(dim=x)
  %ga = view.global(a, shape=[n])
  %gb = view.global(b, shape=[n])
  %gc = view.global(c, shape=[n])
  %ta = load.global(%ga, offset=[bi * 1024], shape=[1024], layout=local(8).spatial(128))
  %tb = load.global(%gb, offset=[bi * 1024], shape=[1024])
  %tc = add(%ta, %tb)
  store.global(%tc, %gc, offset=[bi * 1024])
}
)";

const char* kMatmulW4A16 = R"(program matmul_w4a16(m: i32, n: i32, k: i32, act: f16*, w: u8*, scales: f16*, y: f16*) grid [cdiv(m, 16), n / 64] warps 4 {
  let bi = block_index(dim=x)
  let bj = block_index(dim=y)
  %ga = view.global(act, shape=[m, k])
  %gw = view.global(w, shape=[k / 16, n / 64, 512])
  %gs = view.global(scales, shape=[k / 128, n])
  %gy = view.global(y, shape=[m, n])
  %acc = alloc.register(dtype=f32, shape=[16, 64], init=0.0)
  for kk in range(k / 16) {
    %ta = load.global(%ga, offset=[bi * 16, kk * 16], shape=[16, 16])
    %raw = load.global(%gw, offset=[kk, bj, 0], shape=[512], dims=[2], layout=spatial(128).local(4))
    %wq = view(%raw, dtype=u4, layout=spatial(1,4).column_local(2,2).column_spatial(4,8).local(2,1))
    %wf = cast(%wq, dtype=f16)
    %sc = load.global(%gs, offset=[kk / 8, bj * 64], shape=[1, 64])
    %wd = mul(%wf, %sc)
    dot.mma(%ta, %wd, %acc, out=%acc)
  }
  %out = cast(%acc, dtype=f16)
  store.global(%out, %gy, offset=[bi * 16, bj * 64])
}
)";

exec::Launch make(const char* text, const std::vector<std::string>& args) {
  auto p = exec::load_program_text("bench.tile", text);
  if (!p) std::abort();
  std::vector<exec::ArgSpec> specs;
  for (const std::string& a : args) specs.push_back(*exec::parse_arg_spec(a));
  auto l = exec::make_launch(*p, specs);
  if (!l) std::abort();
  return std::move(*l);
}

void run(benchmark::State& state, const exec::Launch& l, int64_t items) {
  auto e = emu::make_emulator();
  for (auto _ : state) {
    auto r = e->run(l);
    if (!r || r->trap) state.SkipWithError("the run failed or trapped");
  }
  state.SetItemsProcessed(state.iterations() * items);
}

void BM_VectorAdd(benchmark::State& state) {
  const int64_t n = int64_t{1} << 24;
  exec::Launch l = make(kVectorAdd, {"n=" + std::to_string(n), "a=rand:f32:1", "b=rand:f32:2"});
  l.workers = static_cast<int>(state.range(0));
  run(state, l, n);
}
BENCHMARK(BM_VectorAdd)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MatmulW4A16(benchmark::State& state) {
  exec::Launch l = make(kMatmulW4A16, {"m=1", "n=4096", "k=4096", "act=rand:f16:1", "w=rand:u8:2", "scales=rand:f16:3"});
  l.workers = static_cast<int>(state.range(0));
  run(state, l, int64_t{4096} * 4096);
}
BENCHMARK(BM_MatmulW4A16)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
