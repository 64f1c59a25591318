// sync, exit and print.
#include "backend/cuda/emit_internal.h"

namespace tilevm::cuda {
namespace {

// printf format and argument for one element value of dtype d.
std::pair<std::string, std::string> fmt(Emitter& e, const std::string& v, const ir::DType& d) {
  if (d.is_float()) return {"%.9g", "(double)" + e.convert(v, d, dt::kF64)};
  if (d.is_bool()) return {"%d", "(int)" + v};
  if (d.kind == dt::Kind::Int) return {"%lld", "(long long)" + e.convert(v, d, dt::kI64)};
  return {"%llu", "(unsigned long long)" + e.convert(v, d, dt::kU64)};
}

void print(Emitter& e, const ir::Insn& insn) {
  const ir::AttrValue* m = insn.attr("msg");
  std::string msg = m ? m->word : "";
  for (char& c : msg)
    if (c == '"' || c == '\\' || c == '%') c = '_';
  const ir::Operand& op = insn.operands[0];
  if (!op.is_tensor) {
    auto t = e.type_of(op.scalar);
    ir::DType d = t ? t->dtype : dt::kI32;
    auto [f, a] = fmt(e, e.expr_as(op.scalar, d), d);
    e.line("if (tid == 0) printf(\"block (%d,%d,%d): " + msg + " " + f + "\\n\", blockIdx.x, blockIdx.y, blockIdx.z, " + a + ");");
    return;
  }
  TVar& t = e.operand(insn, 0);
  const ir::DType& d = t.f->dtype;
  if (t.f->scope != verify::Scope::Register) {
    e.fail(op.loc, "print of a shared or global tensor is not supported by the CUDA backend; load it into registers first");
    return;
  }
  // Gather the tile into the scratch area by logical index (first replicas write), then thread 0
  // prints it in row-major order.
  const ir::RegisterLayout& l = *t.f->layout;
  int64_t n = l.num_elements();
  std::string bt = d.bits <= 8 ? "uint8_t" : d.bits <= 16 ? "uint16_t" : d.bits <= 32 ? "uint32_t" : "uint64_t";
  int bytes = std::max(1, d.bits / 8);
  e.reduce_ws_ = std::max<int64_t>(e.reduce_ws_, n * bytes);
  std::vector<std::string> base = e.spatial_base(l);
  std::string p = e.primary(l);
  e.open("");
  e.line("__syncthreads();");
  e.line(ctype(d.bits < 8 ? dt::kU8 : d) + "* const buf = (" + ctype(d.bits < 8 ? dt::kU8 : d) + "*)tvm_reduce_ws;");
  e.open("if (" + p + ")");
  for (int s = 0; s < l.local_size(); ++s) {
    std::vector<int> c = l.index_of(0, s);
    std::string lin = "0";
    for (int k = 0; k < l.rank(); ++k) lin = "(" + lin + ") * " + std::to_string(l.shape[k]) + " + " + base[k] + " + " + std::to_string(c[k]);
    e.line("buf[" + lin + "] = " + (is_packed(d) ? "(uint8_t)" : "") + e.get(t, s) + ";");
  }
  e.close();
  e.line("__syncthreads();");
  e.open("if (tid == 0)");
  e.line("printf(\"block (%d,%d,%d): " + msg + " %%" + t.f->name + " " + d.name() + verify::dims_text(t.f->shape) +
         "\\n\", blockIdx.x, blockIdx.y, blockIdx.z);");
  auto [f, a] = fmt(e, "buf[i]", d.bits < 8 ? dt::kU8 : d);
  if (d.bits < 8 || !is_native(d)) f = "0x%llx", a = "(unsigned long long)buf[i]";
  e.line("for (int i = 0; i < " + std::to_string(n) + "; ++i) printf(\"  " + f + "%s\", " + a + ", (i + 1) % " +
         std::to_string(l.shape.empty() ? 1 : l.shape.back()) + " == 0 ? \"\\n\" : \" \");");
  e.close();
  e.line("__syncthreads();");
  e.close();
  (void)bt;
}

}  // namespace

void emit_control(Emitter& e, const ir::Insn& insn) {
  switch (insn.op) {
    case ir::Op::kSync: e.line("__syncthreads();"); return;
    case ir::Op::kExit: e.line("return;"); return;
    case ir::Op::kPrint: print(e, insn); return;
    default: return;
  }
}

}  // namespace tilevm::cuda
