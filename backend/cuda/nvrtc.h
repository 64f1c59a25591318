// Compilation of generated CUDA C++ to cubin with NVRTC.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "support/expected.h"

namespace tilevm::cuda {

// The ptxas optimisation level of every compile. The CUDA 13.0 ptxas at its default level
// (-O3, and also -O1, -O2 and the -Ofc=min/mid levels) miscompiles valid PTX that tilevm
// generates: it drops the `and` of an f16 abs on one half of a packed register, and loses
// results after f32 division, integer min/max and int4 mma (docs/backend.md, "ptxas"). At -O0
// every conformance case and every fuzz seed agrees with the emulator, so that is the level
// used; `TILEVM_NVRTC_OPTIONS="-Xptxas -O3"` overrides it (ptxas takes the last value).
inline constexpr const char* kPtxasOptimisation = "-O0";

// What to compile for. `arch` is the SM number: 80, 89 or 90.
struct CompileOptions {
  int arch = 90;
  // Extra NVRTC options. tilevm always passes --fmad=false (no contraction of a*b+c: `fma` is
  // explicit in the IR), -std=c++17, the toolkit's include directory and the ptxas level above.
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
