// The bank-conflict model of shared memory: wavefronts of a warp-wide access.
#include <algorithm>
#include <map>
#include <set>

#include "layout/shared_layout.h"

namespace tilevm::layout {

namespace {

bool power_of_two(int v) { return v > 0 && (v & (v - 1)) == 0; }

std::vector<int> unravel(int linear, const std::vector<int>& shape) {
  std::vector<int> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = linear % shape[d];
    linear /= shape[d];
  }
  return idx;
}

}  // namespace

Expected<BankReport> bank_conflicts(const SharedLayout& s, int bits, const std::vector<int>& lane_index,
                                    int access_bits) {
  if (lane_index.size() != 32) return fail("an access pattern has 32 lanes, got " + std::to_string(lane_index.size()));
  if (bits < 1 || bits > 64) return fail("element width must be 1..64 bits");
  if (!power_of_two(access_bits) || access_bits < 8 || access_bits > 128 || access_bits < bits)
    return fail("access width must be a power of two in 8..128 bits and at least the element width");
  int lanes_per_phase = 32 * 32 / std::max(32, access_bits);
  BankReport report;
  for (int p0 = 0; p0 < 32; p0 += lanes_per_phase) {
    std::map<int, std::set<int64_t>> words;  // bank → distinct 4-byte words
    for (int l = p0; l < p0 + lanes_per_phase; ++l) {
      int i = lane_index[l];
      if (i < 0) continue;
      if (i >= s.num_elements()) return fail("lane " + std::to_string(l) + " accesses element " + std::to_string(i) + ", out of range");
      int64_t bit = s.bit_offset(unravel(i, s.shape), bits);
      if (bit % access_bits != 0)
        return fail("lane " + std::to_string(l) + " accesses bit " + std::to_string(bit) + ", not aligned to the " +
                    std::to_string(access_bits) + "-bit access width");
      int64_t first = bit / 8, last = (bit + access_bits) / 8 - 1;
      for (int64_t w = first / 4; w <= last / 4; ++w) words[static_cast<int>(w % 32)].insert(w);
    }
    if (words.empty()) continue;
    size_t worst = 0;
    for (auto& [bank, set] : words) worst = std::max(worst, set.size());
    report.wavefronts += static_cast<int>(worst);
    report.ideal += 1;
  }
  return report;
}

Expected<BankReport> bank_conflicts(const SharedLayout& s, const RegisterLayout& r, int bits, int vec) {
  if (s.shape != r.shape) return fail("the shared and register layouts have different shapes");
  if (vec < 1 || r.local_size() % vec != 0)
    return fail("the vector width " + std::to_string(vec) + " does not divide the local size " + std::to_string(r.local_size()));
  if (bits < 1 || bits > 64) return fail("element width must be 1..64 bits");
  int access = vec * bits;
  if (!power_of_two(access) || access < 8 || access > 128)
    return fail("a vector of " + std::to_string(vec) + " " + std::to_string(bits) + "-bit elements is not an 8..128-bit access");
  BankReport total;
  int threads = r.num_threads();
  for (int w = 0; w * 32 < threads; ++w) {
    for (int k = 0; k < r.local_size() / vec; ++k) {
      std::vector<int> lanes(32, -1);
      for (int l = 0; l < 32 && w * 32 + l < threads; ++l) {
        int t = w * 32 + l;
        lanes[l] = r.linear_index_of(t, k * vec);
        int64_t first = s.element_offset(r.index_of(t, k * vec));
        for (int j = 1; j < vec; ++j)
          if (s.element_offset(r.index_of(t, k * vec + j)) != first + j)
            return fail("thread " + std::to_string(t) + "'s slots " + std::to_string(k * vec) + ".." +
                        std::to_string(k * vec + vec - 1) + " are not consecutive in shared memory");
      }
      auto rep = bank_conflicts(s, bits, lanes, access);
      if (!rep) return rep;
      total.wavefronts += rep->wavefronts;
      total.ideal += rep->ideal;
    }
  }
  return total;
}

}  // namespace tilevm::layout
