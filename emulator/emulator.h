// The emulator: bit-exact execution of tilevm programs on the CPU, block by block, with traps
// (docs/emulator.md). It is an exec::Executor, registered as the `emu` backend.
#pragma once

#include <atomic>
#include <functional>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>

#include "emulator/memory.h"
#include "exec/launch.h"
#include "layout/table.h"

namespace tilevm::emu {

class Block;

// Makes the emulator executor.
std::unique_ptr<exec::Executor> make_emulator();

// Called before every instruction of every block (the stepping debugger's entry point).
using InsnHook = std::function<void(Block&, const ir::Insn&)>;
// Runs a launch like the executor, calling `hook` before each instruction.
Expected<exec::RunResult> run_launch(const exec::Launch& launch, InsnHook hook = nullptr);

// Whether the emulator has a body for `op` (the coverage test walks the instruction table).
bool has_exec(ir::Op op);

// The state shared by all blocks of one launch.
class Grid {
 public:
  explicit Grid(const exec::Launch& launch);

  const exec::Launch& launch() const { return launch_; }
  InsnHook hook;  // may be empty
  const exec::LoadedProgram& program() const { return *launch_.program; }
  AddressSpace& memory() { return memory_; }
  // Address of the buffer of pointer parameter `name`.
  uint64_t pointer(const std::string& name) const;
  // The layout table of register tensor `id` (built once per launch).
  std::shared_ptr<const layout::LayoutTable> table(int id, const layout::RegisterLayout& l);
  // The workspace of an alloc.global instruction (allocated before the blocks run), or 0.
  uint64_t workspace(const ir::Insn* insn) const;

  // Atomics and semaphores: one lock for all global read-modify-writes.
  std::mutex& atomic_mutex() { return atomic_mutex_; }
  // Waits until `pred()` holds (called with the lock held, from a block's worker thread).
  // Returns false when this block is to report a deadlock: every running block waits, no wait
  // can succeed and no block can start; the lowest-numbered waiting block reports it
  // (docs/emulator.md, "Semaphore waits and deadlock detection").
  bool wait_semaphore(std::unique_lock<std::mutex>& lock, const std::function<bool()>& pred);
  void notify_semaphores() { cv_.notify_all(); }
  // Block scheduling: blocks are handed out in increasing linear order.
  void start(int workers, int64_t blocks);
  int64_t take_block();  // -1 when none is left
  void block_finished();
  // The trap for a clean=true workspace left non-zero, if any.
  std::optional<exec::Trap> check_clean() const;
  // After a trap: blocks waiting on a semaphore give up (AbortException).
  void abort_waits();

 private:
  void allocate_workspaces(const std::vector<ir::Stmt>& body);
  const exec::Launch& launch_;
  AddressSpace memory_;
  std::map<std::string, uint64_t> pointers_;
  std::mutex table_mutex_;
  std::map<int, std::shared_ptr<const layout::LayoutTable>> tables_;
  std::map<const ir::Insn*, uint64_t> workspaces_;
  std::mutex atomic_mutex_;
  std::condition_variable cv_;
  bool all_stuck() const;
  // Scheduling and semaphore state, guarded by atomic_mutex_.
  struct Waiter {
    const std::function<bool()>* pred;
    int64_t block;  // linear index
  };
  int running_ = 0, workers_ = 1;   // blocks taken and not finished; worker threads
  std::vector<Waiter> waiters_;     // blocks inside wait_semaphore
  bool aborting_ = false;           // a block trapped: waiters give up
  int64_t deadlock_block_ = -1;     // the block that reports a deadlock, once one is found
  int64_t next_block_ = 0, total_blocks_ = 0;
  std::vector<std::pair<const ir::Insn*, size_t>> clean_;  // clean workspaces: insn, buffer
};

}  // namespace tilevm::emu
