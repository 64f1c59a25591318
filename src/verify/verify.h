// The verifier: name resolution, scalar typing, instruction typing against the instruction
// table's rules, layout inference (docs/ir.md, "Layout inference") and layout checks.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/program.h"
#include "text/diagnostics.h"

namespace tilevm::verify {

// Limits of the target (H100, sm_90): dynamic shared memory per block after opt-in, and
// threads per block.
inline constexpr int64_t kMaxSharedBytes = 232448;
inline constexpr int kMaxWarps = 32;
// The largest register tensor (elements) and the largest dot.simt (m * n * k) the verifier
// accepts: far above what fits a block's registers, low enough to check layouts exhaustively.
inline constexpr int64_t kMaxRegisterElements = int64_t{1} << 18;
inline constexpr int64_t kMaxSimtDotWork = int64_t{1} << 20;

enum class Scope { Register, Shared, Global };
const char* scope_name(Scope s);

// What the verifier knows about one tensor definition.
struct TensorFacts {
  std::string name;
  Scope scope = Scope::Register;
  ir::DType dtype;
  std::vector<int64_t> shape;             // register and shared tensors
  std::vector<ir::ExprPtr> global_shape;  // global tensors
  std::optional<ir::RegisterLayout> layout;      // register tensors, once inferred
  std::optional<ir::SharedLayout> shared_layout; // shared tensors
  bool layout_explicit = false;           // the layout was written in the program
  bool poisoned = false;                  // its definition had errors: uses are not checked
  ir::SrcRange def_loc;
  const ir::Insn* def = nullptr;
};

// Per instruction: the tensor ids of its operands (-1 for scalars), its result (-1: none) and
// its in-place target (-1: none).
struct InsnFacts {
  std::vector<int> operands;
  int result = -1;
  int out = -1;
};

struct Facts {
  std::vector<TensorFacts> tensors;
  std::map<const ir::Insn*, InsnFacts> insns;
  int64_t shared_bytes_peak = 0;
  // The register tensor an instruction produces (its result or its out= target), or -1.
  int produced(const ir::Insn* insn) const;
};

// Checks `p` completely and reports every error found to `diags`. On success returns the
// facts (every register tensor with its layout) and, with `fill_layouts`, writes the inferred
// layouts into the `layout` attributes that were left out (explicit ones are never changed).
// Whether the verifier has a rule for `op` (for the table completeness test).
bool has_rule(ir::Op op);

std::optional<Facts> verify_program(ir::Program& p, text::Diagnostics& diags, bool fill_layouts = false);

}  // namespace tilevm::verify
