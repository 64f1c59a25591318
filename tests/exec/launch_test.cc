// Launch building: argument specifications, scalar values, generators, grids and buffer sizes.
#include <doctest/doctest.h>

#include "exec/arith.h"
#include "emulator/run_helpers.h"
#include "exec/launch.h"

using namespace tilevm;
using namespace tilevm::exec;


TEST_CASE("arg specs parse files, generators and values") {
  auto f = parse_arg_spec("a=in.npy");
  REQUIRE(f.ok());
  CHECK(f->kind == ArgSpec::Kind::File);
  CHECK(f->path == "in.npy");
  auto r = parse_arg_spec("w=rand:u4:7:64x32");
  REQUIRE(r.ok());
  CHECK(r->kind == ArgSpec::Kind::Rand);
  CHECK(r->dtype == dt::int_type(4, false));
  CHECK(r->seed == 7);
  CHECK(*r->shape == std::vector<int64_t>{64, 32});
  auto v = parse_arg_spec("n=4096");
  REQUIRE(v.ok());
  CHECK(v->kind == ArgSpec::Kind::Value);
  CHECK_FALSE(parse_arg_spec("novalue").ok());
  CHECK_FALSE(parse_arg_spec("w=rand:f9:1").ok());
  CHECK_FALSE(parse_arg_spec("w=rand:f16:x").ok());
  CHECK_FALSE(parse_out_spec("c").ok());
}

TEST_CASE("scalar values are range-checked and rounded once") {
  CHECK(*parse_scalar_value("-1", dt::kI32) == 0xffffffffu);
  CHECK(*parse_scalar_value("0x10", dt::kU8) == 16);
  CHECK_FALSE(parse_scalar_value("256", dt::kU8).ok());
  CHECK_FALSE(parse_scalar_value("-129", dt::kI8).ok());
  CHECK(*parse_scalar_value("-128", dt::kI8) == 0x80);
  CHECK(*parse_scalar_value("0.1", dt::kF16) == 0x2e66);  // 0.1 rounds to 0x2e66 in f16
  CHECK(*parse_scalar_value("1.5", dt::kF32) == 0x3fc00000u);
  CHECK(*parse_scalar_value("true", dt::kBool) == 1);
  CHECK_FALSE(parse_scalar_value("1.5x", dt::kF32).ok());
}

TEST_CASE("generators are deterministic and mix in edge values") {
  auto a = generate(dt::kF16, 3, 4096), b = generate(dt::kF16, 3, 4096), c = generate(dt::kF16, 4, 4096);
  CHECK(a == b);
  CHECK(a != c);
  int inf = 0, zero = 0;
  for (uint64_t x : a) inf += (x & 0x7fff) == 0x7c00, zero += (x & 0x7fff) == 0;
  CHECK(inf > 0);
  CHECK(zero > 0);
  for (uint64_t x : generate(dt::int_type(4, false), 1, 100)) CHECK(x < 16);
}

TEST_CASE("make_launch evaluates the grid and sizes buffers from the views") {
  auto p = load_program_text("va.tile", tilevm::testing::example_text("vector_add"));
  REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message));
  std::vector<ArgSpec> specs = {*parse_arg_spec("n=3000"), *parse_arg_spec("a=rand:f32:1")};
  auto l = make_launch(*p, specs);
  REQUIRE_MESSAGE(l.ok(), (l.ok() ? "" : l.error().message));
  CHECK(l->grid == std::array<int64_t, 3>{3, 1, 1});
  CHECK(l->args[1].bytes.size() == 12000);
  CHECK(l->args[3].bytes.size() == 12000);
  CHECK(l->args[0].bits == 3000);
  auto missing = make_launch(*p, {*parse_arg_spec("a=rand:f32:1")});
  CHECK_FALSE(missing.ok());
  auto wrong = make_launch(*p, {*parse_arg_spec("n=1"), *parse_arg_spec("a=rand:f16:1")});
  CHECK_FALSE(wrong.ok());
  auto unknown = make_launch(*p, {*parse_arg_spec("n=1"), *parse_arg_spec("zz=1")});
  CHECK_FALSE(unknown.ok());
}

TEST_CASE("the gpu backend reports that it is missing until registered") {
  auto e = make_executor("nonexistent");
  CHECK_FALSE(e.ok());
}

TEST_CASE("first_difference compares buffers element by element and scalars by their codes") {
  Arg n;  // a scalar i32 parameter: no buffer
  n.name = "n";
  n.type.dtype = *dt::parse_dtype("i32");
  n.bits = 3000;
  Arg n2 = n;
  CHECK_FALSE(first_difference(n, n2).has_value());
  n2.bits = 3001;
  auto ms = first_difference(n, n2);
  REQUIRE(ms.has_value());
  CHECK(ms->index.empty());
  CHECK(ms->a == 3000);
  CHECK(ms->b == 3001);

  Arg p;  // u4[2, 3]: six packed codes in three bytes
  p.name = "p";
  p.type.dtype = *dt::parse_dtype("u4");
  p.type.pointer = true;
  p.shape = {2, 3};
  p.bytes = {0x21, 0x43, 0x65};
  Arg q = p;
  CHECK_FALSE(first_difference(p, q).has_value());
  q.bytes[2] = 0x75;  // element 5 (row 1, column 2): 6 -> 7
  auto mp = first_difference(p, q);
  REQUIRE(mp.has_value());
  CHECK(mp->index == std::vector<int64_t>{1, 2});
  CHECK(mp->a == 6);
  CHECK(mp->b == 7);
}
