// Compilation of generated CUDA C++ to cubin with NVRTC.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "support/expected.h"

namespace tilevm::cuda {

// What to compile for. `arch` is the SM number: 80, 89 or 90.
struct CompileOptions {
  int arch = 90;
  // Extra NVRTC options. tilevm always passes --fmad=false (no contraction of a*b+c: `fma` is
  // explicit in the IR), -std=c++17 and the toolkit's include directory.
  std::vector<std::string> extra;
};

struct CompileResult {
  std::vector<uint8_t> cubin;
  std::string log;        // NVRTC's log (warnings); empty when clean
  bool from_cache = false;
};

// The SM numbers tilevm generates code for.
bool supported_arch(int arch);

// Compiles `source` (file name `name` in diagnostics) to a cubin. On failure the error message
// holds NVRTC's log. The full option list is `nvrtc_options(options)`.
Expected<CompileResult> compile(const std::string& source, const std::string& name, const CompileOptions& options);

// The exact option strings passed to NVRTC (part of the cache key): tilevm's own, then
// `options.extra`, then the whitespace-separated words of $TILEVM_NVRTC_OPTIONS when it is set.
std::vector<std::string> nvrtc_options(const CompileOptions& options);

// compile() behind the disk cache (see cache.h): a hit skips NVRTC.
Expected<CompileResult> compile_cached(const std::string& source, const std::string& name, const CompileOptions& options);

}  // namespace tilevm::cuda
