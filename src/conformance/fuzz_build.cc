// FuzzSpec -> IR through ir::ProgramBuilder.
#include "conformance/fuzz.h"
#include "ir/builder.h"
#include "support/check.h"

namespace tilevm::conf {
namespace {

ir::AttrValue layout_attr(const std::string& text) {
  auto l = layout::parse_register_layout(text);
  TILEVM_CHECK(l.ok());
  return ir::attr::layout(*l);
}

std::string vname(int v) { return "v" + std::to_string(v); }

// for kk in range(cdiv(ek, tk)): v0 = dot(a tile, b tile, v0) in place; tiles past the global
// extents read as zero.
void emit_dot_loop(ir::ProgramBuilder& b, const FuzzSpec& s, const std::vector<ir::S>& ext, ir::S ek, ir::S pa, ir::S pb,
                   const std::vector<ir::S>& off) {
  using namespace ir;
  T ga = b.emit("view.global", "ga", {pa}, {{"shape", attr::exprs({ext[0], ek})}});
  T gb = b.emit("view.global", "gb", {pb}, {{"shape", attr::exprs({ek, ext[1]})}});
  const int64_t tk = s.dot_tk;
  b.for_range("kk", cdiv(ek, S(tk)), [&](S kk) {
    T ta = b.emit("load.global", "ta", {ga}, {{"offset", attr::exprs({off[0], kk * S(tk)})}, {"shape", attr::ints({s.tile[0], tk})}});
    T tb = b.emit("load.global", "tb", {gb}, {{"offset", attr::exprs({kk * S(tk), off[1]})}, {"shape", attr::ints({tk, s.tile[1]})}});
    b.emit_into("dot." + s.dot, T{vname(0)}, {ta, tb, T{vname(0)}});
  });
}

}  // namespace

dt::DType output_dtype(const FuzzSpec& s) { return value_infos(s)[s.result].t; }

std::vector<int64_t> output_shape(const FuzzSpec& s) {
  if (s.reduce.empty()) return s.extent;
  std::vector<int64_t> g = s.grid(), out = s.extent;
  out[s.reduce_dim] = g[s.reduce_dim];
  return out;
}

ir::Program build_program(const FuzzSpec& s) {
  using namespace ir;
  ProgramBuilder b("fz", s.warps);
  const size_t rank = s.tile.size();
  std::vector<S> ext;
  for (size_t d = 0; d < rank; ++d) ext.push_back(b.param("e" + std::to_string(d), dt::kI32));
  const bool dot = !s.dot.empty();
  S ek = dot ? b.param("ek", dt::kI32) : S(0);
  std::vector<S> in;
  for (size_t i = 0; i < s.inputs.size(); ++i) in.push_back(b.pointer_param("in" + std::to_string(i), s.inputs[i]));
  S pa = dot ? b.pointer_param("a", s.dot_ab) : S(0), pb = dot ? b.pointer_param("b", s.dot_ab) : S(0);
  const std::vector<ValueInfo> vi = value_infos(s);
  S out = b.pointer_param("out", vi[s.result].t);
  std::vector<S> grid;
  for (size_t d = 0; d < rank; ++d) grid.push_back(cdiv(ext[d], S(s.tile[d])));
  b.grid(grid);
  std::vector<S> blk, off;
  for (size_t d = 0; d < rank; ++d) {
    blk.push_back(b.block_index("b" + std::to_string(d), "xyz"[d]));
    off.push_back(blk[d] * S(s.tile[d]));
  }
  std::vector<S> oshape;
  for (int64_t e : output_shape(s)) oshape.push_back(S(e));
  for (size_t d = 0; d < rank; ++d)
    if (s.reduce.empty() || static_cast<int>(d) != s.reduce_dim) oshape[d] = ext[d];
  T gout = b.emit("view.global", "gout", {out}, {{"shape", attr::exprs(oshape)}});
  for (size_t i = 0; i < s.inputs.size(); ++i) {
    T g = b.emit("view.global", "g" + std::to_string(i), {in[i]}, {{"shape", attr::exprs(ext)}});
    Attrs lay;
    if (!s.layout.empty()) lay.push_back({"layout", layout_attr(s.layout)});
    if (s.async) {
      T sh = b.emit("alloc.shared", "s" + std::to_string(i), {}, {{"dtype", attr::dtype(s.inputs[i])}, {"shape", attr::ints(s.tile)}});
      b.emit("copy_async", "", {sh, g}, {{"offset", attr::exprs(off)}});
      b.emit("copy_async.commit", "", {});
      b.emit("copy_async.wait", "", {}, {{"n", attr::i(0)}});
      b.emit("sync", "", {});
      b.emit("load.shared", vname(static_cast<int>(i)), {sh}, lay);
    } else {
      Attrs a = {{"offset", attr::exprs(off)}, {"shape", attr::ints(s.tile)}};
      a.insert(a.end(), lay.begin(), lay.end());
      b.emit("load.global", vname(static_cast<int>(i)), {g}, a);
    }
  }
  if (dot) emit_dot_loop(b, s, ext, ek, pa, pb, off);
  int k = static_cast<int>(s.inputs.size());
  for (size_t i = 0; i < s.steps.size(); ++i) {
    const FuzzStep& st = s.steps[i];
    std::vector<Arg> args;
    for (int a : st.args) args.push_back(T{vname(a)});
    const int v = k + static_cast<int>(i);
    if (st.op == "cast") {
      b.emit("cast", vname(v), args, {{"dtype", attr::dtype(st.dtype)}});
    } else if (st.op == "view") {
      b.emit("view", vname(v), args,
             {{"dtype", attr::dtype(st.dtype)}, {"shape", attr::ints({vi[v].elements})},
              {"layout", layout_attr("spatial(" + std::to_string(32 * s.warps) + ").local(" + std::to_string(vi[v].local) + ")")}});
    } else if ((st.op == "div" || st.op == "mod") && vi[st.args[1]].t.is_int()) {
      // An odd divisor: never zero, and nothing else about integer division is undefined.
      T nz = b.emit("or", vname(v) + "_nz", {args[1], Arg(1)});
      b.emit(st.op, vname(v), {args[0], nz});
    } else {
      b.emit(st.op, vname(v), args);
    }
  }
  T res{vname(s.result)};
  if (!s.reduce.empty()) {
    T red = b.emit("reduce." + s.reduce, "red", {res}, {{"dims", attr::ints({s.reduce_dim})}, {"keepdims", attr::boolean(true)}});
    std::vector<S> ro = off;
    ro[s.reduce_dim] = blk[s.reduce_dim];
    b.emit("store.global", "", {red, gout}, {{"offset", attr::exprs(ro)}});
  } else if (!s.reload_layout.empty()) {
    T sh = b.emit("alloc.shared", "sr", {}, {{"dtype", attr::dtype(vi[s.result].t)}, {"shape", attr::ints(s.tile)}});
    b.emit("store.shared", "", {res, sh});
    b.emit("sync", "", {});
    T back = b.emit("load.shared", "back", {sh}, {{"layout", layout_attr(s.reload_layout)}});
    b.emit("store.global", "", {back, gout}, {{"offset", attr::exprs(off)}});
  } else {
    b.emit("store.global", "", {res, gout}, {{"offset", attr::exprs(off)}});
  }
  return b.build();
}

}  // namespace tilevm::conf
