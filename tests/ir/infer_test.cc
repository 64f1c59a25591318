// Layout inference: consumers decide loads' layouts, explicit layouts are never changed,
// broadcast and reduction layouts derive from their partners, dot operands follow the
// accumulator's warp arrangement.
#include <doctest/doctest.h>

#include "layout/register_layout.h"
#include "verify/mma.h"
#include "verify/pipeline.h"

using namespace tilevm;

namespace {
// The inferred layout of tensor %name, printed.
std::string layout_of(const verify::CheckResult& r, const std::string& name) {
  for (const auto& t : r.facts->tensors)
    if (t.name == name && t.layout) return layout::to_string(*t.layout);
  return "?";
}
verify::CheckResult check(const std::string& body, int warps = 4) {
  auto r = verify::check_source("t.tile", "program p(n: i32, a: f32*) grid [1] warps " + std::to_string(warps) +
                                               " {\n  %g = view.global(a, shape=[n])\n" + body + "}\n");
  INFO(r.diagnostics);
  REQUIRE(r.ok());
  return r;
}
}  // namespace

TEST_CASE("infer: a load takes its consumer's explicit layout, and explicit layouts stay") {
  auto r = check(
      "  %x = load.global(%g, offset=[0], shape=[256])\n"
      "  %y = alloc.register(dtype=f32, shape=[256], layout=spatial(128).local(2), init=1.0)\n"
      "  %z = add(%x, %y)\n");
  CHECK(layout_of(r, "x") == "spatial(128).local(2)");
  CHECK(layout_of(r, "z") == "spatial(128).local(2)");
  // Without a consumer that decides, the default layout: local(2).spatial(128).
  auto d = check("  %x = load.global(%g, offset=[0], shape=[256])\n");
  CHECK(layout_of(d, "x") == "local(2).spatial(128)");
  CHECK(layout::to_string(verify::default_layout(128, {64, 32})) == "local(16,1).spatial(4,32)");
}

TEST_CASE("infer: broadcasts and reductions derive from the full-shape tensor") {
  auto r = check(
      "  %x = alloc.register(dtype=f32, shape=[4, 128], layout=local(4,1).spatial(1,128), init=0.0)\n"
      "  %m = reduce.max(%x, dims=[1], keepdims=true)\n"
      "  %col = load.global(%g, offset=[0], shape=[128])\n"
      "  %d = sub(%x, %m)\n"
      "  %e = add(%d, %col)\n");
  auto want_m = layout::reduce(*layout::parse_register_layout("local(4,1).spatial(1,128)"), {1}, true);
  REQUIRE(want_m.ok());
  CHECK(layout_of(r, "m") == layout::to_string(*want_m));
  // %col [128] is broadcast over rows: each thread holds its column.
  CHECK(layout_of(r, "col") == "spatial(128)");
}

TEST_CASE("infer: dot.mma operands follow an explicit accumulator's warp arrangement") {
  const verify::MmaAtom* at = verify::find_mma_atom(dt::kF16, dt::kF16, dt::kF32);
  REQUIRE(at != nullptr);
  auto wm2 = verify::mma_block_layouts(*at, 64, 64, 32, 4, 2);
  auto wm4 = verify::mma_block_layouts(*at, 64, 64, 32, 4, 4);
  REQUIRE(wm2);
  REQUIRE(wm4);
  CHECK_FALSE(wm2->c == wm4->c);
  auto r = verify::check_source(
      "t.tile", "program p(a: f16*) grid [1] warps 4 {\n  %g = view.global(a, shape=[64, 64])\n"
                "  %ta = load.global(%g, offset=[0, 0], shape=[64, 32])\n"
                "  %tb = load.global(%g, offset=[0, 0], shape=[32, 64])\n"
                "  %acc = alloc.register(dtype=f32, shape=[64, 64], layout=" + layout::to_string(wm4->c) +
                    ", init=0.0)\n  dot.mma(%ta, %tb, %acc, out=%acc)\n}\n");
  INFO(r.diagnostics);
  REQUIRE(r.ok());
  CHECK(layout_of(r, "ta") == layout::to_string(wm4->a));
  CHECK(layout_of(r, "tb") == layout::to_string(wm4->b));
  CHECK(layout_of(r, "acc") == layout::to_string(wm4->c));
}
