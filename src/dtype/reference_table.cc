// The reference's second, search-based rounding and the boundary input sets built from it.
#include <algorithm>
#include <bit>

#include "dtype/reference.h"
#include "support/check.h"

namespace tilevm::dt::ref {

int compare(const Exact& a, const Exact& b) {
  TILEVM_CHECK(a.cls == Exact::kFinite && b.cls == Exact::kFinite);
  if (a.mant == 0 || b.mant == 0 || a.neg != b.neg) {
    int sa = a.mant == 0 ? 0 : (a.neg ? -1 : 1);
    int sb = b.mant == 0 ? 0 : (b.neg ? -1 : 1);
    return sa - sb;
  }
  int la = 63 - std::countl_zero(a.mant) + a.exp;
  int lb = 63 - std::countl_zero(b.mant) + b.exp;
  int mag;
  if (la != lb) {
    mag = la < lb ? -1 : 1;
  } else {  // same binade: compare the mantissas aligned at bit 63
    uint64_t ma = a.mant << std::countl_zero(a.mant), mb = b.mant << std::countl_zero(b.mant);
    mag = ma < mb ? -1 : (ma > mb ? 1 : 0);
  }
  return a.neg ? -mag : mag;
}

namespace {

// a + b for non-negative neighbours whose exponents are close (true of any two codes of a
// format of ≤ 16 bits).
Exact add(const Exact& a, const Exact& b) {
  if (a.mant == 0) return b;
  if (b.mant == 0) return a;
  int lo = std::min(a.exp, b.exp);
  TILEVM_CHECK(std::max(a.exp, b.exp) - lo < 40 && a.mant < (1ull << 20) && b.mant < (1ull << 20));
  Exact s;
  s.mant = (a.mant << (a.exp - lo)) + (b.mant << (b.exp - lo));
  s.exp = lo;
  return s;
}

Exact twice(Exact v) {
  v.exp += 1;
  return v;
}

Exact magnitude(Exact v) {
  v.neg = false;
  return v;
}

}  // namespace

TableRounder::TableRounder(const DType& to) : f_(format_of(to)) {
  TILEVM_CHECK((f_.kind == Format::kFloat || f_.kind == Format::kE8M0) && f_.bits <= 16);
  uint64_t count = uint64_t{1} << (f_.bits - (f_.is_signed ? 1 : 0));  // sign bit clear
  for (uint64_t c = 0; c < count; ++c) {
    Exact v = decode(c, f_);
    if (v.cls == Exact::kFinite) entries_.push_back({v, c});
  }
  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) { return compare(a.value, b.value) < 0; });
  finite_count_ = entries_.size();
  if (f_.has_inf && !f_.saturates()) {  // the infinity stand-in 2^(floor log2 max + 1)
    const Exact& max = entries_.back().value;
    Exact next;
    next.mant = 1;
    next.exp = 63 - std::countl_zero(max.mant) + max.exp + 1;
    uint64_t inf = (uint64_t{1} << f_.bits) - 1;
    inf = (inf >> (f_.m + 1)) << f_.m;  // exponent all ones, mantissa zero, sign clear
    entries_.push_back({next, inf});
  }
}

uint64_t TableRounder::round(const Exact& v, Round r) const {
  bool e8m0 = f_.kind == Format::kE8M0;
  uint64_t sign = (f_.is_signed && v.neg) ? uint64_t{1} << (f_.bits - 1) : 0;
  const Entry& last = entries_.back();
  const Entry& max = entries_[finite_count_ - 1];
  if (v.cls == Exact::kNaN) return nan_code(f_);
  if (v.cls == Exact::kInf) return sign | (finite_count_ < entries_.size() ? last.code : max.code);
  if (e8m0 && v.mant == 0) return entries_.front().code;
  Exact a = magnitude(v);
  auto it = std::lower_bound(entries_.begin(), entries_.end(), a,
                             [](const Entry& e, const Exact& x) { return compare(e.value, x) < 0; });
  if (it == entries_.end()) return sign | (e8m0 ? max.code : last.code);  // beyond every entry
  if (compare(it->value, a) == 0) return sign | it->code;
  if (e8m0) {  // directed: toward zero takes the entry below (clipped to the smallest)
    TILEVM_CHECK(r == Round::TowardZero || r == Round::Up);
    if (r == Round::Up || it == entries_.begin()) return it->code;
    return std::prev(it)->code;
  }
  TILEVM_CHECK(r == Round::NearestEven && it != entries_.begin());
  const Entry& lo = *std::prev(it);
  const Entry& hi = *it;
  int c = compare(twice(a), add(lo.value, hi.value));
  const Entry& pick = c < 0 ? lo : c > 0 ? hi : ((lo.code & 1) == 0 ? lo : hi);
  return sign | pick.code;
}

uint64_t convert_by_table(uint64_t code, const DType& from, const DType& to, Round r) {
  Format src = format_of(from), dst = format_of(to);
  if (src == dst) return code & from.mask();
  Exact v = decode(code, src);
  if (v.cls == Exact::kNaN) return nan_result(code & from.mask(), src, dst);
  if (dst.kind == Format::kE8M0 && r == Round::NearestEven) r = Round::Up;
  return TableRounder(to).round(v, r);
}

}  // namespace tilevm::dt::ref
