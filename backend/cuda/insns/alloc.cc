// alloc.register / alloc.shared / alloc.global / free.shared / view.global: storage and views.
// Shared memory is planned statically in program order: first fit among released ranges, else
// the top, 128-byte aligned; the peak becomes the launch's dynamic shared memory.
#include <cstring>

#include "backend/cuda/emit_internal.h"
#include "dtype/convert.h"

namespace tilevm::cuda {
namespace {

// The code of an init literal for a non-native dtype, converted exactly at generation time.
uint64_t literal_code(const ir::ExprPtr& v, const ir::DType& d) {
  if (v->kind == ir::ExprKind::Float) {
    uint64_t bits;
    std::memcpy(&bits, &v->float_value, 8);
    return dt::convert(bits, dt::kF64, d);
  }
  return dt::convert(static_cast<uint64_t>(v->int_value), dt::kI64, d);
}

void alloc_register(Emitter& e, const ir::Insn& insn) {
  TVar& t = e.produced(insn);
  e.declare_register(t);
  const ir::AttrValue* init = insn.attr("init");
  if (!init) return;
  const ir::DType& d = t.f->dtype;
  int n = t.f->layout->local_size();
  std::string v = is_native(d) ? e.expr_as(init->expr, d) : std::to_string(literal_code(init->expr, d)) + "u";
  if (!is_native(d) && !is_packed(d)) v = "(" + ctype(d) + ")" + v;
  e.line("#pragma unroll");
  if (is_packed(d))
    e.line("for (int i = 0; i < " + std::to_string(n) + "; ++i) tvm_set_bits(" + t.c + ", i * " +
           std::to_string(d.bits) + ", " + std::to_string(d.bits) + ", " + v + ");");
  else
    e.line("for (int i = 0; i < " + std::to_string(n) + "; ++i) " + t.c + "[i] = " + v + ";");
}

int64_t place_shared(Emitter& e, int64_t bytes) {
  bytes = (bytes + 127) / 128 * 128;
  for (auto it = e.smem_free_.begin(); it != e.smem_free_.end(); ++it) {
    if (it->second < bytes) continue;
    int64_t at = it->first;
    if (it->second == bytes) e.smem_free_.erase(it);
    else *it = {at + bytes, it->second - bytes};
    return at;
  }
  int64_t at = e.smem_top_;
  e.smem_top_ += bytes;
  e.smem_peak_ = std::max(e.smem_peak_, e.smem_top_);
  return at;
}

// Emits `auto NAME_off = [](int i0, ...) { ... }`: the element offset of a logical index in
// the shared layout (modes, strides, swizzle).
void shared_offset_fn(Emitter& e, const TVar& t, const layout::SharedLayout& s) {
  std::string params, sum;
  auto groups = ir::RegisterLayout{s.shape, s.mode_shape, {}, {}}.mode_groups();
  for (size_t d = 0; d < s.shape.size(); ++d) {
    params += (d ? ", int i" : "int i") + std::to_string(d);
    int below = 1;
    for (size_t k = groups[d].size(); k-- > 0;) {
      int m = groups[d][k];
      std::string term = "i" + std::to_string(d);
      if (below > 1) term = "(" + term + " / " + std::to_string(below) + ")";
      if (k > 0) term = "(" + term + " % " + std::to_string(s.mode_shape[m]) + ")";
      if (s.mode_strides[m] != 1) term += " * " + std::to_string(s.mode_strides[m]);
      if (s.mode_strides[m] != 0) sum = sum.empty() ? term : sum + " + " + term;
      below *= s.mode_shape[m];
    }
  }
  if (sum.empty()) sum = "0";
  std::string body = "int x = " + sum + ";";
  if (s.swizzle) {
    const layout::Swizzle& z = *s.swizzle;
    int mask = (1 << z.bits) - 1;
    if (z.shift >= 0)
      body += " x ^= (x & " + std::to_string(mask << (z.base + z.shift)) + ") >> " + std::to_string(z.shift) + ";";
    else
      body += " x ^= (x & " + std::to_string(mask << z.base) + ") << " + std::to_string(-z.shift) + ";";
  }
  e.line("auto " + t.c + "_off = [](" + params + ") { " + body + " return x; };  // " + layout::to_string(s));
}

}  // namespace

layout::SharedLayout shared_layout_of(const TVar& t) {
  if (t.f->shared_layout) return *t.f->shared_layout;
  std::vector<int> shape(t.f->shape.begin(), t.f->shape.end());
  return layout::shared_row_major(shape);
}

void emit_alloc(Emitter& e, const ir::Insn& insn) {
  switch (insn.op) {
    case ir::Op::kAllocRegister: alloc_register(e, insn); return;
    case ir::Op::kAllocShared: {
      TVar& t = e.produced(insn);
      layout::SharedLayout s = shared_layout_of(t);
      t.smem = place_shared(e, s.storage_bytes(t.f->dtype.bits));
      std::string ty = is_packed(t.f->dtype) ? "uint8_t" : ctype(t.f->dtype);
      e.line(ty + "* const " + t.c + " = (" + ty + "*)(tvm_smem + " + std::to_string(t.smem) + ");");
      shared_offset_fn(e, t, s);
      return;
    }
    case ir::Op::kFreeShared: {
      TVar& t = e.operand(insn, 0);
      layout::SharedLayout s = shared_layout_of(t);
      int64_t bytes = (s.storage_bytes(t.f->dtype.bits) + 127) / 128 * 128;
      if (t.smem + bytes == e.smem_top_) e.smem_top_ = t.smem;
      else e.smem_free_.emplace_back(t.smem, bytes);
      e.line("// shared bytes [" + std::to_string(t.smem) + ", " + std::to_string(t.smem + bytes) + ") released");
      return;
    }
    case ir::Op::kAllocGlobal:
    case ir::Op::kViewGlobal: {
      TVar& t = e.produced(insn);
      std::string ty = is_packed(t.f->dtype) ? "uint8_t" : ctype(t.f->dtype);
      std::vector<ir::ExprPtr> shape = insn.attr("shape")->exprs;
      if (insn.op == ir::Op::kAllocGlobal) {
        int i = static_cast<int>(e.workspaces_.size());
        const ir::AttrValue* clean = insn.attr("clean");
        e.workspaces_.push_back({t.f->name, t.f->dtype, shape, clean && clean->bool_value});
        t.ptr = t.c;
        e.line(ty + "* const " + t.c + " = tvm_ws_" + std::to_string(i) + ";");
      } else {
        t.ptr = t.c;
        e.line(ty + "* const " + t.c + " = (" + ty + "*)" + e.expr(insn.operands[0].scalar) + ";");
      }
      const ir::AttrValue* strides = insn.op == ir::Op::kViewGlobal ? insn.attr("strides") : nullptr;
      size_t r = shape.size();
      t.shape.resize(r);
      t.stride.resize(r);
      for (size_t d = 0; d < r; ++d) {
        t.shape[d] = t.c + "_n" + std::to_string(d);
        e.line("const int64_t " + t.shape[d] + " = (int64_t)" + e.expr(shape[d]) + ";");
      }
      for (size_t d = r; d-- > 0;) {
        t.stride[d] = t.c + "_s" + std::to_string(d);
        std::string v = strides ? "(int64_t)" + e.expr(strides->exprs[d])
                        : d + 1 == r ? "1"
                                     : t.shape[d + 1] + " * " + t.stride[d + 1];
        e.line("const int64_t " + t.stride[d] + " = " + v + ";");
      }
      t.unit_last = !strides || (strides->exprs.back()->kind == ir::ExprKind::Int && strides->exprs.back()->int_value == 1);
      if (r > 0) e.line("(void)" + t.c + "_n0; (void)" + t.c + "_s0;");
      return;
    }
    default: break;
  }
}

}  // namespace tilevm::cuda
