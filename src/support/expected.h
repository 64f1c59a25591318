// A value or an error message: how user-facing functions (parsers, verifiers, CLI helpers)
// report bad input. Internal invariants use TILEVM_CHECK instead.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <variant>

#include "support/check.h"

namespace tilevm {

// What went wrong with user input. `offset`/`length` locate the culprit within the text that
// was parsed (a byte range), when there is one; callers turn it into file:line:col and a caret.
struct Error {
  std::string message;
  size_t offset = kNoOffset;
  size_t length = 1;
  static constexpr size_t kNoOffset = static_cast<size_t>(-1);

  bool has_location() const { return offset != kNoOffset; }
};

template <class T>
class Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}
  Expected(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { TILEVM_CHECK(ok()); return std::get<0>(v_); }
  const T& value() const& { TILEVM_CHECK(ok()); return std::get<0>(v_); }
  T&& value() && { TILEVM_CHECK(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { TILEVM_CHECK(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Shorthand for building an error: `return fail("unknown type 'f9'", pos, 2);`
inline Error fail(std::string message, size_t offset = Error::kNoOffset, size_t length = 1) {
  return Error{std::move(message), offset, length};
}

}  // namespace tilevm
