// The list of standard dtype checks: which input set goes to which target, and the decode checks.
#include <bit>
#include <cmath>
#include <cstring>

#include "backend/cuda/dtype_verify_util.h"
#include "dtype/reference.h"

namespace tilevm::cuda {
namespace {

using dt::DType;
using dt::Round;

struct Target {
  DType type;
  Round round;
};

// Every named type, the two unnamed all-finite 8-bit formats, ue8m0 in each rounding mode.
std::vector<DType> every_type() {
  std::vector<DType> all = dt::all_dtypes();
  all.push_back(dt::float_format(4, 3));
  all.push_back(dt::float_format(5, 2));
  return all;
}

std::vector<Target> every_target() {
  std::vector<Target> out;
  for (const DType& t : every_type()) {
    out.push_back({t, Round::NearestEven});
    if (t == dt::kUE8M0) {
      out.push_back({t, Round::TowardZero});
      out.push_back({t, Round::Up});
    }
  }
  return out;
}

dt::FloatClass ref_class(uint64_t code, const DType& t) {
  dt::ref::Exact v = dt::ref::decode(code, t);
  if (v.cls == dt::ref::Exact::kNaN) return dt::FloatClass::NaN;
  if (v.cls == dt::ref::Exact::kInf) return dt::FloatClass::Infinity;
  if (t == dt::kUE8M0) return dt::FloatClass::Normal;
  if (v.mant == 0) return dt::FloatClass::Zero;
  int log2 = 63 - std::countl_zero(v.mant) + v.exp;
  return (t.is_float() && log2 < 1 - t.bias) ? dt::FloatClass::Subnormal : dt::FloatClass::Normal;
}

// decode(), classify() and is_nan() of every code of t against the reference's decode.
CheckResult check_decode(const DType& t) {
  CheckResult res;
  res.name = "decode every code of " + t.name();
  res.oracles = "reference";
  for (uint64_t c = 0; c < (uint64_t{1} << t.bits); ++c) {
    double want = dt::ref::to_double(dt::ref::decode(c, t));
    double got = dt::decode(c, t);
    bool same = std::isnan(want) ? std::isnan(got) : std::memcmp(&want, &got, 8) == 0;
    dt::FloatClass cls = ref_class(c, t);
    bool nan = cls == dt::FloatClass::NaN;
    ++res.checked;
    if (same && dt::classify(c, t) == cls && dt::is_nan(c, t) == nan) continue;
    if (res.failed++ == 0)
      res.first_failure = "code " + std::to_string(c) + ": decode " + std::to_string(got) + ", reference " +
                          dt::ref::exact_decimal(dt::ref::decode(c, t)) + ", class " +
                          std::to_string(static_cast<int>(dt::classify(c, t))) + " vs " +
                          std::to_string(static_cast<int>(cls));
  }
  return res;
}

void add_all_targets(std::vector<Check>& out, const std::string& group, const DType& from,
                     const std::string& set_name, std::vector<uint64_t> (*inputs)(const DType& from, const DType& to),
                     bool (*want)(const DType& to)) {
  for (const Target& t : every_target()) {
    if (want && !want(t.type)) continue;
    out.push_back({group, set_name + " -> " + target_label(t.type, t.round), [=] {
                     return compare_inputs(set_name, from, t.type, t.round, inputs(from, t.type));
                   }});
  }
}

std::vector<uint64_t> every_code_of_source(const DType& from, const DType&) { return all_codes(from.bits); }
std::vector<uint64_t> f32_set(const DType&, const DType& to) { return f32_inputs(to); }
std::vector<uint64_t> f64_set(const DType&, const DType& to) { return f64_inputs(to); }
std::vector<uint64_t> wide_int_set(const DType& from, const DType&) { return wide_int_inputs(from); }
bool float_target(const DType& to) { return to.is_float(); }
bool int_target(const DType& to) { return !to.is_float(); }

}  // namespace

std::vector<Check> standard_checks() {
  std::vector<Check> out;
  add_all_targets(out, "f16", dt::kF16, "f16 (every code)", every_code_of_source, nullptr);
  add_all_targets(out, "bf16", dt::kBF16, "bf16 (every code)", every_code_of_source, nullptr);
  add_all_targets(out, "f32-float", dt::kF32, "f32 (boundaries)", f32_set, float_target);
  add_all_targets(out, "f32-int", dt::kF32, "f32 (boundaries)", f32_set, int_target);
  add_all_targets(out, "f64", dt::kF64, "f64 (boundaries)", f64_set, nullptr);
  for (const DType& t : every_type()) {
    if (t.is_float() && t.bits <= 8)
      add_all_targets(out, "small", t, t.name() + " (every code)", every_code_of_source, nullptr);
    else if (!t.is_float() && t.bits <= 16)
      add_all_targets(out, "int", t, t.name() + " (every code)", every_code_of_source, nullptr);
    else if (!t.is_float())
      add_all_targets(out, "int", t, t.name() + " (boundaries)", wide_int_set, nullptr);
    if (t.bits <= 16) out.push_back({"decode", "decode every code of " + t.name(), [t] { return check_decode(t); }});
  }
  return out;
}

}  // namespace tilevm::cuda
