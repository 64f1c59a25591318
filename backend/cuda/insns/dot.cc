// dot.simt: each result element is c + a[i,0]*b[0,j] + ... as a chain of fused multiply-adds in
// increasing k, in c's dtype (a and b converted exactly first). dot.mma: the operand layouts are
// (warp arrangement) ∘ (mma.sync atom); for each C fragment of the warp, the k-chunks are issued
// in increasing k, each mma.sync accumulating into the fragment (docs/emulator.md's order).
#include "backend/cuda/emit_internal.h"
#include "verify/mma.h"

namespace tilevm::cuda {
namespace {

// For each (c slot, k): the slot of a (or b) holding the element that c's slot needs; -1 when
// that slot differs between threads.
std::vector<std::vector<int>> operand_slots(const ir::RegisterLayout& lc, const ir::RegisterLayout& lx, int k, bool is_a) {
  int n = lc.local_size();
  std::vector<std::vector<int>> out(n, std::vector<int>(k, -2));
  for (int t = 0; t < lc.num_threads(); ++t)
    for (int s = 0; s < n; ++s) {
      std::vector<int> g = lc.index_of(t, s);
      for (int kk = 0; kk < k; ++kk) {
        std::vector<int> idx = is_a ? std::vector<int>{g[0], kk} : std::vector<int>{kk, g[1]};
        int slot = lx.holds(t, idx) ? lx.slot_of(idx) : -1;
        if (out[s][kk] == -2) out[s][kk] = slot;
        else if (out[s][kk] != slot) out[s][kk] = -1;
        if (slot < 0) return {};
      }
    }
  for (auto& r : out)
    for (int x : r)
      if (x < 0) return {};
  return out;
}

void dot_simt(Emitter& e, const ir::Insn& insn, TVar& a, TVar& b, TVar& c, TVar& d) {
  const ir::RegisterLayout& ld = *d.f->layout;
  int k = static_cast<int>(a.f->shape[1]);
  auto sa = operand_slots(ld, *a.f->layout, k, true), sb = operand_slots(ld, *b.f->layout, k, false);
  if (sa.empty() || sb.empty()) {
    e.fail(insn.loc, "the CUDA backend needs every thread to hold, at fixed slots, the rows of a and columns of b its "
                     "elements of c use");
    return;
  }
  const ir::DType& t = d.f->dtype;
  for (int s = 0; s < ld.local_size(); ++s) {
    std::string acc = e.get(c, s);
    for (int kk = 0; kk < k; ++kk)
      acc = "tvm_fma(" + e.convert(e.get(a, sa[s][kk]), a.f->dtype, t) + ", " + e.convert(e.get(b, sb[s][kk]), b.f->dtype, t) +
            ", " + acc + ")";
    e.line(e.set(d, s, acc));
  }
}

// The PTX name of an mma operand type; `ab`: an A/B operand (f32 there means tf32).
std::string ptx_type(const ir::DType& d, bool ab = false) {
  if (ab && d == dt::kF32) return "tf32";
  if (d == dt::int_type(4, true)) return "s4";
  if (d == dt::int_type(4, false)) return "u4";
  if (d == dt::kF16) return "f16";
  if (d == dt::kBF16) return "bf16";
  if (d == dt::kF32) return "f32";
  if (d == dt::kI32) return "s32";
  if (d == dt::kI8) return "s8";
  if (d == dt::kU8) return "u8";
  if (d == dt::int_type(4, true)) return "s4";  // PTX spells signed 4-bit integers .s4
  if (d == dt::kF8E4M3) return "e4m3";
  if (d == dt::kF8E5M2) return "e5m2";
  return d.name();
}

// Defines tvm_<atom>(c, a, b): one mma.sync accumulating into the C fragment c.
std::string mma_fn(Emitter& e, const verify::MmaAtom& at) {
  std::string name = "tvm_mma_m" + std::to_string(at.m) + "n" + std::to_string(at.n) + "k" + std::to_string(at.k) + "_" +
                     ptx_type(at.c) + "_" + ptx_type(at.a, true);
  if (!e.global_names_.insert(name).second) return name;
  int ra = at.m * at.k * at.a.bits / 1024, rb = at.k * at.n * at.b.bits / 1024, rc = at.m * at.n * at.c.bits / 1024;
  bool f32 = at.c == dt::kF32;
  std::string ct = f32 ? "float" : "uint32_t", cc = f32 ? "+f" : "+r";
  std::string ops, cons;
  int i = 0;
  auto list = [&](int n) {
    std::string s = "{";
    for (int j = 0; j < n; ++j) s += (j ? ",%" : "%") + std::to_string(i++);
    return s + "}";
  };
  std::string c = list(rc), a = list(ra), b = list(rb);
  for (int j = 0; j < rc; ++j) cons += (j ? ", " : "") + std::string("\"") + cc + "\"(c[" + std::to_string(j) + "])";
  std::string in;
  for (int j = 0; j < ra; ++j) in += (in.empty() ? "" : ", ") + std::string("\"r\"(a[") + std::to_string(j) + "])";
  for (int j = 0; j < rb; ++j) in += ", \"r\"(b[" + std::to_string(j) + "])";
  std::string shape = "m" + std::to_string(at.m) + "n" + std::to_string(at.n) + "k" + std::to_string(at.k);
  std::string types = ptx_type(at.c) + "." + ptx_type(at.a, true) + "." + ptx_type(at.b, true) + "." + ptx_type(at.c);
  e.globals_.push_back("TVM_D void " + name + "(" + ct + "* c, const uint32_t* a, const uint32_t* b) {\n  asm volatile(\"mma.sync.aligned." +
                       shape + ".row.col." + types + " " + c + ", " + a + ", " + b + ", " + c + ";\\n\"\n               : " +
                       cons + "\n               : " + in + ");\n}");
  return name;
}

void dot_mma(Emitter& e, const ir::Insn& insn, TVar& a, TVar& b, TVar& c, TVar& d) {
  const verify::MmaAtom* at = verify::find_mma_atom(a.f->dtype, b.f->dtype, d.f->dtype);
  auto oa = at ? layout::divide(*a.f->layout, at->la) : Expected<ir::RegisterLayout>(fail("no atom"));
  auto ob = at ? layout::divide(*b.f->layout, at->lb) : Expected<ir::RegisterLayout>(fail("no atom"));
  auto oc = at ? layout::divide(*d.f->layout, at->lc) : Expected<ir::RegisterLayout>(fail("no atom"));
  if (!oa || !ob || !oc || oc->num_threads() * 32 != e.threads_) {
    e.fail(insn.loc, "the CUDA backend needs dot.mma operand layouts that are warp arrangements of the mma.sync atom");
    return;
  }
  int rk = static_cast<int>(a.f->shape[1] / at->k);
  // For each C fragment (outer slot of c, the same in every warp), the A and B fragments of each k-chunk.
  auto slots = [&](const ir::RegisterLayout& outer_c, const ir::RegisterLayout& outer_x, bool is_a) {
    return operand_slots(outer_c, outer_x, rk, is_a);
  };
  auto fa = slots(*oc, *oa, true), fb = slots(*oc, *ob, false);
  if (fa.empty() || fb.empty()) {
    e.fail(insn.loc, "the CUDA backend needs each warp to hold the A rows and B columns of its C fragments");
    return;
  }
  bool fp8 = at->a == dt::kF8E4M3 || at->a == dt::kF8E5M2 || at->b == dt::kF8E4M3 || at->b == dt::kF8E5M2;
  if (fp8 && e.opt_.arch < 89) {
    e.fail(insn.loc, "fp8 mma.sync needs sm_89 or newer (generating for sm_" + std::to_string(e.opt_.arch) + ")");
    return;
  }
  std::string fn = mma_fn(e, *at);
  int na = at->la.local_size(), nb = at->lb.local_size(), nc = at->lc.local_size();
  std::string ct = d.f->dtype == dt::kF32 ? "float" : "uint32_t";
  // The array element where a fragment starts (packed sub-byte operands: its 32-bit word).
  auto at_slot = [](const TVar& t, int slot) {
    int i = is_packed(t.f->dtype) ? slot * t.f->dtype.bits / 32 : slot;
    return "&" + t.c + "[" + std::to_string(i) + "]";
  };
  for (int f = 0; f < oc->local_size(); ++f)
    for (int kk = 0; kk < rk; ++kk)
      e.line(fn + "(reinterpret_cast<" + ct + "*>(" + at_slot(d, f * nc) + "), reinterpret_cast<const uint32_t*>(" +
             at_slot(a, fa[f][kk] * na) + "), reinterpret_cast<const uint32_t*>(" + at_slot(b, fb[f][kk] * nb) + "));");
}

}  // namespace

void emit_dot(Emitter& e, const ir::Insn& insn) {
  TVar& a = e.operand(insn, 0);
  TVar& b = e.operand(insn, 1);
  TVar& c = e.operand(insn, 2);
  TVar& d = e.produced(insn);
  if (!e.in_place(insn)) {
    e.declare_register(d);
    e.line("#pragma unroll");
    e.line("for (int i = 0; i < " + std::to_string(storage_len(d.f->dtype, d.f->layout->local_size())) + "; ++i) " + d.c +
           "[i] = " + c.c + "[i];");
  } else if (&d != &c) {
    e.line("#pragma unroll");
    e.line("for (int i = 0; i < " + std::to_string(storage_len(d.f->dtype, d.f->layout->local_size())) + "; ++i) " + d.c +
           "[i] = " + c.c + "[i];");
  }
  if (insn.op == ir::Op::kDotSimt) {
    // the accumulator now lives in d
    dot_simt(e, insn, a, b, d, d);
  } else {
    dot_mma(e, insn, a, b, c, d);
  }
}

}  // namespace tilevm::cuda
