// reduce.sum/max/min/and/or in the fixed order of docs/emulator.md: (1) each thread folds the
// input slots of each result element in increasing slot order, starting from the first one;
// (2) lanes combine by butterfly over the reduced lane bits in increasing bit order, each thread
// computing op(its value, its partner's value); (3) when reduced
// modes span warps, the per-thread partials go through shared memory and every thread folds the
// partials of the threads that differ from it only in the reduced warp bits, in increasing
// thread order.
#include <algorithm>

#include "backend/cuda/emit_internal.h"

namespace tilevm::cuda {
namespace {

std::string op_fn(ir::Op op) {
  switch (op) {
    case ir::Op::kReduceSum: return "tvm_add";
    case ir::Op::kReduceMax: return "tvm_max";
    case ir::Op::kReduceMin: return "tvm_min";
    case ir::Op::kReduceAnd: return "tvm_and";
    default: return "tvm_or";
  }
}

}  // namespace

void emit_reduce(Emitter& e, const ir::Insn& insn) {
  TVar& in = e.operand(insn, 0);
  TVar& out = e.produced(insn);
  const ir::RegisterLayout &li = *in.f->layout, &lo = *out.f->layout;
  std::vector<int64_t> dims = insn.attr("dims")->ints;
  const ir::AttrValue* kd = insn.attr("keepdims");
  bool keep = kd && kd->bool_value;
  std::vector<bool> reduced(li.rank(), false);
  for (int64_t d : dims) reduced[d] = true;
  // (1) which input slots feed which output slot (the same in every thread: checked).
  int ni = li.local_size(), no = lo.local_size();
  std::vector<std::vector<int>> feeds(no);
  for (int t = 0; t < li.num_threads(); ++t) {
    std::vector<std::vector<int>> f(no);
    for (int s = 0; s < ni; ++s) {
      std::vector<int> g = li.index_of(t, s), o;
      for (int d = 0; d < li.rank(); ++d) {
        if (!reduced[d]) o.push_back(g[d]);
        else if (keep) o.push_back(0);
      }
      f[lo.slot_of(o)].push_back(s);
    }
    if (t == 0) feeds = f;
    else if (f != feeds) {
      e.fail(insn.loc, "the CUDA backend cannot reduce layout " + layout::to_string(li) + ": threads fold different slots");
      return;
    }
  }
  // (2)/(3) the thread bits of reduced spatial modes.
  std::vector<int> sizes = li.spatial_shape();
  auto groups = li.mode_groups();
  std::vector<int> mode_dim(li.mode_shape.size());
  for (size_t d = 0; d < groups.size(); ++d)
    for (int m : groups[d]) mode_dim[m] = static_cast<int>(d);
  std::vector<int> bits;
  int tstride = 1;
  for (size_t k = sizes.size(); k-- > 0;) {
    int m = li.spatial_modes[k];
    if (m >= 0 && reduced[mode_dim[m]]) {
      if (sizes[k] & (sizes[k] - 1) || tstride & (tstride - 1)) {
        e.fail(insn.loc, "the CUDA backend reduces over thread modes of power-of-two sizes only; layout " +
                             layout::to_string(li) + " has one of " + std::to_string(sizes[k]));
        return;
      }
      for (int b = 0; (1 << b) < sizes[k]; ++b) bits.push_back(__builtin_ctz(tstride) + b);
    }
    tstride *= sizes[k];
  }
  std::sort(bits.begin(), bits.end());
  if (!e.in_place(insn)) e.declare_register(out);
  std::string fn = logical_if_bool(op_fn(insn.op), in.f->dtype), ty = ctype(out.f->dtype);
  for (int so = 0; so < no; ++so) {
    std::string acc = e.get(in, feeds[so][0]);
    for (size_t i = 1; i < feeds[so].size(); ++i) acc = fn + "(" + acc + ", " + e.get(in, feeds[so][i]) + ")";
    e.line(e.set(out, so, acc));
  }
  std::vector<int> warp_bits;
  for (int b : bits) {
    if (b >= 5) {
      warp_bits.push_back(b);
      continue;
    }
    std::string m = std::to_string(1 << b);
    e.line("#pragma unroll");
    e.open("for (int i = 0; i < " + std::to_string(no) + "; ++i)");
    e.line("const " + ty + " o = tvm_shfl_xor(" + out.c + "[i], " + m + ");");
    e.line(out.c + "[i] = " + fn + "(" + out.c + "[i], o);");
    e.close();
  }
  if (warp_bits.empty()) return;
  int bytes = out.f->dtype.bits / 8;
  e.reduce_ws_ = std::max<int64_t>(e.reduce_ws_, int64_t{e.threads_} * no * bytes);
  int mask = 0;
  for (int b : warp_bits) mask |= 1 << b;
  e.open("");
  e.line(ty + "* const part = (" + ty + "*)tvm_reduce_ws;");
  e.line("__syncthreads();");
  e.line("for (int i = 0; i < " + std::to_string(no) + "; ++i) part[i * " + std::to_string(e.threads_) + " + tid] = " +
         out.c + "[i];");
  e.line("__syncthreads();");
  e.line("const int t0 = tid & ~" + std::to_string(mask) + ";");
  e.line("#pragma unroll");
  e.open("for (int i = 0; i < " + std::to_string(no) + "; ++i)");
  // Combinations of the warp bits in increasing thread order.
  int combos = 1 << warp_bits.size();
  for (int c = 0; c < combos; ++c) {
    int t = 0;
    for (size_t k = 0; k < warp_bits.size(); ++k)
      if (c >> k & 1) t |= 1 << warp_bits[k];
    std::string v = "part[i * " + std::to_string(e.threads_) + " + (t0 | " + std::to_string(t) + ")]";
    e.line(out.c + "[i] = " + (c == 0 ? v : fn + "(" + out.c + "[i], " + v + ")") + ";");
  }
  e.close();
  e.close();
}

}  // namespace tilevm::cuda
