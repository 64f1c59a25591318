// Register-layout operations: the reference's checked values, failures with messages, and the
// text form (round trips, prefixes, located errors).
#include <doctest/doctest.h>

#include <random>

#include "layout/register_layout.h"

using namespace tilevm::layout;
using V = std::vector<int>;

namespace {

RegisterLayout ok(tilevm::Expected<RegisterLayout> l) {
  REQUIRE_MESSAGE(l.ok(), l.error().message);
  return *l;
}

RegisterLayout mk(V shape, V modes, V sp, V lo) { return ok(RegisterLayout::make(shape, modes, sp, lo)); }

}  // namespace

TEST_CASE("right division: the reference's table") {
  CHECK(ok(divide(spatial({2, 4}), spatial({1, 2}))) == spatial({2, 2}));
  CHECK(ok(divide(spatial({2, 4}).local({2, 1}), local({2, 1}))) == spatial({2, 4}));
  CHECK(ok(divide(spatial({2, 4}).local({2, 1}), spatial({1, 2}).local({2, 1}))) == spatial({2, 2}));
  CHECK(ok(divide(spatial({32, 1}).local({1, 32}), spatial({32, 1}))) == local({1, 32}));
  CHECK(ok(divide(spatial({6}), spatial({3}))) == spatial({2}));
  CHECK(ok(divide(spatial({2, 12}), spatial({1, 3}))) == spatial({2, 4}));
  CHECK(ok(divide(spatial({2, 12}).local({2, 3}), local({2, 3}))) == spatial({2, 12}));
  CHECK(ok(divide(local({2, 4}), local({1, 2}))) == local({2, 2}));  // the paper's example
  CHECK(ok(divide(ok(reduce(spatial({3, 4}), {0})), spatial({4}))) == replicated(3).local({1}));
  CHECK(ok(divide(replicated(6), replicated(3))) == replicated(2));
}

TEST_CASE("right division: no quotient gives a message") {
  auto e = divide(spatial({2}), local({2}));
  REQUIRE(!e.ok());
  CHECK(e.error().message.find("cannot divide") != std::string::npos);
  CHECK(!divide(spatial({2, 4}), spatial({4, 1})).ok());          // 4 does not divide 2
  CHECK(!divide(spatial({4}), spatial({1, 4})).ok());             // higher rank
  CHECK(!divide(spatial({2, 3}), spatial({2, 1})).ok());          // not innermost
  CHECK(!divide(column_spatial({2, 3}), spatial({2, 3})).ok());   // order differs
  CHECK(!divide(spatial({6}), spatial({4})).ok());
}

TEST_CASE("left division: the reference's values") {
  CHECK(ok(left_divide(spatial({2, 2}).local({2, 1}), spatial({2, 2}))) == local({2, 1}));
  CHECK(ok(left_divide(spatial({2, 4}), spatial({2, 2}))) == spatial({1, 2}));
  CHECK(ok(left_divide(spatial({6}), spatial({2}))) == spatial({3}));
  auto r = ok(left_divide(spatial({2, 12}).local({2, 3}), spatial({2, 1}).local({2, 1})));
  CHECK(r == spatial({1, 12}).local({1, 3}));
  CHECK(r.mode_shape == V{12, 3});
  CHECK(!left_divide(spatial({2, 3}), spatial({1, 3}).local({2, 1})).ok());
}

TEST_CASE("reshape, permute, squeeze, unsqueeze, reduce, concat: the reference's values") {
  CHECK(ok(reshape(spatial({2, 4}), {2, 2, 2})) == spatial({2, 2, 2}));
  auto six = spatial({2, 4}).local({3, 2}).spatial({6, 8});
  auto r6 = ok(reshape(six, {2, 3, 6, 4, 2, 8}));
  CHECK(r6.mode_shape == V{2, 3, 6, 4, 2, 8});
  CHECK(r6.spatial_modes == V{0, 3, 2, 5});
  CHECK(r6.local_modes == V{1, 4});
  CHECK(ok(reshape(r6, {36, 64})) == six);
  CHECK(!reshape(spatial({6}), {4, 1}).ok());
  CHECK(!reshape(spatial({2, 3}), {3, 2}).ok());
  CHECK(ok(reshape(spatial({2, 3}), {6})) == spatial({6}));
  CHECK(ok(reshape(local({4, 6}), {2, 12})) == local({2, 12}));
  auto p = ok(permute(local({2, 3}).spatial({4, 1}), {1, 0}));
  CHECK(p == mk({3, 8}, {3, 2, 4}, {2}, {1, 0}));
  CHECK(!permute(spatial({2, 2}), {0, 0}).ok());
  CHECK(ok(squeeze(spatial({1, 4}), {0})) == spatial({4}));
  CHECK(!squeeze(spatial({2, 4}), {0}).ok());
  CHECK(ok(unsqueeze(spatial({4}), {0, 2})) == spatial({1, 4, 1}));
  CHECK(!unsqueeze(spatial({4}), {3}).ok());
  auto red = ok(reduce(spatial({3, 4}), {0}, true));
  CHECK(red.shape == V{1, 4});
  CHECK(red.spatial_modes == V{-3, 0});
  CHECK(ok(reduce(local({3, 4}), {1})) == local({3}));
  CHECK(!reduce(spatial({3, 4}), {2}).ok());
  CHECK(concat(spatial({2}), local({3})) == mk({2, 3}, {2, 3}, {0}, {1}));
}

TEST_CASE("text: printed chains") {
  CHECK(to_string(local({2, 1}).spatial({8, 4}).local({1, 2})) == "local(2,1).spatial(8,4).local(1,2)");
  CHECK(to_string(column_local({2, 2}).spatial({8, 4}).local({1, 2})) == "column_local(2,2).spatial(8,4).local(1,2)");
  CHECK(to_string(local({2, 1}).column_spatial({4, 8}).local({2, 1})) == "local(2,1).column_spatial(4,8).local(2,1)");
  CHECK(to_string(ok(reduce(spatial({3, 4}), {0}))) == "replicated(3).spatial(4)");
  CHECK(to_string(replicated({2, 2}, 4)) == "replicated(4).local(2,2)");
  CHECK(to_string(local({})) == "local()");
  CHECK(to_string(replicated(4)) == "replicated(4)");
  CHECK(to_string(mk({1, 1}, {}, {-4}, {})) == "local(1,1).replicated(4)");
  CHECK(to_string(spatial({6})) == "spatial(6)");
  // spatial [0,2,1] over modes [2,3,2]: dimension 0 split around a dimension-1 mode, in a
  // three-dimensional order no chain of row/column primitives expresses.
  auto odd = mk({4, 3, 5}, {2, 2, 3, 5}, {1, 3, 0, 2}, {});
  CHECK(to_string(odd).rfind("register(", 0) == 0);
  CHECK(ok(parse_register_layout(to_string(odd))) == odd);
}

TEST_CASE("text: parsing, prefixes and located errors") {
  CHECK(ok(parse_register_layout("  spatial( 8 , 4 ) . local(1,2) ")) == spatial({8, 4}).local({1, 2}));
  CHECK(ok(parse_register_layout("register(shape=[4,6], modes=[2,2,3,2], spatial=[0,2], local=[3,1])")) ==
        mk({4, 6}, {2, 2, 3, 2}, {0, 2}, {3, 1}));
  CHECK(ok(parse_register_layout("replicated(2).register(shape=[2], modes=[2], spatial=[0], local=[])")) ==
        replicated(2).spatial({2}));
  size_t n = 0;
  REQUIRE(parse_register_layout_prefix("spatial(8,4).local(2,2), out=%3", &n).ok());
  CHECK(n == 23);
  REQUIRE(parse_register_layout_prefix("spatial(2).foo", &n).ok());
  CHECK(n == 10);
  struct Bad {
    const char* text;
    size_t offset, length;
    const char* words;
  } cases[] = {
      {"spatail(8,4)", 0, 7, "unknown register layout constructor 'spatail'"},
      {"spatial(8,0)", 10, 1, "extents must be between 1"},
      {"spatial(8,4).local(1", 20, 1, "expected ',' or ')'"},
      {"spatial(2) x", 11, 1, "unexpected text"},
      {"register(shape=[4], modes=[3], spatial=[0], local=[])", 0, 53, "does not divide"},
      {"register(shape=[4], mode=[4], spatial=[0], local=[])", 20, 4, "expected 'modes='"},
      {"replicated(2,2)", 0, 15, "one argument"},
      {"", 0, 1, "expected a register layout"},
      {"spatial(9999999999999999999)", 8, 19, "integer too large"},
  };
  for (auto& c : cases) {
    auto l = parse_register_layout(c.text);
    INFO(c.text);
    REQUIRE(!l.ok());
    CHECK(l.error().offset == c.offset);
    CHECK(l.error().length == c.length);
    CHECK_MESSAGE(l.error().message.find(c.words) != std::string::npos, l.error().message);
  }
}

TEST_CASE("text: mutated layout texts parse or fail with a location inside the text") {
  const char* seeds[] = {"local(2,1).spatial(8,4).local(1,2)", "register(shape=[4,6], modes=[2,2,3,2], spatial=[0,2], local=[3,1])",
                         "replicated(3).spatial(4)", "column_local(2,2).column_spatial(4,8)"};
  const char alphabet[] = "()[],.=-0123456789 abcdefghijklmnopqrstuvwxyz_";
  std::mt19937 rng(11);
  for (int i = 0; i < 4000; ++i) {
    std::string t = seeds[i % 4];
    for (int k = 0, n = 1 + static_cast<int>(rng() % 3); k < n; ++k) {
      size_t at = rng() % (t.size() + 1);
      char c = alphabet[rng() % (sizeof alphabet - 1)];
      switch (rng() % 3) {
        case 0: t.insert(t.begin() + at, c); break;
        case 1: if (at < t.size()) t.erase(t.begin() + at); break;
        default: if (at < t.size()) t[at] = c;
      }
    }
    auto l = parse_register_layout(t);
    INFO(t);
    if (l.ok()) {
      CHECK(*parse_register_layout(to_string(*l)) == *l);
    } else {
      REQUIRE(l.error().has_location());
      CHECK(l.error().offset <= t.size());
      CHECK(!l.error().message.empty());
    }
  }
}
