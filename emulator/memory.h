// Emulated memories: byte arrays with bounds-checked access. Global memory is the set of host
// buffers passed as pointer parameters; shared memory is one array per block. An access outside
// every buffer is reported, never performed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tilevm::emu {

// One contiguous emulated allocation. `base` is its address in the emulated address space
// (distinct buffers never overlap), so pointers can be compared and bounds-checked.
struct Buffer {
  std::string name;
  uint64_t base = 0;
  std::vector<uint8_t> bytes;
};

// A bounds violation: the access [address, address + size) is not inside one buffer.
struct OutOfBounds {
  uint64_t address;
  uint64_t size;
  std::string nearest;  // name of the buffer the address is closest to, for the report
};

// The global address space: buffers placed at increasing, 256-byte aligned, non-adjacent bases.
class AddressSpace {
 public:
  // Adds a buffer of `size` bytes (zero-filled) and returns its index.
  size_t add(std::string name, size_t size);
  // After buffer `index` was given its bytes directly, moves the next base past them.
  void reserve_after(size_t index);
  Buffer& buffer(size_t index) { return buffers_[index]; }
  const Buffer& buffer(size_t index) const { return buffers_[index]; }
  size_t size() const { return buffers_.size(); }

  // The buffer holding all of [address, address + size), or the violation.
  std::optional<OutOfBounds> check(uint64_t address, uint64_t size) const;
  // Pointer to the byte at `address`; requires check(address, size) to have passed.
  uint8_t* at(uint64_t address);
  // The buffer containing byte `address`, or nullptr.
  const Buffer* find(uint64_t address) const;

 private:
  std::vector<Buffer> buffers_;
  uint64_t next_base_ = 0x1000;
};

}  // namespace tilevm::emu
