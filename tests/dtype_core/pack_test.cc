// Packing: LSB-first gapless layout, element access across byte boundaries, round trips.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "dtype/pack.h"

using namespace tilevm::dt;

TEST_CASE("pack: hand-laid bytes") {
  // u4 [1, 2, 3]: element 0 in the low nibble of byte 0.
  const uint64_t a[] = {1, 2, 3};
  uint8_t out[2] = {0xAA, 0xAA};
  pack(a, 3, 4, out);
  CHECK(out[0] == 0x21);
  CHECK(out[1] == 0x03);
  // 3-bit [5, 6, 7]: stream 101 110 111 -> bits 0..8 = 1,0,1, 0,1,1, 1,1,1
  const uint64_t b[] = {5, 6, 7};
  pack(b, 3, 3, out);
  CHECK(out[0] == 0xF5);  // 11 110 101
  CHECK(out[1] == 0x01);
  // 6-bit [0x3F, 0, 0x2A]: bits 0..5 ones, 6..11 zero, 12..17 = 101010
  const uint64_t c[] = {0x3F, 0, 0x2A};
  uint8_t out3[3];
  pack(c, 3, 6, out3);
  CHECK(out3[0] == 0x3F);
  CHECK(out3[1] == 0xA0);
  CHECK(out3[2] == 0x02);
  CHECK(packed_bytes(3, 3) == 2);
  CHECK(packed_bytes(6, 3) == 3);
  CHECK(packed_bytes(1, 9) == 2);
  CHECK(packed_bytes(64, 3) == 24);
}

TEST_CASE("pack: round trips for every width 1..64 and odd lengths") {
  std::mt19937_64 rng(12345);
  for (int bits = 1; bits <= 64; ++bits) {
    for (size_t n : {size_t{1}, size_t{3}, size_t{7}, size_t{9}, size_t{13}, size_t{31}, size_t{101}}) {
      const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
      std::vector<uint64_t> codes(n), back(n);
      for (auto& x : codes) x = rng() & mask;
      std::vector<uint8_t> buf(packed_bytes(bits, n));
      pack(codes.data(), n, bits, buf.data());
      unpack(buf.data(), n, bits, back.data());
      CAPTURE(bits);
      CAPTURE(n);
      CHECK(back == codes);
      for (size_t i = 0; i < n; ++i) CHECK(get_element(buf.data(), bits, i) == codes[i]);
      // set_element rebuilds the same bytes from a buffer of garbage
      std::vector<uint8_t> buf2(buf.size(), 0xFF);
      if ((n * bits) % 8) buf2.back() = buf.back();  // unused tail bits differ otherwise
      for (size_t i = 0; i < n; ++i) set_element(buf2.data(), bits, i, codes[i]);
      CHECK(buf2 == buf);
    }
  }
}

TEST_CASE("pack: set_element touches only its own bits, across byte boundaries") {
  for (int bits = 1; bits <= 8; ++bits) {
    for (size_t i = 0; i < 16; ++i) {
      std::vector<uint8_t> buf(packed_bytes(bits, 17), 0);
      set_element(buf.data(), bits, i, ~uint64_t{0});  // high garbage bits must be ignored
      for (size_t k = 0; k < buf.size() * 8; ++k) {
        bool inside = k >= i * bits && k < (i + 1) * bits;
        CHECK(((buf[k / 8] >> (k % 8)) & 1) == (inside ? 1 : 0));
      }
      set_element(buf.data(), bits, i, 0);
      for (uint8_t b : buf) CHECK(b == 0);
    }
  }
}
