// The mma.sync and ldmatrix atoms against the PTX ISA's fragment figures, transcribed here per
// instruction (groupID = lane >> 2, threadID_in_group = lane % 4, element i = PTX's a_i/b_i/c_i),
// plus literal rows for a few lanes read off the figures.
#include <doctest/doctest.h>

#include <functional>
#include <set>

#include "layout/atoms.h"

using namespace tilevm::layout;
using RC = std::pair<int, int>;
using Fig = std::function<RC(int lane, int i)>;

namespace {

void check_atom(const RegisterLayout& l, int rows, int cols, int per_lane, const Fig& fig) {
  INFO(to_string(l));
  REQUIRE(l.shape == std::vector<int>{rows, cols});
  REQUIRE(l.num_threads() == 32);
  REQUIRE(l.local_size() == per_lane);
  REQUIRE(l.replication() == 1);
  std::set<RC> seen;
  for (int lane = 0; lane < 32; ++lane)
    for (int i = 0; i < per_lane; ++i) {
      auto [r, c] = fig(lane, i);
      INFO("lane ", lane, " element ", i);
      CHECK(l.index_of(lane, i) == std::vector<int>{r, c});
      CHECK(l.owners_of({r, c}) == std::vector<Owner>{{lane, i}});
      seen.insert({r, c});
    }
  CHECK(static_cast<int>(seen.size()) == rows * cols);  // a bijection onto the tile
}

void check_lane(const RegisterLayout& l, int lane, std::vector<RC> want) {
  for (size_t i = 0; i < want.size(); ++i)
    CHECK(l.index_of(lane, static_cast<int>(i)) == std::vector<int>{want[i].first, want[i].second});
}

int g(int lane) { return lane >> 2; }
int t(int lane) { return lane % 4; }

// m16n8k16, .f16/.bf16
RC k16_a(int l, int i) { return {(i == 2 || i == 3 || i >= 6) ? g(l) + 8 : g(l), t(l) * 2 + (i & 1) + (i >= 4 ? 8 : 0)}; }
RC k16_b(int l, int i) { return {t(l) * 2 + (i & 1) + (i >= 2 ? 8 : 0), g(l)}; }
RC acc_c(int l, int i) { return {i < 2 ? g(l) : g(l) + 8, t(l) * 2 + (i & 1)}; }
// m16n8k8, .tf32
RC k8_a(int l, int i) { return {(i == 0 || i == 2) ? g(l) : g(l) + 8, (i < 2) ? t(l) : t(l) + 4}; }
RC k8_b(int l, int i) { return {i == 0 ? t(l) : t(l) + 4, g(l)}; }
// m16n8k32, 8-bit
RC k32_a(int l, int i) { return {(i < 4 || (i >= 8 && i < 12)) ? g(l) : g(l) + 8, t(l) * 4 + (i & 3) + (i >= 8 ? 16 : 0)}; }
RC k32_b(int l, int i) { return {t(l) * 4 + (i & 3) + (i >= 4 ? 16 : 0), g(l)}; }
// m16n8k64, 4-bit
RC k64_a(int l, int i) { return {(i < 8 || (i >= 16 && i < 24)) ? g(l) : g(l) + 8, t(l) * 8 + (i & 7) + (i >= 16 ? 32 : 0)}; }
RC k64_b(int l, int i) { return {t(l) * 8 + (i & 7) + (i >= 8 ? 32 : 0), g(l)}; }

const MmaAtom& atom(const char* name) {
  const MmaAtom* a = find_mma_atom(name);
  REQUIRE(a != nullptr);
  return *a;
}

}  // namespace

TEST_CASE("atoms: mma m16n8k16 f16 and bf16") {
  for (const char* name : {"m16n8k16.f16", "m16n8k16.bf16"}) {
    const auto& a = atom(name);
    CHECK(a.ab_bits == 16);
    check_atom(a.a, 16, 16, 8, k16_a);
    check_atom(a.b, 16, 8, 4, k16_b);
    check_atom(a.c, 16, 8, 4, acc_c);
    check_lane(a.a, 0, {{0, 0}, {0, 1}, {8, 0}, {8, 1}, {0, 8}, {0, 9}, {8, 8}, {8, 9}});
    check_lane(a.a, 5, {{1, 2}, {1, 3}, {9, 2}, {9, 3}, {1, 10}, {1, 11}, {9, 10}, {9, 11}});
    check_lane(a.a, 31, {{7, 6}, {7, 7}, {15, 6}, {15, 7}, {7, 14}, {7, 15}, {15, 14}, {15, 15}});
    check_lane(a.b, 0, {{0, 0}, {1, 0}, {8, 0}, {9, 0}});
    check_lane(a.b, 31, {{6, 7}, {7, 7}, {14, 7}, {15, 7}});
    check_lane(a.c, 5, {{1, 2}, {1, 3}, {9, 2}, {9, 3}});
  }
  CHECK(to_string(atom("m16n8k16.f16").a) == "column_local(2,2).spatial(8,4).local(1,2)");
}

TEST_CASE("atoms: mma m16n8k8 tf32") {
  const auto& a = atom("m16n8k8.tf32");
  CHECK(a.ab_bits == 32);
  check_atom(a.a, 16, 8, 4, k8_a);
  check_atom(a.b, 8, 8, 2, k8_b);
  check_atom(a.c, 16, 8, 4, acc_c);
  check_lane(a.a, 5, {{1, 1}, {9, 1}, {1, 5}, {9, 5}});
  check_lane(a.b, 5, {{1, 1}, {5, 1}});
}

TEST_CASE("atoms: mma m16n8k32 8-bit (s8, u8, e4m3, e5m2)") {
  for (const char* name : {"m16n8k32.s8", "m16n8k32.u8", "m16n8k32.e4m3", "m16n8k32.e5m2"}) {
    const auto& a = atom(name);
    CHECK(a.ab_bits == 8);
    check_atom(a.a, 16, 32, 16, k32_a);
    check_atom(a.b, 32, 8, 8, k32_b);
    check_atom(a.c, 16, 8, 4, acc_c);
    check_lane(a.a, 31, {{7, 12}, {7, 13}, {7, 14}, {7, 15}, {15, 12}, {15, 13}, {15, 14}, {15, 15},
                         {7, 28}, {7, 29}, {7, 30}, {7, 31}, {15, 28}, {15, 29}, {15, 30}, {15, 31}});
    check_lane(a.b, 1, {{4, 0}, {5, 0}, {6, 0}, {7, 0}, {20, 0}, {21, 0}, {22, 0}, {23, 0}});
  }
}

TEST_CASE("atoms: mma m16n8k64 4-bit (s4, u4)") {
  for (const char* name : {"m16n8k64.s4", "m16n8k64.u4"}) {
    const auto& a = atom(name);
    CHECK(a.ab_bits == 4);
    check_atom(a.a, 16, 64, 32, k64_a);
    check_atom(a.b, 64, 8, 16, k64_b);
    check_atom(a.c, 16, 8, 4, acc_c);
    std::vector<RC> b6;  // lane 6: groupID 1, threadID_in_group 2
    for (int i = 0; i < 8; ++i) b6.push_back({16 + i, 1});
    for (int i = 0; i < 8; ++i) b6.push_back({48 + i, 1});
    check_lane(a.b, 6, b6);
  }
  CHECK(find_mma_atom("m16n8k64.s3") == nullptr);
}

TEST_CASE("atoms: ldmatrix x1/x2/x4 with and without .trans") {
  for (int num : {1, 2, 4}) {
    const auto* plain = find_ldmatrix_atom(num, false);
    const auto* trans = find_ldmatrix_atom(num, true);
    REQUIRE(plain);
    REQUIRE(trans);
    // Register j (slots 2j, 2j+1) comes from matrix j, rows 8j..8j+7 of the tile.
    check_atom(plain->layout, 8 * num, 8, 2 * num,
               [](int l, int i) { return RC{8 * (i / 2) + l / 4, 2 * (l % 4) + i % 2}; });
    check_atom(trans->layout, 8 * num, 8, 2 * num,
               [](int l, int i) { return RC{8 * (i / 2) + 2 * (l % 4) + i % 2, l / 4}; });
  }
  check_lane(find_ldmatrix_atom(4, false)->layout, 5, {{1, 2}, {1, 3}, {9, 2}, {9, 3}, {17, 2}, {17, 3}, {25, 2}, {25, 3}});
  check_lane(find_ldmatrix_atom(1, true)->layout, 5, {{2, 1}, {3, 1}});
  check_lane(find_ldmatrix_atom(2, true)->layout, 31, {{6, 7}, {7, 7}, {14, 7}, {15, 7}});
  CHECK(find_ldmatrix_atom(3, false) == nullptr);
}

TEST_CASE("atoms: every named atom layout resolves") {
  auto names = atom_layout_names();
  CHECK(names.size() == 9 * 3 + 6);
  for (const auto& n : names) {
    int bits = 0;
    INFO(n);
    CHECK(find_atom_layout(n, &bits) != nullptr);
    CHECK(bits > 0);
  }
  int bits = 0;
  CHECK(*find_atom_layout("mma.m16n8k64.s4.b", &bits) == find_mma_atom("m16n8k64.s4")->b);
  CHECK(bits == 4);
  CHECK(find_atom_layout("mma.m16n8k64.s4.d") == nullptr);
}
