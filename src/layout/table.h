// Precomputed lookup tables for one register layout, so that mapping (thread, slot) to a
// logical element and back costs one load on the emulator's hot path.
#pragma once

#include <span>
#include <vector>

#include "layout/register_layout.h"

namespace tilevm::layout {

// Built once per layout (O(threads * slots) time and memory); queries are array loads.
// Linear indices are row-major into layout.shape (first index most significant).
class LayoutTable {
 public:
  explicit LayoutTable(const RegisterLayout& layout);

  int num_threads() const { return num_threads_; }
  int local_size() const { return local_size_; }
  int num_elements() const { return num_elements_; }
  int replication() const { return replication_; }

  // The linear logical index held by `thread` in `slot`.
  // @pre 0 <= thread < num_threads(), 0 <= slot < local_size() (not checked: a hot path).
  int linear_index(int thread, int slot) const { return index_[thread * local_size_ + slot]; }
  // The slot in which every holder keeps element `linear`. @pre 0 <= linear < num_elements().
  int slot_of(int linear) const { return slot_[linear]; }
  // The lowest thread holding `linear` (the replica that stores, see overview §8).
  int first_thread(int linear) const { return threads_[linear * replication_]; }
  // All replication() threads holding `linear`, increasing.
  std::span<const int> threads_of(int linear) const {
    return {threads_.data() + static_cast<size_t>(linear) * replication_, static_cast<size_t>(replication_)};
  }

 private:
  int num_threads_, local_size_, num_elements_, replication_;
  std::vector<int> index_;    // [thread * local_size + slot] → linear index
  std::vector<int> slot_;     // [linear] → slot
  std::vector<int> threads_;  // [linear * replication + r] → r-th holder
};

}  // namespace tilevm::layout
