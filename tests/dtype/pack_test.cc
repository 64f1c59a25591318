// Packing: hand-computed bytes for odd widths and lengths, element access, and round trips
// against an independent bit-by-bit packer for every width 1..16, 32 and 64.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "backend/cuda/dtype_verify_util.h"
#include "dtype/pack.h"

using namespace tilevm;

namespace {

struct Case {
  int bits;
  std::vector<uint64_t> codes;
  std::vector<uint8_t> bytes;  // worked out by hand from "stream bit k is bit k%8 of byte k/8"
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {1, {1, 0, 1, 1, 0, 0, 1, 0, 1}, {0x4d, 0x01}},
      {2, {3, 0, 1, 2, 3}, {0x93, 0x03}},
      {3, {1, 2, 3, 4, 5}, {0xd1, 0x58}},  // element 2 straddles bytes 0 and 1
      {4, {0xa, 0xb, 0xc}, {0xba, 0x0c}},
      {5, {0x1f, 0x00, 0x15}, {0x1f, 0x54}},
      {6, {0x2a, 0x15, 0x3f}, {0x6a, 0xf5, 0x03}},
      {7, {0x7f, 0x01}, {0xff, 0x00}},
      {8, {0x12, 0xff, 0x00}, {0x12, 0xff, 0x00}},
  };
  return all;
}

uint64_t mask(int bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

}  // namespace

TEST_CASE("pack: hand-computed bytes for widths 1..8") {
  for (const Case& c : cases()) {
    INFO("bits ", c.bits);
    REQUIRE(dt::packed_bytes(c.bits, c.codes.size()) == c.bytes.size());
    std::vector<uint8_t> out(c.bytes.size(), 0xee);
    dt::pack(c.codes.data(), c.codes.size(), c.bits, out.data());
    CHECK(out == c.bytes);
    std::vector<uint64_t> back(c.codes.size());
    dt::unpack(c.bytes.data(), back.size(), c.bits, back.data());
    CHECK(back == c.codes);
    for (size_t i = 0; i < c.codes.size(); ++i) CHECK(dt::get_element(c.bytes.data(), c.bits, i) == c.codes[i]);
  }
}

TEST_CASE("pack: set_element changes only its own bits, across byte boundaries") {
  for (int bits = 1; bits <= 16; ++bits) {
    for (uint8_t fill : {uint8_t{0x00}, uint8_t{0xff}, uint8_t{0x5a}}) {
      size_t n = 13;  // odd length: the last byte is partly unused
      std::vector<uint8_t> buf(dt::packed_bytes(bits, n), fill);
      std::vector<uint64_t> expect(n);
      for (size_t i = 0; i < n; ++i) expect[i] = dt::get_element(buf.data(), bits, i);
      for (size_t i = 0; i < n; i += 3) {
        uint64_t v = (0x9e3779b97f4a7c15ull * (i + 1)) & mask(bits);
        dt::set_element(buf.data(), bits, i, v | ~mask(bits));  // high bits of the code ignored
        expect[i] = v;
      }
      INFO("bits ", bits, " fill ", int(fill));
      for (size_t i = 0; i < n; ++i) CHECK(dt::get_element(buf.data(), bits, i) == expect[i]);
      CHECK(cuda::tail_untouched(buf, bits, n, fill));
    }
  }
}

TEST_CASE("pack: round trips against an independent packer, widths 1..16, 32, 64, odd lengths") {
  std::vector<int> widths;
  for (int b = 1; b <= 16; ++b) widths.push_back(b);
  widths.push_back(32);
  widths.push_back(64);
  uint64_t s = 12345;
  for (int bits : widths) {
    for (size_t n : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{9}, size_t{31}, size_t{33}, size_t{101}}) {
      std::vector<uint64_t> codes(n);
      for (uint64_t& c : codes) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        c = (s ^ (s >> 31)) & mask(bits);
      }
      std::vector<uint8_t> want = cuda::pack_codes(codes, bits);
      std::vector<uint8_t> got(dt::packed_bytes(bits, n), 0xcc);
      dt::pack(codes.data(), n, bits, got.data());
      INFO("bits ", bits, " n ", n);
      CHECK(got == want);  // includes: unused high bits of the last byte are zero
      std::vector<uint64_t> back(n);
      dt::unpack(want.data(), n, bits, back.data());
      CHECK(back == codes);
      std::vector<uint8_t> via_set(want.size(), 0);
      for (size_t i = 0; i < n; ++i) dt::set_element(via_set.data(), bits, i, codes[i]);
      CHECK(via_set == want);
    }
  }
}
