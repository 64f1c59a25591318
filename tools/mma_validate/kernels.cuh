// One kernel per mma.sync variant: each warp loads its lanes' packed A, B, C registers, issues
// exactly one mma.sync in inline PTX and stores D. The host does all fragment layout work.
#pragma once

#include <cstdint>

namespace mma_validate {

// Registers of one lane: A (4), B (2), C/D (4; f16 accumulators use the first 2).
template <int kId>
__device__ void mma_op(const uint4& a, const uint2& b, const uint4& c, uint4& d);

#define MMA_VALIDATE_F32(ID, PTX)                                                                \
  template <>                                                                                  \
  __device__ void mma_op<ID>(const uint4& a, const uint2& b, const uint4& c, uint4& d) {       \
    asm volatile(PTX " {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};\n"             \
                 : "=r"(d.x), "=r"(d.y), "=r"(d.z), "=r"(d.w)                                  \
                 : "r"(a.x), "r"(a.y), "r"(a.z), "r"(a.w), "r"(b.x), "r"(b.y), "r"(c.x), "r"(c.y), \
                   "r"(c.z), "r"(c.w));                                                        \
  }

#define MMA_VALIDATE_F16(ID, PTX)                                                                \
  template <>                                                                                  \
  __device__ void mma_op<ID>(const uint4& a, const uint2& b, const uint4& c, uint4& d) {       \
    asm volatile(PTX " {%0,%1}, {%2,%3,%4,%5}, {%6,%7}, {%8,%9};\n"                            \
                 : "=r"(d.x), "=r"(d.y)                                                        \
                 : "r"(a.x), "r"(a.y), "r"(a.z), "r"(a.w), "r"(b.x), "r"(b.y), "r"(c.x), "r"(c.y)); \
    d.z = d.w = 0;                                                                             \
  }

#define MMA_P "mma.sync.aligned."
MMA_VALIDATE_F32(0, MMA_P "m16n8k16.row.col.f32.f16.f16.f32")
MMA_VALIDATE_F32(1, MMA_P "m16n8k16.row.col.f32.bf16.bf16.f32")
MMA_VALIDATE_F16(2, MMA_P "m16n8k16.row.col.f16.f16.f16.f16")
MMA_VALIDATE_F32(3, MMA_P "m16n8k8.row.col.f32.tf32.tf32.f32")
MMA_VALIDATE_F32(4, MMA_P "m16n8k32.row.col.f32.e4m3.e4m3.f32")
MMA_VALIDATE_F32(5, MMA_P "m16n8k32.row.col.f32.e4m3.e5m2.f32")
MMA_VALIDATE_F32(6, MMA_P "m16n8k32.row.col.f32.e5m2.e4m3.f32")
MMA_VALIDATE_F32(7, MMA_P "m16n8k32.row.col.f32.e5m2.e5m2.f32")
MMA_VALIDATE_F32(8, MMA_P "m16n8k32.row.col.s32.s8.s8.s32")
MMA_VALIDATE_F32(9, MMA_P "m16n8k32.row.col.s32.s8.u8.s32")
MMA_VALIDATE_F32(10, MMA_P "m16n8k32.row.col.s32.u8.s8.s32")
MMA_VALIDATE_F32(11, MMA_P "m16n8k32.row.col.s32.u8.u8.s32")
MMA_VALIDATE_F32(12, MMA_P "m16n8k32.row.col.satfinite.s32.s8.s8.s32")
MMA_VALIDATE_F32(13, MMA_P "m16n8k32.row.col.satfinite.s32.s8.u8.s32")
MMA_VALIDATE_F32(14, MMA_P "m16n8k32.row.col.satfinite.s32.u8.s8.s32")
MMA_VALIDATE_F32(15, MMA_P "m16n8k32.row.col.satfinite.s32.u8.u8.s32")
MMA_VALIDATE_F32(16, MMA_P "m16n8k64.row.col.s32.s4.s4.s32")
MMA_VALIDATE_F32(17, MMA_P "m16n8k64.row.col.s32.s4.u4.s32")
MMA_VALIDATE_F32(18, MMA_P "m16n8k64.row.col.s32.u4.s4.s32")
MMA_VALIDATE_F32(19, MMA_P "m16n8k64.row.col.s32.u4.u4.s32")
MMA_VALIDATE_F32(20, MMA_P "m16n8k64.row.col.satfinite.s32.s4.s4.s32")
MMA_VALIDATE_F32(21, MMA_P "m16n8k64.row.col.satfinite.s32.s4.u4.s32")
MMA_VALIDATE_F32(22, MMA_P "m16n8k64.row.col.satfinite.s32.u4.s4.s32")
MMA_VALIDATE_F32(23, MMA_P "m16n8k64.row.col.satfinite.s32.u4.u4.s32")
#undef MMA_P

inline constexpr int kVariantCount = 24;

// D = mma(A, B, C) for `instances` independent m16n8 tiles; index = instance·32 + lane.
template <int kId>
__global__ void mma_kernel(const uint4* a, const uint2* b, const uint4* c, uint4* d, int instances) {
  const int t = blockIdx.x * blockDim.x + threadIdx.x;
  if (t / 32 >= instances) return;
  uint4 out;
  mma_op<kId>(a[t], b[t], c[t], out);
  d[t] = out;
}

}  // namespace mma_validate
