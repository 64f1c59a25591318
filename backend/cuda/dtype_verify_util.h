// Pieces shared by the dtype oracle comparisons: independent bit packing, the input sets and the
// per-input comparison (see dtype_verify.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backend/cuda/dtype_verify.h"

namespace tilevm::cuda {

// LSB-first gapless packing written bit by bit (independent of src/dtype/pack.cc).
size_t packed_size(int bits, size_t n);
std::vector<uint8_t> pack_codes(const std::vector<uint64_t>& codes, int bits);
uint64_t read_code(const std::vector<uint8_t>& buf, int bits, size_t i);
// Whether every bit after element n-1 still holds `fill`'s bit.
bool tail_untouched(const std::vector<uint8_t>& buf, int bits, size_t n, uint8_t fill);

// Input sets.
std::vector<uint64_t> all_codes(int bits);
std::vector<uint64_t> f32_inputs(const dt::DType& to);  // boundaries of `to` plus a spread
std::vector<uint64_t> f64_inputs(const dt::DType& to);  // the f32 set widened, ±1 f64 ulp, f64 specials
std::vector<uint64_t> wide_int_inputs(const dt::DType& from);  // 32/64-bit integers near boundaries

// "f8e4m3", "ue8m0 rz", "ue8m0 ru".
std::string target_label(const dt::DType& to, dt::Round r);

// Compares convert(), convert_buffer(), the reference (both searches where they apply), CUDA's
// host function and the host CPU's casts on every input (a code of `from`).
CheckResult compare_inputs(const std::string& set_name, const dt::DType& from, const dt::DType& to,
                           dt::Round r, const std::vector<uint64_t>& inputs);

}  // namespace tilevm::cuda
