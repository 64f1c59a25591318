extern "C" __global__ void __launch_bounds__(32) snap_print(uint32_t* x_) {
  extern __shared__ __align__(128) uint8_t tvm_smem[];
  const int tid = threadIdx.x;
  const int lane = tid % 32, warp = tid / 32;
  uint8_t* const tvm_reduce_ws = tvm_smem + 0;
  (void)lane; (void)warp;
  // L0: spatial(32).local(2)
  const int L0_0 = tid * 2;
  (void)L0_0;
  const bool P0 = true;  // first replica of spatial(32).local(2)
  (void)P0;
  // 4: %gx = view.global(x, shape=[64])
  uint8_t* const gx = (uint8_t*)x_;
  const int64_t gx_n0 = (int64_t)64;
  const int64_t gx_s0 = 1;
  (void)gx_n0; (void)gx_s0;
  // 5: %t = load.global(%gx, offset=[0], shape=[64], layout=spatial(32).local(2))
  [[maybe_unused]] __align__(16) uint32_t t[1] = {};  // i4[64] spatial(32).local(2)
  tvm_set_bits(t, 0, 4, (true && ((int64_t)0ll + L0_0) >= 0 && ((int64_t)0ll + L0_0) < gx_n0) ? tvm_mem_get_bits(gx, 0 + ((int64_t)0ll + L0_0) * gx_s0, 4) : 0u);
  tvm_set_bits(t, 4, 4, (true && ((int64_t)0ll + L0_0 + 1) >= 0 && ((int64_t)0ll + L0_0 + 1) < gx_n0) ? tvm_mem_get_bits(gx, 0 + ((int64_t)0ll + L0_0 + 1) * gx_s0, 4) : 0u);
  // 6: print(%t, msg="say \"hi\" \\ 100% %d%s\n\tµ→✓")
  {
    __syncthreads();
    uint8_t* const buf = (uint8_t*)tvm_reduce_ws;
    if (P0) {
      buf[(0) * 64 + L0_0 + 0] = (uint8_t)tvm_get_bits(t, 0, 4);
      buf[(0) * 64 + L0_0 + 1] = (uint8_t)tvm_get_bits(t, 4, 4);
    }
    __syncthreads();
    if (tid == 0) {
      printf("block (%d,%d,%d):%s%s", blockIdx.x, blockIdx.y, blockIdx.z, " ", "say \"hi\" \\ 100% %d%s\012\011\302\265\342\206\222\342\234\223");
      for (int i = 0; i < 64; ++i) printf(" %lld", (long long)(int64_t)((int32_t)(((uint32_t)buf[i]) << 28) >> 28));
      printf("\n");
    }
    __syncthreads();
  }
  // 7: print(3, msg="%%")
  if (tid == 0) {
    printf("block (%d,%d,%d):%s%s", blockIdx.x, blockIdx.y, blockIdx.z, " ", "%%");
    printf(" %lld\n", (long long)(int64_t)3);
  }
  // 8: print(%t)
  {
    __syncthreads();
    uint8_t* const buf = (uint8_t*)tvm_reduce_ws;
    if (P0) {
      buf[(0) * 64 + L0_0 + 0] = (uint8_t)tvm_get_bits(t, 0, 4);
      buf[(0) * 64 + L0_0 + 1] = (uint8_t)tvm_get_bits(t, 4, 4);
    }
    __syncthreads();
    if (tid == 0) {
      printf("block (%d,%d,%d):%s%s", blockIdx.x, blockIdx.y, blockIdx.z, "", "");
      for (int i = 0; i < 64; ++i) printf(" %lld", (long long)(int64_t)((int32_t)(((uint32_t)buf[i]) << 28) >> 28));
      printf("\n");
    }
    __syncthreads();
  }
}
