// Internal invariant checks. A failed TILEVM_CHECK is a bug in tilevm, never a user error:
// it prints the condition and location and aborts. User input is diagnosed through return values.
#pragma once

#include <cstdio>
#include <cstdlib>

#define TILEVM_CHECK(cond, ...)                                                              \
  do {                                                                                       \
    if (!(cond)) [[unlikely]] {                                                              \
      std::fprintf(stderr, "%s:%d: internal error: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (0)

#define TILEVM_UNREACHABLE()                                                                 \
  do {                                                                                       \
    std::fprintf(stderr, "%s:%d: internal error: unreachable\n", __FILE__, __LINE__);        \
    std::abort();                                                                            \
  } while (0)
