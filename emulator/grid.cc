// Running a launch: buffers, worker threads taking blocks in increasing linear order, the
// cross-block race check, and the result.
#include <algorithm>
#include <chrono>
#include <thread>

#include "dtype/pack.h"
#include "emulator/block.h"
#include "emulator/emulator.h"

namespace tilevm::emu {

Grid::Grid(const exec::Launch& launch) : launch_(launch) {
  for (const exec::Arg& a : launch.args) {
    if (!a.is_pointer()) continue;
    size_t i = memory_.add(a.name, 0);
    memory_.buffer(i).bytes = a.bytes;
    memory_.reserve_after(i);
    pointers_[a.name] = memory_.buffer(i).base;
  }
  allocate_workspaces(launch_.program->program.body);
}

// Workspaces (alloc.global) are allocated once per launch, before any block runs, from shapes
// over the parameters; every block sees the same workspace.
void Grid::allocate_workspaces(const std::vector<ir::Stmt>& body) {
  for (const ir::Stmt& s : body) {
    allocate_workspaces(s.body);
    allocate_workspaces(s.else_body);
    if (s.kind != ir::StmtKind::Insn || s.insn.op != ir::Op::kAllocGlobal) continue;
    exec::ScalarLookup lookup = [&](const std::string& name) -> std::optional<exec::Scalar> {
      if (const exec::Arg* a = launch_.arg(name); a && !a->is_pointer()) return exec::Scalar::of(a->type.dtype, a->bits);
      return std::nullopt;
    };
    int64_t n = 1;
    for (const ir::ExprPtr& e : s.insn.attr("shape")->exprs) {
      exec::EvalError err;
      auto v = exec::eval_scalar(*e, lookup, &err);
      if (!v) throw UnsupportedException{"alloc.global: the workspace shape must depend on parameters only: " + err.message};
      n *= std::max<int64_t>(0, v->as_int());
    }
    const dt::DType t = *s.insn.attr("dtype")->dtype;
    size_t i = memory_.add("workspace %" + s.insn.result, dt::packed_bytes(t.bits, n));
    workspaces_[&s.insn] = memory_.buffer(i).base;
    if (const ir::AttrValue* c = s.insn.attr("clean"); c && c->bool_value) clean_.push_back({&s.insn, i});
  }
}

uint64_t Grid::pointer(const std::string& name) const {
  auto it = pointers_.find(name);
  TILEVM_CHECK(it != pointers_.end());
  return it->second;
}

std::shared_ptr<const layout::LayoutTable> Grid::table(int id, const layout::RegisterLayout& l) {
  std::lock_guard<std::mutex> lock(table_mutex_);
  auto& t = tables_[id];
  if (!t || !(t->num_threads() == l.num_threads() && t->local_size() == l.local_size())) t = std::make_shared<layout::LayoutTable>(l);
  return t;
}

uint64_t Grid::workspace(const ir::Insn* insn) const {
  auto it = workspaces_.find(insn);
  return it == workspaces_.end() ? 0 : it->second;
}

void Grid::start(int workers, int64_t blocks) {
  workers_ = workers, total_blocks_ = blocks, next_block_ = 0;
}

int64_t Grid::take_block() {
  std::lock_guard<std::mutex> lock(atomic_mutex_);
  if (next_block_ >= total_blocks_) return -1;
  ++running_;
  return next_block_++;
}

// clean=true workspaces must be zero again when the launch ends (so the next launch can rely
// on it without clearing them).
std::optional<exec::Trap> Grid::check_clean() const {
  for (const auto& [insn, index] : clean_) {
    const Buffer& b = memory_.buffer(index);
    for (size_t k = 0; k < b.bytes.size(); ++k) {
      if (!b.bytes[k]) continue;
      exec::Trap t;
      t.kind = exec::TrapKind::DirtyWorkspace;
      t.message = "the clean workspace %" + insn->result + " is not zero at the end of the launch";
      t.site.loc = insn->loc;
      t.address = b.base + k;
      t.memory = "global";
      return t;
    }
  }
  return std::nullopt;
}

void Grid::abort_waits() {
  std::lock_guard<std::mutex> lock(atomic_mutex_);
  aborting_ = true;
  cv_.notify_all();
}

void Grid::block_finished() {
  std::lock_guard<std::mutex> lock(atomic_mutex_);
  --running_;
  cv_.notify_all();
}

namespace {
// The linear index of the block the calling worker thread runs (set by run_one).
thread_local int64_t t_current_block = -1;
}  // namespace

// True when no waiting block can ever proceed (called with the lock held): every running block
// waits, none of the waits can succeed now (a waiter that was signalled but has not woken up yet
// would still make progress), and no further block can start.
bool Grid::all_stuck() const {
  if (static_cast<int>(waiters_.size()) != running_) return false;
  if (running_ != workers_ && next_block_ < total_blocks_) return false;
  for (const Waiter& w : waiters_)
    if ((*w.pred)()) return false;
  return true;
}

bool Grid::wait_semaphore(std::unique_lock<std::mutex>& lock, const std::function<bool()>& pred) {
  const int64_t me = t_current_block;
  TILEVM_CHECK(me >= 0);  // only blocks run by run_one wait
  waiters_.push_back({&pred, me});
  auto leave = [&] {
    waiters_.erase(std::find_if(waiters_.begin(), waiters_.end(), [&](const Waiter& w) { return w.pred == &pred; }));
  };
  while (!pred()) {
    if (aborting_) {
      leave();
      throw AbortException{};
    }
    // On a deadlock the lowest-numbered waiting block reports it (whichever thread noticed), so
    // the trap does not depend on the schedule; the others give up when it traps.
    if (deadlock_block_ < 0 && all_stuck()) {
      deadlock_block_ = me;
      for (const Waiter& w : waiters_) deadlock_block_ = std::min(deadlock_block_, w.block);
      cv_.notify_all();
    }
    if (deadlock_block_ == me) {
      leave();
      return false;
    }
    cv_.wait(lock);
  }
  leave();
  return true;
}

namespace {

struct Outcome {
  std::optional<exec::Trap> trap;
  std::optional<std::string> unsupported;
  std::string printed;
  std::vector<GlobalRun> runs;
  bool ran = false;
};

std::array<int64_t, 3> block_index(const std::array<int64_t, 3>& grid, int64_t linear) {
  return {linear % grid[0], (linear / grid[0]) % grid[1], linear / (grid[0] * grid[1])};
}

void run_one(Grid& grid, int64_t linear, Outcome& out) {
  t_current_block = linear;
  Block block(grid, block_index(grid.launch().grid, linear));
  try {
    block.run();
  } catch (const TrapException& t) {
    out.trap = t.trap;
  } catch (const UnsupportedException& u) {
    out.unsupported = u.message;
  } catch (const AbortException&) {
    // another block trapped while this one waited: nothing to report for this block
  } catch (const QuitException&) {
    out.unsupported = "stopped by the debugger";
  }
  out.printed = std::move(block.printed());
  out.runs = std::move(block.glog().runs());
  for (GlobalRun& r : out.runs) r.block = linear;
  out.ran = true;
}

// The trap for the first race between blocks.
exec::Trap block_race_trap(const BlockRace& r, const exec::Launch& launch) {
  auto site = [&](const GlobalRun& g) {
    exec::TrapSite s;
    s.loc = g.access.insn ? g.access.insn->loc : ir::SrcRange{};
    s.block = block_index(launch.grid, g.block);
    s.thread = g.access.thread;
    s.is_write = g.access.write;
    return s;
  };
  exec::Trap t;
  t.kind = exec::TrapKind::Race;
  t.message = "two blocks access one global byte, one of them writing, with nothing ordering them";
  t.site = site(r.second);
  t.other = site(r.first);
  t.address = r.address;
  t.memory = "global";
  return t;
}

class Emulator : public exec::Executor {
 public:
  Expected<exec::RunResult> run(const exec::Launch& launch) override { return run_launch(launch); }
};

}  // namespace

Expected<exec::RunResult> run_launch(const exec::Launch& launch, InsnHook hook) {
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Grid> grid_ptr;
  try {
    grid_ptr = std::make_unique<Grid>(launch);
  } catch (const UnsupportedException& u) {
    return fail(u.message);
  }
  Grid& grid = *grid_ptr;
  grid.hook = std::move(hook);
  const int64_t n = launch.num_blocks();
  int workers = launch.workers > 0 ? launch.workers : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  workers = static_cast<int>(std::min<int64_t>(workers, std::max<int64_t>(n, 1)));
  std::vector<Outcome> outcomes(static_cast<size_t>(n));
  std::atomic<bool> stop{false};
  grid.start(workers, n);
  auto worker = [&]() {
    while (!stop) {
      int64_t b = grid.take_block();
      if (b < 0) return;
      run_one(grid, b, outcomes[b]);
      if (outcomes[b].trap || outcomes[b].unsupported) stop = true, grid.abort_waits();
      grid.block_finished();
    }
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < workers; ++i) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();

  exec::RunResult result;
  std::vector<GlobalRun> runs;
  for (int64_t b = 0; b < n; ++b) {
    Outcome& o = outcomes[b];
    if (!o.ran) continue;
    ++result.blocks_run;
    result.printed += o.printed;
    if (o.unsupported) return fail(*o.unsupported);
    if (o.trap && !result.trap) result.trap = o.trap;
    runs.insert(runs.end(), o.runs.begin(), o.runs.end());
  }
  if (!result.trap)
    if (auto race = find_block_race(runs)) result.trap = block_race_trap(*race, launch);
  if (!result.trap && result.blocks_run == n) result.trap = grid.check_clean();
  for (const exec::Arg& in : launch.args) {
    exec::Arg a;
    a.name = in.name, a.type = in.type, a.bits = in.bits, a.shape = in.shape;
    if (a.is_pointer() && !in.bytes.empty()) {
      const Buffer* buf = grid.memory().find(grid.pointer(a.name));
      a.bytes = std::move(const_cast<Buffer*>(buf)->bytes);
    }
    result.args.push_back(std::move(a));
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::unique_ptr<exec::Executor> make_emulator() { return std::make_unique<Emulator>(); }

}  // namespace tilevm::emu
