// Operand mapping, tiles and checked memory element access.
#include "emulator/insns/helpers.h"

#include "dtype/pack.h"

namespace tilevm::emu {

const RegTensor& reg_operand(Block& b, const ir::Insn& insn, size_t i) {
  return b.reg(b.insn_facts(insn).operands[i]);
}

dt::DType operand_dtype(Block& b, const ir::Insn& insn, size_t i, size_t first_value) {
  const auto& ops = b.insn_facts(insn).operands;
  if (ops[i] >= 0) return b.reg(ops[i]).dtype;
  for (size_t j = first_value; j < ops.size(); ++j)
    if (ops[j] >= 0) return b.reg(ops[j]).dtype;
  TILEVM_UNREACHABLE();
}

Src source(Block& b, const ir::Insn& insn, size_t i, const RegTensor& out, dt::DType scalar_type) {
  Src s;
  int id = b.insn_facts(insn).operands[i];
  if (id < 0) {
    exec::Scalar v = exec::convert_scalar(b.eval(insn.operands[i].scalar), scalar_type);
    s.scalar = v.code, s.dtype = scalar_type;
    return s;
  }
  const RegTensor& t = b.reg(id);
  s.tensor = &t, s.dtype = t.dtype;
  if (t.layout == out.layout) return s;
  // Broadcasting: the operand's logical index from the result's, then its slot in the thread.
  s.map.resize(out.codes.size());
  const size_t R = out.shape.size(), r = t.shape.size();
  std::vector<int64_t> idx;
  for_each_slot(out, [&](int th, int slot, size_t pos) {
    unravel(out.table->linear_index(th, slot), out.shape, idx);
    int64_t lin = 0;
    for (size_t d = 0; d < r; ++d) lin = lin * t.shape[d] + (t.shape[d] == 1 ? 0 : idx[d + R - r]);
    int ts = t.table->slot_of(static_cast<int>(lin));
    if (th >= t.threads() || t.table->linear_index(th, ts) != lin)
      b.trap(exec::TrapKind::Other, "operand %" + insn.operands[i].tensor + " does not hold the element thread " +
                                        std::to_string(th) + " needs (layouts do not match)", th);
    s.map[pos] = static_cast<int32_t>(static_cast<size_t>(th) * t.local() + ts);
  });
  return s;
}

void check_operands_init(Block& b, const std::vector<Src>& srcs, size_t pos, int thread) {
  for (const Src& s : srcs)
    if (!s.initialised(pos))
      b.trap(exec::TrapKind::Uninitialised, "read of an uninitialised element of a register tensor", thread, std::nullopt,
             "register");
}

Tile make_tile(Block& b, const ir::Insn& insn, size_t mem_rank, size_t tile_rank) {
  Tile t;
  t.offset = b.eval_ints(insn.attr("offset"));
  if (t.offset.empty()) t.offset.assign(mem_rank, 0);
  if (const ir::AttrValue* d = insn.attr("dims")) t.dims = d->ints;
  else
    for (size_t i = mem_rank - tile_rank; i < mem_rank; ++i) t.dims.push_back(static_cast<int64_t>(i));
  return t;
}

namespace {

// Checks that [first, first + n) lies in one buffer; traps out-of-bounds otherwise.
uint8_t* checked_global(Block& b, uint64_t first, uint32_t n, int thread, bool write) {
  if (auto oob = b.grid().memory().check(first, n))
    b.trap(exec::TrapKind::OutOfBounds,
           "global access outside every buffer (nearest: " + oob->nearest + ")", thread, first, "global", write);
  return b.grid().memory().at(first);
}

}  // namespace

uint64_t global_read(Block& b, uint64_t base, int64_t elem, const dt::DType& t, int thread) {
  uint64_t first;
  uint32_t n;
  element_bytes(base, elem, t.bits, &first, &n);
  uint8_t* p = checked_global(b, first, n, thread, false);
  b.glog().add(first, n, thread);
  uint64_t bit = static_cast<uint64_t>(elem) * t.bits % 8;
  if (bit == 0) return dt::get_element(p, t.bits, 0);
  uint64_t v = 0;  // a sub-byte element that does not start on a byte boundary
  for (int k = 0; k < t.bits; ++k) v |= dt::get_element(p, 1, bit + k) << k;
  return v;
}

void global_write(Block& b, uint64_t base, int64_t elem, const dt::DType& t, int thread, uint64_t code) {
  uint64_t first;
  uint32_t n;
  element_bytes(base, elem, t.bits, &first, &n);
  uint8_t* p = checked_global(b, first, n, thread, true);
  b.glog().add(first, n, thread);
  uint64_t bit = static_cast<uint64_t>(elem) * t.bits % 8;
  if (bit == 0) dt::set_element(p, t.bits, 0, code);
  else
    for (int k = 0; k < t.bits; ++k) dt::set_element(p, 1, bit + k, (code >> k) & 1);
}

namespace {

void shared_access(Block& b, const SharedTensor& s, int64_t elem, int thread, bool write, bool atomic,
                   int64_t* first, int* n) {
  uint64_t bit = static_cast<uint64_t>(elem) * s.dtype.bits;
  *first = s.offset + static_cast<int64_t>(bit / 8);
  *n = static_cast<int>((bit % 8 + s.dtype.bits + 7) / 8);
  if (elem < 0 || *first + *n > s.offset + s.bytes)
    b.trap(exec::TrapKind::OutOfBounds, "shared access outside the tensor", thread, *first, "shared", write);
  if (auto c = b.smem().access(*first, *n, Access{b.current(), thread, write, atomic})) {
    exec::Trap t;
    t.kind = exec::TrapKind::Race;
    bool in_flight = c->insn && c->insn->op == ir::Op::kCopyAsync;
    t.message = in_flight ? "access to shared memory that an async copy may still be writing (no copy_async.wait, or no sync after it)"
                          : "two threads access one shared byte in the same epoch, one of them writing, with no sync between";
    t.site = b.site(thread, write);
    t.address = static_cast<uint64_t>(*first);
    t.memory = "shared";
    exec::TrapSite o = b.site(c->thread, c->write);
    o.loc = c->insn ? c->insn->loc : ir::SrcRange{};
    t.other = o;
    throw TrapException{t};
  }
}

}  // namespace

uint64_t shared_read(Block& b, const SharedTensor& s, int64_t elem, int thread, bool atomic) {
  int64_t first;
  int n;
  shared_access(b, s, elem, thread, false, atomic, &first, &n);
  if (!b.smem().initialised(first, n))
    b.trap(exec::TrapKind::Uninitialised, "read of uninitialised shared memory", thread, first, "shared");
  return dt::get_element(b.smem().data() + s.offset, s.dtype.bits, static_cast<size_t>(elem));
}

void shared_write(Block& b, const SharedTensor& s, int64_t elem, int thread, uint64_t code, bool atomic) {
  int64_t first;
  int n;
  shared_access(b, s, elem, thread, true, atomic, &first, &n);
  dt::set_element(b.smem().data() + s.offset, s.dtype.bits, static_cast<size_t>(elem), code);
  b.smem().mark_initialised(first, n);
}

}  // namespace tilevm::emu
