// The dtype combinations dot.mma accepts, each tied to an mma.sync atom of layout/atoms.h (whose
// operand layouts are the PTX fragment figures), and the block-level operand layouts built from
// them; also the default register layout used by inference.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/types.h"

namespace tilevm::verify {

// One warp-level mma.sync shape: A is m×k, B is k×n, C and D are m×n, each spread over the 32
// lanes of a warp by la, lb, lc.
struct MmaAtom {
  std::string name;  // e.g. "mma.m16n8k16.f32.f16.f16.f32"
  int m = 0, n = 0, k = 0;
  ir::DType a, b, c;
  ir::RegisterLayout la, lb, lc;
};

const std::vector<MmaAtom>& mma_atoms();
// The atom for operand dtypes (a, b) and accumulator c, if the hardware has one.
const MmaAtom* find_mma_atom(const ir::DType& a, const ir::DType& b, const ir::DType& c);

struct DotLayouts {
  ir::RegisterLayout a, b, c;
};

// The block-level layouts of a [m,k] x [k,n] + [m,n] dot on `warps` warps arranged as
// wm × (warps / wm) over (m, n): C = spatial(wm, wn).local(rm, rn).lc, A the same warps with
// the wn warps of a row replicated, B with the wm warps of a column replicated. Nothing when
// the shape does not divide.
std::optional<DotLayouts> mma_block_layouts(const MmaAtom& atom, int64_t m, int64_t n, int64_t k, int warps, int wm);

// The arrangement the inference picks: among the wm that divide, the one with the fewest
// register bits per thread for the three operands (ties: the smaller wm).
std::optional<DotLayouts> default_mma_layouts(const MmaAtom& atom, int64_t m, int64_t n, int64_t k, int warps);

// The layout of a broadcast operand of shape `op` that gives each thread exactly what it needs
// of a result laid out by `result`: the result's layout reduced (keepdims) over the stretched
// dimensions, with the missing leading dimensions squeezed.
std::optional<ir::RegisterLayout> broadcast_operand_layout(const ir::RegisterLayout& result, const std::vector<int64_t>& op);

// dot.simt operands derived from c [m, n]: a [m, k] held by every thread that holds a row of c
// (reduce(c, [1], keepdims).local(1, k)), b [k, n] likewise by columns.
std::optional<DotLayouts> simt_operand_layouts(const ir::RegisterLayout& c, int64_t k);

// The default layout of a register tile over `threads` threads (Tilus's auto_local_spatial):
// from the last dimension backwards each dimension gets gcd(threads left, extent) threads, the
// rest of each dimension is local (outer), and threads left over replicate the whole tile.
// Example: (128, [1024]) = local(8).spatial(128); (128, [64, 32]) = local(16, 1).spatial(4, 32).
ir::RegisterLayout default_layout(int threads, const std::vector<int64_t>& shape);

}  // namespace tilevm::verify
