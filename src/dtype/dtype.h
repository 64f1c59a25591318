// Data-type descriptors: every integer and floating-point format tilevm knows, by parameters.
//
// A dtype is a value (bits, signedness, exponent/mantissa widths, bias, infinity, NaN encoding),
// not an enum: a new format is a new descriptor. Values of any type are *codes*: the low `bits`
// bits of a uint64_t. See docs/dtypes.md for every format's parameters and the naming rules.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support/expected.h"

namespace tilevm::dt {

enum class Kind { Bool, Int, UInt, Float };

// How a float format encodes NaN (and whether codes are reserved for it).
enum class NanEncoding {
  None,      // all codes finite (the fNeEmM family, e2m1, e2m3, e3m2): no NaN, no infinity
  IeeeLike,  // exponent all ones and mantissa != 0 (f16, bf16, f32, f64, f8e5m2)
  AllOnes,   // only S.1111.111 (f8e4m3, OCP "FN"): both signs are NaN, no infinity
  UE8M0      // ue8m0: code 0xFF is NaN; unsigned, no mantissa, no zero
};

// A format descriptor. Integers: `kind` Int (two's complement) or UInt, `bits` 1..64, float
// fields zero. `bool` is Kind::Bool, 8 bits (one byte, as in C++ and CUDA); code 0 is false,
// code 1 is true and any other code also reads as true.
// Floats: value of a code with sign s, exponent field e and mantissa field m is
//   e == 0:          (-1)^s * 2^(1 - bias) * (m / 2^man_bits)          (zero and subnormals)
//   otherwise:       (-1)^s * 2^(e - bias) * (1 + m / 2^man_bits)
// except where `has_inf`/`nan` reserve codes. ue8m0 (exp_bits 8, man_bits 0, has_sign false)
// has no subnormals and no zero: code c is 2^(c - 127), code 0xFF is NaN.
struct DType {
  Kind kind = Kind::Int;
  int bits = 0;  // total bits, 1..64
  int exp_bits = 0, man_bits = 0, bias = 0;
  bool has_sign = true;
  bool has_inf = false;
  NanEncoding nan = NanEncoding::None;

  // Canonical name: "bool", "u3", "i7", "f16", "bf16", "f32", "f64", "f8e4m3" (OCP FN),
  // "f8e5m2" (IEEE-like), "f6e3m2", "ue8m0". The all-finite 8-bit members with E=4,M=3 and
  // E=5,M=2 print as "f8e4m3fin"/"f8e5m2fin" (not in all_dtypes(), but they parse). A
  // descriptor matching no named format prints as "float<bits,e,m,bias,...>" (not parseable).
  std::string name() const;
  bool is_float() const { return kind == Kind::Float; }
  bool is_int() const { return kind == Kind::Int || kind == Kind::UInt; }
  bool is_bool() const { return kind == Kind::Bool; }
  bool is_signed() const { return kind == Kind::Int || (kind == Kind::Float && has_sign); }
  bool operator==(const DType&) const = default;

  // Float facts, exact (every format here fits a double exactly). Integers: max_finite is the
  // largest value, min_normal/min_subnormal are 1. ue8m0: min_normal = min_subnormal = 2^-127.
  double max_finite() const;
  double min_normal() const;
  double min_subnormal() const;
  // All-ones mask of `bits` bits.
  uint64_t mask() const { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }
};

// Predefined descriptors.
inline constexpr DType kBool{Kind::Bool, 8};
inline constexpr DType kF16{Kind::Float, 16, 5, 10, 15, true, true, NanEncoding::IeeeLike};
inline constexpr DType kBF16{Kind::Float, 16, 8, 7, 127, true, true, NanEncoding::IeeeLike};
inline constexpr DType kF32{Kind::Float, 32, 8, 23, 127, true, true, NanEncoding::IeeeLike};
inline constexpr DType kF64{Kind::Float, 64, 11, 52, 1023, true, true, NanEncoding::IeeeLike};
inline constexpr DType kF8E4M3{Kind::Float, 8, 4, 3, 7, true, false, NanEncoding::AllOnes};
inline constexpr DType kF8E5M2{Kind::Float, 8, 5, 2, 15, true, true, NanEncoding::IeeeLike};
inline constexpr DType kUE8M0{Kind::Float, 8, 8, 0, 127, false, false, NanEncoding::UE8M0};
inline constexpr DType kF4E2M1{Kind::Float, 4, 2, 1, 1, true, false, NanEncoding::None};
inline constexpr DType kF6E2M3{Kind::Float, 6, 2, 3, 1, true, false, NanEncoding::None};
inline constexpr DType kF6E3M2{Kind::Float, 6, 3, 2, 3, true, false, NanEncoding::None};
inline constexpr DType kI8{Kind::Int, 8}, kI16{Kind::Int, 16}, kI32{Kind::Int, 32}, kI64{Kind::Int, 64};
inline constexpr DType kU8{Kind::UInt, 8, 0, 0, 0, false}, kU16{Kind::UInt, 16, 0, 0, 0, false},
    kU32{Kind::UInt, 32, 0, 0, 0, false}, kU64{Kind::UInt, 64, 0, 0, 0, false};

// The all-finite fNeEmM family member: 1+E+M bits, bias 2^(E-1)-1, no inf, no NaN.
// @pre exp_bits >= 1, man_bits >= 1, 1+exp_bits+man_bits <= 8.
DType float_format(int exp_bits, int man_bits);
// iN (is_signed) or uN. @pre bits in 1..64.
DType int_type(int bits, bool is_signed);

// Every named type of the overview's section 5, in a stable order: bool; u1..u8, u16, u32,
// u64; i1..i8, i16, i32, i64; f16, bf16, f32, f64, f8e4m3, f8e5m2, ue8m0; then the all-finite
// family by bits, then exponent width (f3e1m1, f4e1m2, f4e2m1, ..., f8e6m1).
const std::vector<DType>& all_dtypes();

// Parses a type name (exactly the canonical names, case-sensitive). On failure the message
// names the nearest valid names: "unknown data type 'f9'; did you mean f8e4m3, f16?".
Expected<DType> parse_dtype(std::string_view name);

}  // namespace tilevm::dt
