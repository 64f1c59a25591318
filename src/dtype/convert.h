// Bit-exact conversion between any two data types, classification and exact decode of codes.
//
// The rules (overview section 5, detailed in docs/dtypes.md):
// - Float to a float format of 8 bits or fewer (incl. f8e4m3, f8e5m2, the fNeEmM family):
//   round to nearest, ties to even, at every magnitude including subnormals; overflow and
//   infinities saturate to the largest finite value of the same sign (satfinite, f8e5m2
//   included); no flush to zero; -0 stays -0. NaN: the format's NaN (f8e4m3 and f8e5m2: 0x7f;
//   from an f64 source the sign is kept, and f8e5m2 keeps the top two payload bits, as CUDA's
//   __nv_cvt_double_to_fp8 does); a format without NaN gets +max (sign dropped).
// - To ue8m0: the power of two at or below |x| (Round::TowardZero) or at or above |x|
//   (Round::Up; also what Round::NearestEven, the default request, selects, as CUDA's
//   __nv_fp8_e8m0 constructor does), clamped to [2^-127, 2^127]; the sign is ignored; zero
//   gives 2^-127; infinities give 2^127; NaN gives 0xff.
// - Float to f16, bf16, f32, f64: IEEE round to nearest even; overflow gives infinity. NaN
//   results: f16 and bf16 0x7fff; f32 from f16, fp8 formats and f64 0x7fffffff, from bf16 the
//   bf16 bits shifted (payload kept), from ue8m0 0x7fff0000; f64 from a NaN: see docs.
// - Float to integer: round toward zero, saturate to the range, NaN gives 0.
// - Integer to integer: wrap (keep the low bits of the sign- or zero-extended value).
// - Integer to float: round to nearest even (with the target's overflow rule above).
// - bool: reads as 0 or 1 (any nonzero code is 1); to bool: 1 if the value is nonzero (NaN
//   is nonzero, so NaN gives 1; -0 gives 0).
// Results are computed with integer arithmetic only; no host floating point defines a result.
#pragma once

#include <cstddef>
#include <cstdint>

#include "dtype/dtype.h"

namespace tilevm::dt {

// A rounding request. NearestEven is the default and always allowed; for ue8m0 (which has no
// round-to-nearest conversion in CUDA) it selects Up. TowardZero and Up are accepted only by
// targets that offer them (ue8m0).
enum class Round { NearestEven, TowardZero, Up };

// Whether `to` offers the rounding request `round` (false e.g. for TowardZero to f16).
bool rounding_choice_allowed(const DType& to, Round round);

// Converts one code (the low `from.bits` bits of `code`; higher bits are ignored) to `to`.
// Returns the result code in the low `to.bits` bits, higher bits zero. When from == to the code
// is returned unchanged (NaN payloads, f8e5m2 infinities and bool codes other than 0/1 included).
// @pre rounding_choice_allowed(to, round).
uint64_t convert(uint64_t code, const DType& from, const DType& to,
                 Round round = Round::NearestEven);

enum class FloatClass { Zero, Subnormal, Normal, Infinity, NaN };

// Class of a code. Integers and bool: Zero for value 0, else Normal. ue8m0: NaN for 0xff,
// else Normal (it has no zero).
FloatClass classify(uint64_t code, const DType& t);

// The exact value of a code as a double (every format up to 32 bits and every integer up to
// 53 bits is exact; 64-bit integers round to nearest; f64 is its own bits). NaN codes give a
// quiet NaN. For display and tests only: no result of convert() depends on it.
double decode(uint64_t code, const DType& t);

// Whether a code is a NaN of t (false for types without NaN).
bool is_nan(uint64_t code, const DType& t);

// Bulk conversion: n elements of packed `src` (type `from`) to packed `dst` (type `to`),
// packing as in pack.h. Bit-for-bit equal to convert() on every element. Uses lookup tables
// for sources of 8 bits or fewer and bit manipulation for f32 sources. Bits of the last byte
// of dst beyond the n-th element are left as they were.
// @pre rounding_choice_allowed(to, round); src and dst do not overlap.
void convert_buffer(const uint8_t* src, const DType& from, uint8_t* dst, const DType& to,
                    size_t n, Round round = Round::NearestEven);

}  // namespace tilevm::dt
