// The working form of a register layout inside src/layout: modes tagged with their dimension,
// freely split and reordered by the operations, then canonicalised into a RegisterLayout.
#pragma once

#include <vector>

#include "layout/register_layout.h"

namespace tilevm::layout::detail {

// Like RegisterLayout, but every mode carries its dimension explicitly and modes of size 1 are
// allowed. Invariant for canonicalize(): `dim` is non-decreasing, the sizes of each dimension's
// modes multiply to its extent, every mode id appears once in spatial ∪ local.
struct ModeForm {
  std::vector<int> shape;
  std::vector<int> size;     // per mode
  std::vector<int> dim;      // per mode
  std::vector<int> spatial;  // mode ids, or -k for replication
  std::vector<int> local;    // mode ids
};

// Assigns each mode to a dimension: dimension d takes consecutive modes of size > 1 whose
// product is its extent (size-1 modes go anywhere). Error when the modes do not factor shape.
Expected<std::vector<int>> group_modes(const std::vector<int>& shape, const std::vector<int>& mode_shape);
// The dimension of each mode of a valid (canonical) layout.
std::vector<int> mode_dims(const std::vector<int>& shape, const std::vector<int>& mode_shape);
ModeForm to_form(const RegisterLayout& layout);
// Drops size-1 modes and -1 entries, merges replication runs and contiguous modes.
// Aborts if the invariant above does not hold (a bug in the caller).
RegisterLayout canonicalize(ModeForm form);
// Splits mode m (size outer*inner) into two modes m (outer, more significant) and m+1 (inner);
// ids above m shift by one; a list entry m becomes the two entries m, m+1.
void split_mode(ModeForm& form, int m, int outer, int inner);
// Splits a replication entry -(a*b) at list position p into -a, -b.
void split_replication(ModeForm& form, int p, int outer, int inner);
// Products with overflow guarded by kMaxLayoutSize (returns kMaxLayoutSize + 1 when exceeded).
long long checked_product(const std::vector<int>& values);

}  // namespace tilevm::layout::detail
