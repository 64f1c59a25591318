// The dispatch table: the instruction table's rows expanded into their exec_ bodies, so a row
// without a body fails to link.
#include "emulator/coverage.h"
#include "emulator/insns/exec.h"

namespace tilevm::emu {
namespace {

constexpr ExecFn kExec[] = {
#define TILEVM_INSN(id, mn, fam, ops, attrs, res, exact, sem) &exec_##id,
#include "ir/instructions.def"
#undef TILEVM_INSN
};
static_assert(sizeof(kExec) / sizeof(kExec[0]) == ir::kNumOps);

}  // namespace

ExecFn exec_fn(ir::Op op) { return kExec[static_cast<size_t>(op)]; }
const ir::Coverage& coverage() {
  static const ir::Coverage c = [] {
    ir::Coverage c;
    c.component = "emulator";
    c.complete = true;
    for (const ir::InsnInfo& i : ir::all_insns())
      if (has_exec(i.op)) c.add(i.op);
    return c;
  }();
  return c;
}

bool has_exec(ir::Op op) { return static_cast<size_t>(op) < ir::kNumOps && kExec[static_cast<size_t>(op)] != nullptr; }

}  // namespace tilevm::emu
