// Values and oracle expressions of conformance cases (docs/conformance.md, "Expected values").
//
// A value token is `0xHEX` (a raw code), a decimal number, `inf`, `-inf`, `nan`, `-0`, `true` or
// `false`. Decimal values must be exactly representable in the type (an error otherwise), so a
// case never depends on rounding of its own text. `nan` is the canonical NaN (sign 0, all other
// bits 1).
//
// An oracle expression is evaluated per output element from the launch's input buffers with the
// independent semantics of conformance/oracle.h:
//   NAME                      the input buffer NAME at the same flat index
//   LITERAL                   a value of the type its neighbours (or the output) have
//   OP(e, ...)                an elementwise instruction by mnemonic (add, fma, where, sqrt, ...)
//   cast(e, DTYPE)            conversion
//   row(e, C) col(e, C)       element i / C, i % C (broadcast a column or a row of width C)
//   at(e, K) shift(e, K)      element K, element i + K
//   reinterpret(NAME, DTYPE)  NAME's bytes read as packed DTYPE elements
// and, at the top level only, whole-array references computed exactly in long double then
// rounded once to the output type:
//   matmul(A, B, M, K, N[, C])            out[m,n] = sum_k A[m,k] B[k,n] (+ C[m,n])
//   qmatmul(A, W, S, M, K, N, G)          out[m,n] = sum_k A[m,k] W[k,n] S[k/G,n]
//   reduce_OP(X, R, C, DIM)               OP = sum|max|min|and|or over dim 0 or 1 of X[R,C]
//   transpose(X, R, C)                    out[c,r] = X[r,c]
// A, B, ... are expressions too (typically names or reinterpret(...)).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "conformance/oracle.h"
#include "support/expected.h"

namespace tilevm::conf {

// A typed buffer of codes (flat, row-major) with its packed bytes.
struct Buffer {
  dt::DType t;
  std::vector<uint64_t> codes;
  std::vector<uint8_t> bytes;
};
using Inputs = std::map<std::string, Buffer>;

// Parses one value token as a code of t.
Expected<uint64_t> parse_value(const std::string& token, const dt::DType& t);
// "0x3f80 (1)" style text of a code.
std::string format_code(uint64_t code, const dt::DType& t);
// Expands `[a, b*3, c]` into tokens (defined in case.cc).
Expected<std::vector<std::string>> parse_list(const std::string& text);

// The expected codes of an output of type out_t at the flat indices idx.
Expected<std::vector<uint64_t>> eval_oracle(const std::string& expr, const Inputs& in, const dt::DType& out_t,
                                            const std::vector<int64_t>& idx);

}  // namespace tilevm::conf
