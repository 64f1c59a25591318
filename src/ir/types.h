// Scalar types of the IR (a dtype, or a pointer to elements of a dtype) and the few dtype and
// layout queries the IR, text format and verifier rely on.
#pragma once

#include <string>

#include "dtype/dtype.h"
#include "layout/register_layout.h"
#include "layout/shared_layout.h"

namespace tilevm::ir {

using dt::DType;
using layout::RegisterLayout;
using layout::SharedLayout;

// A scalar's type: a value of `dtype`, or (pointer == true) the address of elements of `dtype`.
struct ScalarType {
  DType dtype;
  bool pointer = false;

  bool operator==(const ScalarType& o) const { return pointer == o.pointer && dtype == o.dtype; }
  std::string name() const { return dtype.name() + (pointer ? "*" : ""); }
};

// Dtype classes used by the verifier's rules.
inline bool is_float(const DType& d) { return d.is_float(); }
inline bool is_bool(const DType& d) { return d.is_bool(); }
inline bool is_integer(const DType& d) { return d.is_int(); }
inline bool is_signed_integer(const DType& d) { return d.kind == dt::Kind::Int; }
inline int bits_of(const DType& d) { return d.bits; }
// Scalars (parameters, lets) have a standard type: an arithmetic type or bool.
inline bool is_standard(const DType& d);
// The types scalar arithmetic and elementwise arithmetic work on: 8/16/32/64-bit integers,
// f16, bf16, f32, f64. Narrower and fp8 formats must be cast first.
inline bool is_arithmetic(const DType& d) {
  if (is_integer(d)) return d.bits == 8 || d.bits == 16 || d.bits == 32 || d.bits == 64;
  return d == dt::kF16 || d == dt::kBF16 || d == dt::kF32 || d == dt::kF64;
}

inline bool is_standard(const DType& d) { return is_arithmetic(d) || is_bool(d); }

}  // namespace tilevm::ir
