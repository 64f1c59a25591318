// The Expected<T> return channel for user errors.
#include <doctest/doctest.h>

#include <string>

#include "support/expected.h"

using tilevm::Expected;

namespace {
Expected<int> parse_digit(char c, size_t pos) {
  if (c < '0' || c > '9') return tilevm::fail(std::string("not a digit: '") + c + "'", pos);
  return c - '0';
}
}  // namespace

TEST_CASE("expected: carries a value or a located error") {
  auto good = parse_digit('7', 0);
  REQUIRE(good.ok());
  CHECK(*good == 7);
  auto bad = parse_digit('x', 4);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "not a digit: 'x'");
  CHECK(bad.error().offset == 4);
  CHECK(bad.error().has_location());
  CHECK_FALSE(tilevm::fail("no place").has_location());
}
