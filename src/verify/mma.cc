// MMA atoms, block-level dot layouts and the default register layout.
#include "verify/mma.h"

#include <numeric>

#include "layout/atoms.h"
#include "support/check.h"

namespace tilevm::verify {
namespace {

// A dtype combination (a, b, accumulator c) and the layout-module atom that computes it.
MmaAtom atom(const char* name, const char* ptx, ir::DType a, ir::DType b, ir::DType c) {
  const layout::MmaAtom* at = layout::find_mma_atom(name);
  TILEVM_CHECK(at != nullptr);
  return MmaAtom{ptx, at->m, at->n, at->k, a, b, c, at->a, at->b, at->c};
}

ir::RegisterLayout make(std::vector<int> shape, std::vector<int> modes, std::vector<int> spatial, std::vector<int> local) {
  auto l = ir::RegisterLayout::make(std::move(shape), std::move(modes), std::move(spatial), std::move(local));
  TILEVM_CHECK(l.ok());
  return *l;
}

}  // namespace

const std::vector<MmaAtom>& mma_atoms() {
  static const std::vector<MmaAtom> atoms = {
      atom("m16n8k16.f16", "mma.m16n8k16.f16.f16.f16.f16", dt::kF16, dt::kF16, dt::kF16),
      atom("m16n8k16.f16", "mma.m16n8k16.f32.f16.f16.f32", dt::kF16, dt::kF16, dt::kF32),
      atom("m16n8k16.bf16", "mma.m16n8k16.f32.bf16.bf16.f32", dt::kBF16, dt::kBF16, dt::kF32),
      atom("m16n8k8.tf32", "mma.m16n8k8.f32.tf32.tf32.f32", dt::kF32, dt::kF32, dt::kF32),
      atom("m16n8k32.s8", "mma.m16n8k32.s32.s8.s8.s32", dt::kI8, dt::kI8, dt::kI32),
      atom("m16n8k32.u8", "mma.m16n8k32.s32.u8.u8.s32", dt::kU8, dt::kU8, dt::kI32),
      atom("m16n8k32.e4m3", "mma.m16n8k32.f32.e4m3.e4m3.f32", dt::kF8E4M3, dt::kF8E4M3, dt::kF32),
      atom("m16n8k32.e5m2", "mma.m16n8k32.f32.e5m2.e5m2.f32", dt::kF8E5M2, dt::kF8E5M2, dt::kF32),
      atom("m16n8k64.s4", "mma.m16n8k64.s32.s4.s4.s32", dt::int_type(4, true), dt::int_type(4, true), dt::kI32),
      atom("m16n8k64.u4", "mma.m16n8k64.s32.u4.u4.s32", dt::int_type(4, false), dt::int_type(4, false), dt::kI32),
  };
  return atoms;
}

const MmaAtom* find_mma_atom(const ir::DType& a, const ir::DType& b, const ir::DType& c) {
  for (const MmaAtom& at : mma_atoms())
    if (at.a == a && at.b == b && at.c == c) return &at;
  return nullptr;
}

std::optional<DotLayouts> mma_block_layouts(const MmaAtom& at, int64_t m, int64_t n, int64_t k, int warps, int wm) {
  if (wm < 1 || warps % wm != 0) return std::nullopt;
  int wn = warps / wm;
  if (m % (int64_t{at.m} * wm) != 0 || n % (int64_t{at.n} * wn) != 0 || k % at.k != 0) return std::nullopt;
  int rm = static_cast<int>(m / (at.m * wm)), rn = static_cast<int>(n / (at.n * wn)), rk = static_cast<int>(k / at.k);
  // Warps: index w = im * wn + in. A is held by the wn warps of its row, B by the wm of its column.
  ir::RegisterLayout wa = make({wm, 1}, {wm}, {0, -wn}, {});
  ir::RegisterLayout wb = make({1, wn}, {wn}, {-wm, 0}, {});
  DotLayouts d{layout::compose(layout::compose(wa, layout::local({rm, rk})), at.la),
               layout::compose(layout::compose(wb, layout::local({rk, rn})), at.lb),
               layout::compose(layout::compose(layout::spatial({wm, wn}), layout::local({rm, rn})), at.lc)};
  return d;
}

std::optional<DotLayouts> default_mma_layouts(const MmaAtom& at, int64_t m, int64_t n, int64_t k, int warps) {
  std::optional<DotLayouts> best;
  int64_t best_bits = 0;
  for (int wm = 1; wm <= warps; ++wm) {
    auto d = mma_block_layouts(at, m, n, k, warps, wm);
    if (!d) continue;
    int64_t bits = int64_t{d->a.local_size()} * at.a.bits + int64_t{d->b.local_size()} * at.b.bits +
                   int64_t{d->c.local_size()} * at.c.bits;
    if (!best || bits < best_bits) best = d, best_bits = bits;
  }
  return best;
}

std::optional<ir::RegisterLayout> broadcast_operand_layout(const ir::RegisterLayout& res, const std::vector<int64_t>& op) {
  size_t r = res.shape.size();
  if (op.size() > r) return std::nullopt;
  size_t lead = r - op.size();
  std::vector<int> dims;
  for (size_t i = 0; i < r; ++i) {
    int64_t e = i < lead ? 1 : op[i - lead];
    if (e == 1 && res.shape[i] != 1) dims.push_back(static_cast<int>(i));
  }
  auto l = layout::reduce(res, dims, true);
  if (!l) return std::nullopt;
  std::vector<int> squeeze;
  for (size_t i = 0; i < lead; ++i) squeeze.push_back(static_cast<int>(i));
  auto s = layout::squeeze(*l, squeeze);
  if (!s) return std::nullopt;
  return *s;
}

std::optional<DotLayouts> simt_operand_layouts(const ir::RegisterLayout& c, int64_t k) {
  auto la = layout::reduce(c, {1}, true);
  auto lb = layout::reduce(c, {0}, true);
  if (!la || !lb) return std::nullopt;
  int kk = static_cast<int>(k);
  return DotLayouts{layout::compose(*la, layout::local({1, kk})), layout::compose(*lb, layout::local({kk, 1})), c};
}

ir::RegisterLayout default_layout(int threads, const std::vector<int64_t>& shape) {
  std::vector<int> local(shape.size()), spatial(shape.size());
  int left = threads;
  for (size_t i = shape.size(); i-- > 0;) {
    int e = static_cast<int>(shape[i]);
    int t = std::gcd(left, e);
    spatial[i] = t;
    local[i] = e / t;
    left /= t;
  }
  ir::RegisterLayout l = layout::compose(layout::local(local), layout::spatial(spatial));
  if (left > 1) l = layout::compose(layout::replicated(left), l);
  return l;
}

}  // namespace tilevm::verify
