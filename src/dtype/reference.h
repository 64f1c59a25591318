// A slow, obviously-correct reference for tilevm's conversions, independent of convert.cc.
//
// Every value is held exactly as NaN, ±infinity or (-1)^neg · mant · 2^exp with a 64-bit integer
// mantissa, and every rounding decision is made with integer arithmetic on those triples. It
// implements overview section 5 directly:
// - float → float format of ≤ 8 bits: round to nearest, ties to even, at every magnitude
//   including subnormals; overflow and ±inf saturate to ±max (satfinite); no flush to zero;
//   NaN → the format's canonical NaN (0x7f for f8e4m3/f8e5m2, 0xff for ue8m0) or +max when
//   the format has no NaN.
// - float → f16, bf16, f32, f64: IEEE round to nearest even, overflow → ±inf, inf stays inf.
// - ue8m0 target: |x| rounded toward zero or up to a power of two, clipped to [2^-127, 2^127];
//   zero → 2^-127, ±inf → 2^127, NaN → 0xff (what CUDA's __nv_cvt_float_to_e8m0 does).
// - float → integer: round toward zero, saturate, NaN → 0. integer → integer: wrap (low N bits).
//   integer → float: round to nearest even (through the same float rule as above).
// Two independent searches are offered: `convert` rounds by integer arithmetic on the exact
// triple (fast enough for sweeps of 2^32 inputs); `convert_by_table` enumerates every code of a
// target of ≤ 16 bits, sorts them by exact value and picks the nearest by exact comparison.
// Tests check the two against each other before trusting either against the library.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dtype/convert.h"
#include "dtype/dtype.h"

namespace tilevm::dt::ref {

// An exact value. For kFinite the value is (-1)^neg · mant · 2^exp (mant == 0 is a signed zero).
struct Exact {
  enum Class { kFinite, kInf, kNaN } cls = kFinite;
  bool neg = false;
  uint64_t mant = 0;
  int exp = 0;
};

// The reference's own reading of a descriptor (only this struct's builder looks at DType).
struct Format {
  enum Kind { kBool, kInt, kFloat, kE8M0 } kind = kInt;
  int bits = 0;
  bool is_signed = false;  // integers: two's complement; floats: has a sign bit
  int e = 0, m = 0, bias = 0;
  bool has_inf = false;
  enum Nan { kNoNan, kIeeeNan, kAllOnesNan, kE8M0Nan } nan = kNoNan;
  bool saturates() const { return kind == kFloat && bits <= 8; }
  bool operator==(const Format&) const = default;
};
Format format_of(const DType& t);

// The value of `code` read as `t` (bits above t.bits are ignored).
Exact decode(uint64_t code, const DType& t);
Exact decode(uint64_t code, const Format& f);

// The exact value as a double, when it is one (always for types of ≤ 32 bits; NaN → quiet NaN).
double to_double(const Exact& v);

// `code` of type `from` converted to `to` with rounding `r` (r matters for ue8m0 targets and is
// otherwise NearestEven). The source's class decides the rule family: integer sources wrap into
// integer targets, float sources truncate and saturate. Converting a type to itself returns the
// code unchanged (no rounding, no NaN or infinity rewriting).
uint64_t convert(uint64_t code, const DType& from, const DType& to, Round r = Round::NearestEven);
// The same with the formats read once (for sweeps).
uint64_t convert(uint64_t code, const Format& from, const Format& to, Round r = Round::NearestEven);

// The exact value `v` rounded into float format `f` (kFloat or kE8M0), by integer arithmetic.
uint64_t round_to_float(const Exact& v, const Format& f, Round r);

// The canonical NaN the reference gives a float target (+max for a format without NaN).
uint64_t nan_code(const Format& f);

// A NaN code of source `src` converted to `dst` (float NaN rules depend on the source for some
// pairs, as CUDA's host functions do); integers get 0 and bool gets 1.
uint64_t nan_result(uint64_t code, const Format& src, const Format& dst);

// Exact comparison of two finite values: negative, zero or positive as a < b, a == b, a > b.
int compare(const Exact& a, const Exact& b);

// Rounding by search: every finite non-negative code of a float target of ≤ 16 bits (or ue8m0),
// sorted by exact value; a value is rounded by binary search and exact comparison with the
// midpoint of its two neighbours, ties going to the code whose lowest bit is 0. For IEEE
// targets the value 2^(emax+1) stands after the largest finite as infinity (the rounding
// IEEE 754 prescribes: round as if the exponent were unbounded, overflow gives infinity).
class TableRounder {
 public:
  explicit TableRounder(const DType& to);
  uint64_t round(const Exact& v, Round r = Round::NearestEven) const;
  struct Entry {
    Exact value;
    uint64_t code;
  };
  // The sorted non-negative finite values, then (IEEE targets) the infinity stand-in.
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  Format f_;
  std::vector<Entry> entries_;
  size_t finite_count_ = 0;
};

// convert() for float targets of ≤ 16 bits through a TableRounder (slow: builds the table).
uint64_t convert_by_table(uint64_t code, const DType& from, const DType& to, Round r = Round::NearestEven);

// The exact value of `v` as a decimal string ("-0", "0.0625", "57344", "nan", "-inf").
std::string exact_decimal(const Exact& v);

// Inputs that sit on and around every rounding boundary of float target `to` as f32 codes:
// each representable value, each midpoint between neighbours, ±1 ulp (of f32) around both, the
// overflow threshold, the subnormal midpoints, ±0, ±inf, and NaNs with assorted payloads.
// Appends to `out` (duplicates possible).
void boundary_inputs_f32(const DType& to, std::vector<uint32_t>& out);

// A deterministic stream of f32 codes: every exponent with assorted mantissas (`count` inputs).
void spread_inputs_f32(size_t count, uint64_t seed, std::vector<uint32_t>& out);

}  // namespace tilevm::dt::ref
