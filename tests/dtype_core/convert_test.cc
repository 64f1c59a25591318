// Scalar conversions against hand-computed codes (and values measured on an H200 for NaNs).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>

#include "dtype/convert.h"

using namespace tilevm::dt;

namespace {
// f32 bit patterns used below.
constexpr uint64_t kOneTenth = 0x3DCCCCCD;  // 0.1f
constexpr uint64_t k1000 = 0x447A0000;      // 1000.0f
constexpr uint64_t kNaN = 0x7FC00000, kNegNaN = 0xFFC00000, kInf = 0x7F800000, kNegInf = 0xFF800000;
constexpr uint64_t kNegZero = 0x80000000;
uint64_t f32(float x) {
  uint32_t u;
  static_assert(sizeof u == sizeof x);
  __builtin_memcpy(&u, &x, 4);
  return u;
}
uint64_t cv(uint64_t code, const char* from, const char* to, Round r = Round::NearestEven) {
  return convert(code, *parse_dtype(from), *parse_dtype(to), r);
}
}  // namespace

TEST_CASE("convert: decode every code of e2m1 and samples of fp8") {
  const double e2m1[8] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
  for (int c = 0; c < 16; ++c) {
    double want = (c & 8) ? -e2m1[c & 7] : e2m1[c & 7];
    CHECK(decode(c, kF4E2M1) == want);
    CHECK(std::signbit(decode(c, kF4E2M1)) == ((c & 8) != 0));
  }
  CHECK(decode(0x7E, kF8E4M3) == 448);
  CHECK(std::isnan(decode(0x7F, kF8E4M3)));
  CHECK(std::isnan(decode(0xFF, kF8E4M3)));
  CHECK(decode(0x08, kF8E4M3) == 0x1p-6);
  CHECK(decode(0x01, kF8E4M3) == 0x1p-9);
  CHECK(decode(0x38, kF8E4M3) == 1.0);
  CHECK(decode(0x7C, kF8E5M2) == INFINITY);
  CHECK(decode(0xFC, kF8E5M2) == -INFINITY);
  CHECK(decode(0x7B, kF8E5M2) == 57344);
  CHECK(std::isnan(decode(0x7D, kF8E5M2)));
  CHECK(decode(0x3C, kF8E5M2) == 1.0);
  CHECK(decode(0x1F, kF6E2M3) == 7.5);
  CHECK(decode(0x1F, kF6E3M2) == 28);
  CHECK(decode(0x01, kF6E3M2) == 0.0625);
  CHECK(decode(0x00, kUE8M0) == 0x1p-127);
  CHECK(decode(0xFE, kUE8M0) == 0x1p127);
  CHECK(std::isnan(decode(0xFF, kUE8M0)));
  CHECK(decode(0xF, *parse_dtype("i4")) == -1);
  CHECK(decode(0x8, *parse_dtype("i4")) == -8);
  CHECK(decode(0xF, *parse_dtype("u4")) == 15);
  CHECK(classify(0x01, kF8E4M3) == FloatClass::Subnormal);
  CHECK(classify(0x08, kF8E4M3) == FloatClass::Normal);
  CHECK(classify(0x80, kF8E4M3) == FloatClass::Zero);
  CHECK(classify(0x7C, kF8E5M2) == FloatClass::Infinity);
  CHECK(classify(0x7F, kF8E4M3) == FloatClass::NaN);
  CHECK(classify(0x7F, *parse_dtype("f8e4m3fin")) == FloatClass::Normal);
  CHECK(classify(0x00, kUE8M0) == FloatClass::Normal);
}

TEST_CASE("convert: f32 to e4m3 (RNE, satfinite, NaN 0x7f)") {
  CHECK(cv(kOneTenth, "f32", "f8e4m3") == 0x1D);  // 1.625 * 2^-4
  CHECK(cv(k1000, "f32", "f8e4m3") == 0x7E);      // saturates to 448
  CHECK(cv(f32(-1000), "f32", "f8e4m3") == 0xFE);
  CHECK(cv(kNaN, "f32", "f8e4m3") == 0x7F);
  CHECK(cv(kNegNaN, "f32", "f8e4m3") == 0x7F);
  CHECK(cv(kInf, "f32", "f8e4m3") == 0x7E);
  CHECK(cv(kNegInf, "f32", "f8e4m3") == 0xFE);
  CHECK(cv(f32(464), "f32", "f8e4m3") == 0x7E);   // tie between 448 and 480 -> even (448)
  CHECK(cv(f32(460), "f32", "f8e4m3") == 0x7E);
  CHECK(cv(f32(0x1p-10), "f32", "f8e4m3") == 0x00);  // half the smallest subnormal: tie to 0
  CHECK(cv(f32(-0x1p-10), "f32", "f8e4m3") == 0x80);
  CHECK(cv(f32(0x1.000002p-10), "f32", "f8e4m3") == 0x01);
  CHECK(cv(f32(3 * 0x1p-10), "f32", "f8e4m3") == 0x02);  // 1.5 quanta: tie to even (2)
  CHECK(cv(f32(5 * 0x1p-10), "f32", "f8e4m3") == 0x02);  // 2.5 quanta -> 2
  CHECK(cv(f32(15 * 0x1p-10), "f32", "f8e4m3") == 0x08);  // 7.5 quanta -> 8 = min normal
  CHECK(cv(kNegZero, "f32", "f8e4m3") == 0x80);
  CHECK(cv(f32(1.0f), "f32", "f8e4m3") == 0x38);
  CHECK(cv(f32(1.0625f), "f32", "f8e4m3") == 0x38);  // tie between 1 and 1.125 -> even
  CHECK(cv(f32(1.1875f), "f32", "f8e4m3") == 0x3A);  // tie between 1.125 and 1.25 -> even
}

TEST_CASE("convert: f32 to e5m2 (satfinite, NaN 0x7f)") {
  CHECK(cv(kOneTenth, "f32", "f8e5m2") == 0x2E);  // 1.5 * 2^-4
  CHECK(cv(k1000, "f32", "f8e5m2") == 0x64);      // 1024
  CHECK(cv(kNaN, "f32", "f8e5m2") == 0x7F);
  CHECK(cv(kInf, "f32", "f8e5m2") == 0x7B);
  CHECK(cv(kNegInf, "f32", "f8e5m2") == 0xFB);
  CHECK(cv(f32(61440), "f32", "f8e5m2") == 0x7B);  // tie above max: would round to 2^16
  CHECK(cv(f32(61439), "f32", "f8e5m2") == 0x7B);
  CHECK(cv(f32(0x1p-17), "f32", "f8e5m2") == 0x00);
  CHECK(cv(f32(0x1.8p-16), "f32", "f8e5m2") == 0x02);
}

TEST_CASE("convert: f32 to the fp6/fp4 formats (NaN gives +max)") {
  CHECK(cv(kOneTenth, "f32", "f4e2m1") == 0x0);
  CHECK(cv(k1000, "f32", "f4e2m1") == 0x7);
  CHECK(cv(f32(-1000), "f32", "f4e2m1") == 0xF);
  CHECK(cv(kNaN, "f32", "f4e2m1") == 0x7);
  CHECK(cv(kNegNaN, "f32", "f4e2m1") == 0x7);
  CHECK(cv(kNegInf, "f32", "f4e2m1") == 0xF);
  CHECK(cv(f32(0.25f), "f32", "f4e2m1") == 0x0);   // tie 0 / 0.5 -> 0
  CHECK(cv(f32(0.75f), "f32", "f4e2m1") == 0x2);   // tie 0.5 / 1 -> 1
  CHECK(cv(f32(2.5f), "f32", "f4e2m1") == 0x4);    // tie 2 / 3 -> 2
  CHECK(cv(f32(5.0f), "f32", "f4e2m1") == 0x6);    // tie 4 / 6 -> 4
  CHECK(cv(f32(-0.0f), "f32", "f4e2m1") == 0x8);
  CHECK(cv(kOneTenth, "f32", "f6e2m3") == 0x01);   // 0.125
  CHECK(cv(kOneTenth, "f32", "f6e3m2") == 0x02);   // 0.125 (2 * 0.0625)
  CHECK(cv(k1000, "f32", "f6e3m2") == 0x1F);
  CHECK(cv(kNaN, "f32", "f6e2m3") == 0x1F);
  CHECK(cv(kNegNaN, "f32", "f6e3m2") == 0x1F);
  CHECK(cv(f32(2.5f), "f32", "f3e1m1") == 0x2);    // values 0,1,2,3: tie -> 2
  CHECK(cv(f32(100), "f32", "f3e1m1") == 0x3);
  CHECK(cv(kNegNaN, "f32", "f3e1m1") == 0x3);
  CHECK(cv(f32(0.5f), "f32", "f3e1m1") == 0x0);
  CHECK(cv(f32(0.50001f), "f32", "f3e1m1") == 0x1);
}

TEST_CASE("convert: to f16 and bf16 (IEEE RNE, overflow to inf, NaN 0x7fff)") {
  CHECK(cv(kOneTenth, "f32", "f16") == 0x2E66);
  CHECK(cv(f32(65520), "f32", "f16") == 0x7C00);
  CHECK(cv(f32(65519.996f), "f32", "f16") == 0x7BFF);
  CHECK(cv(kNaN, "f32", "f16") == 0x7FFF);
  CHECK(cv(kNegNaN, "f32", "f16") == 0x7FFF);
  CHECK(cv(kNegInf, "f32", "f16") == 0xFC00);
  CHECK(cv(f32(0x1p-25), "f32", "f16") == 0x0000);
  CHECK(cv(f32(0x1.000002p-25), "f32", "f16") == 0x0001);
  CHECK(cv(f32(1.0f), "f32", "f16") == 0x3C00);
  CHECK(cv(kOneTenth, "f32", "bf16") == 0x3DCD);
  CHECK(cv(0x7FC00001, "f32", "bf16") == 0x7FFF);
  CHECK(cv(0x7F7FFFFF, "f32", "bf16") == 0x7F80);
  CHECK(cv(0x3F808000, "f32", "bf16") == 0x3F80);  // tie -> even
  CHECK(cv(0x3F818000, "f32", "bf16") == 0x3F82);
  CHECK(cv(0x7E00, "f16", "bf16") == 0x7FFF);
  CHECK(cv(0x3C00, "f16", "bf16") == 0x3F80);
  CHECK(cv(0x7C00, "f16", "bf16") == 0x7F80);
  CHECK(cv(0x0001, "f16", "bf16") == 0x3380);  // 2^-24
}

TEST_CASE("convert: NaN payloads as the H200 produces them") {
  // Measured with cvt.f64.f32, cvt.rn.f32.f64, cvt.f32.f16, cvt.f64.f16, cvt.rn.f16.f64 and
  // cvt.rn.bf16.f64 on an H200 (sm_90), see docs/dtypes.md.
  CHECK(cv(0x7F800001, "f32", "f64") == 0x7FF8000020000000ull);
  CHECK(cv(0xFF812345, "f32", "f64") == 0xFFF82468A0000000ull);
  CHECK(cv(0xFFF123456789ABCDull, "f64", "f32") == 0xFFC91A2B);
  CHECK(cv(0x7FF0000000000001ull, "f64", "f32") == 0x7FC00000);
  CHECK(cv(0x7E00, "f16", "f32") == 0x7FFFFFFF);
  CHECK(cv(0xFD23, "f16", "f32") == 0x7FFFFFFF);
  CHECK(cv(0x7C01, "f16", "f64") == 0x7FF8040000000000ull);
  CHECK(cv(0xFD23, "f16", "f64") == 0xFFFC8C0000000000ull);
  CHECK(cv(0xFFF123456789ABCDull, "f64", "f16") == 0xFE48);
  CHECK(cv(0x7FF0000000000001ull, "f64", "f16") == 0x7E00);
  CHECK(cv(0xFFF123456789ABCDull, "f64", "bf16") == 0xFFC9);
  CHECK(cv(0xFFF8000000000000ull, "f64", "bf16") == 0xFFC0);
  // CUDA host functions: bf16 widens by a shift; fp8 widens through the canonical f16 NaN;
  // ue8m0 through bf16's; __nv_cvt_double_to_fp8 keeps the sign (and e5m2's top payload bits).
  CHECK(cv(0xFF81, "bf16", "f32") == 0xFF810000);
  CHECK(cv(0x7F, "f8e4m3", "f16") == 0x7FFF);
  CHECK(cv(0xFF, "f8e4m3", "f32") == 0x7FFFFFFF);
  CHECK(cv(0xFD, "f8e5m2", "f32") == 0x7FFFFFFF);
  CHECK(cv(0xFF, "ue8m0", "f32") == 0x7FFF0000);
  CHECK(cv(0xFF, "ue8m0", "bf16") == 0x7FFF);
  CHECK(cv(0xFF, "ue8m0", "f64") == 0x7FFFE00000000000ull);
  CHECK(cv(0xFF, "f8e4m3", "f64") == 0x7FFFFFFFE0000000ull);
  CHECK(cv(0xFFF8000000000000ull, "f64", "f8e4m3") == 0xFF);
  CHECK(cv(0x7FF8000000000000ull, "f64", "f8e4m3") == 0x7F);
  CHECK(cv(0xFFF0000000000001ull, "f64", "f8e5m2") == 0xFE);
  CHECK(cv(0x7FF4000000000000ull, "f64", "f8e5m2") == 0x7F);
  CHECK(cv(0xFFF8000000000000ull, "f64", "f4e2m1") == 0x7);
  CHECK(cv(0x7D, "f8e5m2", "f8e4m3") == 0x7F);
  CHECK(cv(0xFF, "f8e4m3", "f8e5m2") == 0x7F);
  CHECK(cv(0xFE00, "f16", "f8e4m3") == 0x7F);
  CHECK(cv(0xFFC1, "bf16", "f8e5m2") == 0x7F);
  CHECK(cv(0x7F800001, "f32", "f32") == 0x7F800001);  // same type: the code unchanged
}

TEST_CASE("convert: ue8m0 rounds toward zero or up, the default is up") {
  const DType u = kUE8M0;
  CHECK(convert(f32(1.0f), kF32, u, Round::TowardZero) == 127);
  CHECK(convert(f32(1.0f), kF32, u, Round::Up) == 127);
  CHECK(convert(f32(3.0f), kF32, u, Round::TowardZero) == 128);
  CHECK(convert(f32(3.0f), kF32, u, Round::Up) == 129);
  CHECK(convert(f32(3.0f), kF32, u) == 129);
  CHECK(convert(f32(-4.0f), kF32, u, Round::TowardZero) == 129);
  CHECK(convert(f32(-3.0f), kF32, u, Round::Up) == 129);
  CHECK(convert(f32(0.0f), kF32, u, Round::Up) == 0);
  CHECK(convert(kNegZero, kF32, u, Round::TowardZero) == 0);
  CHECK(convert(kInf, kF32, u, Round::Up) == 0xFE);
  CHECK(convert(kNegInf, kF32, u, Round::TowardZero) == 0xFE);
  CHECK(convert(kNaN, kF32, u, Round::TowardZero) == 0xFF);
  CHECK(convert(f32(0x1p-130f), kF32, u, Round::TowardZero) == 0);
  CHECK(convert(f32(0x1p-130f), kF32, u, Round::Up) == 0);
  CHECK(convert(0x00400001, kF32, u, Round::Up) == 1);  // just above 2^-127
  CHECK(convert(0x7F400000, kF32, u, Round::TowardZero) == 254);
  CHECK(convert(0x7F400000, kF32, u, Round::Up) == 254);  // 2^128 clamps to 2^127
  CHECK(convert(0x7F, u, kF32) == 0x3F800000);
  CHECK(convert(0x00, u, kF32) == 0x00400000);
  CHECK(convert(0x00, u, kBF16) == 0x0040);
  CHECK(convert(0x00, u, kF16) == 0x0000);
  CHECK(convert(0x8F, u, kF16) == 0x7C00);  // 2^16 overflows f16
  CHECK(convert(0x8F, u, kF8E4M3) == 0x7E);
  CHECK(convert(0x7F, u, kF4E2M1) == 0x2);
  CHECK(convert(5, *parse_dtype("u8"), u) == 130);  // 5 -> up to 8
  CHECK(rounding_choice_allowed(u, Round::TowardZero));
  CHECK(rounding_choice_allowed(u, Round::Up));
  CHECK_FALSE(rounding_choice_allowed(kF16, Round::TowardZero));
  CHECK_FALSE(rounding_choice_allowed(kF8E4M3, Round::Up));
  CHECK_FALSE(rounding_choice_allowed(kI8, Round::TowardZero));
  CHECK(rounding_choice_allowed(kF16, Round::NearestEven));
}

TEST_CASE("convert: float to integer rounds toward zero and saturates, NaN gives 0") {
  CHECK(cv(kOneTenth, "f32", "u4") == 0);
  CHECK(cv(k1000, "f32", "u4") == 15);
  CHECK(cv(kNaN, "f32", "u4") == 0);
  CHECK(cv(kNaN, "f32", "i32") == 0);
  CHECK(cv(f32(-3.7f), "f32", "u4") == 0);
  CHECK(cv(f32(7.9f), "f32", "u4") == 7);
  CHECK(cv(f32(-3.7f), "f32", "i4") == 0xD);
  CHECK(cv(f32(-100), "f32", "i4") == 0x8);
  CHECK(cv(f32(100), "f32", "i4") == 0x7);
  CHECK(cv(kInf, "f32", "i64") == 0x7FFFFFFFFFFFFFFFull);
  CHECK(cv(kNegInf, "f32", "i64") == 0x8000000000000000ull);
  CHECK(cv(kInf, "f32", "u64") == ~0ull);
  CHECK(cv(f32(0x1p63f), "f32", "u64") == 0x8000000000000000ull);
  CHECK(cv(f32(0x1p64f), "f32", "u64") == ~0ull);
  CHECK(cv(f32(-0x1p63f), "f32", "i64") == 0x8000000000000000ull);
  CHECK(cv(0xFE, "f8e4m3", "i8") == 0x80);  // -448 -> -128
  CHECK(cv(0x7B, "f8e5m2", "u16") == 57344);
  CHECK(cv(0x1, "f4e2m1", "i1") == 0);      // 0.5 -> 0
  CHECK(cv(0xA, "f4e2m1", "i1") == 1);      // -1 -> -1 (code 1)
  CHECK(cv(0xB, "f4e2m1", "i1") == 1);      // -1.5 -> -1
  CHECK(cv(0x3, "f4e2m1", "i1") == 0);      // 1.5 -> 1 -> saturates to 0 (i1 max)
}

TEST_CASE("convert: integers wrap, integers to floats round to nearest even") {
  CHECK(cv(0xFF, "i8", "u4") == 0xF);
  CHECK(cv(200, "u8", "i4") == 0x8);
  CHECK(cv(0xF, "i4", "i8") == 0xFF);
  CHECK(cv(0xF, "u4", "i8") == 0x0F);
  CHECK(cv(0x8, "i4", "u64") == 0xFFFFFFFFFFFFFFF8ull);
  CHECK(cv(0x1FF, "u16", "u8") == 0xFF);
  CHECK(cv(255, "u8", "f8e4m3") == 0x78);  // 256
  CHECK(cv(16777217, "i32", "f32") == 0x4B800000);
  CHECK(cv(~0ull, "u64", "f32") == 0x5F800000);
  CHECK(cv(70000, "u32", "f16") == 0x7C00);
  CHECK(cv(1000, "u16", "f8e4m3") == 0x7E);
  CHECK(cv(0x80, "i8", "f4e2m1") == 0xF);
  CHECK(cv(0x7, "i3", "f32") == f32(-1.0f));
  CHECK(cv(0x8000000000000000ull, "i64", "f64") == 0xC3E0000000000000ull);
  CHECK(cv(3, "u2", "f3e1m1") == 0x3);
}

TEST_CASE("convert: bool reads as 0/1 and is 1 for any nonzero value") {
  CHECK(cv(kNaN, "f32", "bool") == 1);
  CHECK(cv(kNegZero, "f32", "bool") == 0);
  CHECK(cv(0x00000001, "f32", "bool") == 1);
  CHECK(cv(1, "bool", "f32") == 0x3F800000);
  CHECK(cv(7, "bool", "f16") == 0x3C00);
  CHECK(cv(0, "bool", "f16") == 0x0000);
  CHECK(cv(2, "i8", "bool") == 1);
  CHECK(cv(0x10, "u8", "bool") == 1);
  CHECK(cv(1, "bool", "i1") == 1);
  CHECK(cv(1, "bool", "i8") == 1);
  CHECK(cv(0x80, "f8e4m3", "bool") == 0);
}

TEST_CASE("convert: widening is exact for every code of every small format") {
  for (const DType& t : all_dtypes()) {
    if (!t.is_float() || t.bits > 16) continue;
    CAPTURE(t.name());
    for (uint64_t c = 0; c < (uint64_t{1} << t.bits); ++c) {
      if (is_nan(c, t)) continue;
      uint64_t w = convert(c, t, kF64);
      double d;
      __builtin_memcpy(&d, &w, 8);
      double want = decode(c, t);
      CHECK((d == want && std::signbit(d) == std::signbit(want)));
      // and back (an fp8 infinity comes back as max: satfinite)
      bool sat_inf = t.bits <= 8 && classify(c, t) == FloatClass::Infinity;
      if (t.nan != NanEncoding::UE8M0 && !sat_inf) CHECK(convert(w, kF64, t) == c);
    }
  }
}
