// Hardware atoms as data: the register layouts of mma.sync operands and of ldmatrix results,
// read by the emulator to place fragments and by codegen to select instructions.
//
// A local slot is one element. For an operand of `bits`-bit elements (bits <= 32), the 32-bit
// register j of a lane holds slots [j*32/bits, (j+1)*32/bits), slot j*32/bits + e in bits
// [e*bits, (e+1)*bits) (the lowest slot in the lowest bits, as in PTX). So for f16 A of
// m16n8k16 slots 0..7 are PTX's a0..a7; for s4 A of m16n8k64 register 1 holds slots 8..15.
// Threads are lanes 0..31 of the warp. Shapes are logical: A is [m, k], B is [k, n] (k rows),
// C and D are [m, n]. All layouts below were checked against the PTX ISA fragment figures
// (tests/layout/atoms_test.cc spells the figures out).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "layout/register_layout.h"

namespace tilevm::layout {

struct MmaAtom {
  std::string name;    // "m16n8k16.f16": shape, then the A/B element type
  int m = 0, n = 0, k = 0;
  int ab_bits = 0;     // bits per A/B element in registers (tf32: 32)
  RegisterLayout a;    // [m, k]
  RegisterLayout b;    // [k, n]
  RegisterLayout c;    // [m, n], also D; f32/s32 one slot per register, f16 two per register
};

// Every mma.sync atom tilevm knows: m16n8k16 f16/bf16, m16n8k8 tf32, m16n8k32 s8/u8/e4m3/e5m2,
// m16n8k64 s4/u4.
const std::vector<MmaAtom>& mma_atoms();
// The atom called `name` (e.g. "m16n8k32.e4m3"), or nullptr.
const MmaAtom* find_mma_atom(std::string_view name);

// ldmatrix.sync.aligned.m8n8.x{num}[.trans].shared.b16: `num` 8x8 matrices of 16-bit elements.
// The logical tile is [8*num, 8]: matrix j is rows 8j..8j+7, and lane r (r < 8*num) supplies the
// shared address of row r. Register j of every lane (slots 2j, 2j+1) holds matrix j.
// Without .trans lane l holds row l/4, columns 2(l%4), 2(l%4)+1 of each matrix; with .trans it
// holds rows 2(l%4), 2(l%4)+1 of column l/4.
struct LdmatrixAtom {
  std::string name;  // "ldmatrix.x4.trans"
  int num = 1;       // 1, 2 or 4
  bool trans = false;
  RegisterLayout layout;
};
const std::vector<LdmatrixAtom>& ldmatrix_atoms();
const LdmatrixAtom* find_ldmatrix_atom(int num, bool trans);

// Names of every atom layout, for tools: "mma.m16n8k16.f16.a", ..., "ldmatrix.x2.trans".
std::vector<std::string> atom_layout_names();
// The layout called `name` in atom_layout_names(), with its element width in bits; nullptr if
// there is none.
const RegisterLayout* find_atom_layout(std::string_view name, int* bits = nullptr);

}  // namespace tilevm::layout
