// Register layouts: validation, canonical form, index queries, constructors and composition.
#include "layout/register_layout.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <string>

#include "layout/mode_form.h"

namespace tilevm::layout {
namespace detail {

namespace {
Error mode_error(const char* what, size_t i, const std::string& msg) {
  return fail(std::string(what) + "[" + std::to_string(i) + "]: " + msg);
}
}  // namespace

long long checked_product(const std::vector<int>& values) {
  long long p = 1;
  for (int v : values) {
    p *= v;
    if (p > kMaxLayoutSize) return kMaxLayoutSize + 1;
  }
  return p;
}

std::vector<int> mode_dims(const std::vector<int>& shape, const std::vector<int>& mode_shape) {
  std::vector<int> dims(mode_shape.size());
  int d = 0;
  int left = shape.empty() ? 1 : shape[0];
  for (size_t m = 0; m < mode_shape.size(); ++m) {
    while (left == 1 && d + 1 < static_cast<int>(shape.size())) left = shape[++d];
    dims[m] = d;
    left /= mode_shape[m];
  }
  return dims;
}

ModeForm to_form(const RegisterLayout& l) {
  return ModeForm{l.shape, l.mode_shape, mode_dims(l.shape, l.mode_shape), l.spatial_modes,
                  l.local_modes};
}

namespace {

// Removes mode `m` from the form (it must not be in any list); ids above m shift down.
void erase_mode(ModeForm& f, int m) {
  f.size.erase(f.size.begin() + m);
  f.dim.erase(f.dim.begin() + m);
  for (auto* list : {&f.spatial, &f.local})
    for (int& e : *list)
      if (e > m) --e;
}

void drop_unit_modes(ModeForm& f) {
  for (int m = static_cast<int>(f.size.size()) - 1; m >= 0; --m) {
    if (f.size[m] != 1) continue;
    for (auto* list : {&f.spatial, &f.local}) list->erase(std::remove(list->begin(), list->end(), m), list->end());
    erase_mode(f, m);
  }
  f.spatial.erase(std::remove(f.spatial.begin(), f.spatial.end(), -1), f.spatial.end());
}

void merge_replication_runs(ModeForm& f) {
  for (size_t p = 0; p + 1 < f.spatial.size();) {
    if (f.spatial[p] < 0 && f.spatial[p + 1] < 0) {
      f.spatial[p] = -(f.spatial[p] * f.spatial[p + 1]);
      f.spatial.erase(f.spatial.begin() + p + 1);
    } else {
      ++p;
    }
  }
}

// Merges one pair of contiguous modes; returns false when there is none.
bool merge_one(ModeForm& f) {
  for (auto* list : {&f.spatial, &f.local}) {
    for (size_t p = 0; p + 1 < list->size(); ++p) {
      int a = (*list)[p], b = (*list)[p + 1];
      if (a < 0 || b != a + 1 || f.dim[a] != f.dim[b]) continue;
      f.size[a] *= f.size[b];
      list->erase(list->begin() + p + 1);
      erase_mode(f, b);
      return true;
    }
  }
  return false;
}

}  // namespace

RegisterLayout canonicalize(ModeForm f) {
  TILEVM_CHECK(f.size.size() == f.dim.size());
  std::vector<long long> prod(f.shape.size(), 1);
  for (size_t m = 0; m < f.size.size(); ++m) {
    TILEVM_CHECK(f.size[m] >= 1);
    TILEVM_CHECK(m == 0 || f.dim[m] >= f.dim[m - 1]);
    if (f.size[m] > 1) {
      TILEVM_CHECK(f.dim[m] >= 0 && f.dim[m] < static_cast<int>(f.shape.size()));
      prod[f.dim[m]] *= f.size[m];
    }
  }
  for (size_t d = 0; d < f.shape.size(); ++d) TILEVM_CHECK(prod[d] == f.shape[d]);
  std::vector<int> uses(f.size.size(), 0);
  for (int e : f.spatial) if (e >= 0) ++uses.at(e);
  for (int e : f.local) { TILEVM_CHECK(e >= 0); ++uses.at(e); }
  for (int u : uses) TILEVM_CHECK(u == 1);
  drop_unit_modes(f);
  merge_replication_runs(f);
  while (merge_one(f)) {
  }
  return RegisterLayout{std::move(f.shape), std::move(f.size), std::move(f.spatial),
                        std::move(f.local)};
}

void split_mode(ModeForm& f, int m, int outer, int inner) {
  TILEVM_CHECK(outer * inner == f.size[m]);
  f.size[m] = outer;
  f.size.insert(f.size.begin() + m + 1, inner);
  f.dim.insert(f.dim.begin() + m + 1, f.dim[m]);
  for (auto* list : {&f.spatial, &f.local}) {
    for (int& e : *list)
      if (e > m) ++e;
    auto it = std::find(list->begin(), list->end(), m);
    if (it != list->end()) list->insert(it + 1, m + 1);
  }
}

void split_replication(ModeForm& f, int p, int outer, int inner) {
  TILEVM_CHECK(f.spatial[p] == -outer * inner);
  f.spatial[p] = -outer;
  f.spatial.insert(f.spatial.begin() + p + 1, -inner);
}

// Assigns each mode of size > 1 to a dimension; error when the modes do not factor the shape.
Expected<std::vector<int>> group_modes(const std::vector<int>& shape,
                                       const std::vector<int>& mode_shape) {
  std::vector<int> left(shape);
  std::vector<int> dims(mode_shape.size(), 0);
  int d = 0;
  for (size_t m = 0; m < mode_shape.size(); ++m) {
    int k = mode_shape[m];
    while (d < static_cast<int>(shape.size()) && left[d] == 1) ++d;
    if (k == 1) {
      dims[m] = std::min<int>(d, std::max<int>(0, static_cast<int>(shape.size()) - 1));
      continue;
    }
    if (d == static_cast<int>(shape.size()))
      return mode_error("modes", m, "mode " + std::to_string(k) + " is left over after every dimension is covered");
    if (left[d] % k != 0)
      return mode_error("modes", m, "mode " + std::to_string(k) + " does not divide what is left (" +
                                        std::to_string(left[d]) + ") of dimension " + std::to_string(d));
    left[d] /= k;
    dims[m] = d;
  }
  for (size_t e = 0; e < shape.size(); ++e)
    if (left[e] != 1)
      return fail("the modes do not cover dimension " + std::to_string(e) + " (extent " +
                  std::to_string(shape[e]) + ")");
  return dims;
}

}  // namespace detail

using detail::ModeForm;

namespace {

Error list_error(const char* what, size_t i, const std::string& msg) {
  return fail(std::string(what) + "[" + std::to_string(i) + "]: " + msg);
}

std::optional<Error> check_lists(size_t num_modes, const std::vector<int>& spatial, const std::vector<int>& local) {
  std::vector<int> uses(num_modes, 0);
  for (size_t i = 0; i < spatial.size(); ++i) {
    int e = spatial[i];
    if (e >= static_cast<int>(num_modes)) return list_error("spatial", i, "no mode " + std::to_string(e));
    if (e >= 0 && ++uses[e] > 1) return list_error("spatial", i, "mode " + std::to_string(e) + " used twice");
  }
  for (size_t i = 0; i < local.size(); ++i) {
    int e = local[i];
    if (e < 0) return list_error("local", i, "replication (a negative entry) is only allowed in the spatial list");
    if (e >= static_cast<int>(num_modes)) return list_error("local", i, "no mode " + std::to_string(e));
    if (++uses[e] > 1) return list_error("local", i, "mode " + std::to_string(e) + " used twice");
  }
  for (size_t m = 0; m < num_modes; ++m)
    if (uses[m] == 0) return fail("mode " + std::to_string(m) + " is in neither the spatial nor the local list");
  return std::nullopt;
}

}  // namespace

Expected<RegisterLayout> RegisterLayout::make(std::vector<int> shape, std::vector<int> mode_shape,
                                              std::vector<int> spatial_modes,
                                              std::vector<int> local_modes) {
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] < 1) return list_error("shape", i, "extents must be >= 1");
  for (size_t i = 0; i < mode_shape.size(); ++i)
    if (mode_shape[i] < 1) return list_error("modes", i, "mode sizes must be >= 1");
  if (detail::checked_product(shape) > kMaxLayoutSize) return fail("too many elements");
  auto dims = detail::group_modes(shape, mode_shape);
  if (!dims) return dims.error();
  if (auto e = check_lists(mode_shape.size(), spatial_modes, local_modes)) return *e;
  std::vector<int> threads, locals;
  for (int s : spatial_modes) threads.push_back(s < 0 ? -s : mode_shape[s]);
  for (int s : local_modes) locals.push_back(mode_shape[s]);
  if (detail::checked_product(threads) > kMaxLayoutSize) return fail("too many threads");
  if (detail::checked_product(locals) > kMaxLayoutSize) return fail("too many local slots");
  return detail::canonicalize(ModeForm{std::move(shape), std::move(mode_shape), std::move(*dims),
                                       std::move(spatial_modes), std::move(local_modes)});
}

int RegisterLayout::num_elements() const { return static_cast<int>(detail::checked_product(shape)); }
int RegisterLayout::num_threads() const {
  int n = 1;  // make() bounds the product by kMaxLayoutSize
  for (int e : spatial_modes) n *= e < 0 ? -e : mode_shape[e];
  return n;
}

int RegisterLayout::local_size() const {
  int n = 1;
  for (int e : local_modes) n *= mode_shape[e];
  return n;
}

int RegisterLayout::replication() const {
  int r = 1;
  for (int e : spatial_modes)
    if (e < 0) r *= -e;
  return r;
}

std::vector<int> RegisterLayout::spatial_shape() const {
  std::vector<int> s;
  for (int e : spatial_modes) s.push_back(e < 0 ? -e : mode_shape[e]);
  return s;
}

std::vector<int> RegisterLayout::local_shape() const {
  std::vector<int> s;
  for (int e : local_modes) s.push_back(mode_shape[e]);
  return s;
}

std::vector<std::vector<int>> RegisterLayout::mode_groups() const {
  std::vector<std::vector<int>> groups(shape.size());
  auto dims = detail::mode_dims(shape, mode_shape);
  for (size_t m = 0; m < dims.size(); ++m) groups[dims[m]].push_back(static_cast<int>(m));
  return groups;
}

namespace {

// Scatters the digits of `value` (row-major over the list's sizes) into mode indices.
void scatter(int value, const std::vector<int>& list, const std::vector<int>& mode_shape,
             std::vector<int>& mode_index) {
  for (size_t p = list.size(); p-- > 0;) {
    int e = list[p];
    int k = e < 0 ? -e : mode_shape[e];
    if (e >= 0) mode_index[e] = value % k;
    value /= k;
  }
}

// Mode indices of a logical index.
std::vector<int> mode_indices(const RegisterLayout& l, const std::vector<int>& index) {
  TILEVM_CHECK(index.size() == l.shape.size());
  std::vector<int> mi(l.mode_shape.size());
  auto groups = l.mode_groups();
  for (size_t d = 0; d < groups.size(); ++d) {
    TILEVM_CHECK(index[d] >= 0 && index[d] < l.shape[d]);
    int v = index[d];
    for (size_t j = groups[d].size(); j-- > 0;) {
      int m = groups[d][j];
      mi[m] = v % l.mode_shape[m];
      v /= l.mode_shape[m];
    }
  }
  return mi;
}

}  // namespace

std::vector<int> RegisterLayout::index_of(int thread, int slot) const {
  TILEVM_CHECK(thread >= 0 && thread < num_threads());
  TILEVM_CHECK(slot >= 0 && slot < local_size());
  std::vector<int> mi(mode_shape.size(), 0);
  scatter(thread, spatial_modes, mode_shape, mi);
  scatter(slot, local_modes, mode_shape, mi);
  std::vector<int> index(shape.size(), 0);
  auto dims = detail::mode_dims(shape, mode_shape);
  for (size_t m = 0; m < mi.size(); ++m) index[dims[m]] = index[dims[m]] * mode_shape[m] + mi[m];
  return index;
}

int RegisterLayout::linear_index_of(int thread, int slot) const {
  // The row-major linear index over `shape` is the row-major ravel over all modes in order
  // (dimensions in order, each dimension's modes most significant first), so no per-dimension
  // pass is needed. A canonical layout has at most 30 modes (each >= 2, product <= 2^30).
  TILEVM_CHECK(thread >= 0 && thread < num_threads());
  TILEVM_CHECK(slot >= 0 && slot < local_size());
  TILEVM_CHECK(mode_shape.size() <= 32);
  int mi[32];
  auto scatter_fast = [&](int value, const std::vector<int>& list) {
    for (size_t p = list.size(); p-- > 0;) {
      int e = list[p];
      int k = e < 0 ? -e : mode_shape[e];
      if (e >= 0) mi[e] = value % k;
      value /= k;
    }
  };
  scatter_fast(thread, spatial_modes);
  scatter_fast(slot, local_modes);
  int linear = 0;
  for (size_t m = 0; m < mode_shape.size(); ++m) linear = linear * mode_shape[m] + mi[m];
  return linear;
}

int RegisterLayout::slot_of(const std::vector<int>& index) const {
  auto mi = mode_indices(*this, index);
  int slot = 0;
  for (int e : local_modes) slot = slot * mode_shape[e] + mi[e];
  return slot;
}

std::vector<int> RegisterLayout::threads_of(const std::vector<int>& index) const {
  auto mi = mode_indices(*this, index);
  std::vector<int> threads{0};
  for (int e : spatial_modes) {
    std::vector<int> next;
    int k = e < 0 ? -e : mode_shape[e];
    for (int t : threads) {
      if (e >= 0) next.push_back(t * k + mi[e]);
      else for (int v = 0; v < k; ++v) next.push_back(t * k + v);
    }
    threads.swap(next);
  }
  return threads;
}

std::vector<Owner> RegisterLayout::owners_of(const std::vector<int>& index) const {
  int slot = slot_of(index);
  std::vector<Owner> owners;
  for (int t : threads_of(index)) owners.push_back({t, slot});
  return owners;
}

bool RegisterLayout::holds(int thread, const std::vector<int>& index) const {
  auto ts = threads_of(index);
  return std::binary_search(ts.begin(), ts.end(), thread);
}

// ---- Constructors

namespace {

RegisterLayout primitive(std::vector<int> extents, bool is_spatial, bool column) {
  for (int e : extents) TILEVM_CHECK(e >= 1);
  int n = static_cast<int>(extents.size());
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = column ? n - 1 - i : i;
  ModeForm f{extents, extents, {}, {}, {}};
  for (int i = 0; i < n; ++i) f.dim.push_back(i);
  (is_spatial ? f.spatial : f.local) = order;
  return detail::canonicalize(std::move(f));
}

}  // namespace

RegisterLayout local(std::vector<int> e) { return primitive(std::move(e), false, false); }
RegisterLayout spatial(std::vector<int> e) { return primitive(std::move(e), true, false); }
RegisterLayout column_local(std::vector<int> e) { return primitive(std::move(e), false, true); }
RegisterLayout column_spatial(std::vector<int> e) { return primitive(std::move(e), true, true); }

RegisterLayout replicated(int num_workers) {
  TILEVM_CHECK(num_workers >= 1);
  return detail::canonicalize(ModeForm{{}, {}, {}, {-num_workers}, {}});
}

RegisterLayout replicated(std::vector<int> extents, int num_workers) {
  return compose(replicated(num_workers), local(std::move(extents)));
}

RegisterLayout auto_local_spatial(int num_threads, const std::vector<int>& shape) {
  TILEVM_CHECK(num_threads >= 1);
  std::vector<int> part(shape.size()), rest(shape.size());
  int left = num_threads;
  for (size_t d = shape.size(); d-- > 0;) {
    TILEVM_CHECK(shape[d] >= 1);
    part[d] = std::gcd(left, shape[d]);
    rest[d] = shape[d] / part[d];
    left /= part[d];
  }
  return compose(compose(replicated(left), local(rest)), spatial(part));
}

RegisterLayout compose(const RegisterLayout& outer, const RegisterLayout& inner) {
  int rank = std::max(outer.rank(), inner.rank());
  int po = rank - outer.rank(), pi = rank - inner.rank();
  auto go = outer.mode_groups(), gi = inner.mode_groups();
  ModeForm f;
  std::vector<int> map_o(outer.mode_shape.size()), map_i(inner.mode_shape.size());
  for (int d = 0; d < rank; ++d) {
    int so = d >= po ? outer.shape[d - po] : 1, si = d >= pi ? inner.shape[d - pi] : 1;
    f.shape.push_back(so * si);
    auto add = [&](const std::vector<std::vector<int>>& g, int pad, const RegisterLayout& l,
                   std::vector<int>& map) {
      if (d < pad) return;
      for (int m : g[d - pad]) {
        map[m] = static_cast<int>(f.size.size());
        f.size.push_back(l.mode_shape[m]);
        f.dim.push_back(d);
      }
    };
    add(go, po, outer, map_o);
    add(gi, pi, inner, map_i);
  }
  for (int e : outer.spatial_modes) f.spatial.push_back(e < 0 ? e : map_o[e]);
  for (int e : inner.spatial_modes) f.spatial.push_back(e < 0 ? e : map_i[e]);
  for (int e : outer.local_modes) f.local.push_back(map_o[e]);
  for (int e : inner.local_modes) f.local.push_back(map_i[e]);
  return detail::canonicalize(std::move(f));
}

RegisterLayout RegisterLayout::local(std::vector<int> e) const { return compose(*this, layout::local(std::move(e))); }
RegisterLayout RegisterLayout::spatial(std::vector<int> e) const { return compose(*this, layout::spatial(std::move(e))); }
RegisterLayout RegisterLayout::column_local(std::vector<int> e) const { return compose(*this, layout::column_local(std::move(e))); }
RegisterLayout RegisterLayout::column_spatial(std::vector<int> e) const { return compose(*this, layout::column_spatial(std::move(e))); }
RegisterLayout RegisterLayout::replicated(int w) const { return compose(*this, layout::replicated(w)); }
RegisterLayout RegisterLayout::then(const RegisterLayout& inner) const { return compose(*this, inner); }

}  // namespace tilevm::layout
