// Barriers, exit, print, atomics and the split-K semaphore.
#include <cinttypes>
#include <cstdio>

#include "dtype/convert.h"
#include "emulator/insns/exec.h"
#include "exec/arith.h"

namespace tilevm::emu {
namespace {

std::string format_code(uint64_t code, const dt::DType& t) {
  char buf[64];
  if (t.is_float()) std::snprintf(buf, sizeof buf, "%.9g", dt::decode(code, t));
  else if (t.kind == dt::Kind::Int) std::snprintf(buf, sizeof buf, "%" PRId64, exec::sign_extend(code, t.bits));
  else std::snprintf(buf, sizeof buf, "%" PRIu64, code & t.mask());
  return buf;
}

std::string block_name(const Block& b) {
  return "block (" + std::to_string(b.index()[0]) + "," + std::to_string(b.index()[1]) + "," + std::to_string(b.index()[2]) + ")";
}

exec::BinaryOp atomic_op(const std::string& w) {
  if (w == "add") return exec::BinaryOp::Add;
  if (w == "sub") return exec::BinaryOp::Sub;
  if (w == "min") return exec::BinaryOp::Min;
  return exec::BinaryOp::Max;
}

uint64_t apply_atomic(const std::string& w, const dt::DType& t, uint64_t old, uint64_t v) {
  if (w == "exch") return v;
  uint64_t r = 0;
  exec::binary_op(atomic_op(w), t, old, v, &r);
  return r;
}

}  // namespace

void exec_Sync(Block& b, const ir::Insn&) { b.barrier(); }

void exec_Exit(Block& b, const ir::Insn&) {
  b.barrier();
  b.exited = true;
}

// print: "block (x,y,z): msg v0 v1 ..." with a tensor's elements in logical (row-major) order.
void exec_Print(Block& b, const ir::Insn& insn) {
  std::string line = block_name(b) + ":";
  if (const ir::AttrValue* m = insn.attr("msg")) line += " " + m->word;
  int id = b.insn_facts(insn).operands[0];
  if (id < 0) {
    exec::Scalar v = b.eval(insn.operands[0].scalar);
    line += " " + format_code(v.code, v.type);
  } else {
    const verify::TensorFacts& f = b.facts().tensors[id];
    if (f.scope != verify::Scope::Register)
      throw UnsupportedException{"print of shared and global tensors is not supported by the emulator; load it first"};
    const RegTensor& t = b.reg(id);
    for (int e = 0; e < t.table->num_elements(); ++e)
      line += " " + format_code(t.codes[static_cast<size_t>(t.table->first_thread(e)) * t.local() + t.table->slot_of(e)], t.dtype);
  }
  b.printed() += line + "\n";
}

// Each element: dst[offset + i] = op(dst[offset + i], value[i]) under the launch's atomic lock,
// done by the lowest holder of the element; out-of-range elements are dropped.
void exec_AtomicGlobal(Block& b, const ir::Insn& insn) {
  const RegTensor& v = reg_operand(b, insn, 0);
  const GlobalTensor& g = b.global(b.insn_facts(insn).operands[1]);
  const std::string& w = insn.attr("op")->word;
  Tile tile = make_tile(b, insn, g.layout.shape.size(), v.shape.size());
  b.glog().begin_set(Access{&insn, -1, true, true}, b.semaphore_address);
  std::vector<int64_t> idx, mem;
  std::lock_guard<std::mutex> lock(b.grid().atomic_mutex());
  for (int e = 0; e < v.table->num_elements(); ++e) {
    unravel(e, v.shape, idx);
    tile.memory_index(idx, mem);
    if (!g.layout.in_bounds(mem)) continue;
    const int th = v.table->first_thread(e);
    const uint64_t val = v.codes[static_cast<size_t>(th) * v.local() + v.table->slot_of(e)];
    int64_t off = g.layout.element_offset(mem);
    uint64_t old = global_read(b, g.base, off, g.dtype, th);
    global_write(b, g.base, off, g.dtype, th, apply_atomic(w, g.dtype, old, val));
  }
  b.glog().end_set();
  b.grid().notify_semaphores();
}

void exec_AtomicShared(Block& b, const ir::Insn& insn) {
  const RegTensor& v = reg_operand(b, insn, 0);
  const SharedTensor& s = b.shared(b.insn_facts(insn).operands[1]);
  const std::string& w = insn.attr("op")->word;
  Tile tile = make_tile(b, insn, s.layout.shape.size(), v.shape.size());
  std::vector<int64_t> idx, mem;
  for (int e = 0; e < v.table->num_elements(); ++e) {
    unravel(e, v.shape, idx);
    tile.memory_index(idx, mem);
    for (size_t d = 0; d < mem.size(); ++d)
      if (mem[d] < 0 || mem[d] >= s.layout.shape[d])
        b.trap(exec::TrapKind::OutOfBounds, "shared atomic element outside the tensor", v.table->first_thread(e), std::nullopt, "shared", true);
    const int th = v.table->first_thread(e);
    int64_t off = s.layout.element_offset(std::vector<int>(mem.begin(), mem.end()));
    uint64_t old = shared_read(b, s, off, th, true);
    shared_write(b, s, off, th, apply_atomic(w, s.dtype, old, v.codes[static_cast<size_t>(th) * v.local() + v.table->slot_of(e)]), true);
  }
}

namespace {

uint64_t semaphore_address(Block& b, const ir::Insn& insn, const GlobalTensor** g) {
  *g = &b.global(b.insn_facts(insn).operands[0]);
  std::vector<int64_t> idx = b.eval_ints(insn.attr("offset"));
  if (!(*g)->layout.in_bounds(idx)) b.trap(exec::TrapKind::OutOfBounds, "semaphore outside its tensor", -1, std::nullopt, "global");
  uint64_t addr = (*g)->base + static_cast<uint64_t>((*g)->layout.element_offset(idx)) * 4;
  if (auto oob = b.grid().memory().check(addr, 4)) b.trap(exec::TrapKind::OutOfBounds, "semaphore outside every buffer", -1, addr, "global");
  return addr;
}

uint32_t load_u32(uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24; }

}  // namespace

// The block waits until the i32 at the semaphore equals value; global accesses until the
// matching signal are ordered by the semaphore (docs/emulator.md).
void exec_SemaphoreWait(Block& b, const ir::Insn& insn) {
  const GlobalTensor* g;
  uint64_t addr = semaphore_address(b, insn, &g);
  uint32_t want = static_cast<uint32_t>(b.eval_int(insn.attr("value")->expr));
  uint8_t* p = b.grid().memory().at(addr);
  std::unique_lock<std::mutex> lock(b.grid().atomic_mutex());
  if (!b.grid().wait_semaphore(lock, [&] { return load_u32(p) == want; }))
    b.trap(exec::TrapKind::Deadlock, "semaphore.wait can never be satisfied: every running block is waiting", -1, addr, "global");
  lock.unlock();
  b.barrier();
  b.semaphore_address = addr;
}

void exec_SemaphoreSignal(Block& b, const ir::Insn& insn) {
  const GlobalTensor* g;
  uint64_t addr = semaphore_address(b, insn, &g);
  uint32_t v = static_cast<uint32_t>(b.eval_int(insn.attr("value")->expr));
  b.barrier();
  uint8_t* p = b.grid().memory().at(addr);
  {
    std::lock_guard<std::mutex> lock(b.grid().atomic_mutex());
    for (int k = 0; k < 4; ++k) p[k] = static_cast<uint8_t>(v >> (8 * k));
  }
  b.semaphore_address = 0;
  b.grid().notify_semaphores();
}

}  // namespace tilevm::emu
