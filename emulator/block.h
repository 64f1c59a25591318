// The state of one executing block: scalars, register/shared/global tensors, shared memory with
// its checker, and the helpers instruction bodies are written with (docs/emulator.md).
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "emulator/checker.h"
#include "exec/launch.h"
#include "exec/scalar.h"
#include "layout/global_layout.h"
#include "layout/table.h"

namespace tilevm::emu {

class Grid;

// A register tensor: codes stored per thread in the slots its layout assigns.
// codes[thread * local + slot]; init (checked mode only) has the same indexing.
struct RegTensor {
  dt::DType dtype;
  std::vector<int> shape;
  layout::RegisterLayout layout;
  std::shared_ptr<const layout::LayoutTable> table;
  std::vector<uint64_t> codes;
  std::vector<uint8_t> init;  // empty unless checking initialisation

  int threads() const { return table->num_threads(); }
  int local() const { return table->local_size(); }
  uint64_t& at(int thread, int slot) { return codes[static_cast<size_t>(thread) * local() + slot]; }
};

// A shared tensor: `bytes` bytes of the block's shared memory from byte `offset`.
struct SharedTensor {
  dt::DType dtype;
  layout::SharedLayout layout;
  int64_t offset = 0;
  int64_t bytes = 0;
  bool freed = false;
};

// A global tensor: a view over the address space (element offsets from `base`, in elements).
struct GlobalTensor {
  dt::DType dtype;
  uint64_t base = 0;  // byte address of element 0
  layout::ConcreteGlobalLayout layout;
};

// Thrown by instruction bodies to stop the block with a trap.
struct TrapException {
  exec::Trap trap;
};
// Thrown out of a semaphore wait when another block trapped.
struct AbortException {};
// Thrown by the debugger's hook to end the run.
struct QuitException {};
// Thrown when the launch uses something this build cannot execute (becomes an Error).
struct UnsupportedException {
  std::string message;
};

class Block {
 public:
  Block(Grid& grid, std::array<int64_t, 3> index);

  // Runs the whole body; traps are thrown as TrapException.
  void run();

  // ---- helpers for instruction bodies
  Grid& grid() { return grid_; }
  const verify::Facts& facts() const;
  int num_threads() const { return num_threads_; }
  const std::array<int64_t, 3>& index() const { return index_; }
  bool check_init() const;
  const ir::Insn* current() const { return current_; }

  exec::Scalar eval(const ir::ExprPtr& e);
  int64_t eval_int(const ir::ExprPtr& e) { return eval(e).as_int(); }
  std::vector<int64_t> eval_ints(const ir::AttrValue* a);
  void set_scalar(const std::string& name, exec::Scalar v) { scalars_[name] = v; }

  // Tensors by the verifier's ids for the current instruction.
  const verify::InsnFacts& insn_facts(const ir::Insn& insn) const;
  RegTensor& reg(int id);
  // The latest defined tensor called `name` (without %), for the debugger; nullptr if none.
  const RegTensor* find_reg(const std::string& name) const;
  const SharedTensor* find_shared(const std::string& name) const;
  const std::unordered_map<std::string, exec::Scalar>& scalars() const { return scalars_; }
  SharedTensor& shared(int id);
  GlobalTensor& global(int id);
  // A fresh register tensor shaped like the instruction's result (or its out= target), all
  // codes 0 and initialised; set_reg installs it (after the body has read its operands).
  std::unique_ptr<RegTensor> new_reg(const ir::Insn& insn);
  void set_reg(const ir::Insn& insn, std::unique_ptr<RegTensor> r);
  SharedTensor& define_shared(const ir::Insn& insn);
  GlobalTensor& define_global(const ir::Insn& insn);

  [[noreturn]] void trap(exec::TrapKind kind, std::string message, int thread = -1,
                         std::optional<uint64_t> address = std::nullopt, std::string memory = "",
                         bool is_write = false);
  exec::TrapSite site(int thread, bool is_write = false) const;

  SharedMemory& smem() { return smem_; }
  GlobalLog& glog() { return glog_; }
  std::string& printed() { return printed_; }
  int64_t plan_shared(int64_t bytes);  // the planner: offset for a new shared tensor
  void free_shared(SharedTensor& t);
  void barrier();                      // sync: ends the epoch (checks, makes writes visible)
  bool exited = false;
  // Async copies in flight: each element's destination, value and issuing thread, with the
  // commit group it belongs to (async_group is the open group's number).
  struct PendingCopy {
    const SharedTensor* dst;
    int64_t elem;
    uint64_t code;
    int thread;
    int64_t group;
    const ir::Insn* insn;
  };
  std::vector<PendingCopy> async_copies;
  int64_t async_group = 0;
  const ir::SrcRange* semaphore_held = nullptr;  // set between semaphore.wait and signal
  uint64_t semaphore_address = 0;

 private:
  void run_body(const std::vector<ir::Stmt>& body);
  bool run_stmt(const ir::Stmt& s);  // false: break
  void run_insn(const ir::Insn& insn);

  Grid& grid_;
  std::array<int64_t, 3> index_;
  int num_threads_;
  std::unordered_map<std::string, exec::Scalar> scalars_;
  std::vector<std::unique_ptr<RegTensor>> regs_;
  std::vector<std::unique_ptr<SharedTensor>> shareds_;
  std::vector<std::unique_ptr<GlobalTensor>> globals_;
  SharedMemory smem_;
  GlobalLog glog_;
  std::vector<std::pair<int64_t, int64_t>> free_list_;  // freed [offset, end) ranges
  int64_t shared_top_ = 0;
  std::string printed_;
  const ir::Insn* current_ = nullptr;
  ir::SrcRange current_loc_;
  bool broke_ = false;
};

// Signature of an instruction body.
using ExecFn = void (*)(Block&, const ir::Insn&);
// The body for `op` (every row of the instruction table has one).
ExecFn exec_fn(ir::Op op);

}  // namespace tilevm::emu
