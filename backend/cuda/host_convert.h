// CUDA's host conversion functions (cuda_fp8.h, cuda_fp6.h, cuda_fp4.h, cuda_fp16.h,
// cuda_bf16.h) as an oracle for the formats CUDA defines: f8e4m3, f8e5m2, f6e2m3, f6e3m2,
// f4e2m1, ue8m0, f16, bf16 (with f32 and f64 as sources). Every narrowing uses __NV_SATFINITE
// where the function takes a saturation mode and cudaRoundNearest where it takes a rounding
// mode (ue8m0: cudaRoundZero for Round::TowardZero, cudaRoundPosInf for Up and for the default
// NearestEven, as CUDA's __nv_fp8_e8m0 constructor does).
#pragma once

#include <cstdint>
#include <optional>

#include "dtype/convert.h"
#include "dtype/dtype.h"

namespace tilevm::cuda {

// Whether CUDA's headers define `t` (one of the formats above, or f32/f64).
bool host_defines(const dt::DType& t);

// CUDA's result for converting `code` from `from` to `to`, or nullopt where CUDA offers no host
// function for the pair. A pair is offered when a CUDA function converts it directly, or when
// the source first widens exactly through CUDA's own decode (f8/f6/f4 → f16 raw, ue8m0 → bf16
// raw, f16/bf16 → float) and a CUDA function then performs the single rounding. Identity
// conversions and f64 → f32 (not CUDA's) give nullopt, as does a rounding request the target
// does not offer, and NaN from f64 to f16/bf16 (the host functions canonicalise to 0x7fff where
// the GPU's cvt.rn.f16.f64/cvt.rn.bf16.f64 keep the payload, and tilevm follows the GPU).
std::optional<uint64_t> host_convert(uint64_t code, const dt::DType& from, const dt::DType& to,
                                     dt::Round round = dt::Round::NearestEven);

// For sweeps: CUDA's f32 → `to` conversion as a plain function of the f32 bits (rounding
// `round` bound in), or nullptr where CUDA has none.
using F32Converter = uint64_t (*)(uint32_t f32_bits);
F32Converter host_f32_converter(const dt::DType& to, dt::Round round = dt::Round::NearestEven);

}  // namespace tilevm::cuda
