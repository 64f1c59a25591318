// The reference itself: hand-computed values, its two searches against each other, and against
// CUDA's host functions wherever CUDA defines the format (so it can be trusted elsewhere).
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "backend/cuda/host_convert.h"
#include "dtype/reference.h"

using namespace tilevm;
using namespace tilevm::dt;

namespace {

uint64_t f32_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

struct Target {
  const char* label;
  DType type;
};

// The formats CUDA defines (as targets of ≤ 16 bits) and a few of the all-finite family.
std::vector<Target> cuda_targets() {
  return {{"f8e4m3", kF8E4M3}, {"f8e5m2", kF8E5M2}, {"f6e2m3", kF6E2M3}, {"f6e3m2", kF6E3M2},
          {"f4e2m1", kF4E2M1}, {"ue8m0", kUE8M0},   {"f16", kF16},       {"bf16", kBF16}};
}

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

TEST_CASE("reference: hand-computed values") {
  // f8e4m3 (OCP): max 448 = 0x7e, 464 (the tie above it) and inf saturate, NaN is 0x7f.
  CHECK(ref::convert(f32_bits(448.0f), kF32, kF8E4M3) == 0x7e);
  CHECK(ref::convert(f32_bits(464.0f), kF32, kF8E4M3) == 0x7e);
  CHECK(ref::convert(f32_bits(-1e30f), kF32, kF8E4M3) == 0xfe);
  CHECK(ref::convert(0x7f800000, kF32, kF8E4M3) == 0x7e);
  CHECK(ref::convert(0xffc00000, kF32, kF8E4M3) == 0x7f);
  // f8e4m3 subnormals are k * 2^-9: 2^-10 is a tie between 0 and 2^-9 → 0 (even);
  // 3 * 2^-10 is a tie between 2^-9 (odd) and 2^-8 (even) → 2^-8 = 0x02.
  CHECK(ref::convert(f32_bits(0x1p-10f), kF32, kF8E4M3) == 0x00);
  CHECK(ref::convert(f32_bits(-0x1p-10f), kF32, kF8E4M3) == 0x80);
  CHECK(ref::convert(f32_bits(0x3p-10f), kF32, kF8E4M3) == 0x02);
  CHECK(ref::convert(f32_bits(0x1.000002p-10f), kF32, kF8E4M3) == 0x01);
  // f8e5m2 saturates too: max 57344 = 0x7b; inf → 0x7b.
  CHECK(ref::convert(0x7f800000, kF32, kF8E5M2) == 0x7b);
  CHECK(ref::convert(f32_bits(61440.0f), kF32, kF8E5M2) == 0x7b);
  // f4e2m1: values 0 .5 1 1.5 2 3 4 6; 5 is a tie → 4 (0x6, even); 2.5 → 2 (0x4); NaN → +6.
  CHECK(ref::convert(f32_bits(5.0f), kF32, kF4E2M1) == 0x6);
  CHECK(ref::convert(f32_bits(2.5f), kF32, kF4E2M1) == 0x4);
  CHECK(ref::convert(f32_bits(-0.25f), kF32, kF4E2M1) == 0x8);
  CHECK(ref::convert(f32_bits(-0.26f), kF32, kF4E2M1) == 0x9);
  CHECK(ref::convert(0xffc00000, kF32, kF4E2M1) == 0x7);
  // f16: 65520 is the overflow threshold (tie between 65504 and 2^16) → inf.
  CHECK(ref::convert(f32_bits(65520.0f), kF32, kF16) == 0x7c00);
  CHECK(ref::convert(f32_bits(65519.996f), kF32, kF16) == 0x7bff);
  CHECK(ref::convert(f32_bits(0x1p-25f), kF32, kF16) == 0x0000);
  CHECK(ref::convert(f32_bits(0x1.000002p-25f), kF32, kF16) == 0x0001);
  // ue8m0: 3.0 → 2^1 (toward zero) or 2^2 (up, also the default); zero → 2^-127; NaN → 0xff.
  CHECK(ref::convert(f32_bits(3.0f), kF32, kUE8M0, Round::TowardZero) == 128);
  CHECK(ref::convert(f32_bits(-3.0f), kF32, kUE8M0, Round::Up) == 129);
  CHECK(ref::convert(f32_bits(3.0f), kF32, kUE8M0) == 129);
  CHECK(ref::convert(0, kF32, kUE8M0, Round::Up) == 0);
  CHECK(ref::convert(0x7fc00000, kF32, kUE8M0, Round::TowardZero) == 0xff);
  // integers: toward zero, saturate, NaN → 0, wrap between integers.
  CHECK(ref::convert(f32_bits(-2.9f), kF32, kI8) == 0xfe);
  CHECK(ref::convert(f32_bits(300.0f), kF32, kI8) == 0x7f);
  CHECK(ref::convert(f32_bits(-300.0f), kF32, kI8) == 0x80);
  CHECK(ref::convert(f32_bits(-1.0f), kF32, kU8) == 0x00);
  CHECK(ref::convert(0x7fc00000, kF32, kI32) == 0);
  CHECK(ref::convert(0x1ff, kI16, kI8) == 0xff);
  CHECK(ref::convert(0xff, kI8, kI16) == 0xffff);
  CHECK(ref::convert(0xff, kU8, kI16) == 0x00ff);
  CHECK(ref::convert(0x9, DType{Kind::Int, 4}, kF32) == f32_bits(-7.0f));
  CHECK(ref::convert(0xffffffffffffffffull, kU64, kF32) == f32_bits(0x1p64f));
  CHECK(ref::convert(0x7fffffffffffffffull, kI64, kF16) == 0x7c00);
}

TEST_CASE("reference: exact decode and decimal text") {
  CHECK(ref::exact_decimal(ref::decode(0x01, kF8E4M3)) == "0.001953125");
  CHECK(ref::exact_decimal(ref::decode(0x7e, kF8E4M3)) == "448");
  CHECK(ref::exact_decimal(ref::decode(0xfb, kF8E5M2)) == "-57344");
  CHECK(ref::exact_decimal(ref::decode(0x7c, kF8E5M2)) == "inf");
  CHECK(ref::exact_decimal(ref::decode(0x80, kF8E4M3)) == "-0");
  CHECK(ref::exact_decimal(ref::decode(0x00, kUE8M0)) ==
        "0.0000000000000000000000000000000000000058774717541114375398436826861112283890933277838604"
        "376075437585313920862972736358642578125");
  CHECK(ref::exact_decimal(ref::decode(0x8000000000000000ull, kI64)) == "-9223372036854775808");
  CHECK(ref::decode(0xff, kUE8M0).cls == ref::Exact::kNaN);
  CHECK(ref::decode(0x7f, kF8E4M3).cls == ref::Exact::kNaN);
  CHECK(ref::decode(0x7e, kF8E4M3).cls == ref::Exact::kFinite);
}

TEST_CASE("reference: table search agrees with integer rounding on every f16 and bf16 input") {
  for (const Target& t : cuda_targets()) {
    for (const DType& src : {kF16, kBF16}) {
      ref::TableRounder table(t.type);
      Round r = t.type == kUE8M0 ? Round::Up : Round::NearestEven;
      size_t bad = 0;
      for (uint64_t c = 0; c < 65536; ++c) {
        ref::Exact v = ref::decode(c, src);
        if (v.cls == ref::Exact::kNaN) continue;
        if (table.round(v, r) != ref::convert(c, src, t.type, r)) ++bad;
      }
      INFO("target ", std::string(t.label));
      CHECK(bad == 0);
    }
  }
}

TEST_CASE("reference: agrees with CUDA's host functions on f16, bf16 and f32 boundary inputs") {
  for (const Target& t : cuda_targets()) {
    std::vector<Round> modes = {Round::NearestEven};
    if (t.type == kUE8M0) modes = {Round::NearestEven, Round::TowardZero, Round::Up};
    std::vector<uint32_t> f32_inputs;
    ref::boundary_inputs_f32(t.type, f32_inputs);
    for (Round r : modes) {
      for (const DType& src : {kF16, kBF16, kF32}) {
        if (src == t.type) continue;
        std::vector<uint64_t> inputs;
        if (src == kF32) inputs.assign(f32_inputs.begin(), f32_inputs.end());
        else for (uint64_t c = 0; c < 65536; ++c) inputs.push_back(c);
        size_t bad = 0, checked = 0;
        std::string first;
        for (uint64_t c : inputs) {
          auto want = cuda::host_convert(c, src, t.type, r);
          if (!want) continue;
          ++checked;
          uint64_t got = ref::convert(c, src, t.type, r);
          if (got != *want && bad++ == 0) first = hex(c) + ": reference " + hex(got) + ", CUDA " + hex(*want);
        }
        INFO("target ", std::string(t.label), " source bits ", src.bits, " first mismatch ", first);
        CHECK(checked > 0);
        CHECK(bad == 0);
      }
    }
  }
}
