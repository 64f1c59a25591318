// Checked values from the reference (tilus.md section 3 and appendix A), reproduced exactly.
#include <doctest/doctest.h>

#include "layout/register_layout.h"

using namespace tilevm::layout;

namespace {

using V = std::vector<int>;

void check_tuple(const RegisterLayout& l, V shape, V modes, V sp, V lo) {
  INFO(describe(l));
  CHECK(l.shape == shape);
  CHECK(l.mode_shape == modes);
  CHECK(l.spatial_modes == sp);
  CHECK(l.local_modes == lo);
}

RegisterLayout mk(V shape, V modes, V sp, V lo) {
  auto l = RegisterLayout::make(shape, modes, sp, lo);
  REQUIRE_MESSAGE(l.ok(), l.error().message);
  return *l;
}

RegisterLayout ok(tilevm::Expected<RegisterLayout> l) {
  REQUIRE_MESSAGE(l.ok(), l.error().message);
  return *l;
}

}  // namespace

TEST_CASE("appendix A: constructors and compositions") {
  check_tuple(spatial({3, 4}), {3, 4}, {3, 4}, {0, 1}, {});
  check_tuple(column_spatial({2, 3}), {2, 3}, {2, 3}, {1, 0}, {});
  check_tuple(column_local({2, 3}), {2, 3}, {2, 3}, {}, {1, 0});
  check_tuple(local({3, 4}).spatial({2, 3}), {6, 12}, {3, 2, 4, 3}, {1, 3}, {0, 2});
  check_tuple(spatial({2, 3}).local({3, 4}), {6, 12}, {2, 3, 3, 4}, {0, 2}, {1, 3});
  check_tuple(ok(reduce(spatial({3, 4}), {0})), {4}, {4}, {-3, 0}, {});
  check_tuple(replicated({2, 2}, 4), {2, 2}, {2, 2}, {-4}, {0, 1});
  check_tuple(spatial({1, 1, 2, 1, 3, 1}), {1, 1, 2, 1, 3, 1}, {2, 3}, {0, 1}, {});
  check_tuple(spatial({2, 4}).local({2, 1}), {4, 4}, {2, 2, 4}, {0, 2}, {1});
  check_tuple(spatial({2, 4}).local({3, 2}).spatial({6, 8}), {36, 64}, {2, 3, 6, 4, 2, 8}, {0, 3, 2, 5}, {1, 4});
  check_tuple(local({2, 1}).spatial({8, 4}).local({1, 2}), {16, 8}, {2, 8, 4, 2}, {1, 2}, {0, 3});
  check_tuple(auto_local_spatial(128, {64, 32}), {64, 32}, {16, 4, 32}, {1, 2}, {0});
  check_tuple(auto_local_spatial(128, {1024}), {1024}, {8, 128}, {1}, {0});
  check_tuple(auto_local_spatial(128, {16}), {16}, {16}, {-8, 0}, {});
  // default_register_layout(4 warps, f16, [64,64]) of the reference is this composition.
  check_tuple(local({4, 1}).spatial({16, 8}).local({1, 8}), {64, 64}, {4, 16, 8, 8}, {1, 2}, {0, 3});
}

TEST_CASE("appendix A: mma m16n8k16 and the a16wx kernel's layouts") {
  auto la = column_local({2, 2}).spatial({8, 4}).local({1, 2});
  auto lb = local({2, 1}).column_spatial({4, 8}).local({2, 1});
  auto lc = local({2, 1}).spatial({8, 4}).local({1, 2});
  check_tuple(la, {16, 16}, {2, 8, 2, 4, 2}, {1, 3}, {2, 0, 4});
  check_tuple(lb, {16, 8}, {2, 4, 2, 8}, {3, 1}, {0, 2});
  check_tuple(lc, {16, 8}, {2, 8, 4, 2}, {1, 2}, {0, 3});
  // tile_layout = local(1,2) * mma.lb
  check_tuple(local({1, 2}).then(lb), {16, 16}, {2, 4, 2, 2, 8}, {4, 1}, {3, 0, 2});
  // default block-level layouts for warp_spatial (2,2), warp_repeat (2,4,2)
  // spatial(wsm,1,wsn, ranks=[1,0,2]): thread = serialize by ranks; column order of the first two
  // dims: dims ranked (1,0,2) means dim 1 most significant, then dim 0, then dim 2.
  auto sp_a = mk({2, 1, 2}, {2, 2}, {0, 1}, {});  // dim 1 has extent 1, so ranks reduce to (0,2)
  auto la_blk = ok(reduce(sp_a, {2})).local({2, 2}).then(la);
  check_tuple(la_blk, {64, 32}, {2, 2, 2, 8, 4, 4, 2}, {0, -2, 3, 5}, {1, 4, 2, 6});
  auto sp_b = mk({1, 2, 2}, {2, 2}, {1, 0}, {});  // spatial(1,wsn,wsm, ranks=[0,2,1])
  auto lb_blk = ok(reduce(sp_b, {2})).local({2, 4}).then(lb);
  check_tuple(lb_blk, {32, 64}, {2, 2, 4, 2, 2, 4, 8}, {-2, 4, 6, 2}, {0, 5, 1, 3});
  auto lc_blk = spatial({2, 2}).local({2, 4}).then(lc);
  check_tuple(lc_blk, {64, 64}, {2, 2, 2, 8, 2, 4, 4, 2}, {0, 4, 3, 6}, {1, 5, 2, 7});
  // layout_rb_flattened (i4): concat(reduce(spatial(1,wsn,wsm,ranks=[0,2,1]),[2]).local(wrk/tk, wrn/tn),
  //                                  local(1).spatial(32).local(4))
  auto outer = ok(reduce(sp_b, {2})).local({2, 2});  // wrk*16/tile_k, wrn*8/tile_n
  auto flat = local({1}).spatial({32}).local({4});
  check_tuple(concat(outer, flat), {2, 4, 128}, {2, 2, 2, 32, 4}, {-2, 1, 3}, {0, 2, 4});
  // scale layout: reduce(lb_blk', [0], keepdims) for the 64-wide n of the block
  auto scale = ok(reduce(lb_blk, {0}, true));
  check_tuple(scale, {1, 64}, {2, 4, 8}, {-2, 0, 2, -4}, {1});
}
