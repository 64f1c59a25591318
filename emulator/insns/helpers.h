// The small vocabulary instruction bodies are written with: operands with broadcasting,
// per-thread iteration, memory element access with checks.
#pragma once

#include <vector>

#include "emulator/block.h"
#include "emulator/emulator.h"

namespace tilevm::emu {

// An elementwise operand seen from the result's (thread, slot) positions: a register tensor
// (through the broadcasting map) or a scalar converted to the operand type.
struct Src {
  const RegTensor* tensor = nullptr;
  std::vector<int32_t> map;  // result position -> tensor position; empty: the same position
  uint64_t scalar = 0;
  dt::DType dtype;

  uint64_t get(size_t pos) const {
    if (!tensor) return scalar;
    return tensor->codes[map.empty() ? pos : static_cast<size_t>(map[pos])];
  }
  bool initialised(size_t pos) const {
    return !tensor || tensor->init.empty() || tensor->init[map.empty() ? pos : static_cast<size_t>(map[pos])];
  }
};

// The dtype of operand `i` (its tensor's dtype; for a scalar, the first tensor operand's).
dt::DType operand_dtype(Block& b, const ir::Insn& insn, size_t i, size_t first_value);
// Operand `i` of `insn` mapped onto `out`'s positions (NumPy broadcasting by logical index;
// the same thread must hold the element, as layout inference guarantees).
Src source(Block& b, const ir::Insn& insn, size_t i, const RegTensor& out, dt::DType scalar_type);
// Traps if any operand element used at result position `pos` (thread `thread`) is
// uninitialised (checked mode).
void check_operands_init(Block& b, const std::vector<Src>& srcs, size_t pos, int thread);

// Calls f(thread, slot, position) for every (thread, slot) of `t`.
template <class F>
void for_each_slot(const RegTensor& t, F f) {
  const int n = t.threads(), l = t.local();
  for (int th = 0; th < n; ++th)
    for (int s = 0; s < l; ++s) f(th, s, static_cast<size_t>(th) * l + s);
}

// Unravels a row-major linear index over `shape`.
inline void unravel(int64_t linear, const std::vector<int>& shape, std::vector<int64_t>& idx) {
  idx.resize(shape.size());
  for (size_t d = shape.size(); d-- > 0;) idx[d] = linear % shape[d], linear /= shape[d];
}

// The memory tile an instruction moves: tile index i maps to memory index offset + i placed
// along `dims` (the default: the last dimensions).
struct Tile {
  std::vector<int64_t> offset;  // one per memory dimension
  std::vector<int64_t> dims;    // memory dimension of each tile dimension
  void memory_index(const std::vector<int64_t>& tile_idx, std::vector<int64_t>& mem) const {
    mem = offset;
    for (size_t d = 0; d < dims.size(); ++d) mem[dims[d]] += tile_idx[d];
  }
};
Tile make_tile(Block& b, const ir::Insn& insn, size_t mem_rank, size_t tile_rank);

// The register tensor produced by `insn` from tensor operand i.
const RegTensor& reg_operand(Block& b, const ir::Insn& insn, size_t i);

// Reads/writes one element of global memory at `bit` bits from `base`, with bounds checks
// (trap out-of-bounds) and the race log. `thread` is the accessing thread.
uint64_t global_read(Block& b, uint64_t base, int64_t elem, const dt::DType& t, int thread);
void global_write(Block& b, uint64_t base, int64_t elem, const dt::DType& t, int thread, uint64_t code);
// Byte range [first, last] of element `elem` of `bits` bits from `base`.
inline void element_bytes(uint64_t base, int64_t elem, int bits, uint64_t* first, uint32_t* n) {
  uint64_t bit = static_cast<uint64_t>(elem) * bits;
  *first = base + bit / 8;
  *n = static_cast<uint32_t>((bit % 8 + bits + 7) / 8);
}

// Shared memory element access at element offset `elem` of tensor `s`, with the race and
// initialisation checks.
uint64_t shared_read(Block& b, const SharedTensor& s, int64_t elem, int thread, bool atomic = false);
void shared_write(Block& b, const SharedTensor& s, int64_t elem, int thread, uint64_t code, bool atomic = false);

}  // namespace tilevm::emu
