// Block indices, allocation, global views, loads and stores, async copies.
#include <numeric>

#include "dtype/pack.h"
#include "emulator/insns/exec.h"
#include "emulator/insns/walk.h"
#include "exec/arith.h"

namespace tilevm::emu {
namespace {

std::vector<int> to_int(const std::vector<int64_t>& v) { return std::vector<int>(v.begin(), v.end()); }

// Access record of the current instruction for the global race log.
struct GlobalSet {
  Block& b;
  GlobalSet(Block& blk, bool write, bool atomic = false) : b(blk) {
    b.glog().begin_set(Access{b.current(), -1, write, atomic}, b.semaphore_address);
  }
  ~GlobalSet() { b.glog().end_set(); }
};

}  // namespace

void exec_BlockIndex(Block& b, const ir::Insn& insn) {
  const std::string& dim = insn.attr("dim")->word;
  int d = dim == "x" ? 0 : dim == "y" ? 1 : 2;
  b.set_scalar(insn.result, exec::Scalar::of(dt::kI32, static_cast<uint64_t>(b.index()[d])));
}

void exec_AllocRegister(Block& b, const ir::Insn& insn) {
  auto out = b.new_reg(insn);
  if (const ir::AttrValue* init = insn.attr("init")) {
    uint64_t code = exec::convert_scalar(b.eval(init->expr), out->dtype).code;
    std::fill(out->codes.begin(), out->codes.end(), code);
  } else {
    std::fill(out->init.begin(), out->init.end(), 0);
  }
  b.set_reg(insn, std::move(out));
}

void exec_AllocShared(Block& b, const ir::Insn& insn) {
  const verify::TensorFacts& f = b.facts().tensors[b.insn_facts(insn).result];
  SharedTensor& s = b.define_shared(insn);
  s.dtype = f.dtype;
  s.layout = f.shared_layout ? *f.shared_layout : layout::shared_row_major(std::vector<int>(f.shape.begin(), f.shape.end()));
  s.bytes = s.layout.storage_bytes(s.dtype.bits);
  s.offset = b.plan_shared(s.bytes);
  b.smem().mark_uninitialised(s.offset, static_cast<int>(s.bytes));
}

void exec_AllocGlobal(Block& b, const ir::Insn& insn) {
  GlobalTensor& g = b.define_global(insn);
  g.dtype = *insn.attr("dtype")->dtype;
  g.base = b.grid().workspace(&insn);
  g.layout = layout::ConcreteGlobalLayout{b.eval_ints(insn.attr("shape")), {}};
  g.layout.strides.assign(g.layout.shape.size(), 1);
  for (size_t d = g.layout.shape.size(); d-- > 1;) g.layout.strides[d - 1] = g.layout.strides[d] * g.layout.shape[d];
}

void exec_FreeShared(Block& b, const ir::Insn& insn) { b.free_shared(b.shared(b.insn_facts(insn).operands[0])); }

void exec_ViewGlobal(Block& b, const ir::Insn& insn) {
  GlobalTensor& g = b.define_global(insn);
  const ir::Param* param = nullptr;
  for (const ir::Param& p : b.grid().program().program.params)
    if (insn.operands[0].scalar && insn.operands[0].scalar->kind == ir::ExprKind::Var && p.name == insn.operands[0].scalar->name) param = &p;
  TILEVM_CHECK(param && param->type.pointer);
  g.dtype = param->type.dtype;
  g.base = b.grid().pointer(param->name);
  g.layout.shape = b.eval_ints(insn.attr("shape"));
  g.layout.strides = b.eval_ints(insn.attr("strides"));
  if (g.layout.strides.empty()) {
    g.layout.strides.assign(g.layout.shape.size(), 1);
    for (size_t d = g.layout.shape.size(); d-- > 1;) g.layout.strides[d - 1] = g.layout.strides[d] * g.layout.shape[d];
  }
}

// t[i] = src[offset + i along dims]; outside src's shape: zero. Every holder of an element
// receives it; the lowest holder is the one recorded as reading.
void exec_LoadGlobal(Block& b, const ir::Insn& insn) {
  const GlobalTensor& g = b.global(b.insn_facts(insn).operands[0]);
  auto out = b.new_reg(insn);
  Tile tile = make_tile(b, insn, g.layout.shape.size(), out->shape.size());
  GlobalSet set(b, false);
  TileWalk walk(out->shape, g.layout.shape, g.layout.strides, tile);
  BufferView buf(b, g.base);
  const int nb = g.dtype.bits % 8 == 0 ? g.dtype.bits / 8 : 0;
  for (int e = 0; e < out->table->num_elements(); ++e, walk.next()) {
    auto holders = out->table->threads_of(e);
    uint64_t v = 0;
    if (walk.inside() && !(nb && fast_read(b, buf, g.base + walk.offset() * nb, nb, holders[0], &v)))
      v = global_read(b, g.base, walk.offset(), g.dtype, holders[0]);
    const int slot = out->table->slot_of(e);
    for (int th : holders) out->at(th, slot) = v;
  }
  b.set_reg(insn, std::move(out));
}

// dst[offset + i along dims] = value[i]; outside dst's shape: dropped. The lowest holder of a
// replicated element stores it.
void exec_StoreGlobal(Block& b, const ir::Insn& insn) {
  const RegTensor& v = reg_operand(b, insn, 0);
  const GlobalTensor& g = b.global(b.insn_facts(insn).operands[1]);
  Tile tile = make_tile(b, insn, g.layout.shape.size(), v.shape.size());
  GlobalSet set(b, true);
  TileWalk walk(v.shape, g.layout.shape, g.layout.strides, tile);
  BufferView buf(b, g.base);
  const int nb = g.dtype.bits % 8 == 0 ? g.dtype.bits / 8 : 0;
  for (int e = 0; e < v.table->num_elements(); ++e, walk.next()) {
    if (!walk.inside()) continue;
    const int th = v.table->first_thread(e), slot = v.table->slot_of(e);
    const size_t pos = static_cast<size_t>(th) * v.local() + slot;
    if (!v.init.empty() && !v.init[pos])
      b.trap(exec::TrapKind::Uninitialised, "store of an uninitialised register element", th, std::nullopt, "register");
    if (!(nb && fast_write(b, buf, g.base + walk.offset() * nb, nb, th, v.codes[pos])))
      global_write(b, g.base, walk.offset(), g.dtype, th, v.codes[pos]);
  }
}

namespace {

// The element offset in `s` of tile element `idx`, trapping out-of-range indices.
int64_t shared_offset(Block& b, const SharedTensor& s, const Tile& tile, const std::vector<int64_t>& idx,
                      std::vector<int64_t>& mem, int thread, bool write) {
  tile.memory_index(idx, mem);
  for (size_t d = 0; d < mem.size(); ++d)
    if (mem[d] < 0 || mem[d] >= s.layout.shape[d])
      b.trap(exec::TrapKind::OutOfBounds, "shared tile element outside the tensor", thread, std::nullopt, "shared", write);
  return s.layout.element_offset(to_int(mem));
}

}  // namespace

void exec_LoadShared(Block& b, const ir::Insn& insn) {
  const SharedTensor& s = b.shared(b.insn_facts(insn).operands[0]);
  auto out = b.new_reg(insn);
  Tile tile = make_tile(b, insn, s.layout.shape.size(), out->shape.size());
  std::vector<int64_t> idx, mem;
  for (int e = 0; e < out->table->num_elements(); ++e) {
    unravel(e, out->shape, idx);
    auto holders = out->table->threads_of(e);
    const int slot = out->table->slot_of(e);
    int64_t off = shared_offset(b, s, tile, idx, mem, holders[0], false);
    for (int th : holders) out->at(th, slot) = shared_read(b, s, off, th);
  }
  b.set_reg(insn, std::move(out));
}

void exec_StoreShared(Block& b, const ir::Insn& insn) {
  const RegTensor& v = reg_operand(b, insn, 0);
  const SharedTensor& s = b.shared(b.insn_facts(insn).operands[1]);
  Tile tile = make_tile(b, insn, s.layout.shape.size(), v.shape.size());
  std::vector<int64_t> idx, mem;
  for (int e = 0; e < v.table->num_elements(); ++e) {
    unravel(e, v.shape, idx);
    const int th = v.table->first_thread(e), slot = v.table->slot_of(e);
    const size_t pos = static_cast<size_t>(th) * v.local() + slot;
    if (!v.init.empty() && !v.init[pos])
      b.trap(exec::TrapKind::Uninitialised, "store of an uninitialised register element", th, std::nullopt, "register");
    shared_write(b, s, shared_offset(b, s, tile, idx, mem, th, true), th, v.codes[pos]);
  }
}

// copy_async: elements are copied in units of whole bytes holding whole elements (a byte, or
// for 3/5/6/7-bit elements, which straddle bytes, lcm(bits, 8) bits: 8 elements); the unit
// whose first byte is byte k of dst is copied by thread k % threads, so elements sharing a byte
// always share a thread. Their bytes are in flight (any access traps) until a copy_async.wait
// retires their group.
void exec_CopyAsync(Block& b, const ir::Insn& insn) {
  const auto& ops = b.insn_facts(insn).operands;
  const SharedTensor& s = b.shared(ops[0]);
  const GlobalTensor& g = b.global(ops[1]);
  std::vector<int> shape = s.layout.shape;
  Tile tile = make_tile(b, insn, g.layout.shape.size(), shape.size());
  GlobalSet set(b, false);
  std::vector<int64_t> idx, mem;
  const int64_t n = s.layout.num_elements();
  const uint64_t bits = static_cast<uint64_t>(s.dtype.bits);
  const uint64_t unit_bits = 8 % bits == 0 || bits % 8 == 0 ? 8 : std::lcm(bits, uint64_t{8});
  for (int64_t e = 0; e < n; ++e) {
    unravel(e, shape, idx);
    tile.memory_index(idx, mem);
    int64_t off = s.layout.element_offset(std::vector<int>(idx.begin(), idx.end()));
    uint64_t bit = static_cast<uint64_t>(off) * s.dtype.bits;
    const int th = static_cast<int>(bit / unit_bits * (unit_bits / 8) % static_cast<uint64_t>(b.num_threads()));
    uint64_t v = g.layout.in_bounds(mem) ? global_read(b, g.base, g.layout.element_offset(mem), g.dtype, th) : 0;
    int64_t first = s.offset + static_cast<int64_t>(bit / 8);
    int nb = static_cast<int>((bit % 8 + s.dtype.bits + 7) / 8);
    if (auto c = b.smem().start_async(first, nb, Access{&insn, th, true, false})) {
      exec::Trap t;
      t.kind = exec::TrapKind::Race;
      t.message = "copy_async into shared memory that another access uses in the same epoch";
      t.site = b.site(th, true);
      t.address = static_cast<uint64_t>(first);
      t.memory = "shared";
      exec::TrapSite o = b.site(c->thread, c->write);
      o.loc = c->insn ? c->insn->loc : ir::SrcRange{};
      t.other = o;
      throw TrapException{t};
    }
    b.async_copies.push_back(Block::PendingCopy{&s, off, v, th, b.async_group, &insn});
  }
}

void exec_CopyAsyncCommit(Block& b, const ir::Insn&) { ++b.async_group; }

// Retires every committed group but the newest n: the data lands and counts as written by
// the copying thread in this epoch.
void exec_CopyAsyncWait(Block& b, const ir::Insn& insn) {
  const int64_t keep = insn.attr("n")->int_value;
  std::vector<Block::PendingCopy> still;
  for (const Block::PendingCopy& c : b.async_copies) {
    if (c.group >= b.async_group - keep) {
      still.push_back(c);
      continue;
    }
    uint64_t bit = static_cast<uint64_t>(c.elem) * c.dst->dtype.bits;
    int64_t first = c.dst->offset + static_cast<int64_t>(bit / 8);
    int nb = static_cast<int>((bit % 8 + c.dst->dtype.bits + 7) / 8);
    dt::set_element(b.smem().data() + c.dst->offset, c.dst->dtype.bits, static_cast<size_t>(c.elem), c.code);
    b.smem().finish_async(first, nb, Access{c.insn, c.thread, true, false});
  }
  b.async_copies = std::move(still);
}

}  // namespace tilevm::emu
