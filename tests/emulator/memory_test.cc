// Bounds checks of the emulated global address space.
#include <doctest/doctest.h>

#include "emulator/memory.h"

using tilevm::emu::AddressSpace;

TEST_CASE("address space: buffers are disjoint and bounds-checked") {
  AddressSpace as;
  size_t a = as.add("a", 100);
  size_t b = as.add("b", 7);
  const auto& ba = as.buffer(a);
  const auto& bb = as.buffer(b);
  CHECK(ba.base % 256 == 0);
  CHECK(bb.base >= ba.base + 100 + 256);  // a guard gap separates neighbours
  CHECK_FALSE(as.check(ba.base, 100).has_value());
  CHECK_FALSE(as.check(ba.base + 99, 1).has_value());
  auto over = as.check(ba.base + 99, 2);
  REQUIRE(over.has_value());
  CHECK(over->nearest == "a");
  auto past = as.check(bb.base + 7, 1);
  REQUIRE(past.has_value());
  CHECK(past->nearest == "b");
  CHECK(as.check(0, 1).has_value());
  *as.at(bb.base + 6) = 42;
  CHECK(as.buffer(b).bytes[6] == 42);
}
