// The mma.sync and ldmatrix atoms as register layouts (values checked in atoms_test.cc).
#include "layout/atoms.h"

namespace tilevm::layout {

namespace {

// The PTX fragments of m16n8k{K} with E = 32/bits elements per register and 4 A registers,
// 2 B registers: A row g + 8(r%2), col E·t + (K/2)(r/2) + e; B row E·t + (K/2)r + e, col g;
// C row g + 8(i/2), col 2t + i%2 (g = lane/4, t = lane%4).
MmaAtom make_mma(std::string name, int k, int bits) {
  int e = 32 / bits;
  MmaAtom atom;
  atom.name = std::move(name);
  atom.m = 16, atom.n = 8, atom.k = k, atom.ab_bits = bits;
  atom.a = column_local({2, 2}).spatial({8, 4}).local({1, e});
  atom.b = local({2, 1}).column_spatial({4, 8}).local({e, 1});
  atom.c = local({2, 1}).spatial({8, 4}).local({1, 2});
  return atom;
}

}  // namespace

const std::vector<MmaAtom>& mma_atoms() {
  static const std::vector<MmaAtom> atoms = {
      make_mma("m16n8k16.f16", 16, 16),  make_mma("m16n8k16.bf16", 16, 16),
      make_mma("m16n8k8.tf32", 8, 32),   make_mma("m16n8k32.s8", 32, 8),
      make_mma("m16n8k32.u8", 32, 8),    make_mma("m16n8k32.e4m3", 32, 8),
      make_mma("m16n8k32.e5m2", 32, 8),  make_mma("m16n8k64.s4", 64, 4),
      make_mma("m16n8k64.u4", 64, 4),
  };
  return atoms;
}

const MmaAtom* find_mma_atom(std::string_view name) {
  for (const auto& a : mma_atoms())
    if (a.name == name) return &a;
  return nullptr;
}

const std::vector<LdmatrixAtom>& ldmatrix_atoms() {
  static const std::vector<LdmatrixAtom> atoms = [] {
    std::vector<LdmatrixAtom> v;
    for (int num : {1, 2, 4})
      for (bool trans : {false, true}) {
        auto l = trans ? local({num, 1}).column_spatial({4, 8}).local({2, 1})
                       : local({num, 1}).spatial({8, 4}).local({1, 2});
        v.push_back({"ldmatrix.x" + std::to_string(num) + (trans ? ".trans" : ""), num, trans, l});
      }
    return v;
  }();
  return atoms;
}

const LdmatrixAtom* find_ldmatrix_atom(int num, bool trans) {
  for (const auto& a : ldmatrix_atoms())
    if (a.num == num && a.trans == trans) return &a;
  return nullptr;
}

std::vector<std::string> atom_layout_names() {
  std::vector<std::string> names;
  for (const auto& a : mma_atoms())
    for (const char* op : {".a", ".b", ".c"}) names.push_back("mma." + a.name + op);
  for (const auto& a : ldmatrix_atoms()) names.push_back(a.name);
  return names;
}

const RegisterLayout* find_atom_layout(std::string_view name, int* bits) {
  for (const auto& a : mma_atoms()) {
    std::string base = "mma." + a.name;
    if (name.substr(0, base.size()) != base || name.size() != base.size() + 2) continue;
    char op = name.back();
    if (name[base.size()] != '.' || (op != 'a' && op != 'b' && op != 'c')) continue;
    if (bits) *bits = op == 'c' ? 32 : a.ab_bits;
    return op == 'a' ? &a.a : op == 'b' ? &a.b : &a.c;
  }
  for (const auto& a : ldmatrix_atoms())
    if (a.name == name) {
      if (bits) *bits = 16;
      return &a.layout;
    }
  return nullptr;
}

}  // namespace tilevm::layout
