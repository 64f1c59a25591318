// copy_async / copy_async.commit / copy_async.wait. The tile (the shared tensor's shape) is cut
// into chunks of V elements contiguous along the last dimension, in the global row and in the
// shared layout (checked over the whole tile), V*size in {16, 8, 4} bytes when possible; thread t
// copies chunks t, t + T, ... with one cp.async each (aligned source) or element by element.
// Sub-byte elements: a chunk is V elements whose bits are whole 32-bit words (up to 256 bits),
// copied with cp.async units of 16/8/4 bytes when the chunk is in range and aligned, else
// synchronously bit by bit (the destination may not be read before the wait, so a synchronous
// copy is observably the same).
#include "backend/cuda/emit_internal.h"

namespace tilevm::cuda {
namespace {

// Whether every chunk of v elements of the tile is v consecutive elements of the shared layout
// starting at a multiple of v.
bool chunks_fit(const layout::SharedLayout& s, int v) {
  int64_t total = s.num_elements();
  if (s.shape.back() % v) return false;
  for (int64_t c = 0; c < total; c += v) {
    std::vector<int> idx(s.shape.size());
    int64_t x = c;
    for (size_t d = s.shape.size(); d-- > 0;) idx[d] = static_cast<int>(x % s.shape[d]), x /= s.shape[d];
    int64_t first = s.element_offset(idx);
    if (first % v) return false;
    for (int j = 1; j < v; ++j) {
      idx.back() += 1;
      if (s.element_offset(idx) != first + j) return false;
    }
  }
  return true;
}

// Sub-byte elements of `bits` bits: the widest power-of-two chunk (elements) whose bits are
// whole 32-bit words, at most 256 bits, that fits the shared layout; 1 if none does.
int packed_chunk(const layout::SharedLayout& s, int bits) {
  for (int v = 256; v > 1; v /= 2)
    if (v * bits <= 256 && v * bits % 32 == 0 && chunks_fit(s, v)) return v;
  return 1;
}

// The widest chunk (elements) that is contiguous and aligned in shared memory for every chunk
// of the tile.
int shared_chunk(const layout::SharedLayout& s, int bytes) {
  for (int v = 16 / bytes; v > 1; v /= 2)
    if (chunks_fit(s, v)) return v;
  return 1;
}

void copy_async(Emitter& e, const ir::Insn& insn) {
  TVar& dst = e.operand(insn, 0);
  TVar& src = e.operand(insn, 1);
  const ir::DType& d = dst.f->dtype;
  const bool packed = is_packed(d);
  layout::SharedLayout s = shared_layout_of(dst);
  int r = static_cast<int>(src.f->global_shape.size()), tr = s.rank();
  std::vector<int> dims;
  if (const ir::AttrValue* dm = insn.attr("dims")) for (int64_t x : dm->ints) dims.push_back(static_cast<int>(x));
  else for (int i = r - tr; i < r; ++i) dims.push_back(i);
  std::vector<int> tile_of(r, -1);
  for (int i = 0; i < tr; ++i) tile_of[dims[i]] = i;
  bool contiguous = tile_of[r - 1] == tr - 1 && src.unit_last;
  int v = !contiguous ? 1 : packed ? packed_chunk(s, d.bits) : shared_chunk(s, d.bits / 8);
  int64_t chunks = s.num_elements() / v;
  int last = s.shape.back();
  e.line("#pragma unroll");
  e.open("for (int c = tid; c < " + std::to_string(chunks) + "; c += " + std::to_string(e.threads_) + ")");
  // The chunk's logical index in the tile (row-major, last dim in steps of v).
  std::string rest = "c * " + std::to_string(v);
  std::vector<std::string> ti(tr);
  for (int i = tr - 1; i >= 0; --i) {
    std::string n = std::to_string(i == tr - 1 ? last : s.shape[i]);
    ti[i] = "i" + std::to_string(i);
    e.line("const int " + ti[i] + " = " + (i == 0 ? rest : "(" + rest + ") % " + n) + ";");
    rest = "(" + rest + ") / " + n;
  }
  const ir::AttrValue* off = insn.attr("offset");
  std::string row = src.ptr, row_elem = "0", ok;
  std::string sidx;
  for (int i = 0; i < tr; ++i) sidx += (i ? ", " : "") + ti[i];
  for (int k = 0; k < r; ++k) {
    std::string x = "g" + std::to_string(k);
    std::string o = off ? e.expr_as(off->exprs[k], dt::kI64) : "0";
    e.line("const int64_t " + x + " = " + o + (tile_of[k] >= 0 ? " + " + ti[tile_of[k]] : "") + ";");
    if (k == r - 1 && contiguous) continue;
    row += " + " + x + " * " + src.stride[k];
    row_elem += " + " + x + " * " + src.stride[k];
    ok += (ok.empty() ? "" : " && ") + x + " >= 0 && " + x + " < " + src.shape[k];
  }
  std::string i = contiguous ? "g" + std::to_string(r - 1) : "0", n = contiguous ? src.shape[r - 1] : "1";
  if (packed) {
    e.line("tvm_copy_chunk_bits<" + std::to_string(d.bits) + ", " + std::to_string(v) + ">(" + dst.c + ", " + dst.c + "_off(" +
           sidx + "), " + src.ptr + ", " + row_elem + ", " + i + ", " + n + ", " + (ok.empty() ? "true" : ok) + ");");
    e.close();
    return;
  }
  e.line("tvm_copy_chunk<" + ctype(d) + ", " + std::to_string(v) + ">(&" + dst.c + "[" + dst.c + "_off(" + sidx + ")], " +
         row + ", " + i + ", " + n + ", " + (ok.empty() ? "true" : ok) + ");");
  e.close();
}

}  // namespace

void emit_copy(Emitter& e, const ir::Insn& insn) {
  switch (insn.op) {
    case ir::Op::kCopyAsync: copy_async(e, insn); return;
    case ir::Op::kCopyAsyncCommit: e.line("asm volatile(\"cp.async.commit_group;\\n\" ::: \"memory\");"); return;
    case ir::Op::kCopyAsyncWait:
      e.line("asm volatile(\"cp.async.wait_group " + std::to_string(insn.attr("n")->int_value) + ";\\n\" ::: \"memory\");");
      return;
    default: return;
  }
}

}  // namespace tilevm::cuda
