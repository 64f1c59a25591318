// Shared layouts: canonical form, offsets (sub-byte included), swizzles, storage, bank conflicts
// and text, against hand-computed values.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "layout/shared_layout.h"

using namespace tilevm::layout;

namespace {

SharedLayout ok(tilevm::Expected<SharedLayout> l) {
  REQUIRE_MESSAGE(l.ok(), l.error().message);
  return *l;
}

int granule(const SharedLayout& s, int r, int c, int bits) { return static_cast<int>(s.byte_offset({r, c}, bits) / 16); }

std::vector<int> lanes(int (*f)(int)) {
  std::vector<int> v(32);
  for (int l = 0; l < 32; ++l) v[l] = f(l);
  return v;
}

}  // namespace

TEST_CASE("shared: canonical form merges contiguous modes and drops unit modes") {
  auto s = ok(SharedLayout::make({32, 16}, {4, 8, 2, 2, 4}, {64, 8, 256, 4, 1}));
  CHECK(s.mode_shape == std::vector<int>{32, 2, 8});
  CHECK(s.mode_strides == std::vector<int64_t>{8, 256, 1});
  auto t = ok(SharedLayout::make({4, 6}, {1, 4, 6}, {7, 6, 1}, Swizzle{0, 2, 3}));
  CHECK(t == shared_row_major({4, 6}));
  CHECK(!t.swizzle);
  CHECK(!SharedLayout::make({4, 6}, {4, 5}, {6, 1}).ok());
  CHECK(!SharedLayout::make({4, 6}, {4, 6}, {6}).ok());
  CHECK(!SharedLayout::make({4, 6}, {4, 6}, {6, 1}, Swizzle{3, 3, 2}).ok());  // overlapping fields
}

TEST_CASE("shared: every element's offset, row and column major, sub-byte bits") {
  auto r = shared_row_major({3, 5});
  auto c = shared_column_major({3, 5});
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 5; ++j) {
      CHECK(r.element_offset({i, j}) == i * 5 + j);
      CHECK(c.element_offset({i, j}) == j * 3 + i);
      CHECK(r.bit_offset({i, j}, 3) == (i * 5 + j) * 3);   // packed, no gaps
      CHECK(r.byte_offset({i, j}, 3) == (i * 5 + j) * 3 / 8);
      CHECK(r.byte_offset({i, j}, 16) == (i * 5 + j) * 2);
    }
  CHECK(r.storage_elements() == 15);
  CHECK(r.storage_bytes(3) == 6);   // 45 bits
  CHECK(r.storage_bytes(4) == 8);   // 60 bits
  CHECK(r.storage_bytes(64) == 120);
}

TEST_CASE("shared: compose scales the outer strides by the inner storage") {
  auto s = ok(shared_compose(shared_row_major({2, 2}), shared_column_major({4, 8})));
  CHECK(s.shape == std::vector<int>{8, 16});
  CHECK(s.mode_shape == std::vector<int>{2, 4, 16});
  CHECK(s.mode_strides == std::vector<int64_t>{64, 1, 4});
  CHECK(s.element_offset({5, 9}) == 64 * 1 + 1 * 1 + 32 * 1 + 4 * 1);
}

TEST_CASE("shared: CuTe swizzle values") {
  Swizzle z{3, 3, 3};
  CHECK(z.apply(0) == 0);
  CHECK(z.apply(64) == 64 + 8);          // row 1, granule 0 → granule 1
  CHECK(z.apply(64 * 7 + 8 * 2 + 5) == 64 * 7 + 8 * (2 ^ 7) + 5);
  Swizzle neg{2, 0, -4};                 // field at bit 0 XORed into bit 4
  CHECK(neg.apply(0b000011) == 0b110011);
  CHECK(neg.apply(0b110000) == 0b110000);
}

TEST_CASE("shared: 8x64 f16 with Swizzle(3,3,3): granule g of row r lands at g ^ r") {
  auto s = ok(shared_row_major_swizzle({8, 64}, 16));
  CHECK(s == shared_row_major({8, 64}).with_swizzle({3, 3, 3}));
  const int row1[8] = {9, 8, 11, 10, 13, 12, 15, 14};
  const int row2[8] = {18, 19, 16, 17, 22, 23, 20, 21};
  const int row7[8] = {63, 62, 61, 60, 59, 58, 57, 56};
  for (int g = 0; g < 8; ++g) {
    CHECK(granule(s, 0, 8 * g, 16) == g);
    CHECK(granule(s, 1, 8 * g, 16) == row1[g]);
    CHECK(granule(s, 2, 8 * g, 16) == row2[g]);
    CHECK(granule(s, 7, 8 * g, 16) == row7[g]);
  }
  CHECK(s.storage_elements() == 512);
}

TEST_CASE("shared: row-major swizzle defaults by width") {
  CHECK(ok(shared_row_major_swizzle({64, 32}, 16)).swizzle == Swizzle{2, 3, 3});
  CHECK(ok(shared_row_major_swizzle({16, 16}, 16)).swizzle == Swizzle{1, 3, 3});
  CHECK(!ok(shared_row_major_swizzle({8, 8}, 16)).swizzle);
  CHECK(ok(shared_row_major_swizzle({32, 64}, 8)).swizzle == Swizzle{2, 4, 3});
  CHECK(ok(shared_row_major_swizzle({64, 16}, 32)).swizzle == Swizzle{2, 2, 3});
  auto wide = ok(shared_row_major_swizzle({128, 128}, 16));
  CHECK(wide.mode_shape == std::vector<int>{128, 2, 64});
  CHECK(wide.mode_strides == std::vector<int64_t>{64, 8192, 1});
  CHECK(wide.swizzle == Swizzle{3, 3, 3});
}

TEST_CASE("shared: bank conflicts of hand-analysed patterns") {
  auto s = shared_row_major({32, 32});
  auto col = lanes([](int l) { return l * 32; });
  auto r = bank_conflicts(s, 32, col, 32);
  REQUIRE(r.ok());
  CHECK(r->wavefronts == 32);
  CHECK(r->conflicts() == 31);
  auto row = lanes([](int l) { return l; });
  CHECK(bank_conflicts(s, 32, row, 32)->wavefronts == 1);
  auto same = lanes([](int) { return 5; });
  CHECK(bank_conflicts(s, 32, same, 32)->wavefronts == 1);  // broadcast
  // ldmatrix.x4 on 8x64 f16: lane l gives row l%8, granule l/8. Unswizzled: 8-way conflicts.
  auto ld = lanes([](int l) { return (l % 8) * 64 + (l / 8) * 8; });
  auto plain = bank_conflicts(shared_row_major({8, 64}), 16, ld, 128);
  CHECK(plain->wavefronts == 32);
  CHECK(plain->ideal == 4);
  auto swz = bank_conflicts(shared_row_major({8, 64}).with_swizzle({3, 3, 3}), 16, ld, 128);
  CHECK(swz->wavefronts == 4);
  CHECK(swz->conflicts() == 0);
  // 64-bit accesses: two half-warp phases.
  auto wide = bank_conflicts(shared_row_major({32, 64}), 32, lanes([](int l) { return 2 * l; }), 64);
  CHECK(wide->wavefronts == 2);
  CHECK(wide->ideal == 2);
  std::vector<int> idle(32, -1);
  idle[3] = 7;
  CHECK(bank_conflicts(s, 32, idle, 32)->wavefronts == 1);
  CHECK(!bank_conflicts(s, 32, row, 64).ok());                              // misaligned 64-bit
  CHECK(!bank_conflicts(s, 32, std::vector<int>(31, 0), 32).ok());          // not 32 lanes
  CHECK(!bank_conflicts(s, 32, lanes([](int l) { return 2000 + l; }), 32).ok());  // out of range
}

TEST_CASE("shared: bank conflicts of register-layout transfers") {
  auto r = local({2, 1}).spatial({8, 4}).local({1, 2});
  auto rep = bank_conflicts(shared_row_major({16, 8}), r, 32, 2);
  REQUIRE_MESSAGE(rep.ok(), rep.error().message);
  CHECK(rep->wavefronts == 4);
  CHECK(rep->conflicts() == 0);
  auto cs = column_spatial({16, 2}).local({1, 4});  // thread t: row t%16, cols 4*(t/16)..+3
  auto bad = bank_conflicts(shared_row_major({16, 8}), cs, 32, 4);
  REQUIRE(bad.ok());
  CHECK(bad->wavefronts == 8);
  CHECK(bad->conflicts() == 4);
  CHECK(!bank_conflicts(shared_column_major({16, 8}), cs, 32, 4).ok());  // not a vector access
  CHECK(!bank_conflicts(shared_row_major({16, 8}), cs, 32, 3).ok());
}

TEST_CASE("shared: text round trips and located errors") {
  const char* texts[] = {"row_major(8,64)", "column_major(4,8)", "row_major(8,64).swizzle(3,3,3)",
                         "shared(shape=[32,16], modes=[32,2,8], strides=[8,256,1])",
                         "shared(shape=[128,128], modes=[128,2,64], strides=[64,8192,1]).swizzle(3,3,3)",
                         "row_major()"};
  for (const char* t : texts) {
    auto l = parse_shared_layout(t);
    REQUIRE_MESSAGE(l.ok(), l.error().message);
    CHECK(to_string(*l) == t);
  }
  CHECK(to_string(ok(parse_shared_layout(" row_major(2,2) . column_major(4,8) "))) ==
        "shared(shape=[8,16], modes=[2,4,16], strides=[64,1,4])");
  auto e = parse_shared_layout("row_major(8,0)");
  REQUIRE(!e.ok());
  CHECK(e.error().offset == 12);
  e = parse_shared_layout("row_major(8,8).swizzle(3,3,2)");
  REQUIRE(!e.ok());
  CHECK(e.error().offset == 15);
  e = parse_shared_layout("rowmajor(8)");
  REQUIRE(!e.ok());
  CHECK(e.error().offset == 0);
  CHECK(e.error().length == 8);
  size_t n = 0;
  auto p = parse_shared_layout_prefix("row_major(4,4).swizzle(1,2,2), x", &n);
  REQUIRE(p.ok());
  CHECK(n == 29);
}

TEST_CASE("shared: mutated texts parse or fail with a location inside the text") {
  const char* seeds[] = {"row_major(8,64).swizzle(3,3,3)", "shared(shape=[32,16], modes=[32,2,8], strides=[8,256,1])",
                         "row_major(2,2).column_major(4,8)"};
  const char alphabet[] = "()[],.=-0123456789 abcdefghijklmnopqrstuvwxyz_";
  std::mt19937 rng(12);
  for (int i = 0; i < 3000; ++i) {
    std::string t = seeds[i % 3];
    for (int k = 0, n = 1 + static_cast<int>(rng() % 3); k < n; ++k) {
      size_t at = rng() % (t.size() + 1);
      char c = alphabet[rng() % (sizeof alphabet - 1)];
      if (rng() % 2) t.insert(t.begin() + at, c);
      else if (at < t.size()) t[at] = c;
    }
    auto l = parse_shared_layout(t);
    INFO(t);
    if (l.ok()) {
      CHECK(*parse_shared_layout(to_string(*l)) == *l);
    } else {
      REQUIRE(l.error().has_location());
      CHECK(l.error().offset <= t.size());
    }
  }
}

TEST_CASE("shared: every swizzle is an involution that permutes its aligned blocks") {
  for (int bits = 1; bits <= 3; ++bits)
    for (int base = 0; base <= 3; ++base)
      for (int shift : {-5, -4, -3, 3, 4, 5}) {
        if (std::abs(shift) < bits) continue;
        Swizzle z{bits, base, shift};
        int block = 1 << (base + bits + (shift < 0 ? -shift : 0));
        std::vector<int> hits(4 * block, 0);
        for (int x = 0; x < 4 * block; ++x) {
          int64_t y = z.apply(x);
          CHECK(z.apply(y) == x);
          CHECK(y / block == x / block);
          ++hits[y];
        }
        CHECK(std::count(hits.begin(), hits.end(), 1) == 4 * block);
      }
}
