// load.global / store.global / load.shared / store.shared. Global accesses move runs of
// consecutive slots that are consecutive in memory as one vector (up to 16 bytes), checked at
// run time for bounds and alignment (falling back to masked elements); shared accesses are
// vectorised when the offsets are compile-time constants and every thread's run is contiguous
// and aligned, and use ldmatrix when the register layout tiles the ldmatrix atom.
#include <numeric>

#include "backend/cuda/emit_internal.h"
#include "layout/atoms.h"

namespace tilevm::cuda {
namespace {

// A tile of a memory tensor, moved to or from a register tensor.
struct Tile {
  TVar* mem = nullptr;
  TVar* reg = nullptr;
  const ir::RegisterLayout* l = nullptr;
  std::vector<std::string> off;      // per memory dim, C expressions
  std::vector<int64_t> off_const;    // per memory dim, when every offset is a literal
  bool const_off = true;
  std::vector<int> dims;             // tile dim -> memory dim
  std::vector<int> tile_of;          // memory dim -> tile dim or -1
  std::vector<std::string> base;     // tile dims: thread part of the index
};

size_t mem_rank(const TVar& m) {
  return m.f->scope == verify::Scope::Global ? m.f->global_shape.size() : m.f->shape.size();
}

Tile make_tile(Emitter& e, const ir::Insn& insn, TVar& mem, TVar& reg) {
  Tile t;
  t.mem = &mem;
  t.reg = &reg;
  t.l = &*reg.f->layout;
  size_t r = mem_rank(mem), tr = reg.f->shape.size();
  const ir::AttrValue* off = insn.attr("offset");
  for (size_t d = 0; d < r; ++d) {
    if (off && off->exprs[d]->kind != ir::ExprKind::Int) t.const_off = false;
    t.off_const.push_back(off && off->exprs[d]->kind == ir::ExprKind::Int ? off->exprs[d]->int_value : 0);
    t.off.push_back(off ? e.expr_as(off->exprs[d], dt::kI64) : "0");
  }
  if (const ir::AttrValue* dm = insn.attr("dims")) {
    for (int64_t x : dm->ints) t.dims.push_back(static_cast<int>(x));
  } else {
    for (size_t i = r - tr; i < r; ++i) t.dims.push_back(static_cast<int>(i));
  }
  t.tile_of.assign(r, -1);
  for (size_t i = 0; i < t.dims.size(); ++i) t.tile_of[t.dims[i]] = static_cast<int>(i);
  t.base = e.spatial_base(*t.l);
  return t;
}

// C expression of memory dim d's index for `slot`.
std::string index_expr(const Tile& t, int d, int slot) {
  int td = t.tile_of[d];
  if (td < 0) return t.off[d];
  int c = t.l->index_of(0, slot)[td];
  std::string s = t.off[d] == "0" ? t.base[td] : t.off[d] + " + " + t.base[td];
  return c ? s + " + " + std::to_string(c) : s;
}

// The widest run V (a power of two, at most 16 bytes) such that each aligned group of V slots is
// V consecutive elements along the tile dim `td` (and constant along the others).
int run_width(const ir::RegisterLayout& l, int td, int elem_bytes) {
  int n = l.local_size();
  for (int v = std::min(16 / std::max(1, elem_bytes), n); v > 1; v /= 2) {
    if (n % v) continue;
    bool ok = true;
    for (int s = 0; s < n && ok; s += v) {
      std::vector<int> a = l.index_of(0, s);
      for (int j = 1; j < v && ok; ++j) {
        std::vector<int> b = l.index_of(0, s + j);
        for (size_t d = 0; d < a.size(); ++d) ok &= b[d] == a[d] + (static_cast<int>(d) == td ? j : 0);
      }
    }
    if (ok) return v;
  }
  return 1;
}

void global_access(Emitter& e, const Tile& t, bool load, const std::string& guard) {
  const TVar& m = *t.mem;
  const ir::DType& d = m.f->dtype;
  int r = static_cast<int>(t.off.size()), n = t.l->local_size();
  if (is_packed(d)) {
    for (int s = 0; s < n; ++s) {
      std::string lin = "0", ok = guard.empty() ? "true" : guard;
      for (int k = 0; k < r; ++k) {
        std::string x = "(" + index_expr(t, k, s) + ")";
        lin += " + " + x + " * " + m.stride[k];
        ok += " && " + x + " >= 0 && " + x + " < " + m.shape[k];
      }
      std::string pos = std::to_string(s * d.bits), bits = std::to_string(d.bits);
      if (load)
        e.line("tvm_set_bits(" + t.reg->c + ", " + pos + ", " + bits + ", (" + ok + ") ? tvm_mem_get_bits(" + m.ptr +
               ", " + lin + ", " + bits + ") : 0u);");
      else
        e.line("if (" + ok + ") tvm_mem_set_bits(" + m.ptr + ", " + lin + ", " + bits + ", " + e.get(*t.reg, s) + ");");
    }
    return;
  }
  int last = r - 1;
  int td = r > 0 ? t.tile_of[last] : -1;
  int v = (td >= 0 && m.unit_last) ? run_width(*t.l, td, d.bits / 8) : 1;
  std::string ty = ctype(d);
  for (int s = 0; s < n; s += v) {
    std::string row = m.ptr, ok = guard.empty() ? "" : guard;
    if (last > 0) e.open("");
    for (int k = 0; k < last; ++k) {
      std::string x = "x" + std::to_string(k);
      e.line("const int64_t " + x + " = " + index_expr(t, k, s) + ";");
      row += " + " + x + " * " + m.stride[k];
      ok += (ok.empty() ? "" : " && ") + x + " >= 0 && " + x + " < " + m.shape[k];
    }
    std::string i = r > 0 ? index_expr(t, last, s) : "0", extent = r > 0 ? m.shape[last] : "1";
    if (r > 0 && !m.unit_last) {
      row += " + (" + i + ") * " + m.stride[last];
      ok += (ok.empty() ? "" : " && ") + std::string("(") + i + ") >= 0 && (" + i + ") < " + extent;
      i = "0", extent = "1";
    }
    std::string fn = std::string(load ? "tvm_load_vec<" : "tvm_store_vec<") + ty + ", " + std::to_string(v) + ">(";
    std::string regp = "&" + t.reg->c + "[" + std::to_string(s) + "]";
    e.line(fn + (load ? regp + ", " + row : row + ", " + regp) + ", " + i + ", " + extent + ", " +
           (ok.empty() ? "true" : ok) + ");" + (v > 1 ? "  // slots " + std::to_string(s) + ".." + std::to_string(s + v - 1) : ""));
    if (last > 0) e.close();
  }
}

// Element offsets in shared memory of every (thread, slot), when the offsets are constants.
std::vector<std::vector<int64_t>> shared_offsets(Emitter& e, const Tile& t) {
  layout::SharedLayout s = shared_layout_of(*t.mem);
  int n = t.l->local_size(), r = static_cast<int>(t.off.size());
  std::vector<std::vector<int64_t>> out(e.threads_, std::vector<int64_t>(n));
  std::vector<int> idx(r);
  for (int th = 0; th < e.threads_; ++th)
    for (int sl = 0; sl < n; ++sl) {
      std::vector<int> g = t.l->index_of(th % t.l->num_threads(), sl);
      for (int k = 0; k < r; ++k)
        idx[k] = static_cast<int>(t.off_const[k] + (t.tile_of[k] >= 0 ? g[t.tile_of[k]] : 0));
      out[th][sl] = s.element_offset(idx);
    }
  return out;
}

std::string shared_ref(const Tile& t, int slot) {
  std::string args;
  for (size_t k = 0; k < t.off.size(); ++k) args += (k ? ", " : "") + index_expr(t, static_cast<int>(k), slot);
  return t.mem->c + "[" + t.mem->c + "_off(" + args + ")]";
}

const char* vec_type(int bytes) {
  return bytes == 16 ? "uint4" : bytes == 8 ? "uint2" : bytes == 4 ? "uint32_t" : bytes == 2 ? "uint16_t" : "uint8_t";
}

// ldmatrix for a 16-bit tile whose layout is (outer layout over warps) ∘ (ldmatrix x1 atom).
bool try_ldmatrix(Emitter& e, const Tile& t) {
  const ir::DType& d = t.mem->f->dtype;
  if (d.bits != 16 || t.l->rank() != 2 || !t.const_off || t.l->num_threads() != e.threads_) return false;
  for (bool trans : {false, true}) {
    const layout::LdmatrixAtom* atom = layout::find_ldmatrix_atom(1, trans);
    auto outer = layout::divide(*t.l, atom->layout);
    if (!outer || outer->num_threads() * 32 != e.threads_) continue;
    layout::SharedLayout s = shared_layout_of(*t.mem);
    int on = outer->local_size();
    int num = std::gcd(on, 4);
    int r = static_cast<int>(t.off.size());
    auto mem_index = [&](int w, int o, int row, int col) {
      std::vector<int> g = outer->index_of(w, o);
      std::vector<int> idx(r);
      for (int k = 0; k < r; ++k) {
        int td = t.tile_of[k];
        int v = td < 0 ? 0 : g[td] * 8 + (td == 0 ? row : col);
        idx[k] = static_cast<int>(t.off_const[k] + v);
      }
      return idx;
    };
    bool ok = true;
    for (int w = 0; w < outer->num_threads() && ok; ++w)
      for (int o = 0; o < on && ok; ++o)
        for (int row = 0; row < 8 && ok; ++row) {
          int64_t first = s.element_offset(mem_index(w, o, row, 0));
          ok &= (first * 2) % 16 == 0;
          for (int c = 1; c < 8 && ok; ++c) ok &= s.element_offset(mem_index(w, o, row, c)) == first + c;
        }
    if (!ok) continue;
    std::vector<std::string> wb = e.spatial_base(*outer, "warp", outer->num_threads());
    for (int o = 0; o < on; o += num) {
      e.open("");
      // (x1: j is always 0 and the selection below never reads it)
      e.line("[[maybe_unused]] const int j = " + std::string(num == 1 ? "0" : "(lane / 8) % " + std::to_string(num)) + ";");
      std::string args;
      for (int k = 0; k < r; ++k) {
        int td = t.tile_of[k];
        std::string x = t.off[k];
        if (td >= 0) {
          std::string sel;
          for (int j = num - 1; j >= 0; --j) {
            std::string c = std::to_string(outer->index_of(0, o + j)[td] * 8);
            sel = sel.empty() ? c : "j == " + std::to_string(j) + " ? " + c + " : " + sel;
          }
          x += " + " + wb[td] + " * 8 + (" + sel + ")" + (td == 0 ? " + lane % 8" : "");
        }
        args += (k ? ", " : "") + x;
      }
      std::string fn = "tvm_ldmatrix_x" + std::to_string(num) + (trans ? "_trans" : "");
      e.line(fn + "(reinterpret_cast<uint32_t*>(&" + t.reg->c + "[" + std::to_string(o * 2) + "]), &" + t.mem->c + "[" +
             t.mem->c + "_off(" + args + ")]);");
      e.close();
    }
    return true;
  }
  return false;
}

void shared_access(Emitter& e, const Tile& t, bool load, const std::string& guard) {
  const ir::DType& d = t.mem->f->dtype;
  int n = t.l->local_size();
  if (is_packed(d)) {
    for (int s = 0; s < n; ++s) {
      std::string args;
      for (size_t k = 0; k < t.off.size(); ++k) args += (k ? ", " : "") + index_expr(t, static_cast<int>(k), s);
      std::string at = t.mem->c + "_off(" + args + ")", pos = std::to_string(s * d.bits), bits = std::to_string(d.bits);
      if (load)
        e.line("tvm_set_bits(" + t.reg->c + ", " + pos + ", " + bits + ", tvm_mem_get_bits(" + t.mem->c + ", " + at +
               ", " + bits + "));");
      else
        e.line(std::string(guard.empty() ? "" : "if (" + guard + ") ") + "tvm_mem_set_bits(" + t.mem->c + ", " + at +
               ", " + bits + ", " + e.get(*t.reg, s) + ");");
    }
    return;
  }
  if (load && try_ldmatrix(e, t)) return;
  int bytes = d.bits / 8, v = 1;
  if (t.const_off) {
    auto offs = shared_offsets(e, t);
    for (int cand = std::min(16 / bytes, n); cand > 1 && v == 1; cand /= 2) {
      if (n % cand) continue;
      bool ok = true;
      for (const auto& th : offs)
        for (int s = 0; s < n && ok; s += cand) {
          ok &= th[s] % cand == 0;
          for (int j = 1; j < cand && ok; ++j) ok &= th[s + j] == th[s] + j;
        }
      if (ok) v = cand;
    }
  }
  if (!guard.empty()) e.open("if (" + guard + ")");
  for (int s = 0; s < n; s += v) {
    std::string mem = shared_ref(t, s), reg = t.reg->c + "[" + std::to_string(s) + "]";
    if (v > 1) {
      std::string vt = vec_type(v * bytes);
      mem = "*reinterpret_cast<" + vt + "*>(&" + mem + ")";
      reg = "*reinterpret_cast<" + vt + "*>(&" + reg + ")";
    }
    e.line(load ? reg + " = " + mem + ";" : mem + " = " + reg + ";");
  }
  if (!guard.empty()) e.close();
}

}  // namespace

void emit_memory(Emitter& e, const ir::Insn& insn) {
  bool load = insn.op == ir::Op::kLoadGlobal || insn.op == ir::Op::kLoadShared;
  bool global = insn.op == ir::Op::kLoadGlobal || insn.op == ir::Op::kStoreGlobal;
  TVar& mem = load ? e.operand(insn, 0) : e.operand(insn, 1);
  TVar& reg = load ? e.produced(insn) : e.operand(insn, 0);
  if (load && !e.in_place(insn)) e.declare_register(reg);
  Tile t = make_tile(e, insn, mem, reg);
  // A replicated layout holds some elements in several threads: only the first replica stores.
  std::string guard = !load && reg.f->layout->replication() > 1 ? e.primary(*reg.f->layout) : "";
  if (global) global_access(e, t, load, guard);
  else shared_access(e, t, load, guard);
}

}  // namespace tilevm::cuda
