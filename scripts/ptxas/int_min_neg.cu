// ptxas check: the minimum over a warp of negated int32 values. One thread holds x = 1843372924,
// the others 0, so the minimum of the negations is -x. The negation is written in C++ (mode 0)
// and as inline PTX `neg.s32` (mode 1). CUDA 13.0's ptxas for sm_90 at -O1 and above folds the
// negation into the SASS VIMNMX3 and loses it in both modes (the result is 0).
#include <cstdint>
#include <cstdio>

template <class T> __device__ __forceinline__ T min_of(T a, T b) { return b < a ? b : a; }
template <class T> __device__ __forceinline__ T negate(T a) { return (T)((uint32_t)0 - (uint32_t)a); }
__device__ __forceinline__ int32_t negate_ptx(int32_t a) {
  int32_t r;
  asm volatile("neg.s32 %0, %1;" : "=r"(r) : "r"(a));
  return r;
}

__global__ void min_of_negations(const int32_t* in, int n, int32_t* out, int mode) {
  int32_t v[8];
  for (int i = 0; i < 8; ++i) {
    int r = threadIdx.x * 8 + i;
    v[i] = r < n ? in[r] : 0;
  }
  int32_t w[8];
  if (mode == 0)
    for (int i = 0; i < 8; ++i) w[i] = negate(v[i]);
  else
    for (int i = 0; i < 8; ++i) w[i] = negate_ptx(v[i]);
  int32_t m = min_of(min_of(min_of(min_of(min_of(min_of(min_of(w[0], w[1]), w[2]), w[3]), w[4]), w[5]), w[6]), w[7]);
  for (int s = 1; s < 32; s <<= 1) m = min_of(m, (int32_t)__shfl_xor_sync(0xffffffffu, (unsigned)m, s));
  if (threadIdx.x == 0) out[mode] = m;
}

int main() {
  const int32_t x = 1843372924;
  int32_t *d, *o, r[2] = {0, 0};
  cudaMalloc(&d, 4);
  cudaMalloc(&o, 8);
  cudaMemcpy(d, &x, 4, cudaMemcpyHostToDevice);
  min_of_negations<<<1, 32>>>(d, 1, o, 0);
  min_of_negations<<<1, 32>>>(d, 1, o, 1);
  cudaMemcpy(r, o, 8, cudaMemcpyDeviceToHost);
  printf("min of negations: C++ %d, neg.s32 %d (expected %d)\n", r[0], r[1], -x);
  return r[0] != -x || r[1] != -x;
}
