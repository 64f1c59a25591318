// Helpers for tests that need a GPU: they skip with a message when none is present.
#pragma once

#include <cstdio>

#include "backend/cuda/driver.h"

// Use at the top of a TEST_CASE that needs a CUDA device. CTest marks the case "skipped" through
// its SKIP_REGULAR_EXPRESSION on the printed line.
#define TILEVM_REQUIRE_GPU()                                                              \
  do {                                                                                    \
    const auto& dev_ = ::tilevm::cuda::device_info();                                     \
    if (!dev_.present) {                                                                  \
      std::printf("TILEVM-SKIPPED: needs a GPU (%s)\n", dev_.reason.c_str());             \
      return;                                                                             \
    }                                                                                     \
  } while (0)
