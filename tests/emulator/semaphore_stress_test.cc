// Stress of the grid scheduler's semaphore waits and deadlock detection: many worker threads
// (more than cores, more than blocks), small and large grids, signal orders that follow, reverse
// and permute the block order, and deadlocks that must be reported every time (by the same
// block), never hang.
// TILEVM_STRESS_REPEAT=N multiplies the repetitions (the CTest run uses 1; see docs/emulator.md).
#include <array>
#include <cstdlib>
#include <numeric>

#include "emulator/run_helpers.h"

namespace tilevm {
namespace {

using testing::get_buffer;
using testing::make;
using testing::run;
using testing::set_buffer;
using testing::trap_text;

int repeat_factor() {
  const char* s = std::getenv("TILEVM_STRESS_REPEAT");
  return s && std::atoi(s) > 0 ? std::atoi(s) : 1;
}

// `tiles` independent chains of `splits` blocks each (grid [tiles, 1, splits], like split-K).
// Block (t, 0, s) has turn (s * stride + shift) mod splits: it waits until sem[t] == turn, adds
// its row of x into y[t] and signals turn + 1, except the block whose turn is `gap` signals
// turn + 2 (gap < 0: none does), so the chain skips a value and turn gap + 1 waits forever.
struct Chain {
  int tiles = 1, splits = 4, stride = 1, shift = 0, gap = -1;

  int turn(int s) const { return (s * stride + shift) % splits; }

  std::string text() const {
    const std::string ts = std::to_string(tiles), ss = std::to_string(splits);
    const std::string g = std::to_string(gap);
    return "program chain(x: f32*, y: f32*, sem: i32*) grid [" + ts + ", 1, " + ss + "] warps 1 {\n"
           "  let t = block_index(dim=x)\n"
           "  let s = block_index(dim=z)\n"
           "  let turn = (s * " + std::to_string(stride) + " + " + std::to_string(shift) + ") % " + ss + "\n"
           "  %gx = view.global(x, shape=[" + ts + " * " + ss + ", 32])\n"
           "  %gy = view.global(y, shape=[" + ts + ", 32])\n"
           "  %gs = view.global(sem, shape=[" + ts + "])\n"
           "  %v = load.global(%gx, offset=[t * " + ss + " + s, 0], shape=[32], layout=spatial(32))\n"
           "  semaphore.wait(%gs, offset=[t], value=turn)\n"
           "  %acc = load.global(%gy, offset=[t, 0], shape=[32], layout=spatial(32))\n"
           "  %sum = add(%acc, %v)\n"
           "  store.global(%sum, %gy, offset=[t, 0])\n"
           "  if turn == " + g + " {\n"
           "    semaphore.signal(%gs, offset=[t], value=turn + 2)\n"
           "  } else {\n"
           "    semaphore.signal(%gs, offset=[t], value=turn + 1)\n"
           "  }\n"
           "}\n";
  }
};

// x values whose f32 sum depends on the order of the additions (1e8 absorbs small terms unless
// they were added first), so a block that ran out of turn changes the bits of y.
std::vector<float> order_sensitive_x(int rows) {
  std::vector<float> x(static_cast<size_t>(rows) * 32);
  for (size_t i = 0; i < x.size(); ++i) {
    const int r = static_cast<int>(i / 32), j = static_cast<int>(i % 32);
    x[i] = (r + j) % 5 == 0 ? 1.0e8f : ((r + j) % 5 == 1 ? -1.0e8f : 1.0f + 0.25f * static_cast<float>((r * 7 + j) % 4));
  }
  return x;
}

// y[t] summed in turn order on the host (plain f32 adds, as the program's `add`).
std::vector<float> expected_y(const Chain& c, const std::vector<float>& x) {
  std::vector<int> by_turn(static_cast<size_t>(c.splits));
  for (int s = 0; s < c.splits; ++s) by_turn[static_cast<size_t>(c.turn(s))] = s;
  std::vector<float> y(static_cast<size_t>(c.tiles) * 32, 0.0f);
  for (int t = 0; t < c.tiles; ++t)
    for (int k = 0; k < c.splits; ++k)
      for (int j = 0; j < 32; ++j) y[t * 32 + j] += x[(static_cast<size_t>(t) * c.splits + by_turn[k]) * 32 + j];
  return y;
}

exec::Launch chain_launch(const Chain& c) {
  exec::Launch l = make(c.text(), {});
  set_buffer(l, "x", order_sensitive_x(c.tiles * c.splits));
  set_buffer(l, "y", std::vector<float>(static_cast<size_t>(c.tiles) * 32, 0.0f));
  set_buffer(l, "sem", std::vector<int32_t>(static_cast<size_t>(c.tiles), 0));
  return l;
}

// Runs the chain `reps` times with each worker count; every run must finish without a trap
// with y summed in turn order and every semaphore at `splits`.
void expect_completes(const Chain& c, std::initializer_list<int> workers, int reps) {
  exec::Launch l = chain_launch(c);
  const std::vector<float> want = expected_y(c, order_sensitive_x(c.tiles * c.splits));
  for (int w : workers)
    for (int r = 0; r < reps; ++r) {
      l.workers = w;
      exec::RunResult res = run(l);
      INFO("tiles " << c.tiles << " splits " << c.splits << " stride " << c.stride << " workers " << w << " rep " << r);
      REQUIRE_MESSAGE(!res.trap, trap_text(res, l));
      std::vector<float> y = get_buffer<float>(res, "y");
      REQUIRE(std::memcmp(y.data(), want.data(), want.size() * sizeof(float)) == 0);
      for (int32_t v : get_buffer<int32_t>(res, "sem")) REQUIRE(v == c.splits);
    }
}

// Runs the chain `reps` times with each worker count; every run must end in a deadlock trap
// reported by block `block` (the lowest-numbered waiting block, whatever the schedule).
void expect_deadlock(const Chain& c, std::initializer_list<int> workers, int reps, std::array<int64_t, 3> block) {
  exec::Launch l = chain_launch(c);
  for (int w : workers)
    for (int r = 0; r < reps; ++r) {
      l.workers = w;
      exec::RunResult res = run(l);
      INFO("tiles " << c.tiles << " splits " << c.splits << " gap " << c.gap << " workers " << w << " rep " << r);
      REQUIRE(res.trap);
      REQUIRE_MESSAGE(res.trap->kind == exec::TrapKind::Deadlock, trap_text(res, l));
      REQUIRE_MESSAGE(res.trap->site.block == block, trap_text(res, l));
    }
}

TEST_CASE("semaphore stress: chains in block order never deadlock, with any worker count") {
  const int k = repeat_factor();
  // The example's shape (2 x 2 tiles of 4 splits, flattened here to 4 tiles): one worker per
  // block, as on a 16-core machine, and twice that.
  expect_completes({4, 4, 1, 0, -1}, {16, 32, 1, 2, 3, 5}, 40 * k);
  expect_completes({1, 2, 1, 0, -1}, {2, 8}, 40 * k);
  expect_completes({2, 32, 1, 0, -1}, {2, 7, 32}, 4 * k);  // large grid: 64 blocks
}

TEST_CASE("semaphore stress: chains against block order complete when every block can run") {
  const int k = repeat_factor();
  // Turns reversed or permuted: blocks wait for higher-numbered blocks, which can only run if
  // there is a worker for every block (the scheduler must not call a deadlock while blocks are
  // still starting).
  expect_completes({1, 4, 3, 1, -1}, {4, 16}, 40 * k);   // turns 1 0 3 2
  expect_completes({2, 8, 7, 7, -1}, {16, 32}, 20 * k);  // turns 7 6 ... 0 (reversed)
  expect_completes({3, 5, 2, 3, -1}, {15, 32}, 20 * k);  // turns 3 0 2 4 1
}

TEST_CASE("semaphore stress: a broken chain is a deadlock every time, never a hang") {
  const int k = repeat_factor();
  // Turn gap + 1 waits for a value that is skipped (turn gap signals gap + 2).
  expect_deadlock({4, 4, 1, 0, 1}, {1, 2, 16, 32}, 20 * k, {0, 0, 2});
  expect_deadlock({2, 8, 3, 0, 5}, {16, 32}, 10 * k, {0, 0, 2});  // permuted order
  expect_deadlock({1, 6, 5, 5, 0}, {6, 32}, 20 * k, {0, 0, 4});   // reversed order
  // Fewer workers than blocks, with waits for blocks that no free worker can start: with 3
  // workers blocks 2, 3 and 4 end up waiting (for blocks 6 and 7 and for the skipped value).
  expect_deadlock({2, 8, 3, 0, 5}, {3}, 20 * k, {0, 0, 1});
  // Reversed order: the first blocks wait for later ones, which can never start.
  expect_deadlock({1, 6, 5, 5, -1}, {1, 2, 5}, 20 * k, {0, 0, 0});
}

}  // namespace
}  // namespace tilevm
