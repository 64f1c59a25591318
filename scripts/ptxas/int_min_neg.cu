// ptxas check: the minimum over a warp of negated int32 values. One thread holds x = 1843372924,
// the others 0, so the minimum of the negations is -x. CUDA 13.0's ptxas for sm_90 at -O1 and
// above folds the negation into the SASS VIMNMX3 and loses it (the result is 0, the minimum of
// x and the zeros).
#include <cstdint>
#include <cstdio>

__device__ __forceinline__ int32_t min32(int32_t a, int32_t b) { return b < a ? b : a; }

__global__ void min_of_negations(const int32_t* in, int n, int32_t* out) {
  int32_t v[8];
  for (int i = 0; i < 8; ++i) {
    int r = threadIdx.x * 8 + i;
    v[i] = r < n ? in[r] : 0;
  }
  int32_t m = -v[0];
  for (int i = 1; i < 8; ++i) m = min32(m, (int32_t)(0u - (uint32_t)v[i]));
  for (int s = 1; s < 32; s <<= 1) m = min32(m, (int32_t)__shfl_xor_sync(0xffffffffu, (unsigned)m, s));
  if (threadIdx.x == 0) *out = m;
}

int main() {
  const int32_t x = 1843372924;
  int32_t *d, *o, r = 0;
  cudaMalloc(&d, 4);
  cudaMalloc(&o, 4);
  cudaMemcpy(d, &x, 4, cudaMemcpyHostToDevice);
  min_of_negations<<<1, 32>>>(d, 1, o);
  cudaMemcpy(&r, o, 4, cudaMemcpyDeviceToHost);
  printf("min of negations: %d (expected %d)\n", r, -x);
  return r != -x;
}
