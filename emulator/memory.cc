// Emulated address space: placement of buffers and bounds checks.
#include "emulator/memory.h"

#include "support/check.h"

namespace tilevm::emu {

size_t AddressSpace::add(std::string name, size_t size) {
  Buffer b;
  b.name = std::move(name);
  b.base = next_base_;
  b.bytes.assign(size, 0);
  // Leave a guard gap after each buffer so that an overrun never lands in a neighbour.
  next_base_ = (next_base_ + size + 256 + 255) / 256 * 256;
  buffers_.push_back(std::move(b));
  return buffers_.size() - 1;
}

void AddressSpace::reserve_after(size_t index) {
  TILEVM_CHECK(index + 1 == buffers_.size());
  const Buffer& b = buffers_[index];
  next_base_ = (b.base + b.bytes.size() + 256 + 255) / 256 * 256;
}

const Buffer* AddressSpace::find(uint64_t address) const {
  for (const Buffer& b : buffers_)
    if (address >= b.base && address < b.base + b.bytes.size()) return &b;
  return nullptr;
}

std::optional<OutOfBounds> AddressSpace::check(uint64_t address, uint64_t size) const {
  const Buffer* b = find(address);
  if (b && size <= b->base + b->bytes.size() - address) return std::nullopt;
  OutOfBounds oob{address, size, ""};
  uint64_t best = UINT64_MAX;
  for (const Buffer& c : buffers_) {
    uint64_t end = c.base + c.bytes.size();
    uint64_t d = address < c.base ? c.base - address : (address >= end ? address - end + 1 : 0);
    if (d < best) best = d, oob.nearest = c.name;
  }
  return oob;
}

uint8_t* AddressSpace::at(uint64_t address) {
  const Buffer* b = find(address);
  TILEVM_CHECK(b != nullptr);
  return const_cast<uint8_t*>(b->bytes.data()) + (address - b->base);
}

}  // namespace tilevm::emu
