// Layout inference (docs/ir.md, "Layout inference"): fills the layout of every register tensor
// whose layout the program leaves out. Explicit layouts are never changed.
//
// 1. Tensors that must share a layout (operands of an elementwise instruction with the
//    result's full shape, cast input and output, a view that keeps width and shape, dot's c and
//    result, in-place targets) form groups; a group takes the first explicit layout among its
//    members, in program order.
// 2. Known layouts propagate until nothing changes: a broadcast operand gets the result's layout
//    reduced over the stretched dimensions; a reduction's result gets layout::reduce of its
//    input; dot.mma fills the operands it lacks from the warp arrangement that matches the known
//    ones; dot.simt derives a and b from c (each thread holds the rows of a and the columns of
//    b that its elements of c need); a view's input gets spatial(T).local(k) when it is 1-D.
// 3. When stuck: the first dot.mma (in program order) with no known operand takes the MMA
//    layouts of the default warp arrangement (mma.h); else the first dot.simt without c takes
//    the default layout for c; else the first unknown group defined by a load or an
//    alloc.register takes the default layout (verify/mma.h: default_layout). Then step 2 again.
// 4. A group still unknown at the end is an error at its first definition.
#include <numeric>

#include "verify/checker.h"
#include "verify/mma.h"

namespace tilevm::verify {
namespace {

struct Groups {
  std::vector<int> parent;
  std::vector<std::optional<ir::RegisterLayout>> layout;
  int find(int x) { return parent[x] == x ? x : parent[x] = find(parent[x]); }
  void unite(int a, int b) {
    a = find(a), b = find(b);
    if (a == b) return;
    if (a > b) std::swap(a, b);  // the earlier definition stays the root
    parent[b] = a;
    if (!layout[a]) layout[a] = layout[b];
  }
  bool known(int x) { return layout[find(x)].has_value(); }
  const ir::RegisterLayout& get(int x) { return *layout[find(x)]; }
  bool set(int x, const ir::RegisterLayout& l) {
    if (known(x)) return false;
    layout[find(x)] = l;
    return true;
  }
};

bool free_definer(const ir::Insn* def) {
  return def && (def->op == ir::Op::kLoadGlobal || def->op == ir::Op::kLoadShared || def->op == ir::Op::kAllocRegister);
}

}  // namespace

void Checker::infer_layouts() {
  size_t n = facts_.tensors.size();
  Groups g;
  g.parent.resize(n);
  std::iota(g.parent.begin(), g.parent.end(), 0);
  g.layout.resize(n);
  for (const LayoutRule& r : rules_) {
    if (r.kind == LayoutRule::Equal) g.unite(r.a, r.b);
    if (r.kind == LayoutRule::View && !facts_.tensors[r.b].layout_explicit) g.unite(r.a, r.b);
  }
  // Each group takes the first explicit layout among its members, in program order.
  for (size_t i = 0; i < n; ++i)
    if (facts_.tensors[i].layout && !g.known(static_cast<int>(i))) g.set(static_cast<int>(i), *facts_.tensors[i].layout);
  int threads = static_cast<int>(p_.warps) * 32;
  auto propagate = [&]() {
    bool changed = false;
    for (const LayoutRule& r : rules_) {
      const TensorFacts &ta = facts_.tensors[r.a], &tb = facts_.tensors[r.b];
      switch (r.kind) {
        case LayoutRule::Broadcast:
          if (g.known(r.b) && !g.known(r.a))
            if (auto l = broadcast_operand_layout(g.get(r.b), ta.shape)) changed |= g.set(r.a, *l);
          break;
        case LayoutRule::Reduce:
          if (g.known(r.a) && !g.known(r.b)) {
            std::vector<int> dims(r.dims.begin(), r.dims.end());
            if (auto l = layout::reduce(g.get(r.a), dims, r.keepdims)) changed |= g.set(r.b, *l);
          }
          break;
        case LayoutRule::View:
          if (g.known(r.b) && !g.known(r.a) && ta.shape.size() == 1) {
            const ir::RegisterLayout& out = g.get(r.b);
            int64_t bits = int64_t{out.local_size()} * tb.dtype.bits;
            int t = out.num_threads();
            if (bits % ta.dtype.bits == 0 && ta.shape[0] == int64_t{t} * (bits / ta.dtype.bits))
              changed |= g.set(r.a, layout::compose(layout::spatial({t}), layout::local({static_cast<int>(bits / ta.dtype.bits)})));
          }
          break;
        case LayoutRule::DotSimt:
          if (g.known(r.c)) {
            auto d = simt_operand_layouts(g.get(r.c), ta.shape[1]);
            if (d && !g.known(r.a)) changed |= g.set(r.a, d->a);
            if (d && !g.known(r.b)) changed |= g.set(r.b, d->b);
          }
          break;
        case LayoutRule::DotMma: {
          bool ka = g.known(r.a), kb = g.known(r.b), kc = g.known(r.c);
          if (!(ka || kb || kc) || (ka && kb && kc)) break;
          const MmaAtom* at = find_mma_atom(ta.dtype, tb.dtype, facts_.tensors[r.c].dtype);
          if (!at) break;
          for (int wm = 1; wm <= p_.warps; ++wm) {
            auto d = mma_block_layouts(*at, ta.shape[0], tb.shape[1], ta.shape[1], static_cast<int>(p_.warps), wm);
            if (!d || (ka && !(d->a == g.get(r.a))) || (kb && !(d->b == g.get(r.b))) || (kc && !(d->c == g.get(r.c))))
              continue;
            changed |= g.set(r.a, d->a);
            changed |= g.set(r.b, d->b);
            changed |= g.set(r.c, d->c);
            break;
          }
          break;
        }
        default: break;
      }
    }
    return changed;
  };
  auto start_one = [&]() {
    for (const LayoutRule& r : rules_) {
      if (r.kind != LayoutRule::DotMma || g.known(r.a) || g.known(r.b) || g.known(r.c)) continue;
      const TensorFacts &ta = facts_.tensors[r.a], &tb = facts_.tensors[r.b];
      const MmaAtom* at = find_mma_atom(ta.dtype, tb.dtype, facts_.tensors[r.c].dtype);
      auto d = default_mma_layouts(*at, ta.shape[0], tb.shape[1], ta.shape[1], static_cast<int>(p_.warps));
      if (!d) {
        error(r.insn->loc, "no arrangement of " + std::to_string(p_.warps) + " warps tiles the dot " + dims_text(ta.shape) +
                               " x " + dims_text(tb.shape) + " with the atom " + at->name + " (" + std::to_string(at->m) +
                               "x" + std::to_string(at->n) + "x" + std::to_string(at->k) + ")");
        return false;
      }
      g.set(r.a, d->a), g.set(r.b, d->b), g.set(r.c, d->c);
      return true;
    }
    for (const LayoutRule& r : rules_)
      if (r.kind == LayoutRule::DotSimt && !g.known(r.c))
        return g.set(r.c, default_layout(threads, facts_.tensors[r.c].shape));
    for (size_t i = 0; i < n; ++i) {
      const TensorFacts& t = facts_.tensors[i];
      if (t.scope == Scope::Register && !t.poisoned && !g.known(static_cast<int>(i)) && free_definer(t.def))
        return g.set(static_cast<int>(i), default_layout(threads, t.shape));
    }
    return false;
  };
  size_t errors = diags_.error_count();
  while (true) {
    while (propagate()) {
    }
    if (!start_one()) break;
  }
  if (diags_.error_count() != errors) return;  // the reason is reported; the rest would repeat it
  for (size_t i = 0; i < n; ++i) {
    TensorFacts& t = facts_.tensors[i];
    if (t.scope != Scope::Register || t.poisoned) continue;
    if (!g.known(static_cast<int>(i))) {
      error(t.def_loc, "cannot infer a layout for %" + t.name + " " + t.dtype.name() + dims_text(t.shape) +
                           ": no operand has its shape; write it in place (out=) into a tensor with a layout");
      continue;
    }
    if (!t.layout) t.layout = g.get(static_cast<int>(i));
  }
}

void Checker::fill_layout_attrs() {
  for (auto& [insn_c, f] : facts_.insns) {
    auto* insn = const_cast<ir::Insn*>(insn_c);
    int idx = insn->info().attr_index("layout");
    if (idx < 0 || insn->attrs[idx] || insn->info().attrs[idx].kind != ir::AttrKind::RLayout) continue;
    if (insn->op == ir::Op::kView) continue;
    int id = f.out >= 0 ? f.out : f.result;
    if (id >= 0 && facts_.tensors[id].layout) insn->attrs[idx] = ir::AttrValue::of_rlayout(*facts_.tensors[id].layout);
  }
}

}  // namespace tilevm::verify
