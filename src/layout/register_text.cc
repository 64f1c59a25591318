// The text form of register layouts: the constructor chain or the register(...) four-tuple.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "layout/mode_form.h"
#include "layout/register_layout.h"
#include "layout/text_scan.h"

namespace tilevm::layout {

using detail::Scanner;

namespace {

const std::string_view kChainNames[] = {"local", "spatial", "column_local", "column_spatial",
                                        "replicated", "register"};

bool is_chain_name(std::string_view id) {
  return std::find(std::begin(kChainNames), std::end(kChainNames), id) != std::end(kChainNames);
}

// Narrows parsed integers to extents >= min_value, locating the first bad one.
Expected<std::vector<int>> extents(const std::vector<int64_t>& v, const std::vector<size_t>& at,
                                   const Scanner& s, int64_t min_value, const char* what) {
  std::vector<int> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] < min_value || v[i] > kMaxLayoutSize) {
      size_t len = 1;
      while (at[i] + len < s.text().size() && std::isdigit(static_cast<unsigned char>(s.text()[at[i] + len]))) ++len;
      return fail(std::string(what) + " must be between " + std::to_string(min_value) + " and 2^30, got " +
                      std::to_string(v[i]), at[i], len);
    }
    out.push_back(static_cast<int>(v[i]));
  }
  return out;
}

Expected<std::vector<int>> list_arg(Scanner& s, const char* key, bool comma, int64_t min_value) {
  if (auto e = s.keyword(key, comma)) return *e;
  std::vector<size_t> at;
  auto v = s.int_list(&at);
  if (!v) return v.error();
  return extents(*v, at, s, min_value, key);
}

Expected<RegisterLayout> parse_tuple(Scanner& s, size_t begin) {
  if (auto e = s.expect('(', "'('")) return *e;
  auto shape = list_arg(s, "shape", false, 1);
  if (!shape) return shape.error();
  auto modes = list_arg(s, "modes", true, 1);
  if (!modes) return modes.error();
  auto sp = list_arg(s, "spatial", true, -kMaxLayoutSize);
  if (!sp) return sp.error();
  auto lo = list_arg(s, "local", true, 0);
  if (!lo) return lo.error();
  if (auto e = s.expect(')', "')'")) return *e;
  auto l = RegisterLayout::make(*shape, *modes, *sp, *lo);
  if (!l) return fail("invalid register layout: " + l.error().message, begin, s.pos() - begin);
  return l;
}

Expected<RegisterLayout> parse_atom(Scanner& s) {
  s.skip_ws();
  size_t begin = s.pos();
  std::string_view name = s.take_ident();
  if (name.empty() || !is_chain_name(name)) {
    s.set_pos(begin);
    return s.error_here(name.empty() ? "expected a register layout (local, spatial, column_local, column_spatial, replicated or register)"
                                     : "unknown register layout constructor '" + std::string(name) +
                                           "' (expected local, spatial, column_local, column_spatial, replicated or register)",
                        std::max<size_t>(1, name.size()));
  }
  if (name == "register") return parse_tuple(s, begin);
  std::vector<size_t> at;
  auto args = s.int_args(&at);
  if (!args) return args.error();
  if (name == "replicated") {
    if (args->size() != 1) return fail("replicated takes one argument, the number of threads", begin, s.pos() - begin);
    auto w = extents(*args, at, s, 1, "the number of threads");
    if (!w) return w.error();
    return replicated((*w)[0]);
  }
  auto ext = extents(*args, at, s, 1, "extents");
  if (!ext) return ext.error();
  if (name == "local") return local(*ext);
  if (name == "spatial") return spatial(*ext);
  if (name == "column_local") return column_local(*ext);
  return column_spatial(*ext);
}

}  // namespace

Expected<RegisterLayout> parse_register_layout_prefix(std::string_view text, size_t* consumed) {
  Scanner s(text);
  auto l = parse_atom(s);
  if (!l) return l;
  RegisterLayout acc = std::move(*l);
  for (;;) {
    size_t end = s.pos();
    if (s.accept('.') && is_chain_name(s.peek_ident())) {
      auto next = parse_atom(s);
      if (!next) return next;
      if (detail::checked_product(acc.shape) * next->num_elements() > kMaxLayoutSize ||
          static_cast<long long>(acc.num_threads()) * next->num_threads() > kMaxLayoutSize ||
          static_cast<long long>(acc.local_size()) * next->local_size() > kMaxLayoutSize)
        return fail("the composed layout is too large", 0, s.pos());
      acc = compose(acc, *next);
      continue;
    }
    s.set_pos(end);
    if (consumed) *consumed = end;
    return acc;
  }
}

Expected<RegisterLayout> parse_register_layout(std::string_view text) {
  size_t n = 0;
  auto l = parse_register_layout_prefix(text, &n);
  if (!l) return l;
  if (auto e = detail::trailing_text_error(text, n, "register")) return *e;
  return l;
}

// ---- Printing

namespace {

struct Factor {
  std::string name;
  std::vector<int> args;
  RegisterLayout layout;
};

// The candidates for the innermost factor of `l`: a trailing replication, or a run of
// trailing entries of one list that are each the innermost mode of its dimension, in row or
// column order.
std::vector<Factor> innermost_candidates(const RegisterLayout& l) {
  std::vector<Factor> out;
  auto groups = l.mode_groups();
  auto dims = detail::mode_dims(l.shape, l.mode_shape);
  for (bool is_spatial : {false, true}) {
    const auto& list = is_spatial ? l.spatial_modes : l.local_modes;
    size_t n = 0;
    int dir = 0;  // +1 rows, -1 columns
    while (n < list.size()) {
      int e = list[list.size() - 1 - n];
      if (e < 0 || groups[dims[e]].back() != e) break;
      if (n > 0) {
        int prev = dims[list[list.size() - n]];  // the entry after e
        int d = prev > dims[e] ? 1 : prev < dims[e] ? -1 : 0;
        if (d == 0 || (dir != 0 && d != dir)) break;
        dir = d;
      }
      ++n;
    }
    for (; n > 0; --n) {
      std::vector<int> ext(l.rank(), 1);
      for (size_t i = list.size() - n; i < list.size(); ++i) ext[dims[list[i]]] = l.mode_shape[list[i]];
      bool column = n > 1 && dims[list[list.size() - n]] > dims[list.back()];
      std::string name = std::string(column ? "column_" : "") + (is_spatial ? "spatial" : "local");
      RegisterLayout f = is_spatial ? (column ? column_spatial(ext) : spatial(ext))
                                    : (column ? column_local(ext) : local(ext));
      out.push_back({name, ext, f});
    }
  }
  // Last, so that replication prints outermost when it commutes with the rest.
  if (!l.spatial_modes.empty() && l.spatial_modes.back() < 0) {
    int w = -l.spatial_modes.back();
    out.push_back({"replicated", {w}, replicated(w)});
  }
  return out;
}

bool is_identity(const RegisterLayout& l) { return l.mode_shape.empty() && l.spatial_modes.empty(); }

std::optional<std::vector<Factor>> find_chain(RegisterLayout cur) {
  std::vector<Factor> rev;
  while (!is_identity(cur)) {
    bool found = false;
    for (auto& c : innermost_candidates(cur)) {
      auto q = divide(cur, c.layout);
      if (!q) continue;
      rev.push_back(std::move(c));
      cur = std::move(*q);
      found = true;
      break;
    }
    if (!found) return std::nullopt;
  }
  bool full_rank = std::any_of(rev.begin(), rev.end(), [](const Factor& f) { return f.name != "replicated"; });
  if (!full_rank && (cur.rank() > 0 || rev.empty()))
    rev.push_back({"local", cur.shape, local(cur.shape)});
  std::reverse(rev.begin(), rev.end());
  return rev;
}

}  // namespace

std::string describe(const RegisterLayout& l) {
  using detail::join;
  return "shape " + join(l.shape) + " modes " + join(l.mode_shape) + " spatial " + join(l.spatial_modes) +
         " local " + join(l.local_modes);
}

std::string to_string(const RegisterLayout& l) {
  using detail::join;
  if (auto chain = find_chain(l)) {
    std::string s;
    for (size_t i = 0; i < chain->size(); ++i)
    {
      if (i) s += '.';
      s += (*chain)[i].name + join((*chain)[i].args, "(", ")");
    }
    return s;
  }
  return "register(shape=" + join(l.shape) + ", modes=" + join(l.mode_shape) + ", spatial=" +
         join(l.spatial_modes) + ", local=" + join(l.local_modes) + ")";
}

}  // namespace tilevm::layout
