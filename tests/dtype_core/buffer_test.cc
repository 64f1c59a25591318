// Bulk conversion agrees with the scalar convert() element by element, on every path.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "dtype/convert.h"
#include "dtype/pack.h"

using namespace tilevm::dt;

namespace {
// Converts `codes` both ways and compares; the bytes past the last element must be untouched.
void check_buffer(const std::vector<uint64_t>& codes, const DType& from, const DType& to,
                  Round round = Round::NearestEven) {
  const size_t n = codes.size();
  std::vector<uint8_t> src(packed_bytes(from.bits, n) + 1, 0);
  pack(codes.data(), n, from.bits, src.data());
  std::vector<uint8_t> dst(packed_bytes(to.bits, n) + 1, 0xA5);
  convert_buffer(src.data(), from, dst.data(), to, n, round);
  size_t bad = 0;
  for (size_t i = 0; i < n && bad < 5; ++i) {
    uint64_t want = convert(codes[i], from, to, round);
    uint64_t got = get_element(dst.data(), to.bits, i);
    if (got != want) {
      ++bad;
      FAIL_CHECK(from.name() << " -> " << to.name() << " code " << codes[i] << ": buffer " << got
                             << ", scalar " << want);
    }
  }
  CHECK(dst.back() == 0xA5);
  size_t used = n * to.bits;
  if (used % 8) CHECK((dst[used / 8] >> (used % 8)) == (0xA5 >> (used % 8)));
}

std::vector<DType> targets() {
  std::vector<DType> out;
  for (const DType& t : all_dtypes()) out.push_back(t);
  return out;
}
}  // namespace

TEST_CASE("buffer: every code of every narrow source to every type") {
  const auto all = targets();
  for (const DType& from : all) {
    if (from.bits > 8) continue;
    std::vector<uint64_t> codes;
    for (int rep = 0; rep < 3; ++rep)  // long enough for the table paths, odd length
      for (uint64_t c = 0; c < (uint64_t{1} << from.bits); ++c) codes.push_back(c);
    codes.push_back(1);
    for (const DType& to : all) {
      check_buffer(codes, from, to);
      if (rounding_choice_allowed(to, Round::TowardZero)) check_buffer(codes, from, to, Round::TowardZero);
      check_buffer({codes.begin(), codes.begin() + 5}, from, to);  // short: the scalar path
    }
  }
}

TEST_CASE("buffer: f32 boundary and random inputs to every type") {
  std::vector<uint64_t> codes;
  std::mt19937_64 rng(7);
  for (uint32_t e = 0; e < 256; ++e)
    for (uint32_t m : {0u, 1u, 0x7FFFFFu, 0x400000u, 0x3FFFFFu, 0x400001u, 0x100000u, 0x080000u,
                       0x0FFFFFu, 0x100001u, 0x200000u, 0x1FFFFFu, 0x200001u, 0x600000u, 0x700000u})
      for (uint32_t s : {0u, 1u}) codes.push_back(s << 31 | e << 23 | m);
  for (int i = 0; i < 30000; ++i) codes.push_back(static_cast<uint32_t>(rng()));  // > 2^15: table path
  codes.push_back(0x7FC00000);
  for (const DType& to : targets()) {
    check_buffer(codes, kF32, to);
    if (rounding_choice_allowed(to, Round::Up)) check_buffer(codes, kF32, to, Round::Up);
    // shorter buffers take the arithmetic paths instead of the index tables
    for (size_t at = 0; at < codes.size(); at += 7919) {
      std::vector<uint64_t> part(codes.begin() + at, codes.begin() + std::min(at + 7919, codes.size()));
      check_buffer(part, kF32, to);
      if (rounding_choice_allowed(to, Round::TowardZero)) check_buffer(part, kF32, to, Round::TowardZero);
    }
  }
}

TEST_CASE("buffer: every f16 and bf16 code to the narrow formats through the large tables") {
  std::vector<uint64_t> codes(65536 + 3);
  for (size_t i = 0; i < codes.size(); ++i) codes[i] = i & 0xFFFF;
  for (const DType& from : {kF16, kBF16})
    for (const DType& to : {kF8E4M3, kF8E5M2, kF4E2M1, kF6E2M3, kUE8M0, kF32, float_format(2, 2)})
      check_buffer(codes, from, to);
}

TEST_CASE("buffer: wide and odd-width integer paths") {
  std::mt19937_64 rng(9);
  std::vector<uint64_t> codes(203);
  for (auto& c : codes) c = rng();
  for (const char* from : {"i64", "u32", "i16", "f64"})
    for (const char* to : {"i3", "u7", "f6e3m2", "f32", "bool", "u64"}) {
      DType f = *parse_dtype(from);
      std::vector<uint64_t> masked(codes);
      for (auto& c : masked) c &= f.mask();
      check_buffer(masked, f, *parse_dtype(to));
    }
}
