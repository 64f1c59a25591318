// block_index: the block's coordinate, a per-block i32 scalar.
#include "backend/cuda/emit_internal.h"

namespace tilevm::cuda {

void emit_index(Emitter& e, const ir::Insn& insn) {
  const std::string& dim = insn.attr("dim")->word;
  e.scopes_.back()[insn.result] = ir::ScalarType{dt::kI32, false};
  e.scalar_c_[insn.result] = insn.result;
  std::string name = e.scalar_name(insn.result);
  e.line("const int32_t " + name + " = (int32_t)blockIdx." + dim + ";");
}

}  // namespace tilevm::cuda
