// Source locations carried by IR nodes: byte ranges into the text a program was parsed from.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tilevm::ir {

// A byte range [begin, end) in one source text. `valid == false` means "no location" (nodes
// built in C++ rather than parsed). Locations never take part in IR equality.
struct SrcRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool valid = false;

  static SrcRange at(size_t begin, size_t end) {
    return SrcRange{static_cast<uint32_t>(begin), static_cast<uint32_t>(end < begin ? begin : end), true};
  }
  // The smallest range covering both (either may be invalid).
  static SrcRange join(SrcRange a, SrcRange b) {
    if (!a.valid) return b;
    if (!b.valid) return a;
    return at(a.begin < b.begin ? a.begin : b.begin, a.end > b.end ? a.end : b.end);
  }
  size_t length() const { return end - begin; }
};

}  // namespace tilevm::ir
