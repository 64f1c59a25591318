// Index math over register layouts for the generated code: the thread-dependent part of each
// logical index (emitted once per layout as const ints), the first-replica predicate, and the
// compile-time slot correspondence between two layouts.
#include "backend/cuda/emit_internal.h"

namespace tilevm::cuda {
namespace {

struct ModeInfo {
  int dim = 0;
  int dim_stride = 1;
};

std::vector<ModeInfo> mode_infos(const ir::RegisterLayout& l) {
  std::vector<ModeInfo> m(l.mode_shape.size());
  auto groups = l.mode_groups();
  for (size_t d = 0; d < groups.size(); ++d) {
    int stride = 1;
    for (size_t i = groups[d].size(); i-- > 0;) {
      m[groups[d][i]] = {static_cast<int>(d), stride};
      stride *= l.mode_shape[groups[d][i]];
    }
  }
  return m;
}

}  // namespace

std::vector<std::string> Emitter::spatial_base(const ir::RegisterLayout& l, const std::string& var, int count) {
  if (count == 0) count = threads_;
  std::string key = var + ":" + layout::describe(l);
  auto it = bases_.find(key);
  if (it != bases_.end()) return it->second;
  std::string base = "L" + std::to_string(bases_.size());
  std::vector<ModeInfo> modes = mode_infos(l);
  std::vector<std::string> terms(l.shape.size());
  std::vector<int> sizes = l.spatial_shape();
  int tstride = 1;
  for (size_t e = sizes.size(); e-- > 0;) {
    int m = l.spatial_modes[e];
    if (m >= 0) {
      std::string t = var;
      if (tstride > 1) t = "(" + t + " / " + std::to_string(tstride) + ")";
      if (tstride * sizes[e] < count) t = "(" + t + " % " + std::to_string(sizes[e]) + ")";
      if (modes[m].dim_stride > 1) t += " * " + std::to_string(modes[m].dim_stride);
      std::string& acc = terms[modes[m].dim];
      acc = acc.empty() ? t : t + " + " + acc;
    }
    tstride *= sizes[e];
  }
  std::vector<std::string> names;
  prologue("// " + base + ": " + layout::to_string(l));
  for (size_t d = 0; d < terms.size(); ++d) {
    std::string n = base + "_" + std::to_string(d);
    prologue("const int " + n + " = " + (terms[d].empty() ? "0" : terms[d]) + ";");
    prologue("(void)" + n + ";");
    names.push_back(n);
  }
  bases_[key] = names;
  return names;
}

std::string Emitter::primary(const ir::RegisterLayout& l) {
  std::string key = layout::describe(l);
  auto it = primaries_.find(key);
  if (it != primaries_.end()) return it->second;
  std::vector<int> sizes = l.spatial_shape();
  std::string cond;
  int tstride = 1;
  for (size_t e = sizes.size(); e-- > 0;) {
    if (l.spatial_modes[e] < 0) {
      std::string t = tstride > 1 ? "(tid / " + std::to_string(tstride) + ")" : "tid";
      if (tstride * sizes[e] < threads_) t = "(" + t + " % " + std::to_string(sizes[e]) + ")";
      cond += (cond.empty() ? "" : " && ") + t + " == 0";
    }
    tstride *= sizes[e];
  }
  std::string name = "P" + std::to_string(primaries_.size());
  prologue("const bool " + name + " = " + (cond.empty() ? "true" : cond) + ";  // first replica of " +
           layout::to_string(l));
  prologue("(void)" + name + ";");
  primaries_[key] = name;
  return name;
}

std::vector<int> Emitter::slot_map(const ir::RegisterLayout& out, const ir::RegisterLayout& in) {
  int n = out.local_size();
  std::vector<int> map(n, -2);
  size_t ro = out.shape.size(), ri = in.shape.size();
  std::vector<int> idx(ri);
  for (int t = 0; t < out.num_threads() && t < in.num_threads(); ++t) {
    for (int s = 0; s < n; ++s) {
      std::vector<int> g = out.index_of(t, s);
      for (size_t d = 0; d < ri; ++d) {
        size_t od = ro - ri + d;
        idx[d] = in.shape[d] == 1 ? 0 : g[od];
      }
      if (!in.holds(t, idx)) return std::vector<int>(n, -1);
      int slot = in.slot_of(idx);
      if (map[s] == -2) map[s] = slot;
      else if (map[s] != slot) return std::vector<int>(n, -1);
    }
  }
  return map;
}

}  // namespace tilevm::cuda
