extern "C" __global__ void __launch_bounds__(32) snap_dequant(uint32_t* w, uint32_t* v_, int8_t* q, __half* a, __nv_bfloat16* b, __half* d) {
  extern __shared__ __align__(128) uint8_t tvm_smem[];
  const int tid = threadIdx.x;
  const int lane = tid % 32, warp = tid / 32;
  (void)lane; (void)warp;
  // L0: spatial(32).local(8)
  const int L0_0 = tid * 8;
  (void)L0_0;
  // 5: %gw = view.global(w, shape=[256])
  uint8_t* const gw = (uint8_t*)w;
  const int64_t gw_n0 = (int64_t)256;
  const int64_t gw_s0 = 1;
  (void)gw_n0; (void)gw_s0;
  // 6: %gv = view.global(v, shape=[256])
  uint8_t* const gv = (uint8_t*)v_;
  const int64_t gv_n0 = (int64_t)256;
  const int64_t gv_s0 = 1;
  (void)gv_n0; (void)gv_s0;
  // 7: %ga = view.global(a, shape=[256])
  __half* const ga = (__half*)a;
  const int64_t ga_n0 = (int64_t)256;
  const int64_t ga_s0 = 1;
  (void)ga_n0; (void)ga_s0;
  // 8: %gb = view.global(b, shape=[256])
  __nv_bfloat16* const gb = (__nv_bfloat16*)b;
  const int64_t gb_n0 = (int64_t)256;
  const int64_t gb_s0 = 1;
  (void)gb_n0; (void)gb_s0;
  // 9: %tw = load.global(%gw, offset=[0], shape=[256], layout=spatial(32).local(8))
  [[maybe_unused]] __align__(16) uint32_t tw[1] = {};  // u4[256] spatial(32).local(8)
  tvm_set_bits(tw, 0, 4, (true && ((int64_t)0ll + L0_0) >= 0 && ((int64_t)0ll + L0_0) < gw_n0) ? tvm_mem_get_bits(gw, 0 + ((int64_t)0ll + L0_0) * gw_s0, 4) : 0u);
  tvm_set_bits(tw, 4, 4, (true && ((int64_t)0ll + L0_0 + 1) >= 0 && ((int64_t)0ll + L0_0 + 1) < gw_n0) ? tvm_mem_get_bits(gw, 0 + ((int64_t)0ll + L0_0 + 1) * gw_s0, 4) : 0u);
  tvm_set_bits(tw, 8, 4, (true && ((int64_t)0ll + L0_0 + 2) >= 0 && ((int64_t)0ll + L0_0 + 2) < gw_n0) ? tvm_mem_get_bits(gw, 0 + ((int64_t)0ll + L0_0 + 2) * gw_s0, 4) : 0u);
  tvm_set_bits(tw, 12, 4, (true && ((int64_t)0ll + L0_0 + 3) >= 0 && ((int64_t)0ll + L0_0 + 3) < gw_n0) ? tvm_mem_get_bits(gw, 0 + ((int64_t)0ll + L0_0 + 3) * gw_s0, 4) : 0u);
  tvm_set_bits(tw, 16, 4, (true && ((int64_t)0ll + L0_0 + 4) >= 0 && ((int64_t)0ll + L0_0 + 4) < gw_n0) ? tvm_mem_get_bits(gw, 0 + ((int64_t)0ll + L0_0 + 4) * gw_s0, 4) : 0u);
  tvm_set_bits(tw, 20, 4, (true && ((int64_t)0ll + L0_0 + 5) >= 0 && ((int64_t)0ll + L0_0 + 5) < gw_n0) ? tvm_mem_get_bits(gw, 0 + ((int64_t)0ll + L0_0 + 5) * gw_s0, 4) : 0u);
  tvm_set_bits(tw, 24, 4, (true && ((int64_t)0ll + L0_0 + 6) >= 0 && ((int64_t)0ll + L0_0 + 6) < gw_n0) ? tvm_mem_get_bits(gw, 0 + ((int64_t)0ll + L0_0 + 6) * gw_s0, 4) : 0u);
  tvm_set_bits(tw, 28, 4, (true && ((int64_t)0ll + L0_0 + 7) >= 0 && ((int64_t)0ll + L0_0 + 7) < gw_n0) ? tvm_mem_get_bits(gw, 0 + ((int64_t)0ll + L0_0 + 7) * gw_s0, 4) : 0u);
  // 10: %tv = load.global(%gv, offset=[0], shape=[256], layout=spatial(32).local(8))
  [[maybe_unused]] __align__(16) uint32_t tv[1] = {};  // i4[256] spatial(32).local(8)
  tvm_set_bits(tv, 0, 4, (true && ((int64_t)0ll + L0_0) >= 0 && ((int64_t)0ll + L0_0) < gv_n0) ? tvm_mem_get_bits(gv, 0 + ((int64_t)0ll + L0_0) * gv_s0, 4) : 0u);
  tvm_set_bits(tv, 4, 4, (true && ((int64_t)0ll + L0_0 + 1) >= 0 && ((int64_t)0ll + L0_0 + 1) < gv_n0) ? tvm_mem_get_bits(gv, 0 + ((int64_t)0ll + L0_0 + 1) * gv_s0, 4) : 0u);
  tvm_set_bits(tv, 8, 4, (true && ((int64_t)0ll + L0_0 + 2) >= 0 && ((int64_t)0ll + L0_0 + 2) < gv_n0) ? tvm_mem_get_bits(gv, 0 + ((int64_t)0ll + L0_0 + 2) * gv_s0, 4) : 0u);
  tvm_set_bits(tv, 12, 4, (true && ((int64_t)0ll + L0_0 + 3) >= 0 && ((int64_t)0ll + L0_0 + 3) < gv_n0) ? tvm_mem_get_bits(gv, 0 + ((int64_t)0ll + L0_0 + 3) * gv_s0, 4) : 0u);
  tvm_set_bits(tv, 16, 4, (true && ((int64_t)0ll + L0_0 + 4) >= 0 && ((int64_t)0ll + L0_0 + 4) < gv_n0) ? tvm_mem_get_bits(gv, 0 + ((int64_t)0ll + L0_0 + 4) * gv_s0, 4) : 0u);
  tvm_set_bits(tv, 20, 4, (true && ((int64_t)0ll + L0_0 + 5) >= 0 && ((int64_t)0ll + L0_0 + 5) < gv_n0) ? tvm_mem_get_bits(gv, 0 + ((int64_t)0ll + L0_0 + 5) * gv_s0, 4) : 0u);
  tvm_set_bits(tv, 24, 4, (true && ((int64_t)0ll + L0_0 + 6) >= 0 && ((int64_t)0ll + L0_0 + 6) < gv_n0) ? tvm_mem_get_bits(gv, 0 + ((int64_t)0ll + L0_0 + 6) * gv_s0, 4) : 0u);
  tvm_set_bits(tv, 28, 4, (true && ((int64_t)0ll + L0_0 + 7) >= 0 && ((int64_t)0ll + L0_0 + 7) < gv_n0) ? tvm_mem_get_bits(gv, 0 + ((int64_t)0ll + L0_0 + 7) * gv_s0, 4) : 0u);
  // 11: %hw = cast(%tw, dtype=f16)
  [[maybe_unused]] __align__(16) __half hw[8];  // f16[256] spatial(32).local(8)
  { const auto p = tvm_u4x2_to_f16x2(tw[0]); hw[0] = __low2half(p); hw[4] = __high2half(p); }  // slots 0, 4 paired
  { const auto p = tvm_u4x2_to_f16x2(tw[0] >> 4); hw[1] = __low2half(p); hw[5] = __high2half(p); }  // slots 1, 5 paired
  { const auto p = tvm_u4x2_to_f16x2(tw[0] >> 8); hw[2] = __low2half(p); hw[6] = __high2half(p); }  // slots 2, 6 paired
  { const auto p = tvm_u4x2_to_f16x2(tw[0] >> 12); hw[3] = __low2half(p); hw[7] = __high2half(p); }  // slots 3, 7 paired
  // 12: %bv = cast(%tv, dtype=bf16)
  [[maybe_unused]] __align__(16) __nv_bfloat16 bv[8];  // bf16[256] spatial(32).local(8)
  { const auto p = tvm_i4x2_to_bf16x2(tv[0]); bv[0] = __low2bfloat16(p); bv[4] = __high2bfloat16(p); }  // slots 0, 4 paired
  { const auto p = tvm_i4x2_to_bf16x2(tv[0] >> 4); bv[1] = __low2bfloat16(p); bv[5] = __high2bfloat16(p); }  // slots 1, 5 paired
  { const auto p = tvm_i4x2_to_bf16x2(tv[0] >> 8); bv[2] = __low2bfloat16(p); bv[6] = __high2bfloat16(p); }  // slots 2, 6 paired
  { const auto p = tvm_i4x2_to_bf16x2(tv[0] >> 12); bv[3] = __low2bfloat16(p); bv[7] = __high2bfloat16(p); }  // slots 3, 7 paired
  // 13: store.global(%hw, %ga, offset=[0])
  tvm_store_vec<__half, 8>(ga, &hw[0], (int64_t)0ll + L0_0, ga_n0, true);  // slots 0..7
  // 14: store.global(%bv, %gb, offset=[0])
  tvm_store_vec<__nv_bfloat16, 8>(gb, &bv[0], (int64_t)0ll + L0_0, gb_n0, true);  // slots 0..7
  // 15: %gq = view.global(q, shape=[256])
  int8_t* const gq = (int8_t*)q;
  const int64_t gq_n0 = (int64_t)256;
  const int64_t gq_s0 = 1;
  (void)gq_n0; (void)gq_s0;
  // 16: %gd = view.global(d, shape=[256])
  __half* const gd = (__half*)d;
  const int64_t gd_n0 = (int64_t)256;
  const int64_t gd_s0 = 1;
  (void)gd_n0; (void)gd_s0;
  // 17: %tq = load.global(%gq, offset=[0], shape=[256], layout=spatial(32).local(8))
  [[maybe_unused]] __align__(16) int8_t tq[8];  // i8[256] spatial(32).local(8)
  tvm_load_vec<int8_t, 8>(&tq[0], gq, (int64_t)0ll + L0_0, gq_n0, true);  // slots 0..7
  // 18: %hq = cast(%tq, dtype=f16)
  [[maybe_unused]] __align__(16) __half hq[8];  // f16[256] spatial(32).local(8)
  { const __half2 p = tvm_i8x2_to_f16x2_b0(reinterpret_cast<const uint32_t*>(tq)[0]); hq[0] = __low2half(p); hq[1] = __high2half(p); }  // slots 0, 1 paired
  { const __half2 p = tvm_i8x2_to_f16x2_b2(reinterpret_cast<const uint32_t*>(tq)[0]); hq[2] = __low2half(p); hq[3] = __high2half(p); }  // slots 2, 3 paired
  { const __half2 p = tvm_i8x2_to_f16x2_b0(reinterpret_cast<const uint32_t*>(tq)[1]); hq[4] = __low2half(p); hq[5] = __high2half(p); }  // slots 4, 5 paired
  { const __half2 p = tvm_i8x2_to_f16x2_b2(reinterpret_cast<const uint32_t*>(tq)[1]); hq[6] = __low2half(p); hq[7] = __high2half(p); }  // slots 6, 7 paired
  // 19: store.global(%hq, %gd, offset=[0])
  tvm_store_vec<__half, 8>(gd, &hq[0], (int64_t)0ll + L0_0, gd_n0, true);  // slots 0..7
}
