// sync, exit and print.
#include <cstdio>

#include "backend/cuda/emit_internal.h"

namespace tilevm::cuda {
namespace {

// printf format and argument for one element value of dtype d (the value representation:
// native for standard types, the code otherwise), formatted as the emulator formats it: floats
// %.9g of the exact value, signed integers in decimal, unsigned integers and bool as codes.
std::pair<std::string, std::string> fmt(Emitter& e, const std::string& v, const ir::DType& d) {
  if (d.is_float()) return {"%.9g", "(double)" + e.convert(v, d, dt::kF64)};
  if (d.is_bool()) return {"%llu", "(unsigned long long)" + v};
  if (d.kind == dt::Kind::Int) return {"%lld", "(long long)" + e.convert(v, d, dt::kI64)};
  return {"%llu", "(unsigned long long)" + e.convert(v, d, dt::kU64)};
}

}  // namespace

// A C string literal whose bytes are exactly `s`: printable ASCII stays (quote and backslash
// escaped), every other byte (newline, tab, non-ASCII UTF-8 bytes) becomes a three-digit octal
// escape, which cannot run into a following digit. '%' needs nothing: the message is printed
// through "%s", never used as a format.
std::string c_string_literal(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f && c != '?') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    }
  }
  return out + "\"";
}

namespace {

// print: one line "block (x,y,z): MSG v0 v1 ...\n" with the elements in logical (row-major)
// order, as the emulator prints it (the line is written by several printf calls of thread 0,
// so lines of different blocks printing at the same time may interleave).
void print(Emitter& e, const ir::Insn& insn) {
  const ir::AttrValue* m = insn.attr("msg");
  std::string head = "printf(\"block (%d,%d,%d):%s%s\", blockIdx.x, blockIdx.y, blockIdx.z, " +
                     std::string(m ? "\" \", " + c_string_literal(m->word) : "\"\", \"\"");
  const ir::Operand& op = insn.operands[0];
  if (!op.is_tensor) {
    auto t = e.type_of(op.scalar);
    ir::DType d = t ? t->dtype : dt::kI32;
    auto [f, a] = fmt(e, e.expr_as(op.scalar, d), d);
    e.open("if (tid == 0)");
    e.line(head + ");");
    e.line("printf(\" " + f + "\\n\", " + a + ");");
    e.close();
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
  int bytes = std::max(1, d.bits / 8);
  e.reduce_ws_ = std::max<int64_t>(e.reduce_ws_, n * bytes);
  std::vector<std::string> base = e.spatial_base(l);
  std::string p = e.primary(l);
  std::string bt = ctype(d.bits < 8 ? dt::kU8 : d);
  e.open("");
  e.line("__syncthreads();");
  e.line(bt + "* const buf = (" + bt + "*)tvm_reduce_ws;");
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
  e.line(head + ");");
  auto [f, a] = fmt(e, is_packed(d) ? "(uint32_t)buf[i]" : "buf[i]", d);
  e.line("for (int i = 0; i < " + std::to_string(n) + "; ++i) printf(\" " + f + "\", " + a + ");");
  e.line("printf(\"\\n\");");
  e.close();
  e.line("__syncthreads();");
  e.close();
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
