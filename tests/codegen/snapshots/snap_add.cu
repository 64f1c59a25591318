extern "C" __global__ void __launch_bounds__(64) snap_add(int32_t n, float* a, float* b, float* c_) {
  extern __shared__ __align__(128) uint8_t tvm_smem[];
  const int tid = threadIdx.x;
  const int lane = tid % 32, warp = tid / 32;
  (void)lane; (void)warp;
  // L0: spatial(64).local(4)
  const int L0_0 = tid * 4;
  (void)L0_0;
  // 3: let bi = block_index(dim=x)
  const int32_t bi = (int32_t)blockIdx.x;
  // 4: %ga = view.global(a, shape=[n])
  float* const ga = (float*)a;
  const int64_t ga_n0 = (int64_t)n;
  const int64_t ga_s0 = 1;
  (void)ga_n0; (void)ga_s0;
  // 5: %gb = view.global(b, shape=[n])
  float* const gb = (float*)b;
  const int64_t gb_n0 = (int64_t)n;
  const int64_t gb_s0 = 1;
  (void)gb_n0; (void)gb_s0;
  // 6: %gc = view.global(c, shape=[n])
  float* const gc = (float*)c_;
  const int64_t gc_n0 = (int64_t)n;
  const int64_t gc_s0 = 1;
  (void)gc_n0; (void)gc_s0;
  // 7: %ta = load.global(%ga, offset=[bi * 256], shape=[256], layout=spatial(64).local(4))
  [[maybe_unused]] __align__(16) float ta[4];  // f32[256] spatial(64).local(4)
  tvm_load_vec<float, 4>(&ta[0], ga, (int64_t)(bi * 256) + L0_0, ga_n0, true);  // slots 0..3
  // 8: %tb = load.global(%gb, offset=[bi * 256], shape=[256])
  [[maybe_unused]] __align__(16) float tb[4];  // f32[256] spatial(64).local(4)
  tvm_load_vec<float, 4>(&tb[0], gb, (int64_t)(bi * 256) + L0_0, gb_n0, true);  // slots 0..3
  // 9: %tc = add(%ta, %tb)
  [[maybe_unused]] __align__(16) float tc[4];  // f32[256] spatial(64).local(4)
  #pragma unroll
  for (int i = 0; i < 4; ++i) tc[i] = tvm_add(ta[i], tb[i]);
  // 10: store.global(%tc, %gc, offset=[bi * 256])
  tvm_store_vec<float, 4>(gc, &tc[0], (int64_t)(bi * 256) + L0_0, gc_n0, true);  // slots 0..3
}
