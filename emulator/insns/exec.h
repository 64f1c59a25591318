// Declarations of every instruction body, one per row of the instruction table.
#pragma once

#include "emulator/insns/helpers.h"

namespace tilevm::emu {

#define TILEVM_INSN(id, mn, fam, ops, attrs, res, exact, sem) void exec_##id(Block& b, const ir::Insn& insn);
#include "ir/instructions.def"
#undef TILEVM_INSN

}  // namespace tilevm::emu
