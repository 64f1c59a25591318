// Golden outputs recorded on the GPU (conformance/golden/): one small text file per expectation,
// `<case>.<run>.<param>.txt`, holding the dtype, the element count, an FNV-1a 64-bit hash of the
// codes (each as 8 little-endian bytes), and the codes themselves (all of them when there are at
// most 256, else the first 64).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dtype/dtype.h"
#include "support/expected.h"

namespace tilevm::conf {

struct Golden {
  std::string dtype;
  int64_t count = 0;
  uint64_t hash = 0;
  std::vector<uint64_t> codes;  // a prefix of the output (or all of it)
};

std::string golden_path(const std::string& root, const std::string& case_name, size_t run_index, const std::string& param);
uint64_t hash_codes(const std::vector<uint64_t>& codes);
Expected<Golden> read_golden(const std::string& path);
Expected<bool> write_golden(const std::string& path, const dt::DType& t, const std::vector<uint64_t>& codes);
// Empty when `got` matches; else the first differing element (or the hash difference).
std::string compare_golden(const Golden& g, const dt::DType& t, const std::vector<uint64_t>& got, int64_t lo,
                           const std::vector<int64_t>& shape, const std::string& param);

}  // namespace tilevm::conf
