// Iteration over the elements of a memory tile in row-major tile order, with each element's
// offset in the memory tensor and whether it lies inside the tensor's shape (the mask).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "emulator/insns/helpers.h"

namespace tilevm::emu {

class TileWalk {
 public:
  // tile: the register tile's shape; mem_shape/mem_strides: the memory tensor; t: offset/dims.
  TileWalk(const std::vector<int>& tile, const std::vector<int64_t>& mem_shape, const std::vector<int64_t>& mem_strides,
           const Tile& t)
      : shape_(tile), idx_(tile.size(), 0), lo_(tile.size()), hi_(tile.size()), step_(tile.size()) {
    for (size_t m = 0; m < mem_shape.size(); ++m) {
      offset_ += t.offset[m] * mem_strides[m];
      bool tiled = false;
      for (size_t d = 0; d < t.dims.size(); ++d) tiled |= t.dims[d] == static_cast<int64_t>(m);
      if (!tiled && (t.offset[m] < 0 || t.offset[m] >= mem_shape[m])) outside_ = true;
    }
    for (size_t d = 0; d < tile.size(); ++d) {
      const int64_t m = t.dims[d];
      step_[d] = mem_strides[m];
      lo_[d] = std::max<int64_t>(0, -t.offset[m]);
      hi_[d] = std::min<int64_t>(tile[d], mem_shape[m] - t.offset[m]);
      if (lo_[d] > 0 || hi_[d] <= 0) ++bad_;  // index 0 of this dimension is masked
    }
  }
  // The current element's offset (in elements) and whether it is inside the tensor.
  int64_t offset() const { return offset_; }
  bool inside() const { return !outside_ && bad_ == 0; }
  // Moves to the next element in row-major order.
  void next() {
    for (size_t d = shape_.size(); d-- > 0;) {
      int64_t old = idx_[d];
      bool was_bad = old < lo_[d] || old >= hi_[d];
      if (++idx_[d] < shape_[d]) {
        offset_ += step_[d];
        bool now_bad = idx_[d] < lo_[d] || idx_[d] >= hi_[d];
        bad_ += static_cast<int>(now_bad) - static_cast<int>(was_bad);
        return;
      }
      idx_[d] = 0;
      offset_ -= step_[d] * old;
      bool now_bad = 0 < lo_[d] || 0 >= hi_[d];
      bad_ += static_cast<int>(now_bad) - static_cast<int>(was_bad);
    }
  }

 private:
  std::vector<int> shape_;
  std::vector<int64_t> idx_, lo_, hi_, step_;
  int64_t offset_ = 0;
  int bad_ = 0;
  bool outside_ = false;
};

// Fast element access to one buffer: the range check is two compares; anything outside goes
// through the checked path (which traps).
struct BufferView {
  uint64_t lo = 0, hi = 0;
  uint8_t* data = nullptr;
  BufferView(Block& b, uint64_t base) {
    if (const Buffer* buf = b.grid().memory().find(base)) {
      lo = buf->base, hi = buf->base + buf->bytes.size();
      data = const_cast<uint8_t*>(buf->bytes.data());
    }
  }
};

// Reads/writes a byte-aligned element of `nb` bytes at `addr` when it lies in `v`, recording the
// access; returns false when the checked path must handle it.
inline bool fast_read(Block& b, const BufferView& v, uint64_t addr, int nb, int thread, uint64_t* out) {
  if (addr < v.lo || addr + nb > v.hi) return false;
  uint64_t x = 0;
  std::memcpy(&x, v.data + (addr - v.lo), nb);  // little-endian host
  *out = x;
  b.glog().add(addr, nb, thread);
  return true;
}
inline bool fast_write(Block& b, const BufferView& v, uint64_t addr, int nb, int thread, uint64_t code) {
  if (addr < v.lo || addr + nb > v.hi) return false;
  std::memcpy(v.data + (addr - v.lo), &code, nb);
  b.glog().add(addr, nb, thread);
  return true;
}

}  // namespace tilevm::emu
