// The oracle comparisons behind `tilevm dtype verify` and tests/dtype: the library's convert()
// and convert_buffer() against CUDA's host functions (where CUDA defines the pair), and against
// both searches of the independent reference (src/dtype/reference.h), over fixed input sets.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dtype/convert.h"
#include "dtype/dtype.h"

namespace tilevm::cuda {

// The outcome of one comparison over one input set.
struct CheckResult {
  std::string name;           // e.g. "f16 (all codes) -> f8e4m3"
  std::string oracles;        // which oracles took part, e.g. "CUDA, reference, table"
  uint64_t checked = 0;       // inputs compared
  uint64_t failed = 0;        // inputs on which anything disagreed
  std::string first_failure;  // "0x7c01: convert 0x7e, convert_buffer 0x7e, reference 0x7f, CUDA 0x7f"
  bool ok() const { return checked > 0 && failed == 0; }
};

// A named comparison, run on demand.
struct Check {
  std::string group;  // "f16", "bf16", "f32-float", "f32-int", "f64", "int", "small", "decode", "api"
  std::string name;
  std::function<CheckResult()> run;
};

// Every comparison of the standard input sets (what CTest and `tilevm dtype verify` run):
// all f16 and bf16 codes, every code of every type of ≤ 8 bits and of the ≤ 16-bit integers,
// f32 and f64 inputs on and around every rounding boundary of every target, and 32/64-bit
// integers around every boundary, each converted to every type (ue8m0 in each rounding mode).
std::vector<Check> standard_checks();

// The targets of the exhaustive sweep: every float type of at most 16 bits (ue8m0 in each
// rounding mode), with the unnamed all-finite f8e4m3fin and f8e5m2fin.
struct SweepTarget {
  dt::DType type;
  dt::Round round;
  std::string label;  // "f8e4m3", "ue8m0 rz", ...
};
std::vector<SweepTarget> sweep_targets();

// All 2^32 f32 inputs converted to `target` by convert_buffer() and, for one input in
// `scalar_stride`, by convert(), compared with CUDA's host function where CUDA defines the
// target, else with the reference's integer rounding. Uses `threads` threads.
CheckResult sweep_f32(const SweepTarget& target, int threads, uint64_t scalar_stride = 1);

}  // namespace tilevm::cuda
