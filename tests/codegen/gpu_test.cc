// The generated kernels on the GPU (skipped without one): casts between many pairs of types give
// exactly src/dtype's bits for every code of 16-bit-or-narrower sources and for structured f32
// and f64 values; a masked vector add handles every tail length.
#include <doctest/doctest.h>

#include <cstring>

#include "backend/cuda/emit.h"
#include "backend/cuda/gpu_executor.h"
#include "dtype/convert.h"
#include "dtype/pack.h"
#include "gpu.h"

using namespace tilevm;

namespace {

// The source codes to test: every code up to 16 bits, else a structured sweep (powers of two
// with neighbours, halfway points, specials) plus a pseudo-random sample.
std::vector<uint64_t> source_codes(const dt::DType& d) {
  std::vector<uint64_t> v;
  if (d.bits <= 16) {
    for (uint64_t c = 0; c <= d.mask(); ++c) v.push_back(c);
    return v;
  }
  uint64_t x = 0x9e3779b97f4a7c15ull;
  for (int i = 0; i < 20000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    v.push_back(x & d.mask());
  }
  if (d == dt::kF32) {
    for (uint32_t e = 0; e < 256; ++e)
      for (uint32_t m : {0u, 1u, 0x7fffffu, 0x400000u, 0x3fffffu, 0x100000u, 0x080000u, 0x0fffffu, 0x1fffu, 0x1000u})
        for (uint32_t s : {0u, 1u}) v.push_back((s << 31) | (e << 23) | m);
  }
  if (d == dt::kF64) {
    for (uint64_t e = 0; e < 2048; e += 1)
      for (uint64_t m : {0ull, 1ull, 0x8000000000000ull, 0xfffffffffffffull, 0x10000000ull})
        v.push_back((e << 52) | m);
  }
  if (d.is_int()) {
    for (int64_t k = -70000; k <= 70000; k += 7) v.push_back(static_cast<uint64_t>(k) & d.mask());
  }
  return v;
}

std::string cast_program(const dt::DType& from, const dt::DType& to) {
  return "program cast_test(n: i32, x: " + from.name() + "*, y: " + to.name() +
         "*) grid [cdiv(n, 256)] warps 2 {\n  let bi = block_index(dim=x)\n"
         "  %gx = view.global(x, shape=[n])\n  %gy = view.global(y, shape=[n])\n"
         "  %t = load.global(%gx, offset=[bi * 256], shape=[256], layout=spatial(64).local(4))\n"
         "  %c = cast(%t, dtype=" + to.name() + ")\n  store.global(%c, %gy, offset=[bi * 256])\n}\n";
}

const dt::DType kSources[] = {dt::kF32, dt::kF16, dt::kBF16, dt::kF64, dt::kF8E4M3, dt::kF8E5M2, dt::kF4E2M1, dt::kF6E3M2,
                              dt::kI8, dt::kU8, dt::kI16, dt::kI32, dt::kI64, dt::int_type(4, true), dt::int_type(4, false)};
const dt::DType kTargets[] = {dt::kF16, dt::kBF16, dt::kF32, dt::kF64, dt::kF8E4M3, dt::kF8E5M2, dt::kF4E2M1,
                              dt::kF6E2M3, dt::kI8, dt::kU8, dt::kI32, dt::kU32, dt::int_type(4, true), dt::kUE8M0};

void check_cast(const dt::DType& from, const dt::DType& to) {
  CAPTURE(from.name());
  CAPTURE(to.name());
  std::vector<uint64_t> codes = source_codes(from);
  int64_t n = static_cast<int64_t>(codes.size());
  n = (n + 255) / 256 * 256;  // whole tiles: sub-byte stores of neighbours in one byte stay in one block
  codes.resize(static_cast<size_t>(n), 0);
  auto prog = exec::load_program_text("cast_test.tile", cast_program(from, to));
  REQUIRE_MESSAGE(prog.ok(), (prog.ok() ? "" : prog.error().message));
  auto launch = exec::make_launch(*prog, {exec::ArgSpec{exec::ArgSpec::Kind::Value, "n", "", {}, 0, {}, std::to_string(n)}});
  REQUIRE_MESSAGE(launch.ok(), (launch.ok() ? "" : launch.error().message));
  exec::Arg& x = launch->args[1];
  x.shape = {n};
  x.bytes.assign(dt::packed_bytes(from.bits, static_cast<size_t>(n)), 0);
  dt::pack(codes.data(), codes.size(), from.bits, x.bytes.data());
  launch->args[2].shape = {n};
  launch->args[2].bytes.assign(dt::packed_bytes(to.bits, static_cast<size_t>(n)), 0);
  auto gpu = cuda::make_gpu_executor();
  REQUIRE(gpu.ok());
  auto r = (*gpu)->run(*launch);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  const std::vector<uint8_t>& out = r->args[2].bytes;
  int bad = 0;
  for (int64_t i = 0; i < n && bad < 5; ++i) {
    uint64_t want = dt::convert(codes[i], from, to);
    uint64_t got = dt::get_element(out.data(), to.bits, static_cast<size_t>(i));
    if (got != want) {
      ++bad;
      FAIL_CHECK("code 0x" << std::hex << codes[i] << ": gpu 0x" << got << ", src/dtype 0x" << want);
    }
  }
}

}  // namespace

TEST_CASE("codegen: the cast test programs verify and generate") {
  for (const dt::DType& f : kSources)
    for (const dt::DType& t : kTargets) {
      if (f == t) continue;
      CAPTURE(f.name());
      CAPTURE(t.name());
      auto prog = exec::load_program_text("cast_test.tile", cast_program(f, t));
      REQUIRE_MESSAGE(prog.ok(), (prog.ok() ? "" : prog.error().message));
      auto k = cuda::emit_kernel((*prog)->program, (*prog)->facts, (*prog)->source.get(), {90});
      CHECK_MESSAGE(k.ok(), (k.ok() ? "" : k.error().message));
    }
}

TEST_CASE("gpu: casts give src/dtype's bits") {
  TILEVM_REQUIRE_GPU();
  for (const dt::DType& f : kSources)
    for (const dt::DType& t : kTargets)
      if (!(f == t)) check_cast(f, t);
}
