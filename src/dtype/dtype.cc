// The dtype registry: canonical names, parsing with suggestions, and exact format facts.
#include "dtype/dtype.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <tuple>

namespace tilevm::dt {
namespace {

// The all-finite members that share field widths with f8e4m3 / f8e5m2 get this suffix.
constexpr const char* kFiniteSuffix = "fin";

bool is_family_member(const DType& t) {
  return t.kind == Kind::Float && t.bits <= 8 && t.exp_bits >= 1 && t.man_bits >= 1 &&
         t.bits == 1 + t.exp_bits + t.man_bits && t.has_sign && !t.has_inf &&
         t.nan == NanEncoding::None && t.bias == (1 << (t.exp_bits - 1)) - 1;
}

std::string float_name(const DType& t) {
  if (t == kF16) return "f16";
  if (t == kBF16) return "bf16";
  if (t == kF32) return "f32";
  if (t == kF64) return "f64";
  if (t == kF8E4M3) return "f8e4m3";
  if (t == kF8E5M2) return "f8e5m2";
  if (t == kUE8M0) return "ue8m0";
  std::string shape = std::string("f").append(std::to_string(t.bits)).append("e");
  shape.append(std::to_string(t.exp_bits)).append("m").append(std::to_string(t.man_bits));
  if (is_family_member(t)) {
    bool shadowed = t.bits == 8 && (t.exp_bits == 4 || t.exp_bits == 5);
    return shadowed ? shape + kFiniteSuffix : shape;
  }
  std::string s = std::string("float<").append(std::to_string(t.bits));
  s.append(",e").append(std::to_string(t.exp_bits)).append(",m").append(std::to_string(t.man_bits));
  s.append(",bias").append(std::to_string(t.bias)).append(t.has_sign ? "" : ",unsigned");
  s.append(t.has_inf ? ",inf" : "").append(",nan").append(std::to_string(static_cast<int>(t.nan)));
  return s.append(">");
}

std::vector<DType> build_registry() {
  std::vector<DType> all{kBool};
  const int int_widths[] = {1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 64};
  for (int w : int_widths) all.push_back(int_type(w, false));
  for (int w : int_widths) all.push_back(int_type(w, true));
  for (DType t : {kF16, kBF16, kF32, kF64, kF8E4M3, kF8E5M2, kUE8M0}) all.push_back(t);
  for (int n = 3; n <= 8; ++n)
    for (int e = 1; e <= n - 2; ++e)
      if (!(n == 8 && (e == 4 || e == 5))) all.push_back(float_format(e, n - 1 - e));
  return all;
}

// Levenshtein distance, for "did you mean".
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The first decimal number in a name (its width, mostly), or -1.
long first_number(std::string_view s) {
  size_t i = s.find_first_of("0123456789");
  if (i == std::string_view::npos) return -1;
  long v = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9' && v < 100000; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// Up to three valid names nearest to `name`: fewest edits, then the same leading letter, then
// the nearest width.
std::string suggestions(std::string_view name) {
  struct Scored { size_t edits; bool other_letter; long width_gap; std::string name; };
  std::vector<Scored> scored;
  const long width = first_number(name);
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const DType& t : all_dtypes()) {
    std::string n = t.name();
    long w = first_number(n);
    long gap = (width < 0 || w < 0) ? 1000000 : std::labs(w - width);
    scored.push_back({edit_distance(lower, n), lower.empty() || n[0] != lower[0], gap, n});
  }
  std::stable_sort(scored.begin(), scored.end(), [](const Scored& x, const Scored& y) {
    return std::tie(x.edits, x.other_letter, x.width_gap) < std::tie(y.edits, y.other_letter, y.width_gap);
  });
  std::string out;
  for (size_t i = 0; i < scored.size() && i < 3; ++i) {
    if (i > 0 && scored[i].edits > scored[0].edits) break;
    if (i > 0) out += ", ";
    out += scored[i].name;
  }
  return out;
}

}  // namespace

std::string DType::name() const {
  switch (kind) {
    case Kind::Bool: return "bool";
    case Kind::Int: return std::string("i").append(std::to_string(bits));
    case Kind::UInt: return std::string("u").append(std::to_string(bits));
    case Kind::Float: return float_name(*this);
  }
  TILEVM_UNREACHABLE();
}

double DType::max_finite() const {
  if (kind == Kind::Bool) return 1;
  if (kind == Kind::Int) return std::ldexp(1.0, bits - 1) - 1;
  if (kind == Kind::UInt) return std::ldexp(1.0, bits) - 1;
  if (nan == NanEncoding::UE8M0) return std::ldexp(1.0, 127);
  int top = (1 << exp_bits) - 1;  // largest exponent field
  double frac = 2.0 - std::ldexp(1.0, -man_bits);  // 1.111...1
  if (nan == NanEncoding::IeeeLike || has_inf) top -= 1;
  if (nan == NanEncoding::AllOnes) frac = 2.0 - std::ldexp(1.0, 1 - man_bits);  // 1.11...10
  return std::ldexp(frac, top - bias);
}

double DType::min_normal() const {
  if (!is_float()) return 1;
  if (nan == NanEncoding::UE8M0) return std::ldexp(1.0, -127);
  return std::ldexp(1.0, 1 - bias);
}

double DType::min_subnormal() const {
  if (!is_float()) return 1;
  if (nan == NanEncoding::UE8M0) return std::ldexp(1.0, -127);
  return std::ldexp(1.0, 1 - bias - man_bits);
}

DType float_format(int exp_bits, int man_bits) {
  TILEVM_CHECK(exp_bits >= 1 && man_bits >= 1 && 1 + exp_bits + man_bits <= 8);
  return DType{Kind::Float, 1 + exp_bits + man_bits, exp_bits, man_bits,
               (1 << (exp_bits - 1)) - 1, true, false, NanEncoding::None};
}

DType int_type(int bits, bool is_signed) {
  TILEVM_CHECK(bits >= 1 && bits <= 64);
  return DType{is_signed ? Kind::Int : Kind::UInt, bits, 0, 0, 0, is_signed};
}

const std::vector<DType>& all_dtypes() {
  static const std::vector<DType> registry = build_registry();
  return registry;
}

Expected<DType> parse_dtype(std::string_view name) {
  for (const DType& t : all_dtypes())
    if (t.name() == name) return t;
  for (int e : {4, 5}) {
    DType t = float_format(e, 7 - e);
    if (t.name() == name) return t;
  }
  if (name.empty()) return fail("empty data type name");
  return fail("unknown data type '" + std::string(name) + "'; did you mean " +
                  suggestions(name) + "?",
              0, name.size());
}

}  // namespace tilevm::dt
