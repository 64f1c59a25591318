// Register layouts: which thread of a block holds which element of a tile, and in which local slot.
//
// Semantics. A register layout L distributes a tile of logical shape `shape` over
// `num_threads()` threads, each holding `local_size()` elements in local slots 0..local_size()-1.
// It is stored as four lists (Tilus's representation):
//   shape          the logical extents, d = 0..rank-1 (extent 1 allowed, rank 0 allowed);
//   mode_shape     each dimension split into modes, dimensions in order, and inside a
//                  dimension the FIRST mode is the most significant: a dimension of extent 64
//                  with modes (8,8) has index i = m0*8 + m1;
//   spatial_modes  the modes that form the thread index, most significant first; an entry -k
//                  (k >= 2) is a replication factor: it is a digit of the thread index that
//                  takes every value 0..k-1, so each element is held by k times more threads;
//   local_modes    the modes that form the local slot, most significant first.
// Every mode appears exactly once in spatial_modes ∪ local_modes.
//   thread = row-major serialisation of the spatial list's mode indices (replication entries
//            ranging over 0..k-1), slot = row-major serialisation of the local list's.
// So every (thread < num_threads, slot < local_size) holds exactly one logical element, and every
// element is held by exactly `replication()` pairs (thread, slot), all with the same slot.
//
// Canonical form (what make() returns, what every operation returns, what == compares):
// no mode of size 1; no replication entry -1; adjacent replication entries merged (-2,-3 → -6);
// two adjacent modes m, m+1 of one dimension that stand at adjacent positions p, p+1 of the same
// list are merged into one mode. Two layouts with the same shape and the same map
// (thread, slot) → logical index have the same canonical form.
//
// Worked example (reference tilus.md 3.2): shape [4,6], modes [2,2,3,2], spatial [0,2],
// local [3,1]. Element (i,j) has modes (i/2, i%2, j/2, j%2); thread = (i/2)*3 + j/2,
// slot = (j%2)*2 + i%2. So (3,5) → thread 5 slot 3, and (2,3) → thread 4 slot 2.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support/expected.h"

namespace tilevm::layout {

// One copy of an element: the thread that holds it and the local slot it sits in.
struct Owner {
  int thread = 0;
  int slot = 0;
  bool operator==(const Owner&) const = default;
};

// Limit on extents, thread counts, local sizes and element counts, so that all index arithmetic
// fits in `int`. Larger layouts are rejected by make() with an error.
inline constexpr int64_t kMaxLayoutSize = int64_t{1} << 30;

struct RegisterLayout {
  std::vector<int> shape;
  std::vector<int> mode_shape;
  std::vector<int> spatial_modes;
  std::vector<int> local_modes;

  // Validates the four lists and returns the canonical form.
  // @pre  (checked, error otherwise) shape entries >= 1; mode_shape entries >= 1; after dropping
  //       modes of size 1 the modes group by dimension (each dimension takes consecutive modes
  //       whose product is its extent, extent-1 dimensions take none); spatial entries are mode
  //       ids or replication factors -k (k >= 1); local entries are mode ids; every mode id
  //       appears exactly once in the two lists; all sizes <= kMaxLayoutSize.
  // @post the result is canonical and maps (thread, slot) to the same elements as the input.
  // Example: make([6],[2,3],[0,1],[]) = shape [6], modes [6], spatial [0], local [].
  static Expected<RegisterLayout> make(std::vector<int> shape, std::vector<int> mode_shape,
                                       std::vector<int> spatial_modes,
                                       std::vector<int> local_modes);

  int rank() const { return static_cast<int>(shape.size()); }
  int num_elements() const;  // product of shape (1 for rank 0)
  int num_threads() const;   // product of the spatial list's sizes, replication included
  int local_size() const;    // product of the local list's sizes
  int replication() const;   // product of the replication factors (1 when none)

  std::vector<int> spatial_shape() const;  // sizes of the spatial list (-k gives k)
  std::vector<int> local_shape() const;    // sizes of the local list
  // For each dimension, its mode ids in order (most significant first); empty for extent 1.
  std::vector<std::vector<int>> mode_groups() const;

  // The logical index held by `thread` in `slot`.
  // @pre 0 <= thread < num_threads(), 0 <= slot < local_size() (checked; aborts otherwise).
  std::vector<int> index_of(int thread, int slot) const;
  // The same as a row-major linear index into `shape` (first index most significant).
  int linear_index_of(int thread, int slot) const;

  // The slot that holds logical `index` (every replica uses the same slot).
  // @pre index has rank() entries with 0 <= index[d] < shape[d] (checked).
  int slot_of(const std::vector<int>& index) const;
  // All threads that hold `index`, increasing. Their count is replication().
  std::vector<int> threads_of(const std::vector<int>& index) const;
  // All (thread, slot) pairs that hold `index`, threads increasing.
  std::vector<Owner> owners_of(const std::vector<int>& index) const;
  // Whether `thread` holds `index` (in slot slot_of(index)).
  bool holds(int thread, const std::vector<int>& index) const;

  // Chained composition: `a.spatial({8,4})` is compose(a, spatial({8,4})), and so on.
  RegisterLayout local(std::vector<int> extents) const;
  RegisterLayout spatial(std::vector<int> extents) const;
  RegisterLayout column_local(std::vector<int> extents) const;
  RegisterLayout column_spatial(std::vector<int> extents) const;
  RegisterLayout replicated(int num_workers) const;
  RegisterLayout then(const RegisterLayout& inner) const;

  // Equality of canonical forms, that is, of the maps (thread, slot) → index.
  bool operator==(const RegisterLayout&) const = default;
};

// ---- Constructors. Each aborts on non-positive extents (programmer input; text input goes
// through the parser, which reports errors instead).

// One thread holds all elements, row-major over the slot.
// @post num_threads() == 1, local_size() == product(extents), slot of (i0..) = row-major.
// Example: local({2,3}): slot s holds (s/3, s%3).
RegisterLayout local(std::vector<int> extents);
// One element per thread, row-major over the thread: the last dimension changes fastest.
// Example: spatial({2,3}): thread t holds (t/3, t%3).
RegisterLayout spatial(std::vector<int> extents);
// Like local but column-major: the first dimension changes fastest.
// Example: column_local({2,3}): slot s holds (s%2, s/2) (shape [2,3], modes [2,3], local [1,0]).
RegisterLayout column_local(std::vector<int> extents);
// Like spatial but column-major. Example: column_spatial({4,8}): thread t holds (t%4, t/4).
RegisterLayout column_spatial(std::vector<int> extents);
// The rank-0 layout whose single element is held by `num_workers` threads (spatial [-w]).
// Composed with others it adds replication: replicated(3).spatial({4}) has spatial [-3,0], so
// element j is held by threads j, j+4, j+8.
// @pre num_workers >= 1.
RegisterLayout replicated(int num_workers);
// Tilus's replicated(*shape, num_workers=w) = replicated(w).local(shape).
// Example: replicated({2,2}, 4) = shape [2,2], modes [2,2], spatial [-4], local [0,1].
RegisterLayout replicated(std::vector<int> extents, int num_workers);

// A default distribution of `shape` over `num_threads` threads: going from the last dimension
// backwards, each dimension gets gcd(threads left, extent) threads (the rest of it stays local);
// threads left over at the end replicate the whole tile.
// @pre num_threads >= 1, extents >= 1 (aborts otherwise).
// @post the result is replicated(left).local(shape / part).spatial(part) with num_threads threads.
// Example: auto_local_spatial(128, {64,32}) = local(16,1).spatial(4,32);
//          auto_local_spatial(128, {16}) = replicated(8).spatial(16).
RegisterLayout auto_local_spatial(int num_threads, const std::vector<int>& shape);

// ---- Operations

// Composition (Kronecker product) "replace every element of outer by a tile laid out by inner".
// Both are padded to the same rank with leading extent-1 dimensions.
// @post shape[d] = outer.shape[d] * inner.shape[d]; for every (t, s):
//       index_of(t, s)[d] = outer.index_of(t / inner.T, s / inner.N)[d] * inner.shape[d]
//                           + inner.index_of(t % inner.T, s % inner.N)[d]
//       with T = num_threads, N = local_size. Associative, not commutative; local() is the unit.
// Example: compose(spatial({2,4}), local({2,1})) = shape [4,4], modes [2,2,4], spatial [0,2],
//          local [1]: thread = (i/2)*4 + j, slot = i%2.
RegisterLayout compose(const RegisterLayout& outer, const RegisterLayout& inner);

// Right division: the R with lhs == compose(R, rhs), where R has lhs's rank.
// @pre  none (an error says why no such R exists: rank, extents that do not divide, or rhs not
//       being the innermost factor of lhs).
// @post compose(result, rhs) == lhs.
// Example: divide(spatial({2,4}).local({2,1}), spatial({1,2}).local({2,1})) = spatial({2,2});
//          divide(spatial({6}), spatial({3})) = spatial({2}); divide(spatial({2}), local({2})) fails.
Expected<RegisterLayout> divide(const RegisterLayout& lhs, const RegisterLayout& rhs);

// Left division: the R with lhs == compose(outer, R), where R has lhs's rank.
// @post compose(outer, result) == lhs.
// Example: left_divide(spatial({2,12}).local({2,3}), spatial({2,1}).local({2,1}))
//          = spatial({1,12}).local({1,3}).
Expected<RegisterLayout> left_divide(const RegisterLayout& lhs, const RegisterLayout& outer);

// Reshape to `new_shape` (same number of elements), row-major: the linear index of every element
// is kept, so index_of(t, s) of the result is the reshaped index_of(t, s) of L.
// @pre  (error otherwise) the element counts agree and no mode straddles a new dimension boundary
//       in a way strides cannot express (a mode p meeting a dimension q needs p | q or q | p).
// Example: reshape(spatial({2,4}), {2,2,2}) = spatial({2,2,2}); reshape(spatial({6}), {4,...})
//          fails.
Expected<RegisterLayout> reshape(const RegisterLayout& layout, const std::vector<int>& new_shape);

// Permute dimensions: result dimension i is L's dimension dims[i].
// @pre  (error otherwise) dims is a permutation of 0..rank-1.
// @post result.index_of(t, s)[i] == L.index_of(t, s)[dims[i]].
// Example: permute(local({2,3}).spatial({4,1}), {1,0}) = shape [3,8], modes [3,2,4],
//          spatial [2], local [1,0].
Expected<RegisterLayout> permute(const RegisterLayout& layout, const std::vector<int>& dims);

// Remove the listed dimensions, which must have extent 1 (error otherwise). Threads and slots
// are unchanged. Example: squeeze(shape [1,4] spatial(1,4), {0}) = spatial({4}).
Expected<RegisterLayout> squeeze(const RegisterLayout& layout, const std::vector<int>& dims);

// Insert extent-1 dimensions so that they end up at positions `dims` of the result
// (distinct, 0 <= dims[i] < rank + dims.size(); error otherwise).
// Example: unsqueeze(spatial({4}), {0}) = spatial({1,4}).
Expected<RegisterLayout> unsqueeze(const RegisterLayout& layout, const std::vector<int>& dims);

// Reduce over `dims`: the result describes where the reduced values live. A reduced spatial mode
// of size k becomes a replication entry -k in the same place (every thread that held a partial
// result holds the total); reduced local modes are dropped. With keepdims the reduced dimensions
// stay with extent 1, otherwise they are removed.
// @pre  (error otherwise) dims are distinct and in range.
// @post num_threads() is unchanged; element e of the result is held by every thread that held
//       some element of L whose non-reduced coordinates are e.
// Example: reduce(spatial({3,4}), {0}) = shape [4], modes [4], spatial [-3,0]: element j is held
//          by threads j, j+4, j+8.
Expected<RegisterLayout> reduce(const RegisterLayout& layout, const std::vector<int>& dims,
                                bool keepdims = false);

// Rank concatenation: shape = lhs.shape ++ rhs.shape, thread = t_lhs * rhs.T + t_rhs,
// slot = s_lhs * rhs.N + s_rhs.
// Example: concat(spatial({2}), local({3})) = shape [2,3], modes [2,3], spatial [0], local [1].
RegisterLayout concat(const RegisterLayout& lhs, const RegisterLayout& rhs);

// ---- Text form (grammar in docs/layouts.md).
//   chain   := atom ('.' atom)*        (composition, left to right = outer to inner)
//   atom    := local(ints) | spatial(ints) | column_local(ints) | column_spatial(ints)
//            | replicated(int) | register(shape=[..], modes=[..], spatial=[..], local=[..])
// Whitespace may surround tokens. to_string prints the constructor chain when one exists
// (e.g. "local(2,1).spatial(8,4).local(1,2)") and the register(...) four-tuple otherwise;
// parse_register_layout(to_string(L)) == L for every L.

// Parses all of `text` (surrounding whitespace allowed). On error, Error::offset/length give the
// culprit's byte range within `text`.
Expected<RegisterLayout> parse_register_layout(std::string_view text);
// Parses a layout at the start of `text` (leading whitespace allowed) and stores in *consumed
// the number of bytes up to and including the last ')' of the layout; the rest is not looked at
// except that a '.' followed by a constructor name continues the chain.
Expected<RegisterLayout> parse_register_layout_prefix(std::string_view text, size_t* consumed);
std::string to_string(const RegisterLayout& layout);
// The four-tuple form "shape [4,6] modes [2,2,3,2] spatial [0,2] local [3,1]" for messages.
std::string describe(const RegisterLayout& layout);

}  // namespace tilevm::layout
