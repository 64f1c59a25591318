// Reading and writing NumPy .npy files (format version 1.0 and 2.0, little-endian, C order).
//
// tilevm stores arrays of types NumPy lacks (sub-byte integers and floats, bf16, fp8, ue8m0) as
// their packed bytes (overview section 5: LSB-first, no gaps) with descr '|u1' and shape
// (number of bytes,), and records the real type and shape in a comment after the header dict:
//     {'descr': '|u1', 'fortran_order': False, 'shape': (6,), } # tilevm: dtype=u4 shape=(3, 4)
// NumPy reads such a file as a byte array (the comment is ignored by its header parser); tilevm
// reads it back as the typed array. Types NumPy has are stored natively with no comment.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "support/expected.h"

namespace tilevm {

struct NpyArray {
  std::string descr;             // NumPy type string, e.g. "<f4", "|u1"
  std::vector<int64_t> shape;    // NumPy's shape
  std::string tilevm_dtype;      // from the comment, empty when absent
  std::vector<int64_t> tilevm_shape;  // from the comment, empty when absent
  std::vector<uint8_t> data;     // the raw bytes
};

Expected<NpyArray> read_npy(const std::string& path);
Expected<bool> write_npy(const std::string& path, const NpyArray& array);

// The header text (dict, comment, padding and newline) write_npy produces; exposed for tests.
std::string npy_header(const NpyArray& array);

}  // namespace tilevm
