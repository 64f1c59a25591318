// Register-layout operations beyond composition: division, reshape, permute, squeeze,
// unsqueeze, reduce and concat.
#include <algorithm>
#include <string>

#include "layout/mode_form.h"
#include "layout/register_layout.h"
#include "layout/text_scan.h"

namespace tilevm::layout {

using detail::ModeForm;

namespace {

std::string str(const std::vector<int>& v) { return detail::join(v); }

std::vector<int> modes_of_dim(const ModeForm& f, int d) {
  std::vector<int> ms;
  for (size_t m = 0; m < f.dim.size(); ++m)
    if (f.dim[m] == d) ms.push_back(static_cast<int>(m));
  return ms;
}

// `other` padded with leading extent-1 dimensions to `rank` (rank >= other.rank()).
ModeForm padded_form(const RegisterLayout& other, int rank) {
  ModeForm f = detail::to_form(other);
  int pad = rank - other.rank();
  f.shape.insert(f.shape.begin(), pad, 1);
  for (int& d : f.dim) d += pad;
  return f;
}

// Splits lhs modes so that, in every dimension, `part`'s modes appear as the innermost (suffix)
// or outermost (prefix) modes of lhs. Only the lhs mode that meets part's boundary mode may be
// split. Returns the matching part-mode → lhs-mode, or an error.
Expected<std::vector<int>> refine(ModeForm& f, const ModeForm& part, bool suffix) {
  int rank = static_cast<int>(f.shape.size());
  for (int d = rank - 1; d >= 0; --d) {
    auto lm = modes_of_dim(f, d), pm = modes_of_dim(part, d);
    int n = static_cast<int>(pm.size());
    for (int j = 0; j < n; ++j) {
      int li = suffix ? static_cast<int>(lm.size()) - 1 - j : j;
      int pj = suffix ? pm[n - 1 - j] : pm[j];
      if (li < 0 || li >= static_cast<int>(lm.size()))
        return fail("dimension " + std::to_string(d) + " has fewer modes than the divisor's");
      int p = f.size[lm[li]], q = part.size[pj];
      if (p == q) continue;
      if (j == n - 1 && p % q == 0) {
        if (suffix) detail::split_mode(f, lm[li], p / q, q);
        else detail::split_mode(f, lm[li], q, p / q);
        break;
      }
      return fail("in dimension " + std::to_string(d) + ", the divisor's mode of size " +
                  std::to_string(q) + " does not match the layout's mode of size " + std::to_string(p));
    }
  }
  std::vector<int> match(part.size.size(), -1);
  for (int d = 0; d < rank; ++d) {
    auto lm = modes_of_dim(f, d), pm = modes_of_dim(part, d);
    size_t off = suffix ? lm.size() - pm.size() : 0;
    for (size_t j = 0; j < pm.size(); ++j) match[pm[j]] = lm[off + j];
  }
  return match;
}

// Checks that `want` (already mapped to lhs mode ids) is the suffix (or prefix) of `list`,
// splitting one replication entry at the boundary if needed.
bool match_list(ModeForm& f, std::vector<int>& list, const std::vector<int>& want, bool suffix,
                bool is_spatial) {
  if (want.size() > list.size()) return false;
  size_t start = suffix ? list.size() - want.size() : 0;
  size_t edge = suffix ? start : want.size() - 1;  // the boundary entry inside the matched part
  int w = want.empty() ? 0 : (suffix ? want.front() : want.back());
  if (is_spatial && !want.empty() && w < 0 && list[edge] < 0 && list[edge] != w && list[edge] % w == 0) {
    int a = -list[edge], b = -w;
    detail::split_replication(f, static_cast<int>(edge), suffix ? a / b : b, suffix ? b : a / b);
    if (suffix) ++start;
  }
  if (want.size() > list.size()) return false;
  return std::equal(want.begin(), want.end(), list.begin() + start);
}

// Builds the quotient from the modes of `f` that are not in `matched`, keeping the list parts
// outside the matched part.
RegisterLayout quotient(const ModeForm& f, const std::vector<int>& matched, std::vector<int> shape,
                        size_t ns, size_t nl, bool suffix) {
  std::vector<int> id(f.size.size(), -1);
  ModeForm q;
  q.shape = std::move(shape);
  for (size_t m = 0; m < f.size.size(); ++m) {
    if (std::find(matched.begin(), matched.end(), static_cast<int>(m)) != matched.end()) continue;
    id[m] = static_cast<int>(q.size.size());
    q.size.push_back(f.size[m]);
    q.dim.push_back(f.dim[m]);
  }
  auto keep = [&](const std::vector<int>& list, size_t n, std::vector<int>& out) {
    size_t b = suffix ? 0 : n, e = suffix ? list.size() - n : list.size();
    for (size_t p = b; p < e; ++p) out.push_back(list[p] < 0 ? list[p] : id[list[p]]);
  };
  keep(f.spatial, ns, q.spatial);
  keep(f.local, nl, q.local);
  return detail::canonicalize(std::move(q));
}

Expected<RegisterLayout> divide_impl(const RegisterLayout& lhs, const RegisterLayout& part,
                                     bool right) {
  const char* side = right ? "right" : "left";
  if (part.rank() > lhs.rank())
    return fail(std::string("cannot ") + side + "-divide: the divisor has rank " +
                std::to_string(part.rank()) + ", more than the layout's " + std::to_string(lhs.rank()));
  ModeForm p = padded_form(part, lhs.rank());
  std::vector<int> qshape;
  for (int d = 0; d < lhs.rank(); ++d) {
    if (lhs.shape[d] % p.shape[d] != 0)
      return fail("cannot divide: extent " + std::to_string(p.shape[d]) + " of the divisor does not divide extent " +
                  std::to_string(lhs.shape[d]) + " of dimension " + std::to_string(d));
    qshape.push_back(lhs.shape[d] / p.shape[d]);
  }
  ModeForm f = detail::to_form(lhs);
  auto match = refine(f, p, right);
  if (!match) return fail("cannot divide " + describe(lhs) + " by " + describe(part) + ": " + match.error().message);
  auto mapped = [&](const std::vector<int>& list) {
    std::vector<int> out;
    for (int e : list) out.push_back(e < 0 ? e : (*match)[e]);
    return out;
  };
  auto ws = mapped(p.spatial), wl = mapped(p.local);
  if (!match_list(f, f.spatial, ws, right, true) || !match_list(f, f.local, wl, right, false))
    return fail("cannot divide " + describe(lhs) + " by " + describe(part) + ": the divisor's threads and slots are not the " +
                (right ? "innermost" : "outermost") + " part of the layout's");
  RegisterLayout q = quotient(f, *match, qshape, ws.size(), wl.size(), right);
  if ((right ? compose(q, part) : compose(part, q)) != lhs)
    return fail("cannot divide " + describe(lhs) + " by " + describe(part) + ": no layout R gives " +
                (right ? "compose(R, divisor)" : "compose(divisor, R)"));
  return q;
}

}  // namespace

Expected<RegisterLayout> divide(const RegisterLayout& lhs, const RegisterLayout& rhs) {
  return divide_impl(lhs, rhs, true);
}

Expected<RegisterLayout> left_divide(const RegisterLayout& lhs, const RegisterLayout& outer) {
  return divide_impl(lhs, outer, false);
}

Expected<RegisterLayout> reshape(const RegisterLayout& layout, const std::vector<int>& new_shape) {
  for (int e : new_shape)
    if (e < 1) return fail("reshape: extents must be >= 1, got " + str(new_shape));
  if (detail::checked_product(new_shape) != layout.num_elements())
    return fail("reshape: " + str(layout.shape) + " and " + str(new_shape) + " have different element counts");
  ModeForm f = detail::to_form(layout);
  int k = 0, need = new_shape.empty() ? 1 : new_shape[0];
  for (size_t m = 0; m < f.size.size(); ++m) {
    while (need == 1) need = new_shape[++k];
    int p = f.size[m];
    if (need % p == 0) {
      need /= p;
    } else if (p % need == 0) {
      detail::split_mode(f, static_cast<int>(m), need, p / need);
      need = 1;
    } else {
      return fail("reshape: mode of size " + std::to_string(p) + " of " + describe(layout) +
                  " straddles dimension " + std::to_string(k) + " of " + str(new_shape));
    }
    f.dim[m] = k;
  }
  f.shape = new_shape;
  return detail::canonicalize(std::move(f));
}

Expected<RegisterLayout> permute(const RegisterLayout& layout, const std::vector<int>& dims) {
  int r = layout.rank();
  std::vector<int> seen(r, 0);
  if (static_cast<int>(dims.size()) != r) return fail("permute: expected " + std::to_string(r) + " dimensions, got " + str(dims));
  for (int d : dims)
    if (d < 0 || d >= r || seen[d]++) return fail("permute: " + str(dims) + " is not a permutation of 0.." + std::to_string(r - 1));
  auto groups = layout.mode_groups();
  ModeForm f;
  std::vector<int> id(layout.mode_shape.size());
  for (int i = 0; i < r; ++i) {
    f.shape.push_back(layout.shape[dims[i]]);
    for (int m : groups[dims[i]]) {
      id[m] = static_cast<int>(f.size.size());
      f.size.push_back(layout.mode_shape[m]);
      f.dim.push_back(i);
    }
  }
  for (int e : layout.spatial_modes) f.spatial.push_back(e < 0 ? e : id[e]);
  for (int e : layout.local_modes) f.local.push_back(id[e]);
  return detail::canonicalize(std::move(f));
}

Expected<RegisterLayout> squeeze(const RegisterLayout& layout, const std::vector<int>& dims) {
  std::vector<int> drop(layout.rank(), 0);
  for (int d : dims) {
    if (d < 0 || d >= layout.rank() || drop[d]++) return fail("squeeze: bad or repeated dimension " + std::to_string(d));
    if (layout.shape[d] != 1) return fail("squeeze: dimension " + std::to_string(d) + " has extent " + std::to_string(layout.shape[d]) + ", not 1");
  }
  RegisterLayout out = layout;
  out.shape.clear();
  for (int d = 0; d < layout.rank(); ++d)
    if (!drop[d]) out.shape.push_back(layout.shape[d]);
  return detail::canonicalize(detail::to_form(out));
}

Expected<RegisterLayout> unsqueeze(const RegisterLayout& layout, const std::vector<int>& dims) {
  int r = layout.rank() + static_cast<int>(dims.size());
  std::vector<int> is_new(r, 0);
  for (int d : dims)
    if (d < 0 || d >= r || is_new[d]++) return fail("unsqueeze: bad or repeated dimension " + std::to_string(d));
  RegisterLayout out = layout;
  out.shape.clear();
  for (int d = 0, k = 0; d < r; ++d) out.shape.push_back(is_new[d] ? 1 : layout.shape[k++]);
  return detail::canonicalize(detail::to_form(out));
}

Expected<RegisterLayout> reduce(const RegisterLayout& layout, const std::vector<int>& dims, bool keepdims) {
  std::vector<int> red(layout.rank(), 0);
  for (int d : dims)
    if (d < 0 || d >= layout.rank() || red[d]++) return fail("reduce: bad or repeated dimension " + std::to_string(d));
  ModeForm in = detail::to_form(layout), f;
  std::vector<int> new_dim(layout.rank(), -1);
  for (int d = 0; d < layout.rank(); ++d) {
    if (red[d] && !keepdims) continue;
    new_dim[d] = static_cast<int>(f.shape.size());
    f.shape.push_back(red[d] ? 1 : layout.shape[d]);
  }
  std::vector<int> id(in.size.size(), -1);
  for (size_t m = 0; m < in.size.size(); ++m) {
    if (red[in.dim[m]]) continue;
    id[m] = static_cast<int>(f.size.size());
    f.size.push_back(in.size[m]);
    f.dim.push_back(new_dim[in.dim[m]]);
  }
  for (int e : in.spatial) f.spatial.push_back(e < 0 ? e : id[e] >= 0 ? id[e] : -in.size[e]);
  for (int e : in.local)
    if (id[e] >= 0) f.local.push_back(id[e]);
  return detail::canonicalize(std::move(f));
}

RegisterLayout concat(const RegisterLayout& lhs, const RegisterLayout& rhs) {
  ModeForm a = detail::to_form(lhs), b = detail::to_form(rhs);
  int nm = static_cast<int>(a.size.size()), nd = lhs.rank();
  a.shape.insert(a.shape.end(), b.shape.begin(), b.shape.end());
  a.size.insert(a.size.end(), b.size.begin(), b.size.end());
  for (int d : b.dim) a.dim.push_back(d + nd);
  for (int e : b.spatial) a.spatial.push_back(e < 0 ? e : e + nm);
  for (int e : b.local) a.local.push_back(e + nm);
  return detail::canonicalize(std::move(a));
}

}  // namespace tilevm::layout
