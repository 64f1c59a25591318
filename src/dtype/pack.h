// Gapless LSB-first packing of `bits`-wide codes in byte buffers (overview section 5).
//
// Element i occupies stream bits [i*bits, i*bits + bits); stream bit k is bit (k mod 8) of
// byte k/8. Elements may straddle bytes. Widths 1..64 are supported.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tilevm::dt {

// Bytes needed for n elements of `bits` bits: ceil(n * bits / 8).
size_t packed_bytes(int bits, size_t n);

// Code of element i (low `bits` bits, higher bits zero). @pre 1 <= bits <= 64.
uint64_t get_element(const uint8_t* buf, int bits, size_t i);

// Writes the low `bits` bits of `code` as element i; every other bit of buf is unchanged.
// @pre 1 <= bits <= 64.
void set_element(uint8_t* buf, int bits, size_t i, uint64_t code);

// Packs n codes (each masked to `bits` bits) into out[0 .. packed_bytes(bits, n)). Unused high
// bits of the last byte are set to zero.
void pack(const uint64_t* codes, size_t n, int bits, uint8_t* out);

// Unpacks n codes from `in`.
void unpack(const uint8_t* in, size_t n, int bits, uint64_t* codes);

}  // namespace tilevm::dt
