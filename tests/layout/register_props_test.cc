// Algebraic properties over a few thousand generated register layouts: canonical form
// (idempotent, blind to refinement), composition (postcondition, associativity), division
// (inverts composition), reshape/permute/reduce/concat postconditions, text round trips.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <tuple>

#include "layout/register_layout.h"
#include "register_gen.h"

using namespace tilevm::layout;
using tilevm::layout::testing::random_layout;
using V = std::vector<int>;

namespace {

constexpr int kCases = 1500;

// Every (thread, slot) → linear index, thread-major.
V table(const RegisterLayout& l) {
  V out;
  for (int t = 0; t < l.num_threads(); ++t)
    for (int s = 0; s < l.local_size(); ++s) out.push_back(l.linear_index_of(t, s));
  return out;
}

// Splits one random mode of size p = a*b into (a, b), keeping list positions adjacent: the same
// map, written differently.
RegisterLayout refine_randomly(const RegisterLayout& l, std::mt19937& rng) {
  V modes = l.mode_shape, sp = l.spatial_modes, lo = l.local_modes;
  if (!modes.empty()) {
    int m = static_cast<int>(rng() % modes.size());
    int p = modes[m];
    V divs;
    for (int d = 1; d <= p; ++d)
      if (p % d == 0) divs.push_back(d);
    int a = divs[rng() % divs.size()];
    modes[m] = a;
    modes.insert(modes.begin() + m + 1, p / a);
    for (V* list : {&sp, &lo}) {
      V out;
      for (int e : *list) {
        if (e >= 0 && e > m) e += 1;
        out.push_back(e);
        if (e == m) out.push_back(m + 1);
      }
      *list = out;
    }
  }
  if (rng() % 2) sp.insert(sp.begin() + rng() % (sp.size() + 1), -1);  // -1 is no replication
  auto r = RegisterLayout::make(l.shape, modes, sp, lo);
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  return *r;
}

}  // namespace

TEST_CASE("properties: canonical form is idempotent and blind to refinement") {
  std::mt19937 rng(1);
  for (int i = 0; i < kCases; ++i) {
    auto l = random_layout(rng);
    auto again = RegisterLayout::make(l.shape, l.mode_shape, l.spatial_modes, l.local_modes);
    REQUIRE(again.ok());
    CHECK(*again == l);
    auto r = refine_randomly(l, rng);
    CHECK(table(r) == table(l));
    CHECK(r == l);
  }
}

TEST_CASE("properties: layouts with the same map have the same canonical form") {
  // Many random small layouts, so that equal maps written differently collide often.
  std::mt19937 rng(6);
  std::map<std::tuple<V, int, int, V>, RegisterLayout> seen;
  int collisions = 0;
  for (int i = 0; i < 20000; ++i) {
    auto l = refine_randomly(random_layout(rng, 2, 4), rng);
    auto key = std::make_tuple(l.shape, l.num_threads(), l.local_size(), table(l));
    auto [it, fresh] = seen.emplace(key, l);
    if (!fresh) {
      ++collisions;
      CHECK_MESSAGE(it->second == l, describe(it->second), " vs ", describe(l));
    }
  }
  CHECK(collisions > 10000);
}

TEST_CASE("properties: composition postcondition and associativity") {
  std::mt19937 rng(2);
  for (int i = 0; i < kCases; ++i) {
    auto a = random_layout(rng, 2, 6), b = random_layout(rng, 2, 6), c = random_layout(rng, 2, 4);
    auto ab = compose(a, b);
    INFO(describe(a), " * ", describe(b));
    int r = ab.rank(), pa = r - a.rank(), pb = r - b.rank();
    int tb = b.num_threads(), nb = b.local_size();
    for (int t = 0; t < ab.num_threads(); ++t)
      for (int s = 0; s < ab.local_size(); ++s) {
        V ia = a.index_of(t / tb, s / nb), ib = b.index_of(t % tb, s % nb), want(r);
        for (int d = 0; d < r; ++d) {
          int xa = d >= pa ? ia[d - pa] : 0, xb = d >= pb ? ib[d - pb] : 0;
          want[d] = xa * (d >= pb ? b.shape[d - pb] : 1) + xb;
        }
        REQUIRE(ab.index_of(t, s) == want);
      }
    CHECK(compose(ab, c) == compose(a, compose(b, c)));
    CHECK(compose(local({}), a) == a);
    CHECK(compose(a, local({})) == a);
  }
}

TEST_CASE("properties: division inverts composition") {
  std::mt19937 rng(3);
  for (int i = 0; i < kCases; ++i) {
    auto a = random_layout(rng, 2, 6), b = random_layout(rng, 2, 6);
    auto ab = compose(a, b);
    INFO(describe(a), " * ", describe(b));
    auto q = divide(ab, b);
    REQUIRE_MESSAGE(q.ok(), q.error().message);
    CHECK(compose(*q, b) == ab);
    if (a.rank() == ab.rank()) CHECK(*q == a);
    auto lq = left_divide(ab, a);
    REQUIRE_MESSAGE(lq.ok(), lq.error().message);
    CHECK(compose(a, *lq) == ab);
    // A random divisor: either no quotient, or a quotient that satisfies the contract.
    auto c = random_layout(rng, 2, 4);
    if (auto q2 = divide(ab, c)) CHECK(compose(*q2, c) == ab);
    if (auto q3 = left_divide(ab, c)) CHECK(compose(c, *q3) == ab);
  }
}

TEST_CASE("properties: text round trips") {
  std::mt19937 rng(4);
  for (int i = 0; i < kCases * 2; ++i) {
    auto l = i % 2 ? random_layout(rng) : compose(random_layout(rng, 2, 4), random_layout(rng, 2, 4));
    auto text = to_string(l);
    auto back = parse_register_layout(text);
    REQUIRE_MESSAGE(back.ok(), text, ": ", back.error().message);
    CHECK_MESSAGE(*back == l, text);
  }
}

TEST_CASE("properties: reshape, permute, reduce, concat postconditions") {
  std::mt19937 rng(5);
  for (int i = 0; i < kCases / 2; ++i) {
    auto l = random_layout(rng, 3, 8);
    INFO(describe(l));
    // reshape to a random factorisation of the element count: the linear index is kept.
    V shape = testing::random_factors(l.num_elements(), rng);
    if (rng() % 2) shape.insert(shape.begin() + rng() % (shape.size() + 1), 1);
    if (auto r = reshape(l, shape)) CHECK(table(*r) == table(l));
    // permute by a random permutation.
    V dims(l.rank());
    for (int d = 0; d < l.rank(); ++d) dims[d] = d;
    std::shuffle(dims.begin(), dims.end(), rng);
    auto p = permute(l, dims);
    REQUIRE(p.ok());
    for (int t = 0; t < l.num_threads(); ++t)
      for (int s = 0; s < l.local_size(); ++s) {
        V a = l.index_of(t, s), b = p->index_of(t, s);
        for (int d = 0; d < l.rank(); ++d) REQUIRE(b[d] == a[dims[d]]);
      }
    // reduce a random subset: element e is held exactly by the threads that held a preimage.
    V red;
    for (int d = 0; d < l.rank(); ++d)
      if (rng() % 2) red.push_back(d);
    bool keep = rng() % 2;
    auto rd = reduce(l, red, keep);
    REQUIRE(rd.ok());
    CHECK(rd->num_threads() == l.num_threads());
    std::map<V, std::set<int>> holders;
    for (int t = 0; t < l.num_threads(); ++t)
      for (int s = 0; s < l.local_size(); ++s) {
        V a = l.index_of(t, s), e;
        for (int d = 0; d < l.rank(); ++d) {
          bool r = std::find(red.begin(), red.end(), d) != red.end();
          if (!r) e.push_back(a[d]);
          else if (keep) e.push_back(0);
        }
        holders[e].insert(t);
      }
    for (auto& [e, ts] : holders) CHECK(rd->threads_of(e) == V(ts.begin(), ts.end()));
    // squeeze the extent-1 dimensions, then unsqueeze them back: threads and slots unchanged.
    V ones;
    for (int d = 0; d < l.rank(); ++d)
      if (l.shape[d] == 1) ones.push_back(d);
    auto sq = squeeze(l, ones);
    REQUIRE(sq.ok());
    CHECK(sq->rank() == l.rank() - static_cast<int>(ones.size()));
    CHECK(table(*sq) == table(l));
    auto un = unsqueeze(*sq, ones);
    REQUIRE(un.ok());
    CHECK(*un == l);
    // concat: thread = t_lhs * rhs.T + t_rhs, slot = s_lhs * rhs.N + s_rhs.
    auto m = random_layout(rng, 2, 4);
    auto c = concat(l, m);
    for (int t = 0; t < c.num_threads(); ++t)
      for (int s = 0; s < c.local_size(); ++s) {
        V want = l.index_of(t / m.num_threads(), s / m.local_size());
        V tail = m.index_of(t % m.num_threads(), s % m.local_size());
        want.insert(want.end(), tail.begin(), tail.end());
        REQUIRE(c.index_of(t, s) == want);
      }
  }
}
