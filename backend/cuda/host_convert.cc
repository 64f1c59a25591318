// CUDA's host conversion functions wrapped as an oracle over raw codes.
#include "backend/cuda/host_convert.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp4.h>
#include <cuda_fp6.h>
#include <cuda_fp8.h>

#include <cstring>

namespace tilevm::cuda {
namespace {

enum class Fmt { kNone, kE4M3, kE5M2, kE2M3, kE3M2, kE2M1, kUE8M0, kF16, kBF16, kF32, kF64 };

Fmt fmt_of(const dt::DType& t) {
  using namespace dt;
  if (t == kF8E4M3) return Fmt::kE4M3;
  if (t == kF8E5M2) return Fmt::kE5M2;
  if (t == kF6E2M3) return Fmt::kE2M3;
  if (t == kF6E3M2) return Fmt::kE3M2;
  if (t == kF4E2M1) return Fmt::kE2M1;
  if (t == kUE8M0) return Fmt::kUE8M0;
  if (t == kF16) return Fmt::kF16;
  if (t == kBF16) return Fmt::kBF16;
  if (t == kF32) return Fmt::kF32;
  if (t == kF64) return Fmt::kF64;
  return Fmt::kNone;
}

bool is_narrow(Fmt f) { return f >= Fmt::kE4M3 && f <= Fmt::kUE8M0; }

float f32_of(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}
uint32_t bits_of(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
double f64_of(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, 8);
  return d;
}
__half_raw half_raw(uint64_t code) {
  __half_raw h;
  h.x = static_cast<unsigned short>(code);
  return h;
}
__nv_bfloat16_raw bf16_raw(uint64_t code) {
  __nv_bfloat16_raw b;
  b.x = static_cast<unsigned short>(code);
  return b;
}

std::optional<cudaRoundMode> e8m0_mode(dt::Round r) {
  if (r == dt::Round::TowardZero) return cudaRoundZero;
  return cudaRoundPosInf;  // Up, and NearestEven which selects Up
}

// Exact widening of any CUDA format but f64 to float, through CUDA's own decoders.
float widen(uint64_t code, Fmt from) {
  auto c = static_cast<__nv_fp8_storage_t>(code);
  switch (from) {
    case Fmt::kE4M3: return __half2float(__half(__nv_cvt_fp8_to_halfraw(c, __NV_E4M3)));
    case Fmt::kE5M2: return __half2float(__half(__nv_cvt_fp8_to_halfraw(c, __NV_E5M2)));
    case Fmt::kE2M3: return __half2float(__half(__nv_cvt_fp6_to_halfraw(c, __NV_E2M3)));
    case Fmt::kE3M2: return __half2float(__half(__nv_cvt_fp6_to_halfraw(c, __NV_E3M2)));
    case Fmt::kE2M1: return __half2float(__half(__nv_cvt_fp4_to_halfraw(c, __NV_E2M1)));
    case Fmt::kUE8M0: return __bfloat162float(__nv_bfloat16(__nv_cvt_e8m0_to_bf16raw(c)));
    case Fmt::kF16: return __half2float(__half(half_raw(code)));
    case Fmt::kBF16: return __bfloat162float(__nv_bfloat16(bf16_raw(code)));
    case Fmt::kF32: return f32_of(static_cast<uint32_t>(code));
    default: return 0.0f;  // not reached: callers pass only the formats above
  }
}

// Narrowing of a float by the CUDA function for the target.
uint64_t narrow_float(float x, Fmt to, dt::Round r) {
  switch (to) {
    case Fmt::kE4M3: return __nv_cvt_float_to_fp8(x, __NV_SATFINITE, __NV_E4M3);
    case Fmt::kE5M2: return __nv_cvt_float_to_fp8(x, __NV_SATFINITE, __NV_E5M2);
    case Fmt::kE2M3: return __nv_cvt_float_to_fp6(x, __NV_E2M3, cudaRoundNearest);
    case Fmt::kE3M2: return __nv_cvt_float_to_fp6(x, __NV_E3M2, cudaRoundNearest);
    case Fmt::kE2M1: return __nv_cvt_float_to_fp4(x, __NV_E2M1, cudaRoundNearest);
    case Fmt::kUE8M0: return __nv_cvt_float_to_e8m0(x, __NV_SATFINITE, *e8m0_mode(r));
    case Fmt::kF16: return __half_raw(__float2half_rn(x)).x;
    case Fmt::kBF16: return __nv_bfloat16_raw(__float2bfloat16_rn(x)).x;
    case Fmt::kF32: return bits_of(x);
    default: return 0;
  }
}

uint64_t narrow_double(double x, Fmt to, dt::Round r) {
  switch (to) {
    case Fmt::kE4M3: return __nv_cvt_double_to_fp8(x, __NV_SATFINITE, __NV_E4M3);
    case Fmt::kE5M2: return __nv_cvt_double_to_fp8(x, __NV_SATFINITE, __NV_E5M2);
    case Fmt::kE2M3: return __nv_cvt_double_to_fp6(x, __NV_E2M3, cudaRoundNearest);
    case Fmt::kE3M2: return __nv_cvt_double_to_fp6(x, __NV_E3M2, cudaRoundNearest);
    case Fmt::kE2M1: return __nv_cvt_double_to_fp4(x, __NV_E2M1, cudaRoundNearest);
    case Fmt::kUE8M0: return __nv_cvt_double_to_e8m0(x, __NV_SATFINITE, *e8m0_mode(r));
    case Fmt::kF16: return __half_raw(__double2half(x)).x;
    case Fmt::kBF16: return __nv_bfloat16_raw(__double2bfloat16(x)).x;
    default: return 0;
  }
}

// The direct functions from f16 and bf16 raw codes, where CUDA has them.
std::optional<uint64_t> narrow_half(uint64_t code, Fmt to) {
  __half_raw h = half_raw(code);
  switch (to) {
    case Fmt::kE4M3: return __nv_cvt_halfraw_to_fp8(h, __NV_SATFINITE, __NV_E4M3);
    case Fmt::kE5M2: return __nv_cvt_halfraw_to_fp8(h, __NV_SATFINITE, __NV_E5M2);
    case Fmt::kE2M3: return __nv_cvt_halfraw_to_fp6(h, __NV_E2M3, cudaRoundNearest);
    case Fmt::kE3M2: return __nv_cvt_halfraw_to_fp6(h, __NV_E3M2, cudaRoundNearest);
    case Fmt::kE2M1: return __nv_cvt_halfraw_to_fp4(h, __NV_E2M1, cudaRoundNearest);
    default: return std::nullopt;
  }
}

std::optional<uint64_t> narrow_bf16(uint64_t code, Fmt to, dt::Round r) {
  __nv_bfloat16_raw b = bf16_raw(code);
  switch (to) {
    case Fmt::kE4M3: return __nv_cvt_bfloat16raw_to_fp8(b, __NV_SATFINITE, __NV_E4M3);
    case Fmt::kE5M2: return __nv_cvt_bfloat16raw_to_fp8(b, __NV_SATFINITE, __NV_E5M2);
    case Fmt::kE2M3: return __nv_cvt_bfloat16raw_to_fp6(b, __NV_E2M3, cudaRoundNearest);
    case Fmt::kE3M2: return __nv_cvt_bfloat16raw_to_fp6(b, __NV_E3M2, cudaRoundNearest);
    case Fmt::kE2M1: return __nv_cvt_bfloat16raw_to_fp4(b, __NV_E2M1, cudaRoundNearest);
    case Fmt::kUE8M0: return __nv_cvt_bfloat16raw_to_e8m0(b, __NV_SATFINITE, *e8m0_mode(r));
    default: return std::nullopt;
  }
}

}  // namespace

bool host_defines(const dt::DType& t) { return fmt_of(t) != Fmt::kNone; }

std::optional<uint64_t> host_convert(uint64_t code, const dt::DType& from, const dt::DType& to,
                                     dt::Round round) {
  Fmt src = fmt_of(from), dst = fmt_of(to);
  if (src == Fmt::kNone || dst == Fmt::kNone || src == dst || dst == Fmt::kF64) return std::nullopt;
  if (round != dt::Round::NearestEven && dst != Fmt::kUE8M0) return std::nullopt;
  code &= from.mask();
  if (src == Fmt::kF64) {
    if (dst == Fmt::kF32) return std::nullopt;
    // NaN to f16/bf16: the host functions give 0x7fff, the GPU's cvt.rn.f16.f64 and
    // cvt.rn.bf16.f64 keep sign and payload; tilevm follows the GPU, so no oracle here.
    bool nan = (code & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
    if (nan && (dst == Fmt::kF16 || dst == Fmt::kBF16)) return std::nullopt;
    return narrow_double(f64_of(code), dst, round);
  }
  if (src == Fmt::kF16 && is_narrow(dst) && dst != Fmt::kUE8M0) return narrow_half(code, dst);
  if (src == Fmt::kBF16 && is_narrow(dst)) return narrow_bf16(code, dst, round);
  return narrow_float(widen(code, src), dst, round);
}

F32Converter host_f32_converter(const dt::DType& to, dt::Round round) {
  if (round != dt::Round::NearestEven && fmt_of(to) != Fmt::kUE8M0) return nullptr;
  switch (fmt_of(to)) {
    case Fmt::kE4M3: return [](uint32_t x) { return narrow_float(f32_of(x), Fmt::kE4M3, dt::Round::NearestEven); };
    case Fmt::kE5M2: return [](uint32_t x) { return narrow_float(f32_of(x), Fmt::kE5M2, dt::Round::NearestEven); };
    case Fmt::kE2M3: return [](uint32_t x) { return narrow_float(f32_of(x), Fmt::kE2M3, dt::Round::NearestEven); };
    case Fmt::kE3M2: return [](uint32_t x) { return narrow_float(f32_of(x), Fmt::kE3M2, dt::Round::NearestEven); };
    case Fmt::kE2M1: return [](uint32_t x) { return narrow_float(f32_of(x), Fmt::kE2M1, dt::Round::NearestEven); };
    case Fmt::kF16: return [](uint32_t x) { return narrow_float(f32_of(x), Fmt::kF16, dt::Round::NearestEven); };
    case Fmt::kBF16: return [](uint32_t x) { return narrow_float(f32_of(x), Fmt::kBF16, dt::Round::NearestEven); };
    case Fmt::kUE8M0:
      if (round == dt::Round::TowardZero)
        return [](uint32_t x) { return narrow_float(f32_of(x), Fmt::kUE8M0, dt::Round::TowardZero); };
      return [](uint32_t x) { return narrow_float(f32_of(x), Fmt::kUE8M0, dt::Round::Up); };
    default: return nullptr;
  }
}

}  // namespace tilevm::cuda
