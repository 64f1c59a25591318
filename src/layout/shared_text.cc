// The text form of shared layouts: row_major/column_major/shared(...) chains and a swizzle.
#include <algorithm>
#include <string>

#include "layout/shared_layout.h"
#include "layout/mode_form.h"
#include "layout/text_scan.h"

namespace tilevm::layout {

using detail::Scanner;

namespace {

const std::string_view kSharedNames[] = {"row_major", "column_major", "shared", "swizzle"};

bool is_shared_name(std::string_view id) {
  return std::find(std::begin(kSharedNames), std::end(kSharedNames), id) != std::end(kSharedNames);
}

Expected<std::vector<int64_t>> bounded(Scanner& s, Expected<std::vector<int64_t>> v, const std::vector<size_t>& at,
                                       int64_t lo, int64_t hi, const char* what) {
  if (!v) return v;
  for (size_t i = 0; i < v->size(); ++i)
    if ((*v)[i] < lo || (*v)[i] > hi)
      return fail(std::string(what) + " must be between " + std::to_string(lo) + " and " + std::to_string(hi), at[i],
                  std::to_string((*v)[i]).size());
  return v;
}

std::vector<int> narrow(const std::vector<int64_t>& v) { return std::vector<int>(v.begin(), v.end()); }

Expected<SharedLayout> parse_base(Scanner& s) {
  s.skip_ws();
  size_t begin = s.pos();
  std::string_view name = s.take_ident();
  if (name != "row_major" && name != "column_major" && name != "shared") {
    s.set_pos(begin);
    return s.error_here(name.empty() ? "expected a shared layout (row_major, column_major or shared)"
                                     : "unknown shared layout constructor '" + std::string(name) +
                                           "' (expected row_major, column_major or shared)",
                        std::max<size_t>(1, name.size()));
  }
  std::vector<size_t> at;
  if (name != "shared") {
    auto ext = bounded(s, s.int_args(&at), at, 1, kMaxLayoutSize, "extents");
    if (!ext) return ext.error();
    if (detail::checked_product(narrow(*ext)) > kMaxLayoutSize) return fail("too many elements", begin, s.pos() - begin);
    return name == "row_major" ? shared_row_major(narrow(*ext)) : shared_column_major(narrow(*ext));
  }
  if (auto e = s.expect('(', "'('")) return *e;
  if (auto e = s.keyword("shape", false)) return *e;
  auto shape = bounded(s, s.int_list(&at), at, 1, kMaxLayoutSize, "extents");
  if (!shape) return shape.error();
  at.clear();
  if (auto e = s.keyword("modes", true)) return *e;
  auto modes = bounded(s, s.int_list(&at), at, 1, kMaxLayoutSize, "mode sizes");
  if (!modes) return modes.error();
  at.clear();
  if (auto e = s.keyword("strides", true)) return *e;
  auto strides = bounded(s, s.int_list(&at), at, 0, int64_t{1} << 40, "strides");
  if (!strides) return strides.error();
  if (auto e = s.expect(')', "')'")) return *e;
  auto l = SharedLayout::make(narrow(*shape), narrow(*modes), *strides);
  if (!l) return fail("invalid shared layout: " + l.error().message, begin, s.pos() - begin);
  return l;
}

}  // namespace

Expected<SharedLayout> parse_shared_layout_prefix(std::string_view text, size_t* consumed) {
  Scanner s(text);
  auto acc = parse_base(s);
  if (!acc) return acc;
  for (;;) {
    size_t end = s.pos();
    if (!s.accept('.') || !is_shared_name(s.peek_ident())) {
      s.set_pos(end);
      if (consumed) *consumed = end;
      return acc;
    }
    size_t begin = (s.skip_ws(), s.pos());
    if (s.peek_ident() == "swizzle") {
      s.take_ident();
      std::vector<size_t> at;
      auto args = s.int_args(&at);
      if (!args) return args.error();
      if (args->size() != 3) return fail("swizzle takes three arguments: bits, base, shift", begin, s.pos() - begin);
      Swizzle z{static_cast<int>(std::clamp<int64_t>((*args)[0], -99, 99)), static_cast<int>(std::clamp<int64_t>((*args)[1], -99, 99)),
                static_cast<int>(std::clamp<int64_t>((*args)[2], -99, 99))};
      auto l = SharedLayout::make(acc->shape, acc->mode_shape, acc->mode_strides, z);
      if (!l) return fail("invalid swizzle: " + l.error().message, begin, s.pos() - begin);
      if (consumed) *consumed = s.pos();
      return l;  // a swizzle ends the chain
    }
    auto next = parse_base(s);
    if (!next) return next;
    auto c = shared_compose(*acc, *next);
    if (!c) return fail(c.error().message, 0, s.pos());
    acc = std::move(c);
  }
}

Expected<SharedLayout> parse_shared_layout(std::string_view text) {
  size_t n = 0;
  auto l = parse_shared_layout_prefix(text, &n);
  if (!l) return l;
  if (auto e = detail::trailing_text_error(text, n, "shared")) return *e;
  return l;
}

std::string to_string(const SharedLayout& l) {
  using detail::join;
  SharedLayout plain = l;
  plain.swizzle.reset();
  std::string s;
  if (plain == shared_row_major(l.shape)) {
    s = "row_major" + join(l.shape, "(", ")");
  } else if (plain == shared_column_major(l.shape)) {
    s = "column_major" + join(l.shape, "(", ")");
  } else {
    std::string st = "[";
    for (size_t i = 0; i < l.mode_strides.size(); ++i) {
      if (i) st += ',';
      st += std::to_string(l.mode_strides[i]);
    }
    s = "shared(shape=" + join(l.shape) + ", modes=" + join(l.mode_shape) + ", strides=" + st + "])";
  }
  if (l.swizzle) s += ".swizzle" + join({l.swizzle->bits, l.swizzle->base, l.swizzle->shift}, "(", ")");
  return s;
}

}  // namespace tilevm::layout
