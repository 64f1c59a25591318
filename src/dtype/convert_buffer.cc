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

// Process-wide cache of conversion tables, built once per key.
const std::vector<uint64_t>& cached_table(std::pair<uint64_t, uint64_t> key, size_t size,
                                          uint64_t (*fill)(uint64_t, const DType&, const DType&, Round),
                                          const DType& from, const DType& to, Round round) {
  static std::mutex mu;
  static std::map<std::pair<uint64_t, uint64_t>, std::unique_ptr<std::vector<uint64_t>>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[key];
  if (!slot) {
    slot = std::make_unique<std::vector<uint64_t>>(size);
    for (uint64_t i = 0; i < size; ++i) (*slot)[i] = fill(i, from, to, round);
  }
  return *slot;
}

// convert() over every code of a source of at most 16 bits.
const std::vector<uint64_t>& lookup_table(const DType& from, const DType& to, Round round) {
  auto key = std::make_pair(encode_dtype(from) | static_cast<uint64_t>(round) << 40, encode_dtype(to));
  return cached_table(key, size_t{1} << from.bits, convert, from, to, round);
}

// f32 to a format with M <= 6 mantissa bits: the result depends only on the sign, the exponent,
// the top M+1 mantissa bits (the last of which is the round bit at normal magnitudes) and
// whether any lower bit is set (the sticky bit), so an (M+11)-bit index selects it. At
// subnormal magnitudes the round position is higher and still covered.
inline uint32_t f32_index(uint32_t x, int man) {
  const int low = 22 - man;
  return (x >> low) << 1 | ((x & ((1u << low) - 1)) != 0);
}

uint64_t f32_index_entry(uint64_t index, const DType& from, const DType& to, Round round) {
  const int low = 22 - to.man_bits;
  const uint64_t x = (index >> 1) << low | (index & 1);
  return convert(x, from, to, round);
}

const std::vector<uint64_t>& f32_table(const DType& to, Round round) {
  auto key = std::make_pair(encode_dtype(kF32) | static_cast<uint64_t>(round) << 40 | uint64_t{1} << 50,
                            encode_dtype(to));
  return cached_table(key, size_t{1} << (to.man_bits + 11), f32_index_entry, kF32, to, round);
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

// Typed, possibly unaligned store of element i of a byte-multiple target.
template <class T>
inline void store(uint8_t* dst, size_t i, T v) {
  std::memcpy(dst + i * sizeof(T), &v, sizeof(T));
}

// Table decode of a B-bit source (B <= 8) to a T-wide target: 8 elements per 64-bit load.
template <int B, class T>
void decode_packed(const uint8_t* src, uint8_t* dst, size_t n, const std::vector<uint64_t>& table) {
  std::array<T, (1 << B)> t;
  for (size_t c = 0; c < t.size(); ++c) t[c] = static_cast<T>(table[c]);
  constexpr uint64_t m = (uint64_t{1} << B) - 1;
  const size_t src_bytes = packed_bytes(B, n);
  size_t g = 0;
  for (; (g + 1) * 8 <= n && g * B + 8 <= src_bytes; ++g) {
    uint64_t w;
    std::memcpy(&w, src + g * B, 8);
    T out[8];
    for (int j = 0; j < 8; ++j) out[j] = t[(w >> (j * B)) & m];
    std::memcpy(dst + g * sizeof out, out, sizeof out);
  }
  for (size_t i = g * 8; i < n; ++i) store<T>(dst, i, t[get_element(src, B, i)]);
}

template <class T>
void decode_bytes(const uint8_t* src, uint8_t* dst, size_t n, const std::vector<uint64_t>& table) {
  std::array<T, 256> t;
  for (size_t c = 0; c < 256; ++c) t[c] = static_cast<T>(table[c]);
  for (size_t i = 0; i < n; ++i) store<T>(dst, i, t[src[i]]);
}

template <class T>
void decode_nibbles(const uint8_t* src, uint8_t* dst, size_t n, const std::vector<uint64_t>& table) {
  std::array<T, 16> t;
  for (size_t c = 0; c < 16; ++c) t[c] = static_cast<T>(table[c]);
  for (size_t i = 0; i < n / 2; ++i) {
    store<T>(dst, 2 * i, t[src[i] & 15]);
    store<T>(dst, 2 * i + 1, t[src[i] >> 4]);
  }
  if (n % 2) store<T>(dst, n - 1, t[src[n / 2] & 15]);
}

template <class T>
void decode_narrow(const uint8_t* src, int bits, uint8_t* dst, size_t n,
                   const std::vector<uint64_t>& table) {
  switch (bits) {
    case 1: return decode_packed<1, T>(src, dst, n, table);
    case 2: return decode_packed<2, T>(src, dst, n, table);
    case 3: return decode_packed<3, T>(src, dst, n, table);
    case 4: return decode_nibbles<T>(src, dst, n, table);
    case 5: return decode_packed<5, T>(src, dst, n, table);
    case 6: return decode_packed<6, T>(src, dst, n, table);
    case 7: return decode_packed<7, T>(src, dst, n, table);
    case 8: return decode_bytes<T>(src, dst, n, table);
  }
  TILEVM_UNREACHABLE();
}

// Encodes n f32 elements with `fn` into a B-bit target (B <= 8: 8 codes per group of B bytes).
template <int B, class Fn>
void encode_f32_packed(const uint8_t* src, uint8_t* dst, size_t n, Fn fn) {
  const size_t full_bytes = n * B / 8;  // bytes no later element shares with bits past n
  size_t g = 0;
  for (; (g + 1) * 8 <= n; ++g) {
    uint32_t x[8];
    std::memcpy(x, src + g * 32, 32);
    uint64_t w = 0;
    for (int j = 0; j < 8; ++j) w |= static_cast<uint64_t>(fn(x[j])) << (j * B);
    if (g * B + 8 <= full_bytes) std::memcpy(dst + g * B, &w, 8);  // the spill is rewritten next
    else std::memcpy(dst + g * B, &w, B);
  }
  for (size_t i = g * 8; i < n; ++i) {
    uint32_t x;
    std::memcpy(&x, src + i * 4, 4);
    set_element(dst, B, i, fn(x));
  }
}

template <class T, class Fn>
void encode_f32_typed(const uint8_t* src, uint8_t* dst, size_t n, Fn fn) {
  for (size_t i = 0; i < n; ++i) {
    uint32_t x;
    std::memcpy(&x, src + i * 4, 4);
    store<T>(dst, i, static_cast<T>(fn(x)));
  }
}

template <class Fn>
void encode_f32(const uint8_t* src, int bits, uint8_t* dst, size_t n, Fn fn) {
  switch (bits) {
    case 1: return encode_f32_packed<1>(src, dst, n, fn);
    case 2: return encode_f32_packed<2>(src, dst, n, fn);
    case 3: return encode_f32_packed<3>(src, dst, n, fn);
    case 4: return encode_f32_packed<4>(src, dst, n, fn);
    case 5: return encode_f32_packed<5>(src, dst, n, fn);
    case 6: return encode_f32_packed<6>(src, dst, n, fn);
    case 7: return encode_f32_packed<7>(src, dst, n, fn);
    case 8: return encode_f32_typed<uint8_t>(src, dst, n, fn);
    case 16: return encode_f32_typed<uint16_t>(src, dst, n, fn);
  }
  TILEVM_UNREACHABLE();
}

// f32 to a signed float format of at most 16 bits (not ue8m0), branch-free integer rounding.
struct F32Narrow {
  uint32_t man, sign_shift;
  int min_normal_e;           // f32 exponent field of the target's smallest normal
  uint32_t nan_code, overflow_code;
  uint32_t overflow_abs;      // smallest |x| bits whose result is the overflow code
  uint32_t min_normal_abs;    // |x| bits of the target's smallest normal
  uint32_t normal_span;       // overflow_abs - min_normal_abs: the width of the normal range
};

F32Narrow make_f32_narrow(const DType& to) {
  F32Narrow p{static_cast<uint32_t>(to.man_bits), static_cast<uint32_t>(to.bits - 1), 128 - to.bias,
              0, 0, 0, 0, 0};
  p.nan_code = static_cast<uint32_t>(convert(0x7FC00000, kF32, to));
  p.overflow_code = static_cast<uint32_t>(convert(0x7F800000, kF32, to));  // what +inf gives
  uint32_t lo = 0, hi = 0x7F800000;  // binary search: results grow with |x|
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (convert(mid, kF32, to) == p.overflow_code) hi = mid;
    else lo = mid + 1;
  }
  p.overflow_abs = lo;
  p.min_normal_abs = static_cast<uint32_t>(p.min_normal_e) << 23;
  p.normal_span = lo > p.min_normal_abs ? lo - p.min_normal_abs : 0;
  return p;
}

// Rounds |x| to nearest even in units of the target's last place at x's binade (the
// subnormal quantum below min normal), then adds the exponent field.
inline uint32_t f32_narrow(uint32_t x, const F32Narrow& p) {
  const uint32_t abs = x & 0x7FFFFFFFu, sign = (x >> 31) << p.sign_shift;
  const int e = static_cast<int>(abs >> 23);
  const int ee = e > 0 ? e : 1;
  const uint32_t mant = (abs & 0x7FFFFFu) | (static_cast<uint32_t>(e > 0) << 23);
  const int below = p.min_normal_e - ee;  // binades below the target's min normal
  int sh = 23 - static_cast<int>(p.man) + (below > 0 ? below : 0);
  sh = sh < 31 ? sh : 31;
  const uint32_t half = 1u << (sh - 1), rem = mant & ((1u << sh) - 1);
  uint32_t r = mant >> sh;
  r += static_cast<uint32_t>(rem > half) | (static_cast<uint32_t>(rem == half) & r);
  const uint32_t field = static_cast<uint32_t>(below < 0 ? -below : 0);
  uint32_t code = sign | ((field << p.man) + r);
  code = abs >= p.overflow_abs ? (sign | p.overflow_code) : code;
  return abs > 0x7F800000u ? p.nan_code : code;
}

// f32 to bf16: same exponent range, so rounding the low 16 bits to nearest even is the whole
// conversion (a carry into the exponent gives the next binade or infinity); NaN gives 0x7fff.
inline uint32_t f32_to_bf16(uint32_t x) {
  const uint32_t r = (x + 0x7FFFu + ((x >> 16) & 1)) >> 16;
  return (x & 0x7FFFFFFFu) > 0x7F800000u ? 0x7FFFu : r;
}

// The same, with the common case (a normal result) first: one unsigned range test, then
// rounding the whole bit pattern (a carry into the exponent is the next binade).
inline uint32_t f32_narrow_normal_first(uint32_t x, const F32Narrow& p) {
  const uint32_t abs = x & 0x7FFFFFFFu;
  if (abs - p.min_normal_abs < p.normal_span) {
    const uint32_t sh = 23 - p.man;
    const uint32_t r = abs + ((1u << (sh - 1)) - 1) + ((abs >> sh) & 1);
    return ((x >> 31) << p.sign_shift) |
           ((r >> sh) - (static_cast<uint32_t>(p.min_normal_e - 1) << p.man));
  }
  return f32_narrow(x, p);
}

bool f32_fast_target(const DType& to) {
  return to.is_float() && (to.bits <= 8 || to.bits == 16) && to.nan != NanEncoding::UE8M0 &&
         to.has_sign && to.bias < 128 && to.man_bits >= 1 && to.man_bits < 23;
}

// f32 to ue8m0: the exponent field, bumped when rounding up an inexact value; clamped.
inline uint32_t f32_to_ue8m0(uint32_t x, bool up) {
  const uint32_t abs = x & 0x7FFFFFFFu, e = abs >> 23, mant = abs & 0x7FFFFFu;
  uint32_t code = e + (up && mant != 0);
  code = code < 254 ? code : 254;
  if (e == 0) code = up && mant > 0x400000u;  // |x| <= 2^-127 gives 2^-127
  return abs > 0x7F800000u ? 0xFF : code;
}

}  // namespace

void convert_buffer(const uint8_t* src, const DType& from, uint8_t* dst, const DType& to,
                    size_t n, Round round) {
  TILEVM_CHECK(rounding_choice_allowed(to, round));
  if (n == 0) return;
  if (from.bits <= 8 && n >= kTableMinElements8) {
    const auto& table = lookup_table(from, to, round);
    switch (to.bits) {
      case 8: return decode_narrow<uint8_t>(src, from.bits, dst, n, table);
      case 16: return decode_narrow<uint16_t>(src, from.bits, dst, n, table);
      case 32: return decode_narrow<uint32_t>(src, from.bits, dst, n, table);
      case 64: return decode_narrow<uint64_t>(src, from.bits, dst, n, table);
    }
    const uint64_t* t = table.data();
    return map_elements(src, from.bits, dst, to.bits, n, [t](uint64_t c) { return t[c]; });
  }
  if (from == kF32 && to.bits <= 8 && to.is_float() && to.man_bits <= 6 && n >= kTableMinElements16) {
    const auto& table = f32_table(to, round);
    std::vector<uint8_t> t(table.begin(), table.end());
    const uint8_t* tp = t.data();
    const int man = to.man_bits;
    return encode_f32(src, to.bits, dst, n, [tp, man](uint32_t x) { return tp[f32_index(x, man)]; });
  }
  if (from == kF32 && to == kBF16) return encode_f32(src, 16, dst, n, f32_to_bf16);
  if (from == kF32 && f32_fast_target(to)) {
    const F32Narrow p = make_f32_narrow(to);
    return encode_f32(src, to.bits, dst, n, [&p](uint32_t x) { return f32_narrow_normal_first(x, p); });
  }
  if (from == kF32 && to == kUE8M0) {
    const bool up = round != Round::TowardZero;
    return encode_f32(src, 8, dst, n, [up](uint32_t x) { return f32_to_ue8m0(x, up); });
  }
  if (from.bits == 16 && to.bits <= 32 && n >= kTableMinElements16) {
    const uint64_t* t = lookup_table(from, to, round).data();
    return map_elements(src, 16, dst, to.bits, n, [t](uint64_t c) { return t[c]; });
  }
  map_elements(src, from.bits, dst, to.bits, n,
               [&](uint64_t c) { return convert(c, from, to, round); });
}

}  // namespace tilevm::dt
