// Elementwise unary, binary, comparison, fma and where, with broadcasting. Each result slot
// reads, in the same thread, the operand slot holding the broadcast element; that slot is a
// compile-time constant (checked over every thread), so register arrays are indexed only by
// constants. The arithmetic is the prelude's tvm_<op> (integers wrap; f16/bf16 round once).
#include "backend/cuda/emit_internal.h"

namespace tilevm::cuda {
namespace {

std::string fn_name(const ir::Insn& insn, const ir::DType& operand) {
  if (insn.op == ir::Op::kNot && operand.is_bool()) return "tvm_lnot";
  if (insn.op == ir::Op::kWhere) return "";
  return logical_if_bool("tvm_" + insn.info().mnemonic, operand);
}

struct Arg {
  const TVar* t = nullptr;   // tensor operand
  std::vector<int> map;      // its slot for each result slot
  std::string scalar;        // scalar operand, converted to the operand type
};

}  // namespace

std::string logical_if_bool(const std::string& fn, const ir::DType& d) {
  if (!d.is_bool()) return fn;
  if (fn == "tvm_and" || fn == "tvm_min") return "tvm_land";
  if (fn == "tvm_or" || fn == "tvm_max") return "tvm_lor";
  if (fn == "tvm_xor") return "tvm_lxor";
  return fn;
}

void emit_elementwise(Emitter& e, const ir::Insn& insn) {
  TVar& out = e.produced(insn);
  const ir::RegisterLayout& lo = *out.f->layout;
  // The operand type: the first tensor operand's dtype (where: the first value operand's).
  size_t first_value = insn.op == ir::Op::kWhere ? 1 : 0;
  ir::DType ty = out.f->dtype;
  for (size_t i = first_value; i < insn.operands.size(); ++i)
    if (insn.operands[i].is_tensor) {
      ty = e.operand(insn, i).f->dtype;
      break;
    }
  std::vector<Arg> args(insn.operands.size());
  bool identity = true;
  for (size_t i = 0; i < insn.operands.size(); ++i) {
    if (!insn.operands[i].is_tensor) {
      args[i].scalar = e.expr_as(insn.operands[i].scalar, i < first_value ? dt::kBool : ty);
      continue;
    }
    args[i].t = &e.operand(insn, i);
    args[i].map = e.slot_map(lo, *args[i].t->f->layout);
    if (!args[i].map.empty() && args[i].map[0] < 0) {
      e.fail(insn.operands[i].loc, "the CUDA backend needs each thread to hold the elements of %" + args[i].t->f->name +
                                       " that its elements of the result use, at fixed slots; layouts " +
                                       layout::to_string(*args[i].t->f->layout) + " and " + layout::to_string(lo) +
                                       " do not pair that way");
      return;
    }
    for (size_t s = 0; s < args[i].map.size(); ++s) identity &= args[i].map[s] == static_cast<int>(s);
  }
  if (!e.in_place(insn)) e.declare_register(out);
  std::string fn = fn_name(insn, ty);
  auto call = [&](const std::string& slot, int s) {
    std::vector<std::string> v;
    for (const Arg& a : args)
      v.push_back(a.t ? (slot.empty() ? e.get(*a.t, a.map[s]) : a.t->c + "[" + slot + "]") : a.scalar);
    if (insn.op == ir::Op::kWhere) return "(" + v[0] + " ? " + v[1] + " : " + v[2] + ")";
    std::string c = fn + "(";
    for (size_t i = 0; i < v.size(); ++i) c += (i ? ", " : "") + v[i];
    return c + ")";
  };
  int n = lo.local_size();
  if (identity && !is_packed(out.f->dtype)) {
    e.line("#pragma unroll");
    e.line("for (int i = 0; i < " + std::to_string(n) + "; ++i) " + out.c + "[i] = " + call("i", 0) + ";");
    return;
  }
  for (int s = 0; s < n; ++s) e.line(e.set(out, s, call("", s)));
}

}  // namespace tilevm::cuda
