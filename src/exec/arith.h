// Bit-exact elementwise arithmetic on codes, shared by scalar evaluation and the emulator. These
// functions define the results both backends must produce (docs/emulator.md, "Arithmetic").
//
// Integers (iN, uN of 8, 16, 32, 64 bits) wrap modulo 2^bits. Division and remainder truncate
// toward zero (remainder takes the dividend's sign); MIN / -1 = MIN and MIN % -1 = 0; division
// or remainder by zero is reported (the caller traps). Shifts take the amount as an unsigned
// value of its type; amounts >= bits give 0 (shl, shr of unsigned or non-negative) or -1 (shr of
// a negative signed value), as PTX's clamped shifts do.
// Floats: f32 and f64 operations are the host's IEEE round-to-nearest-even operations (no
// contraction); f16 and bf16 operations are computed exactly-then-rounded-once: the exact
// operands in f64, one f64 operation, one rounding to the format (for + - * / sqrt this equals
// a single rounding of the exact result because 53 >= 2p + 2). fma is a single rounding of
// a*b+c (f16/bf16: through f64 with round-to-odd). NaN results are canonical: f16/bf16 0x7fff,
// f32 0x7fffffff, f64 0x7fffffffffffffff; neg and abs only flip or clear the sign bit (a NaN
// keeps its payload). min/max: a NaN operand gives the other operand, two NaNs the canonical
// NaN, and -0 < +0. Transcendentals (exp, exp2, log, rsqrt) are computed in f64 by the C
// library and rounded once to the format (within 1 ulp for f64, the table allows 2).
#pragma once

#include <cstdint>

#include "dtype/dtype.h"

namespace tilevm::exec {

enum class BinaryOp : uint8_t { Add, Sub, Mul, Div, Mod, Min, Max, And, Or, Xor, Shl, Shr };
enum class CompareOp : uint8_t { Eq, Ne, Lt, Le, Gt, Ge };
enum class UnaryOp : uint8_t { Neg, Abs, Not, Exp, Exp2, Log, Sqrt, Rsqrt, Round };

// `a op b` for codes of type t. Returns false only for integer division or remainder by zero
// (*out is then 0).
bool binary_op(BinaryOp op, const dt::DType& t, uint64_t a, uint64_t b, uint64_t* out);
// The comparison `a op b` of codes of type t (floats: IEEE, NaN unordered so only ne is true).
bool compare_op(CompareOp op, const dt::DType& t, uint64_t a, uint64_t b);
// `op a`. Not on bool is logical; the float-only ops on integers are rejected by the verifier.
uint64_t unary_op(UnaryOp op, const dt::DType& t, uint64_t a);
// a * b + c rounded once (integers: wrapping multiply-add).
uint64_t fma_op(const dt::DType& t, uint64_t a, uint64_t b, uint64_t c);

// Helpers: the code of t nearest to double v (one rounding; NaN gives t's canonical NaN), and
// the sign-extended value of an integer code.
uint64_t from_double(double v, const dt::DType& t);
int64_t sign_extend(uint64_t code, int bits);
// The canonical NaN code of a float type with NaN.
uint64_t canonical_nan(const dt::DType& t);

}  // namespace tilevm::exec
