// The conformance oracle's ue8m0 conversions against hand-computed codes and against CUDA's host
// conversion functions (cuda_fp8.h, CUDA 13): __nv_cvt_{float,double,bfloat16raw}_to_e8m0 with
// __NV_SATFINITE and cudaRoundPosInf (a cast's rounding) and __nv_cvt_e8m0_to_bf16raw.
#include <doctest/doctest.h>

#include <cuda_bf16.h>
#include <cuda_fp8.h>

#include <bit>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "conformance/oracle.h"

namespace tilevm {
namespace {

uint64_t oracle(uint64_t code, const dt::DType& from, const dt::DType& to) {
  auto r = conf::convert(conf::Val{from, code}, to);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
  return r->code;
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

uint64_t cuda_from_f32(uint32_t bits) {
  return __nv_cvt_float_to_e8m0(std::bit_cast<float>(bits), __NV_SATFINITE, cudaRoundPosInf);
}

uint64_t cuda_from_f64(uint64_t bits) {
  return __nv_cvt_double_to_e8m0(std::bit_cast<double>(bits), __NV_SATFINITE, cudaRoundPosInf);
}

TEST_CASE("oracle ue8m0: hand-computed codes") {
  const auto to = [](uint32_t f32) { return oracle(f32, dt::kF32, dt::kUE8M0); };
  CHECK(to(0x00000000) == 0x00);  // zero: the smallest code, 2^-127
  CHECK(to(0x80000000) == 0x00);
  CHECK(to(0x3f800000) == 0x7f);  // 1
  CHECK(to(0xbf800000) == 0x7f);  // -1: the sign is dropped
  CHECK(to(0x3fc00000) == 0x80);  // 1.5 rounds up to 2
  CHECK(to(0x3f7fffff) == 0x7f);  // just below 1 rounds up to 1
  CHECK(to(0x00400000) == 0x00);  // 2^-127
  CHECK(to(0x00400001) == 0x01);  // just above: 2^-126
  CHECK(to(0x00000001) == 0x00);  // 2^-149: clamped up to 2^-127
  CHECK(to(0x7f000000) == 0xfe);  // 2^127
  CHECK(to(0x7f000001) == 0xfe);  // above 2^127: clamped
  CHECK(to(0x7f800000) == 0xfe);  // inf
  CHECK(to(0xff800000) == 0xfe);
  CHECK(to(0x7fc00000) == 0xff);  // NaN
  CHECK(oracle(0x4630000000000001ull, dt::kF64, dt::kUE8M0) == 0xe4);  // 2^100 + ulp: 2^101
  CHECK(oracle(0x0000000000000001ull, dt::kF64, dt::kUE8M0) == 0x00);
  CHECK(oracle(0x00, dt::kUE8M0, dt::kF32) == 0x00400000);  // 2^-127, an f32 subnormal
  CHECK(oracle(0xfe, dt::kUE8M0, dt::kF32) == 0x7f000000);
  CHECK(oracle(0xff, dt::kUE8M0, dt::kF32) == 0x7fff0000);
  CHECK(oracle(0x66, dt::kUE8M0, dt::kF16) == 0x0000);  // 2^-25: tie to even, 0
  CHECK(oracle(0x8f, dt::kUE8M0, dt::kF16) == 0x7c00);  // 2^16: infinity
}

TEST_CASE("oracle ue8m0: f32 to ue8m0 equals __nv_cvt_float_to_e8m0") {
  std::vector<uint32_t> inputs;
  for (uint32_t e = 0; e < 256; ++e)  // every exponent, both signs, mantissa edges
    for (uint32_t m : {0u, 1u, 2u, 0x3fffffu, 0x400000u, 0x400001u, 0x7ffffeu, 0x7fffffu})
      for (uint32_t s : {0u, 0x80000000u}) inputs.push_back(s | e << 23 | m);
  for (uint64_t x = 0; x < (uint64_t{1} << 32); x += 10007) inputs.push_back(static_cast<uint32_t>(x));
  int failed = 0;
  for (uint32_t x : inputs) {
    uint64_t want = cuda_from_f32(x), got = oracle(x, dt::kF32, dt::kUE8M0);
    if (want != got && ++failed <= 5) FAIL_CHECK("f32 " << hex(x) << ": CUDA " << hex(want) << ", oracle " << hex(got));
  }
  CHECK(failed == 0);
  CHECK(inputs.size() > 400000);
}

TEST_CASE("oracle ue8m0: f64 and every bf16 code to ue8m0 equal CUDA") {
  int failed = 0;
  for (uint64_t e = 0; e < 2048; ++e)  // every f64 exponent, both signs, mantissa edges
    for (uint64_t m : {0ull, 1ull, 0x7ffffffffffffull, 0x8000000000000ull, 0xfffffffffffffull, 0x0000000010000000ull})
      for (uint64_t s : {0ull, 0x8000000000000000ull}) {
        uint64_t x = s | e << 52 | m, want = cuda_from_f64(x), got = oracle(x, dt::kF64, dt::kUE8M0);
        if (want != got && ++failed <= 5) FAIL_CHECK("f64 " << hex(x) << ": CUDA " << hex(want) << ", oracle " << hex(got));
      }
  for (uint32_t c = 0; c < 65536; ++c) {
    __nv_bfloat16_raw b;
    b.x = static_cast<unsigned short>(c);
    uint64_t want = __nv_cvt_bfloat16raw_to_e8m0(b, __NV_SATFINITE, cudaRoundPosInf), got = oracle(c, dt::kBF16, dt::kUE8M0);
    if (want != got && ++failed <= 10) FAIL_CHECK("bf16 " << hex(c) << ": CUDA " << hex(want) << ", oracle " << hex(got));
  }
  CHECK(failed == 0);
}

TEST_CASE("oracle ue8m0: every code widened equals __nv_cvt_e8m0_to_bf16raw") {
  for (uint32_t c = 0; c < 256; ++c) {
    INFO("ue8m0 code " << c);
    const uint16_t bf = __nv_cvt_e8m0_to_bf16raw(static_cast<__nv_fp8_storage_t>(c)).x;
    CHECK(oracle(c, dt::kUE8M0, dt::kBF16) == bf);
    // bf16 -> f32 is a shift of the bits (NaN payload kept), so this is CUDA's f32 too.
    CHECK(oracle(c, dt::kUE8M0, dt::kF32) == uint64_t{bf} << 16);
  }
}

}  // namespace
}  // namespace tilevm
