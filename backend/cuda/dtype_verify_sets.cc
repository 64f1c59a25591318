// Input sets and bit-by-bit packing for the dtype oracle comparisons.
#include <cstring>

#include "backend/cuda/dtype_verify_util.h"
#include "dtype/reference.h"

namespace tilevm::cuda {

size_t packed_size(int bits, size_t n) { return (static_cast<size_t>(bits) * n + 7) / 8; }

std::vector<uint8_t> pack_codes(const std::vector<uint64_t>& codes, int bits) {
  std::vector<uint8_t> buf(packed_size(bits, codes.size()), 0);
  for (size_t i = 0; i < codes.size(); ++i)
    for (int b = 0; b < bits; ++b)
      if ((codes[i] >> b) & 1) {
        size_t k = i * bits + b;  // stream bit k is bit k % 8 of byte k / 8
        buf[k / 8] |= static_cast<uint8_t>(1u << (k % 8));
      }
  return buf;
}

uint64_t read_code(const std::vector<uint8_t>& buf, int bits, size_t i) {
  uint64_t code = 0;
  for (int b = 0; b < bits; ++b) {
    size_t k = i * bits + b;
    code |= static_cast<uint64_t>((buf[k / 8] >> (k % 8)) & 1) << b;
  }
  return code;
}

bool tail_untouched(const std::vector<uint8_t>& buf, int bits, size_t n, uint8_t fill) {
  for (size_t k = n * bits; k < buf.size() * 8; ++k)
    if (((buf[k / 8] >> (k % 8)) & 1) != ((fill >> (k % 8)) & 1)) return false;
  return true;
}

std::vector<uint64_t> all_codes(int bits) {
  std::vector<uint64_t> v(size_t{1} << bits);
  for (size_t c = 0; c < v.size(); ++c) v[c] = c;
  return v;
}

std::vector<uint64_t> f32_inputs(const dt::DType& to) {
  std::vector<uint32_t> in;
  dt::ref::boundary_inputs_f32(to, in);
  dt::ref::spread_inputs_f32(20000, 0x5eed0000u + static_cast<uint64_t>(to.bits), in);
  return {in.begin(), in.end()};
}

std::vector<uint64_t> f64_inputs(const dt::DType& to) {
  std::vector<uint32_t> in;
  dt::ref::boundary_inputs_f32(to, in);
  dt::ref::spread_inputs_f32(5000, 0xf64f64u, in);
  std::vector<uint64_t> out;
  for (uint32_t c : in) {  // widen exactly, then step one f64 ulp either way (sticky bits)
    uint64_t d = dt::ref::convert(c, dt::kF32, dt::kF64);
    out.push_back(d);
    if ((d & 0x7fffffffffffffffull) < 0x7ff0000000000000ull) {
      out.push_back(d + 1);
      if ((d & 0x7fffffffffffffffull) != 0) out.push_back(d - 1);
    }
  }
  for (uint64_t c : {0x7ff8000000000000ull, 0xfff8000000000000ull, 0x7ff0000000000001ull,
                     0x7ffc000000000000ull, 0xfff4000000000000ull, 0x7fffffffffffffffull,
                     0x7ff6000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
                     0x7fefffffffffffffull, 0x0000000000000001ull, 0x000fffffffffffffull,
                     0x0010000000000000ull, 0x7e37e43c8800759cull, 0x01a56e1fc2f8f359ull}) {
    out.push_back(c);
    out.push_back(c ^ 0x8000000000000000ull);
  }
  return out;
}

std::vector<uint64_t> wide_int_inputs(const dt::DType& from) {
  std::vector<uint64_t> out;
  uint64_t mask = from.mask();
  for (int k = 0; k < from.bits; ++k) {
    uint64_t p = uint64_t{1} << k;
    for (uint64_t d = 0; d <= 3; ++d) {
      out.push_back((p + d) & mask);
      out.push_back((p - d) & mask);
      out.push_back((0 - p - d) & mask);
    }
    // ties and near-ties of every float precision: p + 2^(k - prec) ± 1
    for (int prec : {2, 3, 4, 5, 8, 9, 11, 12, 24, 25, 53, 54}) {
      if (k - prec < 0) continue;
      uint64_t t = p + (uint64_t{1} << (k - prec));
      for (uint64_t x : {t - 1, t, t + 1, (t | p >> 1)}) {
        out.push_back(x & mask);
        out.push_back((0 - x) & mask);
      }
    }
  }
  uint64_t s = 0x1234567u + static_cast<uint64_t>(from.bits);
  for (int i = 0; i < 20000; ++i) {  // random values of random length
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t r = s ^ (s >> 29);
    out.push_back((r >> (r & 63)) & mask);
  }
  return out;
}

}  // namespace tilevm::cuda
