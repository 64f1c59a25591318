// Shared-memory layouts: where each element of a tile sits in shared memory (strides + swizzle),
// and how many bank wavefronts a warp-wide access costs.
//
// Semantics. A shared layout S has a logical `shape`, split into modes exactly as register
// layouts are (mode_shape, dimension by dimension, first mode most significant), a stride per
// mode (in elements, >= 0) and an optional swizzle:
//   element_offset(idx) = swizzle( Σ_m mode_index[m] * mode_strides[m] )      (in elements)
//   bit_offset(idx, bits) = element_offset(idx) * bits; elements are packed LSB first with no
//   gaps (overview §5): element e occupies bits [e*bits, e*bits + bits) of the storage, bit k
//   being bit k%8 of byte k/8, so a sub-byte element may straddle a byte boundary.
// The swizzle works on element offsets. Swizzle(bits, base, shift) is CuTe's Swizzle<B,M,S>:
//   shift >= 0: x ^ ((x & (((1<<bits)-1) << (base+shift))) >> shift)
//   shift <  0: x ^ ((x & (((1<<bits)-1) << base)) << -shift)
// i.e. the `bits`-bit field at base+|shift| is XORed into the field at base (shift > 0), or the
// reverse (shift < 0). For 16-bit elements, Swizzle(3,3,3) permutes 16-byte granules of each
// 128-byte row by XOR with the row index mod 8. A swizzle is a bijection on offsets; with
// shift > 0 it changes only bits [base, base+bits), so it permutes each aligned block of
// 2^(base+bits) elements (shift < 0: bits [base+|shift|, base+|shift|+bits), blocks of
// 2^(base+|shift|+bits)).
//
// Canonical form: no mode of size 1; adjacent modes m, m+1 of one dimension merged when
// stride[m] == stride[m+1] * size[m+1]; a swizzle with bits == 0 dropped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "layout/register_layout.h"
#include "support/expected.h"

namespace tilevm::layout {

struct Swizzle {
  int bits = 0;   // width of the XORed field, 0..16
  int base = 0;   // position of the field that changes (shift > 0), 0..30
  int shift = 0;  // distance to the field that is read; |shift| >= bits (fields don't overlap)
  int64_t apply(int64_t offset) const;
  bool operator==(const Swizzle&) const = default;
};

struct SharedLayout {
  std::vector<int> shape;
  std::vector<int> mode_shape;
  std::vector<int64_t> mode_strides;
  std::optional<Swizzle> swizzle;

  // Validates and canonicalises.
  // @pre (error otherwise) shape and mode entries >= 1, modes group by dimension as for register
  //      layouts, one stride >= 0 per mode, storage (Σ (size-1)*stride + 1) <= 2^40 elements,
  //      swizzle fields in range with |shift| >= bits.
  // Example: make([32,16],[4,8,2,2,4],[64,8,256,4,1]) = modes [32,2,8] strides [8,256,1].
  static Expected<SharedLayout> make(std::vector<int> shape, std::vector<int> mode_shape,
                                     std::vector<int64_t> mode_strides,
                                     std::optional<Swizzle> swizzle = std::nullopt);

  int rank() const { return static_cast<int>(shape.size()); }
  int num_elements() const;
  // The element offset of logical `index` (swizzle applied).
  // @pre index has rank() entries, each in range (checked).
  int64_t element_offset(const std::vector<int>& index) const;
  // The offset of `index` in bits for elements of `bits` bits (1..64): element_offset * bits.
  int64_t bit_offset(const std::vector<int>& index, int bits) const;
  // The byte holding the element's first bit: bit_offset / 8.
  int64_t byte_offset(const std::vector<int>& index, int bits) const;
  // Storage in elements: Σ (mode_shape[m]-1) * stride[m] + 1, rounded up to a multiple of the
  // swizzle's block (2^(base+bits), or 2^(base+|shift|+bits) for shift < 0) so that every
  // swizzled offset is below it.
  int64_t storage_elements() const;
  // Storage in bytes for `bits`-bit elements: ceil(storage_elements * bits / 8).
  int64_t storage_bytes(int bits) const;

  SharedLayout with_swizzle(Swizzle s) const;  // aborts if s is invalid
  bool operator==(const SharedLayout&) const = default;
};

// Row-major strides (last dimension contiguous). Example: shared_row_major({8,64}) has
// strides [64,1].
SharedLayout shared_row_major(std::vector<int> extents);
// Column-major strides (first dimension contiguous).
SharedLayout shared_column_major(std::vector<int> extents);
// Composition: every element of outer replaced by a copy of inner; outer's strides are scaled by
// inner's storage (swizzles are not allowed here: error).
// @post offset(i) = outer.offset(i / inner.shape) * inner.storage + inner.offset(i % inner.shape)
// Example: compose(row_major(2,2), column_major(4,8)) = shape [8,16], modes [2,4,2,8]...
//          canonical [2,4,16] strides [64,1,4].
Expected<SharedLayout> shared_compose(const SharedLayout& outer, const SharedLayout& inner);
// The ldmatrix-friendly default: row-major over the last two dims, with the last dim cut into
// panels of at most 128 bytes (stored panel by panel), and a swizzle on 16-byte granules whose
// width follows the panel (128 B: 3 bits, 64 B: 2, 32 B: 1, 16 B or less: none).
// @pre rank >= 2, bits in {8,16,32,64}; extents multiples of what the panels need (error
// otherwise). Example: ({8,64}, 16) = row_major(8,64).swizzle(3,3,3).
Expected<SharedLayout> shared_row_major_swizzle(const std::vector<int>& extents, int bits);

// ---- Bank conflicts.
// Model: 32 banks of 4 bytes; bank of byte b = (b / 4) % 32. A warp-wide access where every
// active lane reads or writes `access_bits` (8..128, a power of two) contiguous bits is served
// in phases of 128 bytes of request: lanes [p*L, (p+1)*L) with L = 32 * 32 / max(32,
// access_bits) lanes per phase. A phase costs as many wavefronts as the largest number of
// distinct 4-byte words it touches in any one bank (the same word read by several lanes is a
// broadcast). conflicts = wavefronts - phases_with_an_active_lane.
struct BankReport {
  int wavefronts = 0;
  int ideal = 0;      // the number of non-empty phases
  int conflicts() const { return wavefronts - ideal; }
};

// One warp instruction: lane_index[l] is the linear logical index (row-major into S.shape) of
// the first element lane l accesses, or -1 for an inactive lane; each lane accesses
// access_bits / bits consecutive elements in storage starting there.
// @pre (error otherwise) 32 lanes; 1 <= bits <= 64; access_bits a power of two in 8..128,
//      >= bits; each lane's access aligned to access_bits; indices in range.
Expected<BankReport> bank_conflicts(const SharedLayout& s, int bits,
                                    const std::vector<int>& lane_index, int access_bits);

// The whole transfer between a register tensor laid out by `r` and shared memory laid out by
// `s` (same shape), `vec` consecutive slots per thread per instruction: instruction k of warp w
// moves slots [k*vec, (k+1)*vec) of lanes 32w..32w+31; returns the sum over all instructions.
// @pre (error otherwise) equal shapes, local_size % vec == 0, each lane's vec elements
//      consecutive in storage (a vector access), vec*bits a power of two in 8..128.
Expected<BankReport> bank_conflicts(const SharedLayout& s, const RegisterLayout& r, int bits,
                                    int vec);

// ---- Text form.
//   shared := base ('.' base)* ('.' swizzle(bits,base,shift))?
//   base   := row_major(ints) | column_major(ints) | shared(shape=[..], modes=[..], strides=[..])
// Chained bases compose (outer to inner). to_string prints row_major/column_major when the
// strides are exactly that, the shared(...) tuple otherwise, then the swizzle.
Expected<SharedLayout> parse_shared_layout(std::string_view text);
Expected<SharedLayout> parse_shared_layout_prefix(std::string_view text, size_t* consumed);
std::string to_string(const SharedLayout& layout);

}  // namespace tilevm::layout
