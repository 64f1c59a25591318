// Seeded adversarial mma inputs: per-format code builders and the distributions of mma_inputs.h.
// Host floating point appears only to aim C at the negated sum in the cancellation
// distribution; it shapes inputs, never a result.
#include "numerics/mma_inputs.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace tilevm::numerics::inputs {
namespace {

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() {  // splitmix64
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int range(int lo, int hi) { return lo + int(next() % uint64_t(hi - lo + 1)); }
  bool chance(int percent) { return int(next() % 100) < percent; }
  bool coin() { return next() & 1; }

 private:
  uint64_t s_;
};

// A float format as the generator sees it. tf32 codes are built in 19 bits, then shifted into
// the 32-bit register with random low bits.
struct Fmt {
  int eb, fb, bias;
  bool e4m3 = false;  // no infinity; S.1111.111 is the only NaN
  bool tf32 = false;
  int max_field() const { return e4m3 ? 15 : (1 << eb) - 2; }
  int emin() const { return 1 - bias; }
  int emax() const { return max_field() - bias; }
  uint32_t sign_bit() const { return 1u << (eb + fb); }
  uint32_t max_finite() const { return e4m3 ? 0x7E : (uint32_t(max_field()) << fb) | ((1u << fb) - 1); }
};

Fmt fmt_of(MmaType t) {
  switch (t) {
    case MmaType::kF16: return {5, 10, 15};
    case MmaType::kBf16: return {8, 7, 127};
    case MmaType::kTf32: return {8, 10, 127, false, true};
    case MmaType::kE4m3: return {4, 3, 7, true};
    case MmaType::kE5m2: return {5, 2, 15};
    default: return {8, 23, 127};  // kF32
  }
}

// The code of (-1)^neg · 1.frac · 2^e, clamped to the largest finite value, shifted (and
// truncated) into the subnormal range below e_min.
uint32_t encode(const Fmt& f, bool neg, int e, uint32_t frac) {
  frac &= (1u << f.fb) - 1;
  int field = e + f.bias;
  uint32_t code;
  if (field > f.max_field()) {
    code = f.max_finite();
  } else if (field < 1) {
    const int sh = 1 - field;
    code = sh > f.fb ? 0 : ((1u << f.fb) | frac) >> sh;
  } else {
    code = (uint32_t(field) << f.fb) | frac;
    if (f.e4m3 && code == 0x7F) code = 0x7E;
  }
  return code | (neg ? f.sign_bit() : 0);
}

uint32_t nan_code(const Fmt& f, Rng& r) {
  if (f.e4m3) return 0x7F | (r.coin() ? 0x80 : 0);
  const uint32_t frac = uint32_t(r.next() % ((1u << f.fb) - 1)) + 1;
  return (uint32_t((1 << f.eb) - 1) << f.fb) | frac | (r.coin() ? f.sign_bit() : 0);
}

uint32_t inf_code(const Fmt& f, bool neg) {
  if (f.e4m3) return 0x7F | (neg ? 0x80 : 0);  // e4m3 has no infinity: its NaN instead
  return (uint32_t((1 << f.eb) - 1) << f.fb) | (neg ? f.sign_bit() : 0);
}

// Moves a code into its register: tf32 gets its 13 ignored low bits, random half of the time.
uint32_t finish(const Fmt& f, uint32_t code, Rng& r) {
  if (!f.tf32) return code;
  return (code << 13) | (r.coin() ? uint32_t(r.next() & 0x1FFF) : 0);
}

double value(const Fmt& f, uint32_t code) {
  if (f.tf32) code >>= 13;
  const int field = int((code >> f.fb) & ((1u << f.eb) - 1));
  const uint32_t frac = code & ((1u << f.fb) - 1);
  const double mag = field == 0 ? std::ldexp(double(frac), f.emin() - f.fb)
                                : std::ldexp(double(frac | (1u << f.fb)), field - f.bias - f.fb);
  return (code & f.sign_bit()) ? -mag : mag;
}

// An f32 or f16 code near x (f32: the host's rounding; f16: truncation).
uint32_t from_double(const Fmt& f, double x) {
  if (f.fb == 23) {
    const float y = float(x);
    uint32_t code;
    std::memcpy(&code, &y, 4);
    return code;
  }
  if (x == 0) return 0;
  int ex;
  const double m = std::frexp(std::fabs(x), &ex);  // |x| = m·2^ex, m in [0.5, 1)
  return encode(f, x < 0, ex - 1, uint32_t((m * 2 - 1) * double(1u << f.fb)));
}

// Moves a finite code's magnitude by delta ulps, staying finite and keeping its sign.
uint32_t nudge(const Fmt& f, uint32_t code, int delta) {
  const bool tf = f.tf32;
  const uint32_t low = tf ? code & 0x1FFF : 0, c = tf ? code >> 13 : code;
  const uint32_t sign = c & f.sign_bit();
  const int64_t mag = std::clamp<int64_t>(int64_t(c & ~f.sign_bit()) + delta, 0, f.max_finite());
  const uint32_t out = uint32_t(mag) | sign;
  return tf ? (out << 13) | low : out;
}

uint32_t negate(const Fmt& f, uint32_t code) { return code ^ (f.tf32 ? 0x80000000u : f.sign_bit()); }

struct Instance {
  const MmaSpec& s;
  Rng r;
  Fmt fa, fb, fc;
  uint32_t *a, *b, *c;

  int na() const { return s.m * s.k; }
  int nb() const { return s.k * s.n; }
  int nc() const { return s.m * s.n; }
  uint32_t rand_frac() { return uint32_t(r.next()); }
  // A random sign and fraction at exponent e (arguments are drawn in a fixed order).
  uint32_t random_code(const Fmt& f, int e) {
    const bool neg = r.coin();
    return encode(f, neg, e, rand_frac());
  }
  uint32_t elem(const Fmt& f, int e) { return finish(f, random_code(f, e), r); }
  uint32_t few_bits(const Fmt& f, int e) {
    uint32_t frac = 0;
    for (int i = r.range(0, 2); i > 0; --i) frac |= 1u << r.range(0, f.fb - 1);
    return finish(f, encode(f, r.coin(), e, frac), r);
  }
  // A base exponent near 1 that both operand formats hold with room for ±3.
  int base() { return r.range(std::max({fa.emin(), fb.emin(), -8}) + 3, std::min({fa.emax(), fb.emax(), 8}) - 3); }
};

void uniform(Instance& x) {
  const auto raw = [&](const Fmt& f) {
    return f.tf32 ? uint32_t(x.r.next()) : uint32_t(x.r.next()) & ((f.sign_bit() << 1) - 1);
  };
  for (int i = 0; i < x.na(); ++i) x.a[i] = raw(x.fa);
  for (int i = 0; i < x.nb(); ++i) x.b[i] = raw(x.fb);
  for (int i = 0; i < x.nc(); ++i) x.c[i] = raw(x.fc);
}

void typical(Instance& x, int ba, int bb, int c_lo, int c_hi) {
  for (int i = 0; i < x.na(); ++i) x.a[i] = x.elem(x.fa, ba + x.r.range(-3, 3));
  for (int i = 0; i < x.nb(); ++i) x.b[i] = x.elem(x.fb, bb + x.r.range(-3, 3));
  for (int i = 0; i < x.nc(); ++i) x.c[i] = x.elem(x.fc, ba + bb + x.r.range(c_lo, c_hi));
}

void wide(Instance& x) {
  const auto any = [&](const Fmt& f) {
    const int field = x.r.range(0, f.max_field());
    const int e = field == 0 ? f.emin() - 1 - x.r.range(0, f.fb) : field - f.bias;
    return finish(f, x.random_code(f, e), x.r);
  };
  for (int i = 0; i < x.na(); ++i) x.a[i] = any(x.fa);
  for (int i = 0; i < x.nb(); ++i) x.b[i] = any(x.fb);
  for (int i = 0; i < x.nc(); ++i) x.c[i] = any(x.fc);
}

// The upper half of k mirrors the lower half with A negated, both nudged by up to 2 ulps; C is
// near the negated sum, so most of every dot cancels.
void cancellation(Instance& x) {
  const int ba = x.base(), bb = x.base();
  typical(x, ba, bb, -8, 0);
  const int m = x.s.m, n = x.s.n, k = x.s.k, h = k / 2;
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < h; ++j)
      x.a[i * k + j + h] = nudge(x.fa, negate(x.fa, x.a[i * k + j]), x.r.range(-2, 2));
  for (int j = 0; j < h; ++j)
    for (int col = 0; col < n; ++col) x.b[(j + h) * n + col] = nudge(x.fb, x.b[j * n + col], x.r.range(-2, 2));
  for (int i = 0; i < m; ++i)
    for (int col = 0; col < n; ++col) {
      double sum = 0;
      for (int j = 0; j < k; ++j) sum += value(x.fa, x.a[i * k + j]) * value(x.fb, x.b[j * n + col]);
      const uint32_t c = from_double(x.fc, -sum);
      x.c[i * n + col] = x.r.chance(25) ? c : nudge(x.fc, c, x.r.range(-2, 2));
    }
}

void c_near(Instance& x) {
  const int ba = x.base(), bb = x.base();
  typical(x, ba, bb, 0, 0);
  for (int i = 0; i < x.nc(); ++i) x.c[i] = x.elem(x.fc, ba + bb + 6 - x.r.range(0, 36));
}

// Operands in or near their subnormal range, or products near the output's subnormal range;
// C zero, subnormal or the smallest normals.
void subnormal(Instance& x) {
  const bool own_range = x.r.coin();
  const int t = x.r.range(x.fc.emin() - x.fc.fb - 10, x.fc.emin() + 4);
  const auto pick = [&](const Fmt& f) {
    const int e = own_range ? x.r.range(f.emin() - f.fb, f.emin() + 2) : t / 2 + x.r.range(-3, 3);
    return x.elem(f, e);
  };
  for (int i = 0; i < x.na(); ++i) x.a[i] = pick(x.fa);
  for (int i = 0; i < x.nb(); ++i) x.b[i] = pick(x.fb);
  for (int i = 0; i < x.nc(); ++i) {
    const int kind = x.r.range(0, 4);
    x.c[i] = kind < 2 ? (x.r.coin() ? x.fc.sign_bit() : 0)
             : kind < 4 ? x.random_code(x.fc, x.fc.emin() - 1 - x.r.range(0, x.fc.fb))
                        : x.elem(x.fc, x.fc.emin() + x.r.range(0, 3));
  }
}

uint32_t special_or(Instance& x, const Fmt& f, uint32_t otherwise) {
  const int roll = x.r.range(0, 99);
  if (roll < 2) return finish(f, nan_code(f, x.r), x.r);
  if (roll < 5) return finish(f, inf_code(f, x.r.coin()), x.r);
  if (roll < 25) return finish(f, x.r.coin() ? f.sign_bit() : 0, x.r);
  return otherwise;
}

void special(Instance& x) {
  const int ba = x.base(), bb = x.base();
  typical(x, ba, bb, -8, 0);
  for (int i = 0; i < x.na(); ++i) x.a[i] = special_or(x, x.fa, x.a[i]);
  for (int i = 0; i < x.nb(); ++i) x.b[i] = special_or(x, x.fb, x.b[i]);
  for (int i = 0; i < x.nc(); ++i) x.c[i] = special_or(x, x.fc, x.c[i]);
}

// Products near the output's overflow threshold (or operands at their format's maximum), and
// C near the output's largest finite value.
void overflow(Instance& x) {
  const int t = x.fc.emax();
  const auto pick = [&](const Fmt& f) {
    if (x.r.chance(20)) return finish(f, f.max_finite() | (x.r.coin() ? f.sign_bit() : 0), x.r);
    return x.elem(f, t / 2 + x.r.range(-3, 2));
  };
  for (int i = 0; i < x.na(); ++i) x.a[i] = pick(x.fa);
  for (int i = 0; i < x.nb(); ++i) x.b[i] = pick(x.fb);
  for (int i = 0; i < x.nc(); ++i) {
    const bool all_ones = x.r.chance(25), neg = x.r.coin();
    const uint32_t frac = all_ones ? ~0u : x.rand_frac();
    const int e = t - x.r.range(0, 2);
    x.c[i] = x.r.chance(75) ? encode(x.fc, neg, e, frac) : x.elem(x.fc, x.r.range(-4, 4));
  }
}

void few_bits(Instance& x) {
  const int ba = x.r.range(-4, 4), bb = x.r.range(-4, 4);
  for (int i = 0; i < x.na(); ++i) x.a[i] = x.few_bits(x.fa, ba + x.r.range(-12, 12));
  for (int i = 0; i < x.nb(); ++i) x.b[i] = x.few_bits(x.fb, bb + x.r.range(-12, 12));
  for (int i = 0; i < x.nc(); ++i) x.c[i] = x.few_bits(x.fc, ba + bb + x.r.range(-12, 12));
}

void zeros(Instance& x) {
  const int ba = x.base(), bb = x.base();
  const auto pick = [&](const Fmt& f, int b) {
    return x.r.coin() ? finish(f, x.r.coin() ? f.sign_bit() : 0, x.r) : x.elem(f, b + x.r.range(0, 10));
  };
  for (int i = 0; i < x.na(); ++i) x.a[i] = pick(x.fa, ba);
  for (int i = 0; i < x.nb(); ++i) x.b[i] = pick(x.fb, bb);
  for (int i = 0; i < x.nc(); ++i)
    x.c[i] = x.r.coin() ? (x.r.coin() ? x.fc.sign_bit() : 0) : x.elem(x.fc, ba + bb + x.r.range(-8, 8));
}

bool is_int(MmaType t) { return t == MmaType::kS8 || t == MmaType::kU8 || t == MmaType::kS4 || t == MmaType::kU4; }

uint32_t int_extreme(MmaType t, Rng& r) {
  static constexpr uint32_t kS8[] = {0x80, 0x7F, 0xFF, 0x00, 0x01, 0x81}, kU8[] = {0xFF, 0x00, 0x01, 0x80, 0x7F, 0xFE};
  static constexpr uint32_t kS4[] = {0x8, 0x7, 0xF, 0x0, 0x1, 0x9}, kU4[] = {0xF, 0x0, 0x1, 0x8, 0x7, 0xE};
  const uint32_t* set = t == MmaType::kS8 ? kS8 : t == MmaType::kU8 ? kU8 : t == MmaType::kS4 ? kS4 : kU4;
  return set[r.range(0, 5)];
}

void int_instance(const MmaSpec& s, int dist, Rng& r, uint32_t* a, uint32_t* b, uint32_t* c) {
  const bool extremes = dist == 1 || (dist == 2 && r.coin());
  const auto pick = [&](MmaType t) {
    const uint32_t mask = (t == MmaType::kS8 || t == MmaType::kU8) ? 0xFF : 0xF;
    return extremes ? int_extreme(t, r) : uint32_t(r.next()) & mask;
  };
  for (int i = 0; i < s.m * s.k; ++i) a[i] = pick(s.a);
  for (int i = 0; i < s.k * s.n; ++i) b[i] = pick(s.b);
  for (int i = 0; i < s.m * s.n; ++i) {
    if (dist < 2)
      c[i] = uint32_t(r.next());
    else
      c[i] = r.coin() ? uint32_t(INT32_MAX - r.range(0, 600000)) : uint32_t(INT32_MIN + r.range(0, 600000));
  }
}

constexpr const char* kFloatNames[] = {"uniform",   "typical", "wide",     "cancellation", "c-near",
                                       "subnormal", "special", "overflow", "few-bits",     "zeros"};
constexpr const char* kIntNames[] = {"uniform", "extremes", "c-near-limits"};

uint64_t key(const MmaSpec& s, uint64_t seed, uint64_t index) {
  uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a of the instruction's name
  for (char ch : spec_name(s)) h = (h ^ uint8_t(ch)) * 0x100000001B3ull;
  Rng mix(h ^ (seed * 0xD1B54A32D192ED03ull));
  mix.next();
  return mix.next() ^ (index * 0x9E3779B97F4A7C15ull);
}

}  // namespace

int distribution_count(const MmaSpec& spec) { return is_int(spec.a) ? 3 : 10; }

const char* distribution_name(const MmaSpec& spec, int d) { return is_int(spec.a) ? kIntNames[d] : kFloatNames[d]; }

void generate(const MmaSpec& spec, uint64_t seed, uint64_t index, uint32_t* a, uint32_t* b, uint32_t* c) {
  Rng r(key(spec, seed, index));
  const int dist = int(index % uint64_t(distribution_count(spec)));
  if (is_int(spec.a)) return int_instance(spec, dist, r, a, b, c);
  Instance x{spec, r, fmt_of(spec.a), fmt_of(spec.b), fmt_of(spec.c), a, b, c};
  switch (dist) {
    case 0: return uniform(x);
    case 1: {
      const int ba = x.base(), bb = x.base();
      return typical(x, ba, bb, -8, 0);
    }
    case 2: return wide(x);
    case 3: return cancellation(x);
    case 4: return c_near(x);
    case 5: return subnormal(x);
    case 6: return special(x);
    case 7: return overflow(x);
    case 8: return few_bits(x);
    default: return zeros(x);
  }
}

}  // namespace tilevm::numerics::inputs
