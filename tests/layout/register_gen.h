// Random register layouts for the property tests: small shapes, random mode splits, random
// spatial/local roles and orders, random replication entries.
#pragma once

#include <algorithm>
#include <random>
#include <vector>

#include "layout/register_layout.h"

namespace tilevm::layout::testing {

// Factors of n as a random list (product n, entries >= 2; empty for n == 1).
inline std::vector<int> random_factors(int n, std::mt19937& rng) {
  std::vector<int> out;
  while (n > 1) {
    std::vector<int> divs;
    for (int d = 2; d <= n; ++d)
      if (n % d == 0) divs.push_back(d);
    int d = divs[rng() % divs.size()];
    out.push_back(d);
    n /= d;
  }
  return out;
}

// A random valid layout with at most `max_elems` elements and 4 replication.
inline RegisterLayout random_layout(std::mt19937& rng, int max_rank = 3, int max_extent = 12) {
  int rank = static_cast<int>(rng() % (max_rank + 1));
  std::vector<int> shape, modes;
  for (int d = 0; d < rank; ++d) {
    int e = 1 + static_cast<int>(rng() % max_extent);
    shape.push_back(e);
    for (int f : random_factors(e, rng)) modes.push_back(f);
  }
  std::vector<int> ids(modes.size());
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int>(i);
  std::shuffle(ids.begin(), ids.end(), rng);
  std::vector<int> sp, lo;
  for (int m : ids) (rng() % 2 ? sp : lo).push_back(m);
  int reps = static_cast<int>(rng() % 3);
  for (int r = 0; r < reps && rng() % 2; ++r)
    sp.insert(sp.begin() + rng() % (sp.size() + 1), -static_cast<int>(2 + rng() % 2));
  auto l = RegisterLayout::make(shape, modes, sp, lo);
  TILEVM_CHECK(l.ok());
  return *l;
}

}  // namespace tilevm::layout::testing
