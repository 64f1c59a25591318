// The mma.sync variants: the parameter table per architecture, fp8 and integer paths, dispatch.
#include "numerics/mma.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <type_traits>

#include "numerics/fused_block.h"

namespace tilevm::numerics {
namespace {

using detail::BlockParams;

// Per-architecture parameters of the floating-point adder (docs/numerics.md, "Parameters").
struct ArchParams {
  int frac_keep;   // F
  int floor_f32;   // E_floor for f32 output
  int floor_f16;   // E_floor for f16 output
  int block_16;    // products per block for 16-bit inputs
  int block_tf32;  // products per block for tf32 inputs
};

constexpr ArchParams kSm90{25, -133, -21, 16, 8};  // measured on H100
constexpr ArchParams kSm80{24, -132, -20, 8, 4};   // published models of A100, not measured here

const ArchParams& params(Arch arch) { return arch == Arch::kSm90 ? kSm90 : kSm80; }

// K decoded products split into blocks of B, chained: each block's rounded result is the next
// block's accumulator.
template <class In, class Out, int K, int B>
uint32_t chained(const uint32_t* da, const uint32_t* db, uint32_t c, const BlockParams& p) {
  for (int start = 0; start < K; start += B) c = detail::fused_decoded<In, Out, B>(da + start, db + start, c, p);
  return c;
}

// chained<In, Out, K, B> for the architecture's block size (K or K / 2).
template <class In, class Out, int K>
uint32_t blocks(const uint32_t* da, const uint32_t* db, uint32_t c, const BlockParams& p, int block) {
  return block == K ? chained<In, Out, K, K>(da, db, c, p) : chained<In, Out, K, K / 2>(da, db, c, p);
}

// fp8 element codes to the f16 codes that hold the same values (every e4m3/e5m2 value is an f16
// value; NaN stays NaN, e5m2 inf stays inf).
std::array<uint16_t, 256> make_e4m3_to_f16() {
  std::array<uint16_t, 256> t{};
  for (uint32_t x = 0; x < 256; ++x) {
    const uint32_t sign = (x & 0x80) << 8, ef = (x >> 3) & 15, m = x & 7;
    uint32_t h;
    if (ef == 15 && m == 7) {
      h = 0x7E00;  // NaN
    } else if (ef == 0) {
      if (m == 0) {
        h = 0;
      } else {  // m·2^-9: normalise into f16
        int e = -9;
        uint32_t s = m;
        while (!(s & 8)) s <<= 1, --e;
        h = (uint32_t(e + 3 + 15) << 10) | ((s & 7) << 7);
      }
    } else {
      h = ((ef - 7 + 15) << 10) | (m << 7);
    }
    t[x] = uint16_t(sign | h);
  }
  return t;
}

const std::array<uint16_t, 256>& e4m3_to_f16() {
  static const std::array<uint16_t, 256> table = make_e4m3_to_f16();
  return table;
}

inline uint32_t fp8_to_f16(MmaType t, uint32_t code) {
  code &= 0xFF;
  return t == MmaType::kE5m2 ? code << 8 : e4m3_to_f16()[code];
}

// An fp8 element decoded as the f16 value it converts to (exact; NaN stays NaN, inf stays inf).
inline uint32_t decode_fp8(MmaType t, uint32_t code) { return detail::decode<detail::F16>(fp8_to_f16(t, code)); }

// sm_90 fp8 mma.sync as ptxas 13.0 lowers it, on decoded elements: one f16 block over the k with
// k mod 4 in {0,1} starting from +0, a second over k mod 4 in {2,3} accumulating onto the
// first's f32 result, then C + that as one IEEE f32 addition (RNE).
uint32_t fp8_dot(const uint32_t* da, const uint32_t* db, uint32_t c, bool simd) {
  uint32_t a16[2][16], b16[2][16];
  for (int i = 0; i < 32; ++i) {
    const int part = (i >> 1) & 1, slot = (i >> 2) * 2 + (i & 1);
    a16[part][slot] = da[i];
    b16[part][slot] = db[i];
  }
  const BlockParams p{kSm90.frac_keep, kSm90.floor_f32, false, simd};
  const uint32_t t0 = detail::fused_decoded<detail::F16, detail::F32, 16>(a16[0], b16[0], 0, p);
  const uint32_t t1 = detail::fused_decoded<detail::F16, detail::F32, 16>(a16[1], b16[1], t0, p);
  return detail::f32_add_rne(c, t1);
}

// An integer element as its value (two's complement in 32 bits).
inline uint32_t decode_int(MmaType t, uint32_t code) {
  switch (t) {
    case MmaType::kS8: return uint32_t(int32_t(int8_t(code & 0xFF)));
    case MmaType::kU8: return code & 0xFF;
    case MmaType::kS4: return uint32_t(int32_t((code & 0xF) ^ 8) - 8);
    default: return code & 0xF;  // kU4
  }
}

// Exact C + Σ a·b over decoded values; wraps to 32 bits, or with satfinite clamps the exact
// total once.
uint32_t int_dot(const uint32_t* da, const uint32_t* db, int k, uint32_t c, bool satfinite) {
  int64_t sum = int32_t(c);
  for (int i = 0; i < k; ++i) sum += int64_t(int32_t(da[i])) * int32_t(db[i]);
  if (satfinite) sum = std::clamp<int64_t>(sum, INT32_MIN, INT32_MAX);
  return uint32_t(uint64_t(sum));
}

// The kernels: each decodes its operand elements and runs one dot on decoded elements.
template <class In, class Out, int K>
struct FloatKernel {
  BlockParams p;
  int block;
  uint32_t decode_a(uint32_t code) const { return detail::decode<In>(code); }
  uint32_t decode_b(uint32_t code) const { return detail::decode<In>(code); }
  uint32_t dot(const uint32_t* da, const uint32_t* db, uint32_t c) const {
    if constexpr (std::is_same_v<Out, detail::F16>) c &= 0xFFFF;
    return blocks<In, Out, K>(da, db, c, p, block);
  }
  // The 8 dots of one tile row with AVX2: db is K rows of 8 decoded B elements.
  static constexpr bool kLanes = true;
  static int k_slot(int k) { return k; }
  // Decodes `count` (a multiple of 8) codes of A or B at once (AVX2).
  static constexpr bool kBulkDecode = true;
  void decode_bulk(const uint32_t* codes, uint32_t* out, int count) const { detail::decode_avx2<In>(codes, out, count); }
  void row(const uint32_t* da, const uint32_t* db, const uint32_t* c, uint32_t* d) const {
    uint32_t acc[8];
    for (int j = 0; j < 8; ++j) acc[j] = std::is_same_v<Out, detail::F16> ? c[j] & 0xFFFF : c[j];
    if (block == K) return detail::block_lanes_avx2<In, Out, K>(da, db, acc, d, p);
    detail::block_lanes_avx2<In, Out, K / 2>(da, db, acc, acc, p);
    detail::block_lanes_avx2<In, Out, K / 2>(da + K / 2, db + 8 * (K / 2), acc, d, p);
  }
};

struct Fp8Kernel {
  MmaType ta, tb;
  bool simd;
  uint32_t decode_a(uint32_t code) const { return decode_fp8(ta, code); }
  uint32_t decode_b(uint32_t code) const { return decode_fp8(tb, code); }
  uint32_t dot(const uint32_t* da, const uint32_t* db, uint32_t c) const { return fp8_dot(da, db, c, simd); }
  // The lanes form takes k in block order: slots 0..15 hold k mod 4 in {0,1}, 16..31 the rest.
  static constexpr bool kLanes = true;
  static int k_slot(int k) { return ((k >> 1) & 1) * 16 + (k >> 2) * 2 + (k & 1); }
  void row(const uint32_t* da, const uint32_t* db, const uint32_t* c, uint32_t* d) const {
    const BlockParams p{kSm90.frac_keep, kSm90.floor_f32, false, true};
    uint32_t t[8] = {};
    detail::block_lanes_avx2<detail::F16, detail::F32, 16>(da, db, t, t, p);
    detail::block_lanes_avx2<detail::F16, detail::F32, 16>(da + 16, db + 8 * 16, t, t, p);
    for (int j = 0; j < 8; ++j) d[j] = detail::f32_add_rne(c[j], t[j]);
  }
};

struct IntKernel {
  MmaType ta, tb;
  int k;
  bool satfinite;
  uint32_t decode_a(uint32_t code) const { return decode_int(ta, code); }
  uint32_t decode_b(uint32_t code) const { return decode_int(tb, code); }
  uint32_t dot(const uint32_t* da, const uint32_t* db, uint32_t c) const { return int_dot(da, db, k, c, satfinite); }
  static constexpr bool kLanes = true;
  static int k_slot(int k) { return k; }
  void row(const uint32_t* da, const uint32_t* db, const uint32_t* c, uint32_t* d) const {
    detail::int_lanes_avx2(da, db, k, c, d, satfinite);
  }
};

bool is_fp8(MmaType t) { return t == MmaType::kE4m3 || t == MmaType::kE5m2; }
bool is_int8(MmaType t) { return t == MmaType::kS8 || t == MmaType::kU8; }
bool is_int4(MmaType t) { return t == MmaType::kS4 || t == MmaType::kU4; }

}  // namespace

const char* type_name(MmaType t) {
  static constexpr const char* kNames[] = {"f16", "bf16", "tf32", "e4m3", "e5m2", "s8",
                                           "u8",  "s4",   "u4",   "f32",  "s32"};
  return kNames[int(t)];
}

const char* arch_name(Arch arch) { return arch == Arch::kSm90 ? "sm_90" : "sm_80"; }

std::string spec_name(const MmaSpec& s) {
  std::string name = "m";
  name += std::to_string(s.m);
  name += 'n';
  name += std::to_string(s.n);
  name += 'k';
  name += std::to_string(s.k);
  if (s.satfinite) name += ".satfinite";
  for (MmaType t : {s.c, s.a, s.b, s.c}) name += std::string(".") + type_name(t);
  return name;
}

Expected<MmaModel> MmaModel::make(const MmaSpec& s, Arch arch, bool allow_simd) {
  const auto bad = [&](const char* why) {
    return fail("mma." + spec_name(s) + " on " + arch_name(arch) + ": " + why);
  };
  if (s.m != 16 || s.n != 8) return bad("only m16n8 shapes are modelled");
  const bool is_int = is_int8(s.a) || is_int4(s.a);
  if (s.satfinite && !is_int) return bad(".satfinite applies to integer variants only");
  Kind kind;
  if (s.a == MmaType::kF16 && s.b == MmaType::kF16 && s.k == 16 && s.c == MmaType::kF32)
    kind = Kind::kF16F32;
  else if (s.a == MmaType::kF16 && s.b == MmaType::kF16 && s.k == 16 && s.c == MmaType::kF16)
    kind = Kind::kF16F16;
  else if (s.a == MmaType::kBf16 && s.b == MmaType::kBf16 && s.k == 16 && s.c == MmaType::kF32)
    kind = Kind::kBf16F32;
  else if (s.a == MmaType::kTf32 && s.b == MmaType::kTf32 && s.k == 8 && s.c == MmaType::kF32)
    kind = Kind::kTf32F32;
  else if (is_fp8(s.a) && is_fp8(s.b) && s.k == 32 && s.c == MmaType::kF32)
    kind = Kind::kFp8F32;
  else if (is_int8(s.a) && is_int8(s.b) && s.k == 32 && s.c == MmaType::kS32)
    kind = Kind::kInt;
  else if (is_int4(s.a) && is_int4(s.b) && s.k == 64 && s.c == MmaType::kS32)
    kind = Kind::kInt;
  else
    return bad("not a supported mma.sync shape and type combination");
  if (kind == Kind::kFp8F32 && arch == Arch::kSm80) return bad("sm_80 has no fp8 mma");
  return MmaModel(s, arch, kind, allow_simd && detail::cpu_has_avx2());
}

template <class Fn>
decltype(auto) MmaModel::with_kernel(Fn&& fn) const {
  const ArchParams& ap = params(arch_);
  const BlockParams f32_out{ap.frac_keep, ap.floor_f32, false, simd_};
  const BlockParams f16_out{ap.frac_keep, ap.floor_f16, true, simd_};
  using detail::Bf16;
  using detail::F16;
  using detail::F32;
  using detail::Tf32;
  switch (kind_) {
    case Kind::kF16F32: return fn(FloatKernel<F16, F32, 16>{f32_out, ap.block_16});
    case Kind::kBf16F32: return fn(FloatKernel<Bf16, F32, 16>{f32_out, ap.block_16});
    case Kind::kTf32F32: return fn(FloatKernel<Tf32, F32, 8>{f32_out, ap.block_tf32});
    case Kind::kF16F16: return fn(FloatKernel<F16, F16, 16>{f16_out, ap.block_16});
    case Kind::kFp8F32: return fn(Fp8Kernel{spec_.a, spec_.b, simd_});
    case Kind::kInt: return fn(IntKernel{spec_.a, spec_.b, spec_.k, spec_.satfinite});
  }
  TILEVM_UNREACHABLE();
}

uint32_t MmaModel::decode_a(uint32_t code) const {
  return with_kernel([&](const auto& kern) { return kern.decode_a(code); });
}

uint32_t MmaModel::decode_b(uint32_t code) const {
  return with_kernel([&](const auto& kern) { return kern.decode_b(code); });
}

uint32_t MmaModel::dot_decoded(const uint32_t* da, const uint32_t* db, uint32_t c) const {
  return with_kernel([&](const auto& kern) { return kern.dot(da, db, c); });
}

uint32_t MmaModel::dot(const uint32_t* a, const uint32_t* b, uint32_t c) const {
  return with_kernel([&](const auto& kern) {
    uint32_t da[64], db[64];
    if constexpr (requires { std::decay_t<decltype(kern)>::kBulkDecode; }) {
      if (simd_) {
        kern.decode_bulk(a, da, spec_.k);
        kern.decode_bulk(b, db, spec_.k);
        return kern.dot(da, db, c);
      }
    }
    for (int i = 0; i < spec_.k; ++i) da[i] = kern.decode_a(a[i]), db[i] = kern.decode_b(b[i]);
    return kern.dot(da, db, c);
  });
}

void MmaModel::tile(const uint32_t* a, const uint32_t* b, const uint32_t* c, uint32_t* d) const {
  with_kernel([&](const auto& kern) {
    const int m = spec_.m, n = spec_.n, k = spec_.k;
    using Kernel = std::decay_t<decltype(kern)>;
    if (Kernel::kLanes && simd_) {  // 8 dots per call, k in the kernel's slot order
      uint32_t da[16 * 64], db[64 * 8];  // A row-major, B row-major
      if constexpr (requires { Kernel::kBulkDecode; }) {
        kern.decode_bulk(a, da, m * k);
        kern.decode_bulk(b, db, k * n);
      } else {
        for (int i = 0; i < k; ++i) {
          const int slot = kern.k_slot(i);
          for (int r = 0; r < m; ++r) da[r * k + slot] = kern.decode_a(a[r * k + i]);
          for (int j = 0; j < n; ++j) db[slot * n + j] = kern.decode_b(b[i * n + j]);
        }
      }
      for (int r = 0; r < m; ++r) kern.row(da + r * k, db, c + r * n, d + r * n);
      return;
    }
    uint32_t da[16 * 64], db[8 * 64];  // A row-major; B column-major (column j at db + j·k)
    for (int i = 0; i < m * k; ++i) da[i] = kern.decode_a(a[i]);
    for (int i = 0; i < k; ++i)
      for (int j = 0; j < n; ++j) db[j * k + i] = kern.decode_b(b[i * n + j]);
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < n; ++j) d[i * n + j] = kern.dot(da + i * k, db + j * k, c[i * n + j]);
  });
}

}  // namespace tilevm::numerics
