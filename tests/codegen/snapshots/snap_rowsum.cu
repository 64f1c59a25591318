extern "C" __global__ void __launch_bounds__(128) snap_rowsum(int32_t m, __half* x_, float* y) {
  extern __shared__ __align__(128) uint8_t tvm_smem[];
  const int tid = threadIdx.x;
  const int lane = tid % 32, warp = tid / 32;
  (void)lane; (void)warp;
  // L0: local(2,1).spatial(4,32).local(1,2)
  const int L0_0 = (tid / 32);
  (void)L0_0;
  const int L0_1 = (tid % 32) * 2;
  (void)L0_1;
  // L1: local(2).spatial(4).replicated(32)
  const int L1_0 = (tid / 32);
  (void)L1_0;
  const bool P0 = (tid % 32) == 0;  // first replica of local(2).spatial(4).replicated(32)
  (void)P0;
  // 3: let bi = block_index(dim=x)
  const int32_t bi = (int32_t)blockIdx.x;
  // 4: %gx = view.global(x, shape=[m, 64])
  __half* const gx = (__half*)x_;
  const int64_t gx_n0 = (int64_t)m;
  const int64_t gx_n1 = (int64_t)64;
  const int64_t gx_s1 = 1;
  const int64_t gx_s0 = gx_n1 * gx_s1;
  (void)gx_n0; (void)gx_s0;
  // 5: %gy = view.global(y, shape=[m])
  float* const gy = (float*)y;
  const int64_t gy_n0 = (int64_t)m;
  const int64_t gy_s0 = 1;
  (void)gy_n0; (void)gy_s0;
  // 6: %t = load.global(%gx, offset=[bi * 8, 0], shape=[8, 64], layout=local(2, 1).spatial(4, 32).local(1, 2))
  [[maybe_unused]] __align__(16) __half t[4];  // f16[8, 64] local(2,1).spatial(4,32).local(1,2)
  {
    const int64_t x0 = (int64_t)(bi * 8) + L0_0;
    tvm_load_vec<__half, 2>(&t[0], gx + x0 * gx_s0, (int64_t)0ll + L0_1, gx_n1, x0 >= 0 && x0 < gx_n0);  // slots 0..1
  }
  {
    const int64_t x0 = (int64_t)(bi * 8) + L0_0 + 4;
    tvm_load_vec<__half, 2>(&t[2], gx + x0 * gx_s0, (int64_t)0ll + L0_1, gx_n1, x0 >= 0 && x0 < gx_n0);  // slots 2..3
  }
  // 7: %f = cast(%t, dtype=f32)
  [[maybe_unused]] __align__(16) float f[4];  // f32[8, 64] local(2,1).spatial(4,32).local(1,2)
  #pragma unroll
  for (int i = 0; i < 4; ++i) f[i] = __half2float(t[i]);
  // 8: %s = reduce.sum(%f, dims=[1])
  [[maybe_unused]] __align__(16) float s[2];  // f32[8] local(2).spatial(4).replicated(32)
  s[0] = tvm_add(f[0], f[1]);
  s[1] = tvm_add(f[2], f[3]);
  #pragma unroll
  for (int i = 0; i < 2; ++i) {
    const float o = tvm_shfl_xor(s[i], 1);
    s[i] = tvm_add(s[i], o);
  }
  #pragma unroll
  for (int i = 0; i < 2; ++i) {
    const float o = tvm_shfl_xor(s[i], 2);
    s[i] = tvm_add(s[i], o);
  }
  #pragma unroll
  for (int i = 0; i < 2; ++i) {
    const float o = tvm_shfl_xor(s[i], 4);
    s[i] = tvm_add(s[i], o);
  }
  #pragma unroll
  for (int i = 0; i < 2; ++i) {
    const float o = tvm_shfl_xor(s[i], 8);
    s[i] = tvm_add(s[i], o);
  }
  #pragma unroll
  for (int i = 0; i < 2; ++i) {
    const float o = tvm_shfl_xor(s[i], 16);
    s[i] = tvm_add(s[i], o);
  }
  // 9: store.global(%s, %gy, offset=[bi * 8])
  tvm_store_vec<float, 1>(gy, &s[0], (int64_t)(bi * 8) + L1_0, gy_n0, P0);
  tvm_store_vec<float, 1>(gy, &s[1], (int64_t)(bi * 8) + L1_0 + 4, gy_n0, P0);
}
