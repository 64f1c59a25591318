// The verifier: every register layout against the rules of the instructions that use it.
#include "verify/checker.h"
#include "verify/mma.h"

namespace tilevm::verify {
namespace {

std::string show(const ir::RegisterLayout& l) { return layout::to_string(l); }

// The operand index an element `idx` of a broadcast result reads (right-aligned; extent 1 → 0).
std::vector<int> broadcast_index(const std::vector<int>& idx, const std::vector<int64_t>& op) {
  std::vector<int> r(op.size());
  size_t lead = idx.size() - op.size();
  for (size_t i = 0; i < op.size(); ++i) r[i] = op[i] == 1 ? 0 : idx[lead + i];
  return r;
}

}  // namespace

void Checker::check_layouts() {
  int threads = static_cast<int>(p_.warps) * 32;
  for (const TensorFacts& t : facts_.tensors) {
    if (t.scope != Scope::Register || t.poisoned || !t.layout) continue;
    if (t.layout->num_threads() != threads) {
      error(t.def_loc, "the layout of %" + t.name + " (" + show(*t.layout) + ") spans " +
                           std::to_string(t.layout->num_threads()) + " threads, but the block has " +
                           std::to_string(threads) + " (" + std::to_string(p_.warps) + " warps)");
    }
  }
  if (diags_.has_errors()) return;
  for (const LayoutRule& r : rules_) {
    const TensorFacts &a = facts_.tensors[r.a], &b = facts_.tensors[r.b];
    if (a.poisoned || b.poisoned || !a.layout || !b.layout) continue;
    const ir::Insn& insn = *r.insn;
    const std::string& mn = insn.info().mnemonic;
    switch (r.kind) {
      case LayoutRule::Equal:
        if (!(*a.layout == *b.layout)) {
          error(insn.loc, "'" + mn + "' needs %" + a.name + " and %" + b.name + " in one layout, but they are " +
                              show(*a.layout) + " and " + show(*b.layout));
          note(a.def_loc, "%" + a.name + " is defined here");
        }
        break;
      case LayoutRule::Broadcast: {
        const ir::RegisterLayout& lr = *b.layout;
        // The derived layout is right by construction; anything else is checked element by element.
        auto derived = broadcast_operand_layout(lr, a.shape);
        if (derived && *derived == *a.layout) break;
        bool ok = true;
        for (int t = 0; t < lr.num_threads() && ok; ++t)
          for (int s = 0; s < lr.local_size() && ok; ++s) {
            auto idx = broadcast_index(lr.index_of(t, s), a.shape);
            if (!a.layout->holds(t, idx)) {
              error(insn.loc, "'" + mn + "' broadcasts %" + a.name + " (" + show(*a.layout) + "), but thread " +
                                  std::to_string(t) + " does not hold the element " + dims_text({idx.begin(), idx.end()}) +
                                  " it needs for the result (" + show(lr) + ")");
              ok = false;
            }
          }
        break;
      }
      case LayoutRule::Reduce: {
        std::vector<int> dims(r.dims.begin(), r.dims.end());
        auto want = layout::reduce(*a.layout, dims, r.keepdims);
        if (want && !(*want == *b.layout))
          error(insn.loc, "the result of '" + mn + "' is laid out as " + show(*want) + ", but out=%" + b.name + " has " +
                              show(*b.layout));
        break;
      }
      case LayoutRule::View: {
        int64_t ba = int64_t{a.layout->local_size()} * a.dtype.bits, bb = int64_t{b.layout->local_size()} * b.dtype.bits;
        if (a.layout->num_threads() != b.layout->num_threads() || ba != bb)
          error(insn.loc, "illegal view: %" + a.name + " holds " + std::to_string(ba) + " bits in each of " +
                              std::to_string(a.layout->num_threads()) + " threads, but the result would hold " +
                              std::to_string(bb) + " bits in each of " + std::to_string(b.layout->num_threads()) +
                              " threads");
        break;
      }
      case LayoutRule::DotSimt: {
        const TensorFacts& c = facts_.tensors[r.c];
        if (!c.layout) break;
        int k = static_cast<int>(a.shape[1]);
        const ir::RegisterLayout& lc = *c.layout;
        auto derived = simt_operand_layouts(lc, k);
        if (derived && derived->a == *a.layout && derived->b == *b.layout) break;
        bool ok = true;
        for (int t = 0; t < lc.num_threads() && ok; ++t)
          for (int s = 0; s < lc.local_size() && ok; ++s) {
            auto ij = lc.index_of(t, s);
            for (int kk = 0; kk < k && ok; ++kk) {
              if (!a.layout->holds(t, {ij[0], kk}) || !b.layout->holds(t, {kk, ij[1]})) {
                error(insn.loc, "'dot.simt': thread " + std::to_string(t) + " computes c[" + std::to_string(ij[0]) + ", " +
                                    std::to_string(ij[1]) + "] but does not hold " +
                                    (!a.layout->holds(t, {ij[0], kk}) ? "a[" + std::to_string(ij[0]) + ", " + std::to_string(kk) + "]"
                                                                      : "b[" + std::to_string(kk) + ", " + std::to_string(ij[1]) + "]"));
                ok = false;
              }
            }
          }
        break;
      }
      case LayoutRule::DotMma: {
        const TensorFacts& c = facts_.tensors[r.c];
        if (!c.layout) break;
        const MmaAtom* at = find_mma_atom(a.dtype, b.dtype, c.dtype);
        auto oa = layout::divide(*a.layout, at->la);
        auto ob = layout::divide(*b.layout, at->lb);
        auto oc = layout::divide(*c.layout, at->lc);
        const char* which = !oa ? "a" : !ob ? "b" : !oc ? "c" : nullptr;
        if (which) {
          const TensorFacts& t = !oa ? a : !ob ? b : c;
          const ir::RegisterLayout& atom_l = !oa ? at->la : !ob ? at->lb : at->lc;
          error(insn.loc, std::string("the layout of operand ") + which + " (%" + t.name + ": " + show(*t.layout) +
                              ") is not a tiling of the " + at->name + " fragment " + show(atom_l));
          note(t.def_loc, "%" + t.name + " is defined here");
          break;
        }
        // Every warp must hold the A rows and B columns of the C tiles it computes.
        bool ok = oa->num_threads() == oc->num_threads() && ob->num_threads() == oc->num_threads();
        if (!ok)
          error(insn.loc, "the operand layouts of 'dot.mma' do not fit one warp arrangement: a, b and c are spread over " +
                              std::to_string(oa->num_threads()) + ", " + std::to_string(ob->num_threads()) + " and " +
                              std::to_string(oc->num_threads()) + " warps");
        int kt = static_cast<int>(a.shape[1] / at->k);
        for (int w = 0; w < oc->num_threads() && ok; ++w)
          for (int s = 0; s < oc->local_size() && ok; ++s) {
            auto ij = oc->index_of(w, s);
            for (int kk = 0; kk < kt && ok; ++kk)
              if (!oa->holds(w, {ij[0], kk}) || !ob->holds(w, {kk, ij[1]})) {
                error(insn.loc, "the operand layouts of 'dot.mma' do not fit one warp arrangement: warp " + std::to_string(w) +
                                    " computes the C tile (" + std::to_string(ij[0]) + ", " + std::to_string(ij[1]) +
                                    ") but lacks a tile of A or B it needs");
                ok = false;
              }
          }
        break;
      }
    }
  }
}

}  // namespace tilevm::verify
