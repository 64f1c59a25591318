// ptxas check: the abs of an f16 value (clear bit 15), for both halves of a packed pair.
// Each thread converts two bf16 values to f16 (through f32), clears their sign bits and stores
// the pair as one 32-bit word in shared memory. Every input is negative, so every result must
// be positive. CUDA 13.0's ptxas for sm_90 at -O1 and above drops the `and` of the low half
// (the SASS packs with F2FP.F16.F32.PACK_AB and keeps only the high half's LOP3).
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cstdint>
#include <cstdio>

__global__ void abs_pairs(const __nv_bfloat16* in, __half* out) {
  __shared__ __align__(16) __half s[256];
  int t = threadIdx.x;
  unsigned short bits[2];
  for (int i = 0; i < 2; ++i) {
    __half h = __float2half_rn(__bfloat162float(in[2 * t + i]));
    bits[i] = (unsigned short)(__half_as_ushort(h) & 0x7fff);
  }
  *reinterpret_cast<uint32_t*>(&s[2 * t]) = (uint32_t)bits[0] | ((uint32_t)bits[1] << 16);
  __syncthreads();
  out[t] = s[t];
  out[t + 128] = s[t + 128];
}

int main() {
  __nv_bfloat16 h[256];
  for (int i = 0; i < 256; ++i) h[i] = __float2bfloat16(-0.75f - i);
  __nv_bfloat16* d;
  __half* o;
  unsigned short r[256];
  cudaMalloc(&d, sizeof h);
  cudaMalloc(&o, sizeof r);
  cudaMemcpy(d, h, sizeof h, cudaMemcpyHostToDevice);
  abs_pairs<<<1, 128>>>(d, o);
  cudaMemcpy(r, o, sizeof r, cudaMemcpyDeviceToHost);
  int negative = 0;
  for (int i = 0; i < 256; ++i) negative += r[i] >> 15;
  printf("f16 abs of 256 negative values: %d results still negative (expected 0)\n", negative);
  return negative != 0;
}
