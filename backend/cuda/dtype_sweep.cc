// The exhaustive sweep: all 2^32 f32 inputs to one target, on several threads.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <thread>

#include "backend/cuda/dtype_verify_util.h"
#include "backend/cuda/host_convert.h"
#include "dtype/reference.h"

namespace tilevm::cuda {
namespace {

constexpr uint64_t kChunk = uint64_t{1} << 20;  // inputs per unit of work
constexpr uint64_t kInputs = uint64_t{1} << 32;

// Element i of a packed buffer of codes of ≤ 16 bits (the buffer has 3 bytes of slack).
inline uint64_t read_small(const uint8_t* buf, int bits, uint64_t i) {
  uint64_t k = i * bits;
  const uint8_t* p = buf + k / 8;
  uint32_t w = p[0] | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16);
  return (w >> (k % 8)) & ((1u << bits) - 1);
}

struct Partial {
  uint64_t checked = 0, failed = 0;
  uint64_t first_input = ~uint64_t{0};
  std::string first_failure;
};

void sweep_chunks(const SweepTarget& t, uint64_t stride, std::atomic<uint64_t>& next, Partial& out) {
  const dt::DType& to = t.type;
  F32Converter cuda = host_f32_converter(to, t.round);
  dt::ref::Format f32 = dt::ref::format_of(dt::kF32), dst = dt::ref::format_of(to);
  std::vector<uint8_t> src(kChunk * 4), res(packed_size(to.bits, kChunk) + 3);
  for (uint64_t chunk; (chunk = next.fetch_add(1)) < kInputs / kChunk;) {
    uint64_t base = chunk * kChunk;
    for (uint64_t i = 0; i < kChunk; ++i) {
      uint32_t c = static_cast<uint32_t>(base + i);
      std::memcpy(&src[i * 4], &c, 4);  // f32 codes packed: 4 little-endian bytes each
    }
    dt::convert_buffer(src.data(), dt::kF32, res.data(), to, kChunk, t.round);
    for (uint64_t i = 0; i < kChunk; ++i) {
      uint32_t c = static_cast<uint32_t>(base + i);
      uint64_t want = cuda ? cuda(c) : dt::ref::convert(c, f32, dst, t.round);
      uint64_t bulk = read_small(res.data(), to.bits, i);
      bool bad = bulk != want;
      uint64_t scalar = want;
      if ((c % stride) == 0) {
        scalar = dt::convert(c, dt::kF32, to, t.round);
        bad |= scalar != want;
      }
      ++out.checked;
      if (!bad) continue;
      ++out.failed;
      if (c < out.first_input) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "0x%08x: convert_buffer 0x%llx, convert 0x%llx, %s 0x%llx", c,
                      static_cast<unsigned long long>(bulk), static_cast<unsigned long long>(scalar),
                      cuda ? "CUDA" : "reference", static_cast<unsigned long long>(want));
        out.first_input = c;
        out.first_failure = buf;
      }
    }
  }
}

}  // namespace

std::vector<SweepTarget> sweep_targets() {
  std::vector<SweepTarget> out;
  std::vector<dt::DType> types = dt::all_dtypes();
  types.push_back(dt::float_format(4, 3));
  types.push_back(dt::float_format(5, 2));
  for (const dt::DType& t : types) {
    if (!t.is_float() || t.bits > 16) continue;
    out.push_back({t, dt::Round::NearestEven, t.name()});
    if (t == dt::kUE8M0) {
      out.push_back({t, dt::Round::TowardZero, t.name() + " rz"});
      out.push_back({t, dt::Round::Up, t.name() + " ru"});
    }
  }
  return out;
}

CheckResult sweep_f32(const SweepTarget& target, int threads, uint64_t scalar_stride) {
  std::atomic<uint64_t> next{0};
  std::vector<Partial> parts(std::max(threads, 1));
  std::vector<std::thread> pool;
  for (Partial& p : parts)
    pool.emplace_back([&, pp = &p] { sweep_chunks(target, std::max<uint64_t>(scalar_stride, 1), next, *pp); });
  for (std::thread& th : pool) th.join();
  CheckResult res;
  res.name = "f32 (all 2^32) -> " + target.label;
  res.oracles = host_f32_converter(target.type, target.round) ? "CUDA" : "reference";
  uint64_t first = ~uint64_t{0};
  for (const Partial& p : parts) {
    res.checked += p.checked;
    res.failed += p.failed;
    if (p.failed && p.first_input < first) {
      first = p.first_input;
      res.first_failure = p.first_failure;
    }
  }
  return res;
}

}  // namespace tilevm::cuda
