// Data-type registry: names parse and print back, facts match hand-computed values.
#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>

#include "dtype/dtype.h"

using namespace tilevm::dt;

TEST_CASE("registry: every name parses and prints back the same") {
  const auto& all = all_dtypes();
  // bool + 11 unsigned + 11 signed + 7 named floats + family members (sum over N=3..8 of N-2,
  // minus the two 8-bit members shadowed by f8e4m3/f8e5m2)
  CHECK(all.size() == 1 + 11 + 11 + 7 + (1 + 2 + 3 + 4 + 5 + 6 - 2));
  std::set<std::string> names;
  for (const DType& t : all) {
    auto parsed = parse_dtype(t.name());
    REQUIRE_MESSAGE(parsed.ok(), t.name());
    CHECK(*parsed == t);
    CHECK(parsed->name() == t.name());
    names.insert(t.name());
  }
  CHECK(names.size() == all.size());
  for (const char* n : {"bool", "u1", "u7", "u64", "i1", "i3", "i16", "f16", "bf16", "f32", "f64",
                        "f8e4m3", "f8e5m2", "ue8m0", "f4e2m1", "f6e2m3", "f6e3m2", "f3e1m1",
                        "f8e3m4", "f8e6m1", "f8e1m6", "f5e2m2", "f7e3m3"})
    CHECK_MESSAGE(names.count(n) == 1, n);
}

TEST_CASE("registry: the all-finite 8-bit e4m3/e5m2 members have no default name") {
  DType fin = float_format(4, 3);
  CHECK(fin != kF8E4M3);
  CHECK(fin.name() == "f8e4m3fin");
  CHECK(float_format(5, 2).name() == "f8e5m2fin");
  CHECK(*parse_dtype("f8e4m3fin") == fin);
  CHECK(*parse_dtype("f8e4m3") == kF8E4M3);
  CHECK(*parse_dtype("f8e5m2") == kF8E5M2);
  CHECK(*parse_dtype("f6e3m2") == kF6E3M2);
  CHECK(*parse_dtype("f4e2m1") == kF4E2M1);
}

TEST_CASE("registry: unknown names suggest the nearest valid ones") {
  auto r = parse_dtype("f9");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("unknown data type 'f9'") != std::string::npos);
  CHECK(r.error().message.find("did you mean") != std::string::npos);
  auto r2 = parse_dtype("f8e4m2");
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().message.find("f8e4m3") != std::string::npos);
  auto r3 = parse_dtype("bfloat16");
  REQUIRE_FALSE(r3.ok());
  CHECK(r3.error().message.find("bf16") != std::string::npos);
  auto r4 = parse_dtype("u9");
  REQUIRE_FALSE(r4.ok());
  CHECK(r4.error().message == "unknown data type 'u9'; did you mean u8, u7, u6?");
  auto r5 = parse_dtype("F16");
  REQUIRE_FALSE(r5.ok());
  CHECK(r5.error().message == "unknown data type 'F16'; did you mean f16?");
  for (const char* bad : {"", "F16", "f4e1m1", "f9e4m4", "i0", "u128", "f2e1m0", "f8e7m0"})
    CHECK_MESSAGE(!parse_dtype(bad).ok(), bad);
}

TEST_CASE("registry: format facts are the hand-computed values") {
  struct Row { const char* name; int bits, e, m, bias; double max, min_normal, min_sub; };
  const Row rows[] = {
      {"f8e4m3", 8, 4, 3, 7, 448, 0x1p-6, 0x1p-9},
      {"f8e5m2", 8, 5, 2, 15, 57344, 0x1p-14, 0x1p-16},
      {"f4e2m1", 4, 2, 1, 1, 6, 1, 0.5},
      {"f6e2m3", 6, 2, 3, 1, 7.5, 1, 0.125},
      {"f6e3m2", 6, 3, 2, 3, 28, 0.25, 0.0625},
      {"f3e1m1", 3, 1, 1, 0, 3, 2, 1},
      {"f8e6m1", 8, 6, 1, 31, 0x1.8p32, 0x1p-30, 0x1p-31},
      {"f8e4m3fin", 8, 4, 3, 7, 480, 0x1p-6, 0x1p-9},
      {"f8e5m2fin", 8, 5, 2, 15, 114688, 0x1p-14, 0x1p-16},
      {"f16", 16, 5, 10, 15, 65504, 0x1p-14, 0x1p-24},
      {"bf16", 16, 8, 7, 127, 0x1.FEp127, 0x1p-126, 0x1p-133},
      {"f32", 32, 8, 23, 127, 0x1.FFFFFEp127, 0x1p-126, 0x1p-149},
      {"ue8m0", 8, 8, 0, 127, 0x1p127, 0x1p-127, 0x1p-127},
  };
  for (const Row& r : rows) {
    DType t = *parse_dtype(r.name);
    CAPTURE(r.name);
    CHECK(t.bits == r.bits);
    CHECK(t.exp_bits == r.e);
    CHECK(t.man_bits == r.m);
    CHECK(t.bias == r.bias);
    CHECK(t.max_finite() == r.max);
    CHECK(t.min_normal() == r.min_normal);
    CHECK(t.min_subnormal() == r.min_sub);
  }
  CHECK(kF8E4M3.nan == NanEncoding::AllOnes);
  CHECK_FALSE(kF8E4M3.has_inf);
  CHECK(kF8E5M2.has_inf);
  CHECK_FALSE(kF4E2M1.has_inf);
  CHECK(kF4E2M1.nan == NanEncoding::None);
  CHECK(parse_dtype("i7")->max_finite() == 63);
  CHECK(parse_dtype("u3")->max_finite() == 7);
  CHECK(parse_dtype("i7")->is_signed());
  CHECK_FALSE(parse_dtype("u7")->is_signed());
  CHECK_FALSE(kUE8M0.is_signed());
  CHECK(kBool.bits == 8);
}
