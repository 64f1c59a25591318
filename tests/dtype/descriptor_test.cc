// Descriptors, names, parsing and the library's conversions on hand-computed values.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "dtype/convert.h"
#include "dtype/dtype.h"

using namespace tilevm;
using namespace tilevm::dt;

namespace {

uint64_t f32_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

// The expected list of overview section 5, in all_dtypes() order.
std::vector<std::string> expected_names() {
  std::vector<std::string> n = {"bool"};
  for (const char* p : {"u", "i"}) {
    for (int b = 1; b <= 8; ++b) n.push_back(p + std::to_string(b));
    for (int b : {16, 32, 64}) n.push_back(p + std::to_string(b));
  }
  for (const char* f : {"f16", "bf16", "f32", "f64", "f8e4m3", "f8e5m2", "ue8m0"}) n.push_back(f);
  for (int bits = 3; bits <= 8; ++bits)
    for (int e = 1; e <= bits - 2; ++e) {
      int m = bits - 1 - e;
      if (bits == 8 && (e == 4 || e == 5)) continue;  // the named OCP/IEEE-like formats
      n.push_back("f" + std::to_string(bits) + "e" + std::to_string(e) + "m" + std::to_string(m));
    }
  return n;
}

}  // namespace

TEST_CASE("dtype: every type of overview section 5, named and parsed back") {
  std::vector<std::string> want = expected_names();
  const auto& all = all_dtypes();
  REQUIRE(all.size() == want.size());
  for (size_t i = 0; i < all.size(); ++i) {
    INFO(want[i]);
    CHECK(all[i].name() == want[i]);
    auto parsed = parse_dtype(want[i]);
    REQUIRE(parsed.ok());
    CHECK(*parsed == all[i]);
  }
  CHECK(parse_dtype("f8e4m3fin").ok());
  CHECK(parse_dtype("f8e4m3fin")->name() == "f8e4m3fin");
  CHECK(*parse_dtype("f8e4m3fin") == float_format(4, 3));
}

TEST_CASE("dtype: parameters follow the formulas of overview section 5") {
  for (const DType& t : all_dtypes()) {
    INFO(t.name());
    if (t.is_bool()) CHECK(t.bits == 8);
    if (!t.is_float()) continue;
    if (t == kUE8M0) {
      CHECK(t.max_finite() == std::ldexp(1.0, 127));
      CHECK(t.min_normal() == std::ldexp(1.0, -127));
      CHECK(t.min_subnormal() == std::ldexp(1.0, -127));
      continue;
    }
    int e = t.exp_bits, m = t.man_bits;
    CHECK(t.bits == 1 + e + m);
    CHECK(t.bias == (1 << (e - 1)) - 1);
    CHECK(t.min_normal() == std::ldexp(1.0, 1 - t.bias));
    CHECK(t.min_subnormal() == std::ldexp(1.0, 1 - t.bias - m));
    int top = (1 << e) - 1 - t.bias;  // exponent of the all-ones field
    double max = t.has_inf ? std::ldexp(2.0 - std::ldexp(1.0, -m), top - 1)
                 : t.nan == NanEncoding::AllOnes ? std::ldexp(2.0 - std::ldexp(1.0, 1 - m), top)
                                                 : std::ldexp(2.0 - std::ldexp(1.0, -m), top);
    CHECK(t.max_finite() == max);
  }
  CHECK(kF8E4M3.max_finite() == 448.0);
  CHECK(kF8E5M2.max_finite() == 57344.0);
  CHECK(kF4E2M1.max_finite() == 6.0);
  CHECK(kF6E2M3.max_finite() == 7.5);
  CHECK(kF6E3M2.max_finite() == 28.0);
  CHECK(kF16.max_finite() == 65504.0);
  CHECK(float_format(1, 1).max_finite() == 3.0);
}

TEST_CASE("dtype: unknown names are errors naming the nearest valid names") {
  for (const char* bad : {"f9", "f8e4m4", "fp16", "i9", "u0", "F16", "f8e0m7", "bf8"}) {
    auto r = parse_dtype(bad);
    INFO(bad);
    REQUIRE(!r.ok());
    CHECK(r.error().message.find("did you mean") != std::string::npos);
  }
  CHECK(!parse_dtype("").ok());
  CHECK(!parse_dtype("f8e4m3 ").ok());
}

TEST_CASE("dtype: rounding choices exist only for ue8m0") {
  for (const DType& t : all_dtypes()) {
    INFO(t.name());
    CHECK(rounding_choice_allowed(t, Round::NearestEven));
    CHECK(rounding_choice_allowed(t, Round::TowardZero) == (t == kUE8M0));
    CHECK(rounding_choice_allowed(t, Round::Up) == (t == kUE8M0));
  }
}

TEST_CASE("dtype: hand-computed conversions") {
  CHECK(convert(f32_bits(448.0f), kF32, kF8E4M3) == 0x7e);
  CHECK(convert(f32_bits(464.0f), kF32, kF8E4M3) == 0x7e);        // tie above max: saturate
  CHECK(convert(0xff800000, kF32, kF8E4M3) == 0xfe);              // -inf → -max
  CHECK(convert(0x7f800000, kF32, kF8E5M2) == 0x7b);              // satfinite for e5m2 too
  CHECK(convert(f32_bits(0x3p-10f), kF32, kF8E4M3) == 0x02);      // subnormal tie → even
  CHECK(convert(f32_bits(-0x1p-10f), kF32, kF8E4M3) == 0x80);     // no flush: -0
  CHECK(convert(f32_bits(5.0f), kF32, kF4E2M1) == 0x6);           // tie 4|6 → 4
  CHECK(convert(0x7fc00000, kF32, kF4E2M1) == 0x7);               // NaN → +max
  CHECK(convert(0xffc00000, kF32, kF6E3M2) == 0x1f);
  CHECK(convert(f32_bits(65520.0f), kF32, kF16) == 0x7c00);       // IEEE overflow → inf
  CHECK(convert(f32_bits(3.0f), kF32, kUE8M0, Round::TowardZero) == 128);
  CHECK(convert(f32_bits(3.0f), kF32, kUE8M0, Round::Up) == 129);
  CHECK(convert(f32_bits(3.0f), kF32, kUE8M0) == 129);
  CHECK(convert(f32_bits(-2.9f), kF32, kI8) == 0xfe);
  CHECK(convert(f32_bits(1e10f), kF32, kU16) == 0xffff);
  CHECK(convert(0x7fc00000, kF32, kI32) == 0);
  CHECK(convert(0x1ff, kI16, kI8) == 0xff);
  CHECK(convert(0x3, int_type(2, true), kI8) == 0xff);            // i2 -1 → i8 -1
  CHECK(convert(0x5, int_type(3, false), int_type(2, true)) == 0x1);  // wrap
  CHECK(convert(0x7e, kF8E4M3, kF32) == f32_bits(448.0f));
  CHECK(convert(0x00, kUE8M0, kF32) == 0x00400000);               // 2^-127, an f32 subnormal
  CHECK(convert(0x7f, kF8E4M3, kF16) == 0x7fff);
  CHECK(convert(0x2, kBool, kF32) == f32_bits(1.0f));
  CHECK(convert(0x7fc00000, kF32, kBool) == 1);
  CHECK(convert(0x80000000, kF32, kBool) == 0);
}
