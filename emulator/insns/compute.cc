// Reductions and dot products, in the orders docs/emulator.md fixes.
#include <algorithm>

#include "dtype/convert.h"
#include "emulator/insns/exec.h"
#include "exec/arith.h"
#include "numerics/mma.h"

namespace tilevm::emu {
namespace {

// The thread index with the coordinates of the reduced spatial entries set to zero: threads
// with equal keys combine their partials.
struct ThreadKeys {
  std::vector<int> key;
  ThreadKeys(const layout::RegisterLayout& l, const std::vector<int64_t>& dims, int threads) {
    std::vector<int> dim_of_mode;
    auto groups = l.mode_groups();
    for (size_t d = 0; d < groups.size(); ++d)
      for (int m : groups[d]) {
        if (static_cast<int>(dim_of_mode.size()) <= m) dim_of_mode.resize(m + 1, -1);
        dim_of_mode[m] = static_cast<int>(d);
      }
    std::vector<int> sizes = l.spatial_shape();
    key.resize(threads);
    for (int t = 0; t < threads; ++t) {
      int rest = t, k = 0, stride = 1;
      for (size_t j = l.spatial_modes.size(); j-- > 0;) {
        int coord = rest % sizes[j];
        rest /= sizes[j];
        int m = l.spatial_modes[j];
        bool reduced = m >= 0 && std::find(dims.begin(), dims.end(), dim_of_mode[m]) != dims.end();
        if (!reduced) k += coord * stride;
        stride *= sizes[j];
      }
      key[t] = k;
    }
  }
};

// Whether flipping lane bit `mask` keeps every thread inside its group.
bool butterfly_step(const ThreadKeys& keys, int mask, int T) {
  for (int t = 0; t < T; ++t)
    if ((t ^ mask) >= T || keys.key[t ^ mask] != keys.key[t]) return false;
  return true;
}

exec::BinaryOp reduce_op(ir::Op op) {
  switch (op) {
    case ir::Op::kReduceSum: return exec::BinaryOp::Add;
    case ir::Op::kReduceMax: return exec::BinaryOp::Max;
    case ir::Op::kReduceMin: return exec::BinaryOp::Min;
    case ir::Op::kReduceAnd: return exec::BinaryOp::And;
    default: return exec::BinaryOp::Or;
  }
}

// Output linear index (over the keepdims shape) of input element `lin`.
int reduced_index(int lin, const std::vector<int>& shape, const std::vector<bool>& reduced) {
  int out = 0, stride = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    int c = lin % shape[d];
    lin /= shape[d];
    if (!reduced[d]) out += c * stride, stride *= shape[d];
  }
  return out;
}

// Per-thread partial results of a reduction: p[t * n_out + o] for output element o.
struct Partials {
  int T, n_out;
  exec::BinaryOp op;
  dt::DType dtype;
  std::vector<uint64_t> p;
  std::vector<uint8_t> has;
  Partials(int threads, int outputs, exec::BinaryOp o, dt::DType t)
      : T(threads), n_out(outputs), op(o), dtype(t), p(static_cast<size_t>(threads) * outputs), has(p.size(), 0) {}
  size_t at(int t, int o) const { return static_cast<size_t>(t) * n_out + o; }
  void combine(uint64_t& acc, uint64_t x) const { exec::binary_op(op, dtype, acc, x, &acc); }
};

// Step 1: each thread folds the elements it holds in increasing slot order.
void fold_local(Block& b, const RegTensor& a, const std::vector<bool>& reduced, Partials& P) {
  for_each_slot(a, [&](int t, int s, size_t pos) {
    if (!a.init.empty() && !a.init[pos]) b.trap(exec::TrapKind::Uninitialised, "reduce of an uninitialised element", t, std::nullopt, "register");
    size_t i = P.at(t, reduced_index(a.table->linear_index(t, s), a.shape, reduced));
    if (P.has[i]) P.combine(P.p[i], a.codes[pos]);
    else P.p[i] = a.codes[pos], P.has[i] = 1;
  });
}

// Step 2: for mask 1, 2, 4, 8, 16, when flipping that lane bit keeps every thread in its group,
// every thread combines p[t] = op(p[t], p[t ^ mask]) at once (a shfl.xor butterfly).
void butterfly(const ThreadKeys& keys, const layout::RegisterLayout& l, Partials& P) {
  int masks = 0;
  for (int mask = 1; mask < 32 && mask < P.T; mask <<= 1) masks += butterfly_step(keys, mask, P.T);
  for (int t = 0; t < P.T; ++t) {
    int members = 0;
    for (int u = t / 32 * 32; u < std::min(P.T, t / 32 * 32 + 32); ++u) members += keys.key[u] == keys.key[t];
    if (members != (1 << masks))
      throw UnsupportedException{"reduce: the reduced threads of a warp do not form a butterfly (power-of-two lane groups) "
                                 "in layout " + layout::to_string(l)};
  }
  for (int mask = 1; mask < 32 && mask < P.T; mask <<= 1) {
    if (!butterfly_step(keys, mask, P.T)) continue;
    std::vector<uint64_t> q = P.p;
    for (int t = 0; t < P.T; ++t)
      for (int o = 0; o < P.n_out; ++o)
        if (P.has[P.at(t, o)]) P.combine(q[P.at(t, o)], P.p[P.at(t ^ mask, o)]);
    P.p.swap(q);
  }
}

// Step 3: the group's total over warps in increasing order, left to right, taking each warp's
// lowest member lane (after the butterfly a warp's members agree).
uint64_t across_warps(const ThreadKeys& keys, const Partials& P, int t, int o) {
  uint64_t total = 0;
  bool first = true;
  for (int w = 0; w * 32 < P.T; ++w)
    for (int u = w * 32; u < std::min(P.T, w * 32 + 32); ++u)
      if (keys.key[u] == keys.key[t] && P.has[P.at(u, o)]) {
        if (first) total = P.p[P.at(u, o)], first = false;
        else P.combine(total, P.p[P.at(u, o)]);
        break;
      }
  return total;
}

void reduce(Block& b, const ir::Insn& insn) {
  const RegTensor& a = reg_operand(b, insn, 0);
  auto out = b.new_reg(insn);
  const std::vector<int64_t> dims = insn.attr("dims")->ints;
  std::vector<bool> reduced(a.shape.size(), false);
  for (int64_t d : dims) reduced[d] = true;
  Partials P(a.threads(), out->table->num_elements(), reduce_op(insn.op), a.dtype);
  fold_local(b, a, reduced, P);
  ThreadKeys keys(a.layout, dims, P.T);
  butterfly(keys, a.layout, P);
  for (int t = 0; t < P.T; ++t)
    for (int o = 0; o < P.n_out; ++o) {
      if (!P.has[P.at(t, o)]) continue;
      const int slot = out->table->slot_of(o);
      if (t < out->threads() && out->table->linear_index(t, slot) == o) out->at(t, slot) = across_warps(keys, P, t, o);
    }
  b.set_reg(insn, std::move(out));
}

}  // namespace

void exec_ReduceSum(Block& b, const ir::Insn& i) { reduce(b, i); }
void exec_ReduceMax(Block& b, const ir::Insn& i) { reduce(b, i); }
void exec_ReduceMin(Block& b, const ir::Insn& i) { reduce(b, i); }
void exec_ReduceAnd(Block& b, const ir::Insn& i) { reduce(b, i); }
void exec_ReduceOr(Block& b, const ir::Insn& i) { reduce(b, i); }

// dot.simt: d[i,j] = fma(a[i,K-1], b[K-1,j], ... fma(a[i,0], b[0,j], c[i,j])) in c's dtype, the
// operands converted to c's dtype first (exact for the widening conversions the verifier allows).
void exec_DotSimt(Block& b, const ir::Insn& insn) {
  const RegTensor& A = reg_operand(b, insn, 0);
  const RegTensor& B = reg_operand(b, insn, 1);
  auto out = b.new_reg(insn);
  Src C = source(b, insn, 2, *out, out->dtype);
  const int K = A.shape[1], N = B.shape[1];
  const dt::DType t = out->dtype;
  auto operand = [&](const RegTensor& X, int th, int lin) {
    int s = X.table->slot_of(lin);
    if (th >= X.threads() || X.table->linear_index(th, s) != lin)
      b.trap(exec::TrapKind::Other, "dot.simt operand element not held by the thread that needs it", th);
    size_t pos = static_cast<size_t>(th) * X.local() + s;
    if (!X.init.empty() && !X.init[pos]) b.trap(exec::TrapKind::Uninitialised, "dot.simt reads an uninitialised element", th, std::nullopt, "register");
    return dt::convert(X.codes[pos], X.dtype, t);
  };
  for_each_slot(*out, [&](int th, int s, size_t pos) {
    int lin = out->table->linear_index(th, s), i = lin / N, j = lin % N;
    if (!C.initialised(pos)) b.trap(exec::TrapKind::Uninitialised, "dot.simt reads an uninitialised accumulator", th, std::nullopt, "register");
    uint64_t acc = C.get(pos);
    for (int k = 0; k < K; ++k) acc = exec::fma_op(t, operand(A, th, i * K + k), operand(B, th, k * N + j), acc);
    out->codes[pos] = acc;
  });
  b.set_reg(insn, std::move(out));
}

namespace {

std::optional<numerics::MmaType> mma_type(const dt::DType& t) {
  if (t == dt::kF16) return numerics::MmaType::kF16;
  if (t == dt::kBF16) return numerics::MmaType::kBf16;
  if (t == dt::kF32) return numerics::MmaType::kF32;
  if (t == dt::kF8E4M3) return numerics::MmaType::kE4m3;
  if (t == dt::kF8E5M2) return numerics::MmaType::kE5m2;
  if (t == dt::kI8) return numerics::MmaType::kS8;
  if (t == dt::kU8) return numerics::MmaType::kU8;
  if (t == dt::kI32) return numerics::MmaType::kS32;
  if (t == dt::int_type(4, true)) return numerics::MmaType::kS4;
  if (t == dt::int_type(4, false)) return numerics::MmaType::kU4;
  return std::nullopt;
}

// The mma.sync instruction for operand types (a, b) and accumulator c on sm_90.
numerics::MmaModel mma_model(const dt::DType& a, const dt::DType& b, const dt::DType& c) {
  auto ta = mma_type(a), tb = mma_type(b), tc = mma_type(c);
  if (!ta || !tb || !tc) throw UnsupportedException{"dot.mma: no tensor-core instruction for " + a.name() + " x " + b.name() + " + " + c.name()};
  numerics::MmaSpec spec;
  spec.a = *ta == numerics::MmaType::kF32 ? numerics::MmaType::kTf32 : *ta;
  spec.b = *tb == numerics::MmaType::kF32 ? numerics::MmaType::kTf32 : *tb;
  spec.c = *tc;
  spec.k = spec.a == numerics::MmaType::kTf32 ? 8 : a.bits == 16 ? 16 : a.bits == 8 ? 32 : 64;
  auto m = numerics::MmaModel::make(spec, numerics::Arch::kSm90);
  if (!m) throw UnsupportedException{"dot.mma: " + m.error().message};
  return *m;
}

}  // namespace

// dot.mma: d[i,j] = mma(a[i, k0:k0+ka], b[k0:k0+ka, j], d) for k-chunks k0 = 0, ka, 2ka, ...
// (ka the atom's k) in increasing order, starting from c: each chunk is one mma.sync of the
// bit-accurate sm_90 model (src/numerics). Operands are read by logical index.
void exec_DotMma(Block& b, const ir::Insn& insn) {
  const RegTensor& A = reg_operand(b, insn, 0);
  const RegTensor& B = reg_operand(b, insn, 1);
  auto out = b.new_reg(insn);
  Src C = source(b, insn, 2, *out, out->dtype);
  const numerics::MmaModel model = mma_model(A.dtype, B.dtype, out->dtype);
  const int M = A.shape[0], K = A.shape[1], N = B.shape[1], ka = model.spec().k;
  if (K % ka) throw UnsupportedException{"dot.mma: k = " + std::to_string(K) + " is not a multiple of the atom's k = " + std::to_string(ka)};
  auto logical = [&](const RegTensor& X) {
    std::vector<uint32_t> v(static_cast<size_t>(X.table->num_elements()));
    for (int e = 0; e < X.table->num_elements(); ++e) {
      size_t pos = static_cast<size_t>(X.table->first_thread(e)) * X.local() + X.table->slot_of(e);
      if (!X.init.empty() && !X.init[pos]) b.trap(exec::TrapKind::Uninitialised, "dot.mma reads an uninitialised element", X.table->first_thread(e), std::nullopt, "register");
      v[e] = static_cast<uint32_t>(X.codes[pos]);
    }
    return v;
  };
  std::vector<uint32_t> a = logical(A), bt(static_cast<size_t>(K) * N), bl = logical(B);
  for (int k = 0; k < K; ++k)
    for (int j = 0; j < N; ++j) bt[static_cast<size_t>(j) * K + k] = model.decode_b(bl[static_cast<size_t>(k) * N + j]);
  for (uint32_t& x : a) x = model.decode_a(x);
  std::vector<uint32_t> d(static_cast<size_t>(M) * N);
  for_each_slot(*out, [&](int th, int s, size_t pos) {
    int lin = out->table->linear_index(th, s), i = lin / N, j = lin % N;
    if (!C.initialised(pos)) b.trap(exec::TrapKind::Uninitialised, "dot.mma reads an uninitialised accumulator", th, std::nullopt, "register");
    uint32_t acc = static_cast<uint32_t>(C.get(pos));
    for (int k0 = 0; k0 < K; k0 += ka) acc = model.dot_decoded(&a[static_cast<size_t>(i) * K + k0], &bt[static_cast<size_t>(j) * K + k0], acc);
    out->codes[pos] = acc;
  });
  (void)M;
  b.set_reg(insn, std::move(out));
}

}  // namespace tilevm::emu
