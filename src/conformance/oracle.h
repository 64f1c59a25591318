// Independent reference semantics for the conformance suite and the fuzzer: values decoded by
// the textbook formula, rounding by scaling and nearbyint in long double, arithmetic in host IEEE
// float/double. Nothing here calls src/dtype's conversions or src/exec's arithmetic, so results
// computed here can judge both backends.
//
// Rules (overview sections 5 and 6), restated:
// - to f16/bf16/f32/f64: round to nearest even, overflow to infinity, NaN to the canonical NaN
//   (sign 0, every other bit 1);
// - to a float of 8 bits or fewer: round to nearest even, overflow and infinities saturate to
//   the largest finite value of the same sign; NaN to the format's canonical NaN, or +max when the
//   format has no NaN;
// - to ue8m0: the power of two at or above |x| (round up, a cast's default), clamped to
//   [2^-127, 2^127]: zero gives 0x00, infinities 0xfe, NaN 0xff, the sign is dropped;
// - float to integer: truncate, saturate, NaN to 0; integer to integer: keep the low bits;
//   integer to float: round to nearest even; to bool: nonzero (NaN included) is 1; from bool: 0
//   or 1, wrapped into integers (bool -> i1 is code 1).
// - f32/f64 + - * / sqrt: the host's correctly rounded operations. f16/bf16: the operation in f32
//   on exact operands then one rounding (innocuous double rounding since 24 >= 2p + 2); fma of
//   f16/bf16: exact product in double, TwoSum, round-to-odd, then one rounding.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dtype/dtype.h"
#include "support/expected.h"

namespace tilevm::conf {

// A typed code.
struct Val {
  dt::DType t;
  uint64_t code = 0;
};

// The value of a code (floats: NaN and infinities as such; integers: their value; bool: 0/1).
long double value_of(uint64_t code, const dt::DType& t);
// The code of t for value v under the rules above. Error for bool (convert() handles it).
Expected<uint64_t> code_of(long double v, const dt::DType& t);
// Whether code is a NaN of t.
bool is_nan_code(uint64_t code, const dt::DType& t);
// The canonical NaN code of t (t must have a NaN).
uint64_t nan_code(const dt::DType& t);

// Conversion of a typed code to `to`, by the rules above; to its own type the code is unchanged.
Expected<Val> convert(const Val& a, const dt::DType& to);

// Elementwise operation by mnemonic (the instruction table's names: add, sub, mul, div, mod,
// min, max, and, or, xor, shl, shr, eq, ne, lt, le, gt, ge, neg, abs, not, sqrt, round, exp,
// exp2, log, rsqrt, fma, where). Operands must share a dtype (where: a bool first operand).
// Errors name the operation and the type it is not defined for here.
Expected<Val> apply(const std::string& op, const std::vector<Val>& args);

// The distance in units in the last place of t between two float codes of t (0 when equal
// bits, or both NaN); huge for a NaN against a number or opposite infinities.
uint64_t ulp_distance(uint64_t a, uint64_t b, const dt::DType& t);

}  // namespace tilevm::conf
