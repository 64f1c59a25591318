// Cost of register-layout index mapping: computed from the four lists versus LayoutTable loads.
// Every benchmark walks every (thread, slot) or every element once per iteration and reports
// items per second, so 1e9 / items_per_second is the cost of one lookup in ns.
#include <benchmark/benchmark.h>

#include "layout/register_layout.h"
#include "layout/table.h"

using namespace tilevm::layout;

namespace {

// The a16wx kernel's accumulator: 64x64 over 4 warps, 32 slots per thread.
RegisterLayout accumulator() { return spatial({2, 2}).local({2, 4}).local({2, 1}).spatial({8, 4}).local({1, 2}); }
// Its A operand, replicated over 2 warps.
RegisterLayout operand_a() {
  auto sp = RegisterLayout::make({2, 1, 2}, {2, 2}, {0, 1}, {});
  return reduce(*sp, {2})->local({2, 2}).column_local({2, 2}).spatial({8, 4}).local({1, 2});
}

void BM_ComputedIndexOf(benchmark::State& state) {
  auto l = accumulator();
  for (auto _ : state)
    for (int t = 0; t < l.num_threads(); ++t)
      for (int s = 0; s < l.local_size(); ++s) benchmark::DoNotOptimize(l.linear_index_of(t, s));
  state.SetItemsProcessed(state.iterations() * l.num_threads() * l.local_size());
}

void BM_ComputedOwnersOf(benchmark::State& state) {
  auto l = operand_a();
  std::vector<int> idx(2);
  for (auto _ : state)
    for (idx[0] = 0; idx[0] < l.shape[0]; ++idx[0])
      for (idx[1] = 0; idx[1] < l.shape[1]; ++idx[1]) {
        benchmark::DoNotOptimize(l.slot_of(idx));
        benchmark::DoNotOptimize(l.threads_of(idx));
      }
  state.SetItemsProcessed(state.iterations() * l.num_elements());
}

void BM_TableIndex(benchmark::State& state) {
  auto l = accumulator();
  LayoutTable tab(l);
  for (auto _ : state)
    for (int t = 0; t < tab.num_threads(); ++t)
      for (int s = 0; s < tab.local_size(); ++s) benchmark::DoNotOptimize(tab.linear_index(t, s));
  state.SetItemsProcessed(state.iterations() * tab.num_threads() * tab.local_size());
}

void BM_TableOwners(benchmark::State& state) {
  LayoutTable tab(operand_a());
  for (auto _ : state)
    for (int i = 0; i < tab.num_elements(); ++i) {
      benchmark::DoNotOptimize(tab.slot_of(i));
      benchmark::DoNotOptimize(tab.first_thread(i));
      benchmark::DoNotOptimize(tab.threads_of(i).data());
    }
  state.SetItemsProcessed(state.iterations() * tab.num_elements());
}

void BM_TableBuild(benchmark::State& state) {
  auto l = accumulator();
  for (auto _ : state) benchmark::DoNotOptimize(LayoutTable(l));
  state.SetItemsProcessed(state.iterations() * l.num_threads() * l.local_size());
}

}  // namespace

BENCHMARK(BM_ComputedIndexOf);
BENCHMARK(BM_ComputedOwnersOf);
BENCHMARK(BM_TableIndex);
BENCHMARK(BM_TableOwners);
BENCHMARK(BM_TableBuild);
BENCHMARK_MAIN();
