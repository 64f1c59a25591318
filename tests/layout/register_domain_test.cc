// Whole-domain checks of register-layout constructors and queries: every thread, every slot and
// every logical index, in both directions, against closed-form formulas written here.
#include <doctest/doctest.h>

#include <functional>
#include <map>

#include "layout/register_layout.h"
#include "layout/table.h"

using namespace tilevm::layout;
using V = std::vector<int>;

namespace {

// Checks index_of against `expect` for every (thread, slot), and that the inverse queries agree:
// slot_of, threads_of, owners_of, holds, and that every element is held replication() times.
void check_domain(const RegisterLayout& l, int threads, int slots,
                  const std::function<V(int, int)>& expect) {
  INFO(describe(l));
  REQUIRE(l.num_threads() == threads);
  REQUIRE(l.local_size() == slots);
  std::map<V, std::vector<Owner>> seen;
  for (int t = 0; t < threads; ++t)
    for (int s = 0; s < slots; ++s) {
      V idx = l.index_of(t, s);
      REQUIRE(idx == expect(t, s));
      seen[idx].push_back({t, s});
      CHECK(l.slot_of(idx) == s);
      CHECK(l.holds(t, idx));
    }
  CHECK(static_cast<int>(seen.size()) == l.num_elements());
  for (auto& [idx, owners] : seen) {
    CHECK(static_cast<int>(owners.size()) == l.replication());
    CHECK(l.owners_of(idx) == owners);  // both in increasing thread order
  }
}

}  // namespace

TEST_CASE("domain: the worked example of the reference (4x6, 6 threads, 4 slots)") {
  auto l = RegisterLayout::make({4, 6}, {2, 2, 3, 2}, {0, 2}, {3, 1});
  REQUIRE(l.ok());
  check_domain(*l, 6, 4, [](int t, int s) { return V{(t / 3) * 2 + s % 2, (t % 3) * 2 + s / 2}; });
  // The grid of the reference, row by row: "thread:slot".
  const char* grid[4][6] = {{"0:0", "0:2", "1:0", "1:2", "2:0", "2:2"},
                            {"0:1", "0:3", "1:1", "1:3", "2:1", "2:3"},
                            {"3:0", "3:2", "4:0", "4:2", "5:0", "5:2"},
                            {"3:1", "3:3", "4:1", "4:3", "5:1", "5:3"}};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 6; ++j) {
      auto o = l->owners_of({i, j});
      REQUIRE(o.size() == 1);
      CHECK(std::to_string(o[0].thread) + ":" + std::to_string(o[0].slot) == grid[i][j]);
    }
}

TEST_CASE("domain: primitives in ranks 0 to 3") {
  check_domain(local({}), 1, 1, [](int, int) { return V{}; });
  check_domain(spatial({5}), 5, 1, [](int t, int) { return V{t}; });
  check_domain(local({2, 3, 4}), 1, 24, [](int, int s) { return V{s / 12, s / 4 % 3, s % 4}; });
  check_domain(spatial({2, 3, 4}), 24, 1, [](int t, int) { return V{t / 12, t / 4 % 3, t % 4}; });
  check_domain(column_local({2, 3, 4}), 1, 24, [](int, int s) { return V{s % 2, s / 2 % 3, s / 6}; });
  check_domain(column_spatial({2, 3, 4}), 24, 1, [](int t, int) { return V{t % 2, t / 2 % 3, t / 6}; });
  check_domain(column_spatial({4, 8}), 32, 1, [](int t, int) { return V{t % 4, t / 4}; });
  check_domain(spatial({1, 1, 2, 1, 3, 1}), 6, 1, [](int t, int) { return V{0, 0, t / 3, 0, t % 3, 0}; });
}

TEST_CASE("domain: replication") {
  auto r = replicated({2, 2}, 4);
  check_domain(r, 4, 4, [](int, int s) { return V{s / 2, s % 2}; });
  CHECK(r.replication() == 4);
  CHECK(r.threads_of({1, 0}) == V{0, 1, 2, 3});
  auto r0 = replicated(3);
  check_domain(r0, 3, 1, [](int, int) { return V{}; });
  auto mid = spatial({2}).replicated(3).local({4});  // spatial [0,-3], local [1]
  check_domain(mid, 6, 4, [](int t, int s) { return V{(t / 3) * 4 + s}; });
  CHECK(mid.threads_of({5}) == V{3, 4, 5});
  auto red = reduce(spatial({3, 4}), {0});
  REQUIRE(red.ok());
  check_domain(*red, 12, 1, [](int t, int) { return V{t % 4}; });
  CHECK(red->threads_of({1}) == V{1, 5, 9});
}

TEST_CASE("domain: the paper's composition formula, mma C fragment") {
  auto l = local({2, 1}).spatial({8, 4}).local({1, 2});
  check_domain(l, 32, 4, [](int t, int i) { return V{t / 4 + (i / 2) * 8, (t % 4) * 2 + i % 2}; });
  CHECK(l.index_of(5, 3) == V{9, 3});
  CHECK(l.linear_index_of(5, 3) == 9 * 8 + 3);
  CHECK(l.owners_of({9, 3}) == std::vector<Owner>{{5, 3}});
}

TEST_CASE("domain: composition examples of the reference") {
  auto a = local({3, 4}).spatial({2, 3});
  CHECK(a.owners_of({0, 3}) == std::vector<Owner>{{0, 1}});
  CHECK(a.owners_of({1, 0}) == std::vector<Owner>{{3, 0}});
  check_domain(a, 6, 12, [](int t, int s) { return V{(s / 4) * 2 + t / 3, (s % 4) * 3 + t % 3}; });
  check_domain(spatial({2, 4}).local({2, 1}), 8, 2, [](int t, int s) { return V{(t / 4) * 2 + s, t % 4}; });
}

TEST_CASE("domain: make rejects malformed tuples with a message") {
  auto bad = [](V shape, V modes, V sp, V lo) {
    auto l = RegisterLayout::make(shape, modes, sp, lo);
    CHECK(!l.ok());
    return l.ok() ? std::string() : l.error().message;
  };
  CHECK(bad({4}, {3}, {0}, {}).find("divide") != std::string::npos);
  CHECK(bad({4}, {2, 2, 2}, {0, 1, 2}, {}).find("left over") != std::string::npos);
  CHECK(bad({4}, {2}, {0}, {}).find("cover") != std::string::npos);
  CHECK(bad({4}, {2, 2}, {0, 0}, {1}).find("twice") != std::string::npos);
  CHECK(bad({4}, {2, 2}, {0}, {}).find("neither") != std::string::npos);
  CHECK(bad({4}, {2, 2}, {0}, {1, -2}).find("replication") != std::string::npos);
  CHECK(bad({4}, {2, 2}, {0, 5}, {1}).find("no mode") != std::string::npos);
  CHECK(bad({0}, {}, {}, {}).find(">= 1") != std::string::npos);
  CHECK(bad({1 << 16, 1 << 16}, {1 << 16, 1 << 16}, {0}, {1}).find("too many") != std::string::npos);
}

TEST_CASE("canonical form: the reference's cases") {
  auto c = [](V shape, V modes, V sp, V lo) {
    auto l = RegisterLayout::make(shape, modes, sp, lo);
    REQUIRE(l.ok());
    return *l;
  };
  auto eq = [](const RegisterLayout& l, V modes, V sp, V lo) {
    INFO(describe(l));
    CHECK(l.mode_shape == modes);
    CHECK(l.spatial_modes == sp);
    CHECK(l.local_modes == lo);
  };
  eq(c({6}, {2, 3}, {0, 1}, {}), {6}, {0}, {});
  eq(c({6}, {2, 3}, {1, 0}, {}), {2, 3}, {1, 0}, {});
  eq(c({4, 6, 5}, {2, 2, 2, 3, 5}, {0, 1}, {2, 3, 4}), {4, 6, 5}, {0}, {1, 2});
  eq(c({4, 5, 6, 5}, {2, 2, 5, 2, 3, 5}, {2, 0, 1}, {3, 4, 5}), {4, 5, 6, 5}, {1, 0}, {2, 3});
  eq(c({4}, {1, 4, 1}, {-1, 1, -2, -3, 0}, {2}), {4}, {0, -6}, {});  // unit modes and -1 go, -2,-3 merge
  eq(c({}, {}, {-2, -2}, {}), {}, {-4}, {});
}

TEST_CASE("table: lookups equal the layout's queries everywhere") {
  for (const auto& l : {local({2, 1}).spatial({8, 4}).local({1, 2}), replicated(3).spatial({4}).local({2}),
                        column_spatial({4, 8}).replicated(2).local({2, 1}), local({}), replicated(4)}) {
    LayoutTable tab(l);
    INFO(to_string(l));
    for (int t = 0; t < l.num_threads(); ++t)
      for (int s = 0; s < l.local_size(); ++s) CHECK(tab.linear_index(t, s) == l.linear_index_of(t, s));
    for (int i = 0; i < l.num_elements(); ++i) {
      V idx(l.rank());
      for (int d = l.rank() - 1, r = i; d >= 0; --d) idx[d] = r % l.shape[d], r /= l.shape[d];
      CHECK(tab.slot_of(i) == l.slot_of(idx));
      auto ts = tab.threads_of(i);
      CHECK(V(ts.begin(), ts.end()) == l.threads_of(idx));
      CHECK(tab.first_thread(i) == l.threads_of(idx).front());
    }
  }
}
