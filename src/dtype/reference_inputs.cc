// Input sets for the oracle comparisons: f32 codes on and around every rounding boundary.
#include <algorithm>

#include "dtype/reference.h"
#include "support/check.h"

namespace tilevm::dt::ref {
namespace {

const Format& f32_format() {
  static const Format f = format_of(kF32);
  return f;
}

// Pushes the f32 codes nearest to |p| and 2 ulps either side, with both signs.
void push_around(const Exact& p, std::vector<uint32_t>& out) {
  Exact mag = p;
  mag.neg = false;
  auto c = static_cast<int64_t>(round_to_float(mag, f32_format(), Round::NearestEven));
  for (int64_t d = -2; d <= 2; ++d) {
    int64_t x = c + d;
    if (x < 0 || x > 0x7f800000) continue;  // stay within +0 .. +inf
    out.push_back(static_cast<uint32_t>(x));
    out.push_back(static_cast<uint32_t>(x) | 0x80000000u);
  }
}

Exact pow2(int e) {
  Exact v;
  v.mant = 1;
  v.exp = e;
  return v;
}

// Every value of a float target of ≤ 16 bits (and ue8m0), every midpoint between neighbours,
// the overflow threshold (the midpoint after the largest finite) and twice the largest.
void float_boundaries(const DType& to, std::vector<uint32_t>& out) {
  TableRounder table(to);
  auto entries = table.entries();
  Exact next = entries.back().value;  // one ulp past the largest finite (or the inf stand-in)
  next.mant += 1;
  entries.push_back({next, 0});
  for (size_t i = 0; i < entries.size(); ++i) {
    push_around(entries[i].value, out);
    if (i + 1 == entries.size()) break;
    // midpoint (a + b) / 2, exactly: both are dyadic with close exponents
    const Exact& a = entries[i].value;
    const Exact& b = entries[i + 1].value;
    Exact mid;
    if (a.mant == 0) {
      mid = b;
      mid.exp -= 1;
    } else {
      int lo = std::min(a.exp, b.exp);
      mid.mant = (a.mant << (a.exp - lo)) + (b.mant << (b.exp - lo));
      mid.exp = lo - 1;
    }
    push_around(mid, out);
  }
}

// Integers near every saturation point of an integer target, and ±0.5-ish fractions near zero.
void int_boundaries(const DType& to, std::vector<uint32_t>& out) {
  Format f = format_of(to);
  int bits = f.bits;
  for (int e = 0; e <= bits + 1 && e < 70; ++e) push_around(pow2(e), out);  // 2^e ± ulps
  for (int k = 0; k <= 40; ++k) {
    Exact v;
    v.mant = static_cast<uint64_t>(k);
    push_around(v, out);
    v.mant = 2 * static_cast<uint64_t>(k) + 1;  // k + 1/2
    v.exp = -1;
    push_around(v, out);
  }
  for (int e = -3; e >= -150; e -= 7) push_around(pow2(e), out);
}

}  // namespace

void boundary_inputs_f32(const DType& to, std::vector<uint32_t>& out) {
  Format f = format_of(to);
  if ((f.kind == Format::kFloat || f.kind == Format::kE8M0) && f.bits <= 16) float_boundaries(to, out);
  else if (f.kind == Format::kInt || f.kind == Format::kBool) int_boundaries(to, out);
  // f32's own landmarks and special values, whatever the target
  for (uint32_t c : {0x00000000u, 0x00000001u, 0x00000002u, 0x007fffffu, 0x00800000u, 0x00800001u,
                     0x3f800000u, 0x7f7fffffu, 0x7f7ffffeu, 0x7f800000u}) {
    out.push_back(c);
    out.push_back(c | 0x80000000u);
  }
  for (uint32_t nan : {0x7f800001u, 0x7fc00000u, 0x7fbfffffu, 0x7fffffffu, 0x7fc00001u, 0x7fa5a5a5u,
                       0x7f812345u, 0x7fe00000u}) {
    out.push_back(nan);
    out.push_back(nan | 0x80000000u);
  }
}

void spread_inputs_f32(size_t count, uint64_t seed, std::vector<uint32_t>& out) {
  uint64_t s = seed;
  auto next = [&s] {  // splitmix64
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  };
  for (size_t i = 0; i < count; ++i) {
    uint64_t r = next();
    uint32_t exp = static_cast<uint32_t>(i % 256);  // every exponent in turn
    uint32_t man = static_cast<uint32_t>(r) & 0x7fffffu;
    switch ((r >> 32) % 4) {  // short mantissas make exact ties and near-ties likely
      case 0: man &= 0x7f0000u; break;
      case 1: man = (man & 0x7ff000u) | ((r >> 40) & 1); break;
      default: break;
    }
    uint32_t sign = static_cast<uint32_t>((r >> 63) << 31);
    out.push_back(sign | (exp << 23) | man);
  }
}

}  // namespace tilevm::dt::ref
