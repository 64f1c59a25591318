// Building a register layout's lookup tables by walking every (thread, slot) once.
#include "layout/table.h"

namespace tilevm::layout {

LayoutTable::LayoutTable(const RegisterLayout& l)
    : num_threads_(l.num_threads()),
      local_size_(l.local_size()),
      num_elements_(l.num_elements()),
      replication_(l.replication()),
      index_(static_cast<size_t>(num_threads_) * local_size_),
      slot_(num_elements_),
      threads_(static_cast<size_t>(num_elements_) * replication_) {
  std::vector<int> filled(num_elements_, 0);
  for (int t = 0; t < num_threads_; ++t)  // increasing t, so each holder list ends up sorted
    for (int s = 0; s < local_size_; ++s) {
      int i = l.linear_index_of(t, s);
      index_[static_cast<size_t>(t) * local_size_ + s] = i;
      slot_[i] = s;
      threads_[static_cast<size_t>(i) * replication_ + filled[i]++] = t;
    }
  for (int f : filled) TILEVM_CHECK(f == replication_);
}

}  // namespace tilevm::layout
