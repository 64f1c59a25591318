// The device-side helpers every generated kernel starts with: fixed-width integers, wrapping
// integer arithmetic, f16/bf16 arithmetic rounded once from f32, packed sub-byte access and the
// software conversions (docs/backend.md, "Casts").
#include "backend/cuda/emit_internal.h"

namespace tilevm::cuda {

const char* prelude_source() {
  return R"CUDA(#include <cuda_fp16.h>
#include <cuda_bf16.h>
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long long int64_t;
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;
#define TVM_D __device__ __forceinline__
// Byte copy for reinterpreting small values (NVRTC has no memcpy).
template <class D, class S> TVM_D void tvm_copy_bytes(D* d, const S* s, int n) {
  for (int i = 0; i < n; ++i) ((unsigned char*)d)[i] = ((const unsigned char*)s)[i];
}

// ---- unsigned counterparts (integer arithmetic wraps: done on the unsigned type)
template <class T> struct tvm_u;
template <> struct tvm_u<int8_t> { typedef uint8_t t; };
template <> struct tvm_u<int16_t> { typedef uint16_t t; };
template <> struct tvm_u<int32_t> { typedef uint32_t t; };
template <> struct tvm_u<int64_t> { typedef uint64_t t; };
template <> struct tvm_u<uint8_t> { typedef uint8_t t; };
template <> struct tvm_u<uint16_t> { typedef uint16_t t; };
template <> struct tvm_u<uint32_t> { typedef uint32_t t; };
template <> struct tvm_u<uint64_t> { typedef uint64_t t; };

template <class T> TVM_D T tvm_add(T a, T b) { return (T)((typename tvm_u<T>::t)a + (typename tvm_u<T>::t)b); }
template <class T> TVM_D T tvm_sub(T a, T b) { return (T)((typename tvm_u<T>::t)a - (typename tvm_u<T>::t)b); }
template <class T> TVM_D T tvm_mul(T a, T b) { return (T)((typename tvm_u<T>::t)a * (typename tvm_u<T>::t)b); }
// Integer negation is ~a + 1 with the complement done by lop3 in inline PTX, so that neither
// NVVM nor ptxas sees a negation: ptxas of CUDA 13.0 for sm_90 (-O1 and above) folds a negation
// into a following min/max or shift and loses it (see the integer min/max below).
TVM_D uint32_t tvm_not32(uint32_t a) { uint32_t r; asm("lop3.b32 %0, %1, 0, 0, 0x0f;" : "=r"(r) : "r"(a)); return r; }
TVM_D uint64_t tvm_not64(uint64_t a) {
  uint32_t lo = (uint32_t)a, hi = (uint32_t)(a >> 32);
  return ((uint64_t)tvm_not32(hi) << 32) | tvm_not32(lo);
}
template <class T> TVM_D T tvm_neg(T a) {
  if (sizeof(T) == 8) return (T)(tvm_not64((uint64_t)a) + 1ull);
  return (T)(tvm_not32((uint32_t)(typename tvm_u<T>::t)a) + 1u);
}
// Integer division truncates; MIN / -1 wraps to MIN and MIN % -1 is 0; division by zero traps
// (the emulator traps it too).
template <class T> TVM_D T tvm_div(T a, T b) {
  if (b == (T)0) __trap();
  if ((T)-1 < (T)0 && b == (T)-1) return tvm_neg(a);
  return (T)(a / b);
}
template <class T> TVM_D T tvm_mod(T a, T b) {
  if (b == (T)0) __trap();
  if ((T)-1 < (T)0 && b == (T)-1) return (T)0;
  return (T)(a % b);
}
// abs: negative when the top bit, shifted down arithmetically, is all ones (never for unsigned T;
// no comparison of an unsigned value with zero, which NVRTC warns about).
template <class T> TVM_D T tvm_abs(T a) { return (T)(a >> (sizeof(T) * 8 - 1)) == (T)-1 ? tvm_neg(a) : a; }
template <class T> TVM_D T tvm_and(T a, T b) { return (T)(a & b); }
template <class T> TVM_D T tvm_or(T a, T b) { return (T)(a | b); }
template <class T> TVM_D T tvm_xor(T a, T b) { return (T)(a ^ b); }
template <class T> TVM_D T tvm_not(T a) { return (T)~a; }
template <class T> TVM_D T tvm_fma(T a, T b, T c) { return tvm_add(tvm_mul(a, b), c); }
// Integer min, max and shifts of the IR's integer types are inline PTX with exactly these
// semantics (min/max as a comparison and a select; shl/shr clamp amounts above the register
// width: 0, or the sign for shr.s). Plain C++ is not used because ptxas of CUDA 13.0 for sm_90
// (-O1 and above) miscompiles it: a min or max whose operands are negated or sign-extended
// values loses the negation (min(-x, 0) gives 0; measured with a CUDA program of its own,
// docs/gpu.md), and min.s32/max.s32 written inline are still folded the same way; setp + selp
// is kept as written. 8-bit values are widened (sign or zero) to 16 bits: the results are equal.
TVM_D unsigned tvm_amount64(unsigned long long n) { return n > 64 ? 64u : (unsigned)n; }
#define TVM_INT_OPS(T, W, C, S, N)                                                              \
  TVM_D T tvm_min(T a, T b) {                                                                  \
    W r; asm("{ .reg .pred p; setp.lt." S " p, %2, %1; selp.b" N " %0, %2, %1, p; }" : "=" C(r) : C((W)a), C((W)b)); \
    return (T)r;                                                                               \
  }                                                                                            \
  TVM_D T tvm_max(T a, T b) {                                                                  \
    W r; asm("{ .reg .pred p; setp.lt." S " p, %1, %2; selp.b" N " %0, %2, %1, p; }" : "=" C(r) : C((W)a), C((W)b)); \
    return (T)r;                                                                               \
  }                                                                                            \
  TVM_D T tvm_shl(T a, T b) {                                                                  \
    W r; unsigned n = tvm_amount64((typename tvm_u<T>::t)b);                                  \
    asm("shl.b" N " %0, %1, %2;" : "=" C(r) : C((W)a), "r"(n)); return (T)r;                  \
  }                                                                                            \
  TVM_D T tvm_shr(T a, T b) {                                                                  \
    W r; unsigned n = tvm_amount64((typename tvm_u<T>::t)b);                                  \
    asm("shr." S " %0, %1, %2;" : "=" C(r) : C((W)a), "r"(n)); return (T)r;                   \
  }
TVM_INT_OPS(int8_t, short, "h", "s16", "16")
TVM_INT_OPS(uint8_t, unsigned short, "h", "u16", "16")
TVM_INT_OPS(int16_t, short, "h", "s16", "16")
TVM_INT_OPS(uint16_t, unsigned short, "h", "u16", "16")
TVM_INT_OPS(int32_t, int, "r", "s32", "32")
TVM_INT_OPS(uint32_t, unsigned, "r", "u32", "32")
TVM_INT_OPS(int64_t, long long, "l", "s64", "64")
TVM_INT_OPS(uint64_t, unsigned long long, "l", "u64", "64")
#undef TVM_INT_OPS

// ---- floats. NaN results are canonical (src/exec/arith.h): f32 0x7fffffff, f64
// 0x7fffffffffffffff, f16/bf16 0x7fff. The hardware does not guarantee that (f64 operations
// gave 0xfff8000000000000 on the H200; nothing promises canonical NaNs from fmod, rint or the
// functions computed through f64, or for operands with payloads), so every operation that can
// produce a NaN passes its result through tvm_canon. neg and abs are sign-bit operations on the bits (PTX neg/abs of a
// NaN give an unspecified NaN), so a NaN keeps its payload.
TVM_D float tvm_canon(float x) { return x != x ? __uint_as_float(0x7fffffffu) : x; }
TVM_D double tvm_canon(double x) { return x != x ? __longlong_as_double(0x7fffffffffffffffll) : x; }
TVM_D __half tvm_canon(__half x) { return __hisnan(x) ? __ushort_as_half((unsigned short)0x7fffu) : x; }
TVM_D __nv_bfloat16 tvm_canon(__nv_bfloat16 x) {
  return __hisnan(x) ? __ushort_as_bfloat16((unsigned short)0x7fffu) : x;
}
// ---- f32 and f64: IEEE operations (compiled with --fmad=false: no contraction). min/max: a NaN
// operand gives the other, two NaNs the canonical NaN, and -0 < +0. The transcendentals of f32
// (and f16/bf16, below) are the f64 functions rounded once, as the emulator computes them.
template <class T> TVM_D T tvm_fminmax(T a, T b, bool is_min) {
  bool an = a != a, bn = b != b;
  if (an && bn) return tvm_canon(a);
  if (an) return b;
  if (bn) return a;
  if (a == b) return (signbit(a) != 0) == is_min ? a : b;
  return (a < b) == is_min ? a : b;
}
#define TVM_FLOAT_OPS(T, SUF, TOBITS, FROMBITS, SIGN)                           \
  TVM_D T tvm_add(T a, T b) { return tvm_canon(a + b); }                        \
  TVM_D T tvm_sub(T a, T b) { return tvm_canon(a - b); }                        \
  TVM_D T tvm_mul(T a, T b) { return tvm_canon(a * b); }                        \
  TVM_D T tvm_div(T a, T b) { return tvm_canon(a / b); }                        \
  TVM_D T tvm_mod(T a, T b) { return tvm_canon(fmod##SUF(a, b)); }              \
  TVM_D T tvm_neg(T a) { return FROMBITS(TOBITS(a) ^ SIGN); }                   \
  TVM_D T tvm_abs(T a) { return FROMBITS(TOBITS(a) & ~SIGN); }                  \
  TVM_D T tvm_min(T a, T b) { return tvm_fminmax(a, b, true); }                 \
  TVM_D T tvm_max(T a, T b) { return tvm_fminmax(a, b, false); }                \
  TVM_D T tvm_fma(T a, T b, T c) { return tvm_canon(fma##SUF(a, b, c)); }       \
  TVM_D T tvm_sqrt(T a) { return tvm_canon(sqrt##SUF(a)); }                     \
  TVM_D T tvm_round(T a) { return tvm_canon(rint##SUF(a)); }
TVM_FLOAT_OPS(float, f, __float_as_uint, __uint_as_float, 0x80000000u)
TVM_FLOAT_OPS(double, , __double_as_longlong, __longlong_as_double, (long long)0x8000000000000000ull)
TVM_D float tvm_exp(float a) { return tvm_canon((float)exp((double)a)); }
TVM_D float tvm_exp2(float a) { return tvm_canon((float)exp2((double)a)); }
TVM_D float tvm_log(float a) { return tvm_canon((float)log((double)a)); }
TVM_D float tvm_rsqrt(float a) { return tvm_canon((float)(1.0 / sqrt((double)a))); }
TVM_D double tvm_exp(double a) { return tvm_canon(exp(a)); }
TVM_D double tvm_exp2(double a) { return tvm_canon(exp2(a)); }
TVM_D double tvm_log(double a) { return tvm_canon(log(a)); }
TVM_D double tvm_rsqrt(double a) { return tvm_canon(1.0 / sqrt(a)); }
// ---- f16 and bf16: add, sub, mul and fma are the native instructions (add/sub/mul/fma.rn, IEEE
// correctly rounded, subnormals kept); div and sqrt are computed in f32 (exact for these
// operands) and rounded once, the correctly rounded result since f32 has more than 2p+2 bits
// for p = 11 and 8. NaN results are canonicalised like f32/f64. Negation and abs flip or clear
// the sign bit only.
#define TVM_HALF_OPS(T, TO, FROM, BITS, FROMBITS, FROMD)                                         \
  TVM_D T tvm_add(T a, T b) { return tvm_canon(__hadd(a, b)); }                         \
  TVM_D T tvm_sub(T a, T b) { return tvm_canon(__hsub(a, b)); }                         \
  TVM_D T tvm_mul(T a, T b) { return tvm_canon(__hmul(a, b)); }                         \
  TVM_D T tvm_div(T a, T b) { return tvm_canon(FROM(TO(a) / TO(b))); }                  \
  TVM_D T tvm_mod(T a, T b) { return tvm_canon(FROM(fmodf(TO(a), TO(b)))); }            \
  TVM_D T tvm_neg(T a) { return FROMBITS((unsigned short)(BITS(a) ^ 0x8000u)); }         \
  TVM_D T tvm_abs(T a) { return FROMBITS((unsigned short)(BITS(a) & 0x7fffu)); }         \
  TVM_D T tvm_min(T a, T b) { return tvm_canon(FROM(tvm_fminmax(TO(a), TO(b), true))); } \
  TVM_D T tvm_max(T a, T b) { return tvm_canon(FROM(tvm_fminmax(TO(a), TO(b), false))); } \
  TVM_D T tvm_fma(T a, T b, T c) { return tvm_canon(__hfma(a, b, c)); }                 \
  TVM_D T tvm_exp(T a) { return tvm_canon(FROMD(exp((double)TO(a)))); }                 \
  TVM_D T tvm_exp2(T a) { return tvm_canon(FROMD(exp2((double)TO(a)))); }               \
  TVM_D T tvm_log(T a) { return tvm_canon(FROMD(log((double)TO(a)))); }                 \
  TVM_D T tvm_sqrt(T a) { return tvm_canon(FROM(sqrtf(TO(a)))); }                       \
  TVM_D T tvm_rsqrt(T a) { return tvm_canon(FROMD(1.0 / sqrt((double)TO(a)))); }        \
  TVM_D T tvm_round(T a) { return tvm_canon(FROM(rintf(TO(a)))); }
TVM_HALF_OPS(__half, __half2float, __float2half_rn, __half_as_ushort, __ushort_as_half, __double2half)
TVM_HALF_OPS(__nv_bfloat16, __bfloat162float, __float2bfloat16_rn, __bfloat16_as_ushort, __ushort_as_bfloat16, __double2bfloat16)

// Comparisons (bool results are the bytes 0 and 1).
template <class T> TVM_D float tvm_cmpval(T a) { return a; }
TVM_D float tvm_cmpval(__half a) { return __half2float(a); }
TVM_D float tvm_cmpval(__nv_bfloat16 a) { return __bfloat162float(a); }
TVM_D double tvm_cmpval(double a) { return a; }
TVM_D int64_t tvm_cmpval(int64_t a) { return a; }
TVM_D uint64_t tvm_cmpval(uint64_t a) { return a; }
TVM_D int32_t tvm_cmpval(int32_t a) { return a; }
TVM_D uint32_t tvm_cmpval(uint32_t a) { return a; }
#define TVM_CMP(NAME, OP) \
  template <class T> TVM_D uint8_t NAME(T a, T b) { return tvm_cmpval(a) OP tvm_cmpval(b) ? 1 : 0; }
TVM_CMP(tvm_eq, ==)
TVM_CMP(tvm_ne, !=)
TVM_CMP(tvm_lt, <)
TVM_CMP(tvm_le, <=)
TVM_CMP(tvm_gt, >)
TVM_CMP(tvm_ge, >=)
// bool (a byte: 0 false, anything else true)
TVM_D uint8_t tvm_lnot(uint8_t a) { return a ? 0 : 1; }
TVM_D uint8_t tvm_bool(uint8_t a) { return a ? 1 : 0; }
TVM_D uint8_t tvm_land(uint8_t a, uint8_t b) { return (a != 0) & (b != 0); }
TVM_D uint8_t tvm_lor(uint8_t a, uint8_t b) { return (a != 0) | (b != 0); }
TVM_D uint8_t tvm_lxor(uint8_t a, uint8_t b) { return (a != 0) ^ (b != 0); }

// ---- packed sub-byte elements in 32-bit words, LSB first (overview section 5)
TVM_D uint32_t tvm_get_bits(const uint32_t* w, int pos, int bits) {
  uint64_t pair = w[pos / 32];
  if ((pos % 32) + bits > 32) pair |= (uint64_t)w[pos / 32 + 1] << 32;
  return (uint32_t)(pair >> (pos % 32)) & ((1u << bits) - 1u);
}
TVM_D void tvm_set_bits(uint32_t* w, int pos, int bits, uint32_t v) {
  uint32_t m = (1u << bits) - 1u;
  v &= m;
  w[pos / 32] = (w[pos / 32] & ~(m << (pos % 32))) | (v << (pos % 32));
  if ((pos % 32) + bits > 32) {
    int done = 32 - pos % 32;
    w[pos / 32 + 1] = (w[pos / 32 + 1] & ~(m >> done)) | (v >> done);
  }
}
// Packed sub-byte element of global or shared memory at element index e (byte-addressed).
TVM_D uint32_t tvm_mem_get_bits(const uint8_t* p, int64_t e, int bits) {
  int64_t bit = e * bits;
  uint32_t lo = p[bit / 8];
  if ((bit % 8) + bits > 8) lo |= (uint32_t)p[bit / 8 + 1] << 8;
  return (lo >> (bit % 8)) & ((1u << bits) - 1u);
}
// Stores into packed memory with atomic read-modify-writes of the aligned 32-bit words, so that
// threads storing neighbouring elements of one byte do not lose each other's bits.
TVM_D void tvm_mem_set_bits(uint8_t* p, int64_t e, int bits, uint32_t v) {
  int64_t bit = e * bits;
  uint32_t m = (1u << bits) - 1u;
  v &= m;
  for (int part = 0; part < 2; ++part) {
    int64_t b = bit + (part ? 32 - (bit % 32) : 0);
    if (part && (bit % 32) + bits <= 32) break;
    uint32_t* word = (uint32_t*)(p + (b / 32) * 4);
    int sh = (int)(b % 32);
    uint32_t mm = part ? (m >> (32 - bit % 32)) : (m << sh);
    uint32_t vv = part ? (v >> (32 - bit % 32)) : (v << sh);
    atomicAnd(word, ~mm);
    atomicOr(word, vv & mm);
  }
}

// ---- conversions
// Float to integer: toward zero, saturating to `bits` bits, NaN to 0.
TVM_D int64_t tvm_f64_to_sint(double x, int bits) {
  if (x != x) return 0;
  double hi = bits == 64 ? 9223372036854775807.0 : (double)((1ll << (bits - 1)) - 1);
  double lo = bits == 64 ? -9223372036854775808.0 : -(double)(1ll << (bits - 1));
  if (x >= hi) return bits == 64 ? 9223372036854775807ll : (1ll << (bits - 1)) - 1;
  if (x <= lo) return bits == 64 ? (-9223372036854775807ll - 1) : -(1ll << (bits - 1));
  return (int64_t)x;
}
TVM_D uint64_t tvm_f64_to_uint(double x, int bits) {
  if (x != x || x <= 0.0) return 0;
  double hi = bits == 64 ? 18446744073709551615.0 : (double)((1ull << bits) - 1);
  if (x >= hi) return bits == 64 ? 18446744073709551615ull : (1ull << bits) - 1;
  return (uint64_t)x;
}
// A 64-bit integer as a double rounded to odd, so that one more rounding to a format of at most
// 51 significant bits is the correctly rounded result.
TVM_D double tvm_s64_to_f64_odd(int64_t x) {
  double d = __ll2double_rz(x);
  if (__double2ll_rz(d) != x || (d >= 9223372036854775807.0 && x != (int64_t)(1ull << 63)))
    d = __longlong_as_double(__double_as_longlong(d) | 1);
  return d;
}
TVM_D double tvm_u64_to_f64_odd(uint64_t x) {
  double d = __ull2double_rz(x);
  if (d >= 18446744073709551615.0 || __double2ull_rz(d) != x) d = __longlong_as_double(__double_as_longlong(d) | 1);
  return d;
}

// A double to a float format with `ebits` exponent bits, `mbits` mantissa bits and `bias`,
// rounded to nearest even at every magnitude (subnormals included). sat: overflow and
// infinities give +-max (formats of 8 bits or fewer), else infinity (f16, bf16). nanmode: 0 no
// NaN code (NaN gives +max), 1 IEEE-like, 2 all-ones (S.1111.111). f64src: the source was an
// f64 (NaN keeps its sign and top payload bits, as the GPU's f64 conversions do).
TVM_D uint32_t tvm_encode_float(double x, int ebits, int mbits, int bias, bool sat, int nanmode, bool f64src) {
  uint64_t b = (uint64_t)__double_as_longlong(x);
  uint32_t sign = (uint32_t)(b >> 63);
  uint32_t sbit = sign << (ebits + mbits);
  int dexp = (int)((b >> 52) & 0x7ff);
  uint64_t dman = b & ((1ull << 52) - 1);
  uint32_t maxcode = nanmode == 0 ? (1u << (ebits + mbits)) - 1u
                     : nanmode == 2 ? (1u << (ebits + mbits)) - 2u
                                    : ((((1u << ebits) - 2u) << mbits) | ((1u << mbits) - 1u));
  uint32_t infcode = ((1u << ebits) - 1u) << mbits;
  if (dexp == 0x7ff && dman != 0) {  // NaN
    if (nanmode == 0) return maxcode;
    if (nanmode == 2) return ((1u << (ebits + mbits)) - 1u) | (f64src ? sbit : 0u);
    if (!f64src) return infcode | ((1u << mbits) - 1u);
    uint32_t top = ebits + mbits + 1 <= 8 ? (uint32_t)((dman >> 50) & 3) : (uint32_t)(dman >> (52 - mbits));
    return sbit | infcode | (1u << (mbits - 1)) | (top & ((1u << mbits) - 1u));
  }
  if (dexp == 0x7ff) return (sat ? maxcode : infcode) | sbit;
  if (dexp == 0 && dman == 0) return sbit;
  // |x| = m * 2^e with m an integer of up to 53 bits.
  uint64_t m = dexp ? (dman | (1ull << 52)) : dman;
  int e = dexp ? dexp - 1075 : -1074;
  int top = 63 - __clzll((long long)m) + e;  // floor(log2 |x|)
  int emin = 1 - bias;
  int emax = ((1 << ebits) - (nanmode == 1 ? 2 : 1)) - bias;
  if (top > emax + 1) return (sat ? maxcode : infcode) | sbit;
  int q = (top > emin ? top : emin) - mbits;  // the quantum's exponent
  int shift = q - e;
  uint64_t r;
  if (shift <= 0) {
    r = m << -shift;
  } else if (shift > 60) {
    r = 0;
  } else {
    uint64_t kept = m >> shift, rest = m & ((1ull << shift) - 1), half = 1ull << (shift - 1);
    r = kept + ((rest > half || (rest == half && (kept & 1))) ? 1 : 0);
  }
  uint32_t code;
  if (r >= (1ull << mbits)) {
    int ef = q + mbits + bias;
    if (r == (1ull << (mbits + 1))) r >>= 1, ++ef;
    if (ef > (1 << ebits) - 1) return (sat ? maxcode : infcode) | sbit;
    code = ((uint32_t)ef << mbits) | (uint32_t)(r - (1ull << mbits));
  } else {
    code = (uint32_t)r;
  }
  if (code > maxcode) code = sat ? maxcode : infcode;
  return code | sbit;
}
// To ue8m0 (2^(c-127), 0xff NaN): the power of two at or above |x| (toward_zero: at or below),
// clamped to [2^-127, 2^127].
TVM_D uint32_t tvm_encode_ue8m0(double x, bool toward_zero) {
  uint64_t b = (uint64_t)__double_as_longlong(x) & 0x7fffffffffffffffull;
  if (b > 0x7ff0000000000000ull) return 0xff;
  if (b == 0x7ff0000000000000ull) return 0xfe;
  if (b == 0) return 0;
  int dexp = (int)(b >> 52);
  uint64_t m = b & ((1ull << 52) - 1);
  int e = dexp ? dexp - 1023 : -1074 + (63 - __clzll((long long)m));
  bool exact = dexp ? m == 0 : (m & (m - 1)) == 0;
  if (!exact && !toward_zero) ++e;
  if (e < -127) e = -127;
  if (e > 127) e = 127;
  return (uint32_t)(e + 127);
}
TVM_D double tvm_f16_to_f64(__half h) {
  double d;
  asm("cvt.f64.f16 %0, %1;" : "=d"(d) : "h"(__half_as_ushort(h)));
  return d;
}

// ---- global memory, masked and vectorised
// Loads elements i..i+V-1 of a row (`row` points at element 0 of the innermost dimension, of
// extent n) into dst[0..V). ok: the outer dimensions are in range. A vector wholly in range
// and aligned moves as 16/8/4-byte units; otherwise element by element, out-of-range elements
// reading as zero.
template <class T, int V>
TVM_D void tvm_load_vec(T* dst, const T* row, int64_t i, int64_t n, bool ok) {
  constexpr int kBytes = (int)sizeof(T) * V;
  constexpr int kUnit = kBytes % 16 == 0 ? 16 : kBytes % 8 == 0 ? 8 : kBytes % 4 == 0 ? 4 : (int)sizeof(T);
  if (ok && i >= 0 && i + V <= n && ((unsigned long long)(row + i) % kUnit) == 0) {
    const T* p = row + i;
#pragma unroll
    for (int k = 0; k < kBytes / kUnit; ++k) {
      if (kUnit == 16) ((uint4*)dst)[k] = ((const uint4*)p)[k];
      else if (kUnit == 8) ((uint2*)dst)[k] = ((const uint2*)p)[k];
      else if (kUnit == 4) ((uint32_t*)dst)[k] = ((const uint32_t*)p)[k];
      else dst[k] = p[k];
    }
  } else {
#pragma unroll
    for (int k = 0; k < V; ++k) {
      if (ok && i + k >= 0 && i + k < n) {
        dst[k] = row[i + k];
      } else {
        dst[k] = T{};
      }
    }
  }
}
// Stores src[0..V) to elements i..i+V-1 of a row; out-of-range elements are dropped.
template <class T, int V>
TVM_D void tvm_store_vec(T* row, const T* src, int64_t i, int64_t n, bool ok) {
  constexpr int kBytes = (int)sizeof(T) * V;
  constexpr int kUnit = kBytes % 16 == 0 ? 16 : kBytes % 8 == 0 ? 8 : kBytes % 4 == 0 ? 4 : (int)sizeof(T);
  if (ok && i >= 0 && i + V <= n && ((unsigned long long)(row + i) % kUnit) == 0) {
    T* p = row + i;
#pragma unroll
    for (int k = 0; k < kBytes / kUnit; ++k) {
      if (kUnit == 16) ((uint4*)p)[k] = ((const uint4*)src)[k];
      else if (kUnit == 8) ((uint2*)p)[k] = ((const uint2*)src)[k];
      else if (kUnit == 4) ((uint32_t*)p)[k] = ((const uint32_t*)src)[k];
      else p[k] = src[k];
    }
  } else {
#pragma unroll
    for (int k = 0; k < V; ++k)
      if (ok && i + k >= 0 && i + k < n) row[i + k] = src[k];
  }
}
// Warp shuffles of any element type of up to 8 bytes.
template <class T> TVM_D T tvm_shfl_xor(T v, int mask) {
  if (sizeof(T) == 8) {
    unsigned long long x;
    tvm_copy_bytes(&x, &v, 8);
    x = __shfl_xor_sync(0xffffffffu, x, mask);
    tvm_copy_bytes(&v, &x, 8);
  } else {
    unsigned x = 0;
    tvm_copy_bytes(&x, &v, sizeof(T));
    x = __shfl_xor_sync(0xffffffffu, x, mask);
    tvm_copy_bytes(&v, &x, sizeof(T));
  }
  return v;
}
// One atomic read-modify-write of *p (1, 2, 4 or 8 bytes) by compare-and-swap on the aligned
// word holding it; returns nothing (the IR's atomics have no result).
template <class T, class F> TVM_D void tvm_atomic_rmw(T* p, F f) {
  if (sizeof(T) == 8) {
    unsigned long long* w = (unsigned long long*)p;
    unsigned long long old = *w, assumed;
    do {
      assumed = old;
      T cur;
      tvm_copy_bytes(&cur, &assumed, 8);
      T nv = f(cur);
      unsigned long long next;
      tvm_copy_bytes(&next, &nv, 8);
      old = atomicCAS(w, assumed, next);
    } while (old != assumed);
  } else {
    unsigned long long a = (unsigned long long)p;
    unsigned* w = (unsigned*)(a & ~3ull);
    int sh = (int)(a & 3) * 8;
    unsigned mask = sizeof(T) == 4 ? 0xffffffffu : ((1u << (sizeof(T) * 8)) - 1u) << sh;
    unsigned old = *w, assumed;
    do {
      assumed = old;
      unsigned part = (assumed & mask) >> sh;
      T cur;
      tvm_copy_bytes(&cur, &part, sizeof(T));
      T nv = f(cur);
      unsigned np = 0;
      tvm_copy_bytes(&np, &nv, sizeof(T));
      old = atomicCAS(w, assumed, (assumed & ~mask) | ((np << sh) & mask));
    } while (old != assumed);
  }
}
TVM_D int tvm_ld_acquire(const int* p) {
  int v;
  asm volatile("ld.acquire.gpu.global.b32 %0, [%1];" : "=r"(v) : "l"(p) : "memory");
  return v;
}
TVM_D void tvm_st_release(int* p, int v) {
  asm volatile("st.release.gpu.global.b32 [%0], %1;" ::"l"(p), "r"(v) : "memory");
}
// Copies V contiguous elements i..i+V-1 of a global row into shared memory: one cp.async
// (zero-filling what lies past the row's end) when the source is aligned, else element by
// element with ordinary loads and stores (zero outside the row).
template <class T, int V>
TVM_D void tvm_copy_chunk(T* smem, const T* row, int64_t i, int64_t n, bool ok) {
  constexpr int kBytes = (int)sizeof(T) * V;
  if (kBytes >= 4 && (kBytes == 4 || kBytes == 8 || kBytes == 16) && ok && i >= 0 &&
      ((unsigned long long)(row + i) % kBytes) == 0) {
    int64_t left = (n - i) * (int64_t)sizeof(T);
    int src = left <= 0 ? 0 : left >= kBytes ? kBytes : (int)left;
    unsigned s = (unsigned)__cvta_generic_to_shared(smem);
    const void* g = src > 0 ? (const void*)(row + i) : (const void*)row;
    if (kBytes == 16) asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(s), "l"(g), "r"(src));
    else if (kBytes == 8) asm volatile("cp.async.ca.shared.global [%0], [%1], 8, %2;\n" ::"r"(s), "l"(g), "r"(src));
    else asm volatile("cp.async.ca.shared.global [%0], [%1], 4, %2;\n" ::"r"(s), "l"(g), "r"(src));
  } else {
#pragma unroll
    for (int k = 0; k < V; ++k) smem[k] = (ok && i + k >= 0 && i + k < n) ? row[i + k] : T{};
  }
}
// Copies V packed BITS-bit elements, elements i..i+V-1 of a global row whose element 0 is
// element `row` of the buffer g, to elements s..s+V-1 of packed shared memory. When the V*BITS
// bits are whole 32-bit words (s is then a multiple of V, checked by the emitter), wholly in the
// row and byte-aligned in global memory, they move as cp.async units of 16, 8 or 4 bytes (the
// widest the source address allows); otherwise element by element with ordinary loads and
// atomic bit stores, zero outside the row.
template <int BITS, int V>
TVM_D void tvm_copy_chunk_bits(uint8_t* smem, int64_t s, const uint8_t* g, int64_t row, int64_t i, int64_t n, bool ok) {
  constexpr int kBytes = BITS * V / 8;
  if ((BITS * V) % 32 == 0 && ok && i >= 0 && i + V <= n && ((row + i) * BITS) % 8 == 0) {
    const uint8_t* src = g + (row + i) * BITS / 8;
    unsigned long long a = (unsigned long long)src;
    int unit = kBytes % 16 == 0 && a % 16 == 0 ? 16 : kBytes % 8 == 0 && a % 8 == 0 ? 8 : a % 4 == 0 ? 4 : 0;
    if (unit) {
      unsigned d = (unsigned)__cvta_generic_to_shared(smem + s * BITS / 8);
      for (int k = 0; k < kBytes; k += unit) {
        if (unit == 16) asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(d + k), "l"(src + k));
        else if (unit == 8) asm volatile("cp.async.ca.shared.global [%0], [%1], 8;\n" ::"r"(d + k), "l"(src + k));
        else asm volatile("cp.async.ca.shared.global [%0], [%1], 4;\n" ::"r"(d + k), "l"(src + k));
      }
      return;
    }
  }
  for (int k = 0; k < V; ++k)
    tvm_mem_set_bits(smem, s + k, BITS, (ok && i + k >= 0 && i + k < n) ? tvm_mem_get_bits(g, row + i + k, BITS) : 0u);
}
TVM_D void tvm_ldmatrix_x4(uint32_t* r, const void* smem) {
  unsigned s = (unsigned)__cvta_generic_to_shared(smem);
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(s));
}
TVM_D void tvm_ldmatrix_x4_trans(uint32_t* r, const void* smem) {
  unsigned s = (unsigned)__cvta_generic_to_shared(smem);
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(s));
}
TVM_D void tvm_ldmatrix_x2(uint32_t* r, const void* smem) {
  unsigned s = (unsigned)__cvta_generic_to_shared(smem);
  asm volatile("ldmatrix.sync.aligned.m8n8.x2.shared.b16 {%0,%1}, [%2];\n" : "=r"(r[0]), "=r"(r[1]) : "r"(s));
}
TVM_D void tvm_ldmatrix_x2_trans(uint32_t* r, const void* smem) {
  unsigned s = (unsigned)__cvta_generic_to_shared(smem);
  asm volatile("ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 {%0,%1}, [%2];\n" : "=r"(r[0]), "=r"(r[1]) : "r"(s));
}
TVM_D void tvm_ldmatrix_x1(uint32_t* r, const void* smem) {
  unsigned s = (unsigned)__cvta_generic_to_shared(smem);
  asm volatile("ldmatrix.sync.aligned.m8n8.x1.shared.b16 {%0}, [%1];\n" : "=r"(r[0]) : "r"(s));
}
TVM_D void tvm_ldmatrix_x1_trans(uint32_t* r, const void* smem) {
  unsigned s = (unsigned)__cvta_generic_to_shared(smem);
  asm volatile("ldmatrix.sync.aligned.m8n8.x1.trans.shared.b16 {%0}, [%1];\n" : "=r"(r[0]) : "r"(s));
}
)CUDA";
}

}  // namespace tilevm::cuda
