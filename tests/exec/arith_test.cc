// Bit-exact arithmetic on codes against hand-computed values.
#include <doctest/doctest.h>

#include "exec/arith.h"

using namespace tilevm;
using namespace tilevm::exec;

namespace {
uint64_t bin(BinaryOp op, dt::DType t, uint64_t a, uint64_t b) {
  uint64_t r = 0;
  REQUIRE(binary_op(op, t, a, b, &r));
  return r;
}
}  // namespace

TEST_CASE("integer arithmetic wraps and division by zero is reported") {
  CHECK(bin(BinaryOp::Add, dt::kI8, 0x7f, 1) == 0x80);
  CHECK(bin(BinaryOp::Mul, dt::kU16, 0x100, 0x100) == 0);
  CHECK(bin(BinaryOp::Div, dt::kI32, 0x80000000u, 0xffffffffu) == 0x80000000u);
  CHECK(bin(BinaryOp::Mod, dt::kI32, 0x80000000u, 0xffffffffu) == 0);
  CHECK(bin(BinaryOp::Div, dt::kI32, static_cast<uint32_t>(-7), 2) == static_cast<uint32_t>(-3));
  CHECK(bin(BinaryOp::Mod, dt::kI32, static_cast<uint32_t>(-7), 2) == static_cast<uint32_t>(-1));
  uint64_t r;
  CHECK_FALSE(binary_op(BinaryOp::Div, dt::kI32, 5, 0, &r));
  CHECK(bin(BinaryOp::Shl, dt::kU32, 1, 32) == 0);
  CHECK(bin(BinaryOp::Shr, dt::kI32, 0x80000000u, 40) == 0xffffffffu);
  CHECK(bin(BinaryOp::Shr, dt::kI32, 0x80000000u, 4) == 0xf8000000u);
  CHECK(bin(BinaryOp::Shr, dt::kU32, 0x80000000u, 4) == 0x08000000u);
  CHECK(bin(BinaryOp::Min, dt::kI8, 0xff, 1) == 0xff);
  CHECK(bin(BinaryOp::Min, dt::kU8, 0xff, 1) == 1);
  CHECK(unary_op(UnaryOp::Abs, dt::kI8, 0x80) == 0x80);
  CHECK(unary_op(UnaryOp::Neg, dt::kI16, 1) == 0xffff);
}

TEST_CASE("f16 and bf16 arithmetic rounds once") {
  // 1 + 2^-11 is a tie between 1 and 1 + 2^-10: ties to even gives 1.
  CHECK(bin(BinaryOp::Add, dt::kF16, 0x3c00, 0x1000) == 0x3c00);
  // 1 + 1.5*2^-11 (0.75 ulp) rounds up to 1 + 2^-10.
  CHECK(bin(BinaryOp::Add, dt::kF16, 0x3c00, 0x1200) == 0x3c01);
  CHECK(bin(BinaryOp::Mul, dt::kF16, 0x7bff, 0x4000) == 0x7c00);  // max * 2 = inf
  CHECK(bin(BinaryOp::Div, dt::kF16, 0x3c00, 0x4200) == 0x3555);  // 1/3
  CHECK(bin(BinaryOp::Div, dt::kF16, 0, 0) == 0x7fff);            // canonical NaN
  CHECK(bin(BinaryOp::Add, dt::kBF16, 0x3f80, 0x3b80) == 0x3f80); // 1 + 2^-8: tie to even
  CHECK(bin(BinaryOp::Mul, dt::kF16, 0x0001, 0x3800) == 0x0000);  // min subnormal / 2: tie to 0
  CHECK(bin(BinaryOp::Mul, dt::kF16, 0x0003, 0x3800) == 0x0002);  // 1.5 ulp: tie to even 2
}

TEST_CASE("f32 arithmetic is IEEE and fma rounds once") {
  CHECK(bin(BinaryOp::Add, dt::kF32, 0x3f800000u, 0x33800000u) == 0x3f800000u);  // 1 + 2^-24
  // a*b+c with a = b = 1 + 2^-12, c = -(1 + 2^-11): exact result 2^-24, the unfused one is 0.
  uint64_t a = 0x3f800800u, c = 0xbf801000u;
  CHECK(fma_op(dt::kF32, a, a, c) == 0x33800000u);
  CHECK(bin(BinaryOp::Add, dt::kF32, bin(BinaryOp::Mul, dt::kF32, a, a), c) == 0);
  // f16 fma: (1 + 2^-10)^2 - 1 = 2^-9 + 2^-20 rounds to 2^-9 (0x1800)... exactly once.
  CHECK(fma_op(dt::kF16, 0x3c01, 0x3c01, 0xbc00) == 0x1800);
}

TEST_CASE("float min and max treat NaN and signed zeros as documented") {
  CHECK(bin(BinaryOp::Min, dt::kF32, 0x7fc00000u, 0x3f800000u) == 0x3f800000u);
  CHECK(bin(BinaryOp::Max, dt::kF32, 0x3f800000u, 0x7fc00001u) == 0x3f800000u);
  CHECK(bin(BinaryOp::Min, dt::kF32, 0x7fc00000u, 0x7fc00001u) == 0x7fffffffu);
  CHECK(bin(BinaryOp::Min, dt::kF32, 0x80000000u, 0) == 0x80000000u);
  CHECK(bin(BinaryOp::Min, dt::kF32, 0, 0x80000000u) == 0x80000000u);
  CHECK(bin(BinaryOp::Max, dt::kF32, 0x80000000u, 0) == 0);
  CHECK(compare_op(CompareOp::Ne, dt::kF32, 0x7fc00000u, 0x7fc00000u));
  CHECK_FALSE(compare_op(CompareOp::Eq, dt::kF32, 0x7fc00000u, 0x7fc00000u));
  CHECK(compare_op(CompareOp::Eq, dt::kF32, 0x80000000u, 0));
  CHECK(unary_op(UnaryOp::Round, dt::kF32, 0x40200000u) == 0x40000000u);  // 2.5 -> 2
  CHECK(unary_op(UnaryOp::Sqrt, dt::kF16, 0x4000) == 0x3da8);             // sqrt 2 in f16
  CHECK(unary_op(UnaryOp::Neg, dt::kF32, 0x7fc00001u) == 0xffc00001u);
}
