// atomic.global / atomic.shared (one read-modify-write per element, by the first replica only;
// out-of-range global elements dropped) and the split-K semaphore (acquire spin / release store
// by thread 0, with block barriers around).
#include "backend/cuda/emit_internal.h"

namespace tilevm::cuda {
namespace {

std::string rmw(const std::string& op, const ir::DType& d, const std::string& ptr, const std::string& v) {
  std::string t = ctype(d);
  // Float adds go through the compare-and-swap loop with tvm_add: the native f32/f64 atomic adds
  // may flush subnormals and give non-canonical NaNs, where the IR's add is IEEE with canonical
  // NaN results (src/exec/arith.h).
  bool native_add = d == dt::kI32 || d == dt::kU32 || d == dt::kU64;
  if (op == "add" && native_add) return "atomicAdd(" + ptr + ", " + v + ");";
  if (op == "exch" && (d == dt::kF32 || d == dt::kI32 || d == dt::kU32 || d == dt::kU64))
    return "atomicExch(" + ptr + ", " + v + ");";
  std::string body = op == "exch" ? "return v;" : "return tvm_" + op + "(x, v);";
  return "{ const " + t + " v = " + v + "; tvm_atomic_rmw(" + ptr + ", [=](" + t + " x) { (void)x; " + body + " }); }";
}

}  // namespace

void emit_atomic(Emitter& e, const ir::Insn& insn) {
  if (insn.op == ir::Op::kSemaphoreWait || insn.op == ir::Op::kSemaphoreSignal) {
    TVar& sem = e.operand(insn, 0);
    const ir::AttrValue* off = insn.attr("offset");
    std::string ptr = "(int*)" + sem.ptr;
    for (size_t k = 0; k < off->exprs.size(); ++k) ptr += " + (" + e.expr_as(off->exprs[k], dt::kI64) + ") * " + sem.stride[k];
    std::string v = e.expr_as(insn.attr("value")->expr, dt::kI32);
    if (insn.op == ir::Op::kSemaphoreWait) {
      e.line("if (tid == 0) while (tvm_ld_acquire(" + ptr + ") != " + v + ") {}");
      e.line("__syncthreads();");
    } else {
      e.line("__syncthreads();");
      e.line("if (tid == 0) tvm_st_release(" + ptr + ", " + v + ");");
    }
    return;
  }
  TVar& val = e.operand(insn, 0);
  TVar& dst = e.operand(insn, 1);
  const ir::DType& d = dst.f->dtype;
  if (!is_native(d)) {
    e.fail(insn.loc, "atomics on " + d.name() + " are not supported by the CUDA backend (use an arithmetic type)");
    return;
  }
  const ir::RegisterLayout& l = *val.f->layout;
  bool global = insn.op == ir::Op::kAtomicGlobal;
  size_t r = global ? dst.f->global_shape.size() : dst.f->shape.size(), tr = val.f->shape.size();
  std::vector<int> tile_of(r, -1);
  if (const ir::AttrValue* dm = insn.attr("dims")) {
    for (size_t i = 0; i < dm->ints.size(); ++i) tile_of[dm->ints[i]] = static_cast<int>(i);
  } else {
    for (size_t i = r - tr; i < r; ++i) tile_of[i] = static_cast<int>(i - (r - tr));
  }
  const ir::AttrValue* off = insn.attr("offset");
  std::vector<std::string> base = e.spatial_base(l);
  std::string op = insn.attr("op")->word;
  e.open(l.replication() > 1 ? "if (" + e.primary(l) + ")" : "");
  for (int s = 0; s < l.local_size(); ++s) {
    std::vector<int> c = l.index_of(0, s);
    std::vector<std::string> x(r);
    for (size_t k = 0; k < r; ++k) {
      x[k] = off ? e.expr_as(off->exprs[k], dt::kI64) : "0";
      if (tile_of[k] >= 0) x[k] += " + " + base[tile_of[k]] + " + " + std::to_string(c[tile_of[k]]);
    }
    std::string v = e.get(val, s);
    if (!(val.f->dtype == d)) v = e.convert(v, val.f->dtype, d);
    if (global) {
      std::string ptr = dst.ptr, ok;
      for (size_t k = 0; k < r; ++k) {
        ptr += " + (" + x[k] + ") * " + dst.stride[k];
        ok += (k ? " && " : "") + std::string("(") + x[k] + ") >= 0 && (" + x[k] + ") < " + dst.shape[k];
      }
      e.line("if (" + (ok.empty() ? std::string("true") : ok) + ") " + rmw(op, d, ptr, v));
    } else {
      std::string args;
      for (size_t k = 0; k < r; ++k) args += (k ? ", " : "") + x[k];
      e.line(rmw(op, d, "&" + dst.c + "[" + dst.c + "_off(" + args + ")]", v));
    }
  }
  e.close();
}

}  // namespace tilevm::cuda
