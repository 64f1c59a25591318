// Gapless LSB-first packing: element access across byte boundaries and whole-buffer pack/unpack.
#include "dtype/pack.h"

#include <cstring>

#include "support/check.h"

namespace tilevm::dt {

size_t packed_bytes(int bits, size_t n) {
  TILEVM_CHECK(bits >= 1 && bits <= 64);
  return (n * static_cast<size_t>(bits) + 7) / 8;
}

uint64_t get_element(const uint8_t* buf, int bits, size_t i) {
  TILEVM_CHECK(bits >= 1 && bits <= 64);
  size_t bit = i * static_cast<size_t>(bits);
  size_t byte = bit / 8;
  int shift = static_cast<int>(bit % 8);
  uint64_t v = buf[byte++] >> shift;
  int got = 8 - shift;
  while (got < bits) {  // got <= 63 here, so the shift is defined
    v |= static_cast<uint64_t>(buf[byte++]) << got;
    got += 8;
  }
  return bits == 64 ? v : v & ((uint64_t{1} << bits) - 1);
}

void set_element(uint8_t* buf, int bits, size_t i, uint64_t code) {
  TILEVM_CHECK(bits >= 1 && bits <= 64);
  size_t bit = i * static_cast<size_t>(bits);
  size_t byte = bit / 8;
  int shift = static_cast<int>(bit % 8);
  int left = bits;  // bits still to write, taken from the low end of `code`
  while (left > 0) {
    int take = left < 8 - shift ? left : 8 - shift;
    uint8_t m = static_cast<uint8_t>(((1u << take) - 1) << shift);
    buf[byte] = static_cast<uint8_t>((buf[byte] & ~m) | ((code << shift) & m));
    code >>= take;
    left -= take;
    shift = 0;
    ++byte;
  }
}

void pack(const uint64_t* codes, size_t n, int bits, uint8_t* out) {
  TILEVM_CHECK(bits >= 1 && bits <= 64);
  if (bits % 8 == 0) {  // whole bytes: little-endian copies
    size_t w = static_cast<size_t>(bits) / 8;
    for (size_t i = 0; i < n; ++i)
      for (size_t b = 0; b < w; ++b) out[i * w + b] = static_cast<uint8_t>(codes[i] >> (8 * b));
    return;
  }
  // bits < 64: a 128-bit accumulator never overflows (at most 7 + 63 pending bits).
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  unsigned __int128 acc = 0;
  int pending = 0;
  size_t o = 0;
  for (size_t i = 0; i < n; ++i) {
    acc |= static_cast<unsigned __int128>(codes[i] & mask) << pending;
    pending += bits;
    while (pending >= 8) {
      out[o++] = static_cast<uint8_t>(acc);
      acc >>= 8;
      pending -= 8;
    }
  }
  if (pending > 0) out[o] = static_cast<uint8_t>(acc);
}

void unpack(const uint8_t* in, size_t n, int bits, uint64_t* codes) {
  TILEVM_CHECK(bits >= 1 && bits <= 64);
  if (bits % 8 == 0) {
    size_t w = static_cast<size_t>(bits) / 8;
    for (size_t i = 0; i < n; ++i) {
      uint64_t v = 0;
      for (size_t b = 0; b < w; ++b) v |= static_cast<uint64_t>(in[i * w + b]) << (8 * b);
      codes[i] = v;
    }
    return;
  }
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  unsigned __int128 acc = 0;
  int avail = 0;
  size_t p = 0;
  for (size_t i = 0; i < n; ++i) {
    while (avail < bits) {
      acc |= static_cast<unsigned __int128>(in[p++]) << avail;
      avail += 8;
    }
    codes[i] = static_cast<uint64_t>(acc) & mask;
    acc >>= bits;
    avail -= bits;
  }
}

}  // namespace tilevm::dt
