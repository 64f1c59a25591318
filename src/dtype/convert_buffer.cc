// Bulk conversion of packed buffers: lookup tables for narrow sources, bit manipulation for f32.
// Every path computes exactly what the scalar convert() computes (tables are filled by it).
#include <array>
#include <bit>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "dtype/convert.h"
#include "dtype/pack.h"

namespace tilevm::dt {
namespace {

static_assert(std::endian::native == std::endian::little, "packed buffers assume a little-endian host");

// Below this many elements a table costs more to build than it saves.
constexpr size_t kTableMinElements8 = 64;
constexpr size_t kTableMinElements16 = 1 << 15;

uint64_t encode_dtype(const DType& t) {
  return static_cast<uint64_t>(t.kind) | static_cast<uint64_t>(t.bits) << 2 |
         static_cast<uint64_t>(t.exp_bits) << 9 | static_cast<uint64_t>(t.man_bits) << 13 |
         static_cast<uint64_t>(t.bias) << 19 | static_cast<uint64_t>(t.has_sign) << 31 |
         static_cast<uint64_t>(t.has_inf) << 32 | static_cast<uint64_t>(t.nan) << 33;
}

// Tables of convert() over every code of a source of at most 16 bits, built once per
// (from, to, round) and kept for the life of the process.
const std::vector<uint64_t>& lookup_table(const DType& from, const DType& to, Round round) {
  static std::mutex mu;
  static std::map<std::pair<uint64_t, uint64_t>, std::unique_ptr<std::vector<uint64_t>>> cache;
  auto key = std::make_pair(encode_dtype(from) | static_cast<uint64_t>(round) << 40, encode_dtype(to));
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[key];
  if (!slot) {
    slot = std::make_unique<std::vector<uint64_t>>(size_t{1} << from.bits);
    for (uint64_t c = 0; c < slot->size(); ++c) (*slot)[c] = convert(c, from, to, round);
  }
  return *slot;
}

// Reads element group g (8 elements, exactly `bits` bytes when bits <= 8).
inline void read_group(const uint8_t* src, int bits, size_t g, uint64_t out[8]) {
  if (bits <= 8) {
    uint64_t w = 0;
    std::memcpy(&w, src + g * bits, bits);
    const uint64_t m = (uint64_t{1} << bits) - 1;
    for (int j = 0; j < 8; ++j) out[j] = (w >> (j * bits)) & m;
  } else if (bits == 16 || bits == 32 || bits == 64) {
    const size_t bytes = bits / 8;
    for (int j = 0; j < 8; ++j) {
      out[j] = 0;
      std::memcpy(&out[j], src + (g * 8 + j) * bytes, bytes);
    }
  } else {
    for (int j = 0; j < 8; ++j) out[j] = get_element(src, bits, g * 8 + j);
  }
}

inline void write_group(uint8_t* dst, int bits, size_t g, const uint64_t in[8]) {
  if (bits <= 8) {
    uint64_t w = 0;
    for (int j = 0; j < 8; ++j) w |= in[j] << (j * bits);
    std::memcpy(dst + g * bits, &w, bits);
  } else if (bits == 16 || bits == 32 || bits == 64) {
    const size_t bytes = bits / 8;
    for (int j = 0; j < 8; ++j) std::memcpy(dst + (g * 8 + j) * bytes, &in[j], bytes);
  } else {
    for (int j = 0; j < 8; ++j) set_element(dst, bits, g * 8 + j, in[j]);
  }
}

// Applies `fn` (code -> code) to n packed elements, 8 at a time, then the tail one by one.
template <class Fn>
void map_elements(const uint8_t* src, int from_bits, uint8_t* dst, int to_bits, size_t n, Fn fn) {
  uint64_t in[8], out[8];
  const size_t groups = n / 8;
  for (size_t g = 0; g < groups; ++g) {
    read_group(src, from_bits, g, in);
    for (int j = 0; j < 8; ++j) out[j] = fn(in[j]);
    write_group(dst, to_bits, g, out);
  }
  for (size_t i = groups * 8; i < n; ++i) set_element(dst, to_bits, i, fn(get_element(src, from_bits, i)));
}

// Byte-wide sources to 16- or 32-bit targets: the hot decode loops.
// (dst may be unaligned: stores go through memcpy, which compiles to plain moves.)
template <class T>
void decode_bytes(const uint8_t* src, uint8_t* dst, size_t n, const std::vector<uint64_t>& table) {
  std::array<T, 256> t;
  for (size_t c = 0; c < 256; ++c) t[c] = static_cast<T>(table[c]);
  for (size_t i = 0; i < n; ++i) std::memcpy(dst + i * sizeof(T), &t[src[i]], sizeof(T));
}

template <class T>
void decode_nibbles(const uint8_t* src, uint8_t* dst, size_t n, const std::vector<uint64_t>& table) {
  std::array<T, 16> t;
  for (size_t c = 0; c < 16; ++c) t[c] = static_cast<T>(table[c]);
  for (size_t i = 0; i < n / 2; ++i) {
    std::memcpy(dst + 2 * i * sizeof(T), &t[src[i] & 15], sizeof(T));
    std::memcpy(dst + (2 * i + 1) * sizeof(T), &t[src[i] >> 4], sizeof(T));
  }
  if (n % 2) std::memcpy(dst + (n - 1) * sizeof(T), &t[src[n / 2] & 15], sizeof(T));
}

// f32 to a float format of at most 16 bits other than ue8m0, by integer bit manipulation.
struct F32Narrow {
  int bits, man, bias;
  uint32_t sign_shift;
  uint64_t nan_code, overflow_code;
  uint32_t overflow_abs;    // smallest |x| bits whose result is the overflow code
  uint32_t min_normal_abs;  // |x| bits of the target's smallest normal
};

F32Narrow make_f32_narrow(const DType& to) {
  F32Narrow p{to.bits, to.man_bits, to.bias, static_cast<uint32_t>(to.bits - 1), 0, 0, 0, 0};
  p.nan_code = convert(0x7FC00000, kF32, to);
  p.overflow_code = convert(0x7F800000, kF32, to);  // +inf: the overflow result
  uint32_t lo = 0, hi = 0x7F800000;                 // binary search: the result is monotonic in |x|
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (convert(mid, kF32, to) == p.overflow_code) hi = mid;
    else lo = mid + 1;
  }
  p.overflow_abs = lo;
  p.min_normal_abs = static_cast<uint32_t>(128 - to.bias) << 23;
  return p;
}

inline uint64_t f32_narrow(uint32_t x, const F32Narrow& p) {
  const uint32_t abs = x & 0x7FFFFFFFu;
  const uint64_t sign = static_cast<uint64_t>(x >> 31) << p.sign_shift;
  if (abs > 0x7F800000u) return p.nan_code;
  if (abs >= p.overflow_abs) return sign | p.overflow_code;
  if (abs >= p.min_normal_abs) {  // normal in the target: round the whole pattern
    const int sh = 23 - p.man;
    uint32_t r = abs + ((1u << (sh - 1)) - 1) + ((abs >> sh) & 1);
    return sign | ((r >> sh) - (static_cast<uint32_t>(127 - p.bias) << p.man));
  }
  const uint32_t e = abs >> 23;  // subnormal or zero in the target
  const uint32_t mant = (abs & 0x7FFFFFu) | (e ? 0x800000u : 0);
  const int sh = 151 - p.bias - p.man - static_cast<int>(e ? e : 1);
  if (sh >= 25) return sign;
  uint32_t r = mant >> sh, rem = mant & ((1u << sh) - 1), half = 1u << (sh - 1);
  r += (rem > half) || (rem == half && (r & 1));
  return sign | r;
}

bool f32_fast_target(const DType& to) {
  return to.is_float() && to.bits <= 16 && to.nan != NanEncoding::UE8M0 && to.has_sign &&
         128 - to.bias > 0 && to.man_bits >= 1 && to.man_bits < 23;
}

}  // namespace

void convert_buffer(const uint8_t* src, const DType& from, uint8_t* dst, const DType& to,
                    size_t n, Round round) {
  TILEVM_CHECK(rounding_choice_allowed(to, round));
  if (n == 0) return;
  if (from.bits <= 8 && n >= kTableMinElements8) {
    const auto& table = lookup_table(from, to, round);
    if (from.bits == 8 && to.bits == 16) return decode_bytes<uint16_t>(src, dst, n, table);
    if (from.bits == 8 && to.bits == 32) return decode_bytes<uint32_t>(src, dst, n, table);
    if (from.bits == 4 && to.bits == 16) return decode_nibbles<uint16_t>(src, dst, n, table);
    if (from.bits == 4 && to.bits == 32) return decode_nibbles<uint32_t>(src, dst, n, table);
    const uint64_t* t = table.data();
    return map_elements(src, from.bits, dst, to.bits, n, [t](uint64_t c) { return t[c]; });
  }
  if (from == kF32 && f32_fast_target(to)) {
    const F32Narrow p = make_f32_narrow(to);
    return map_elements(src, 32, dst, to.bits, n,
                        [&p](uint64_t c) { return f32_narrow(static_cast<uint32_t>(c), p); });
  }
  if (from.bits == 16 && to.bits <= 32 && n >= kTableMinElements16) {
    const uint64_t* t = lookup_table(from, to, round).data();
    return map_elements(src, 16, dst, to.bits, n, [t](uint64_t c) { return t[c]; });
  }
  map_elements(src, from.bits, dst, to.bits, n,
               [&](uint64_t c) { return convert(c, from, to, round); });
}

}  // namespace tilevm::dt
