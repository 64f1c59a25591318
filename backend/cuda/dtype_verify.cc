// The standard oracle comparisons: input sets, the per-input comparison, the list of checks.
#include "backend/cuda/dtype_verify.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "backend/cuda/dtype_verify_util.h"
#include "backend/cuda/host_convert.h"
#include "dtype/reference.h"

namespace tilevm::cuda {
namespace ref = dt::ref;
namespace {

using dt::DType;
using dt::Round;

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// The host CPU's own conversions (IEEE round to nearest even in hardware) as a further oracle
// for finite values of the pairs C++ casts cover exactly: f64 → f32, f32 → f64 and 32/64-bit
// integers → f32/f64. NaN results differ by design (payloads), so NaNs are left out.
std::optional<uint64_t> host_cast(uint64_t code, const DType& from, const DType& to) {
  bool to32 = to == dt::kF32, to64 = to == dt::kF64;
  if (!to32 && !to64) return std::nullopt;
  double d;
  if (from == dt::kF64 && to32) {
    std::memcpy(&d, &code, 8);
    if (std::isnan(d)) return std::nullopt;
    float f = static_cast<float>(d);
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
  }
  if (from == dt::kF32 && to64) {
    float f;
    uint32_t u = static_cast<uint32_t>(code);
    std::memcpy(&f, &u, 4);
    if (std::isnan(f)) return std::nullopt;
    d = f;
    uint64_t out;
    std::memcpy(&out, &d, 8);
    return out;
  }
  if (!from.is_int() || (from.bits != 32 && from.bits != 64)) return std::nullopt;
  bool s = from.kind == dt::Kind::Int;
  uint64_t out;
  if (to32) {
    float f = from.bits == 32 ? (s ? static_cast<float>(static_cast<int32_t>(code)) : static_cast<float>(static_cast<uint32_t>(code)))
                              : (s ? static_cast<float>(static_cast<int64_t>(code)) : static_cast<float>(code));
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
  }
  d = from.bits == 32 ? (s ? static_cast<double>(static_cast<int32_t>(code)) : static_cast<double>(static_cast<uint32_t>(code)))
                      : (s ? static_cast<double>(static_cast<int64_t>(code)) : static_cast<double>(code));
  std::memcpy(&out, &d, 8);
  return out;
}

// One TableRounder per target, built on first use.
const ref::TableRounder* table_for(const DType& to) {
  if (!to.is_float() || to.bits > 16) return nullptr;
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<ref::TableRounder>> tables;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = tables[to.name()];
  if (!slot) slot = std::make_unique<ref::TableRounder>(to);
  return slot.get();
}

}  // namespace

std::string target_label(const DType& to, Round r) {
  if (r == Round::TowardZero) return to.name() + " rz";
  if (r == Round::Up) return to.name() + " ru";
  return to.name();
}

namespace {

// convert_buffer on `inputs` packed, and again on copies of them filling at least `min_count`
// elements (so that the table paths, taken only for long buffers, run too), against `want`.
// The destination starts as 0xa5 bytes so that bits past the last element can be checked.
void check_bulk(const std::vector<uint64_t>& inputs, const std::vector<uint64_t>& want, const DType& from,
                const DType& to, Round r, size_t min_count, CheckResult& res) {
  std::vector<uint64_t> in = inputs;
  std::vector<size_t> lengths = {inputs.size()};
  if (inputs.size() < min_count) {
    while (in.size() < min_count) in.insert(in.end(), inputs.begin(), inputs.end());
    lengths.push_back(in.size());
  }
  std::vector<uint8_t> src = pack_codes(in, from.bits);
  for (size_t n : lengths) {
    std::vector<uint8_t> dst(packed_size(to.bits, n) + 1, 0xa5);
    dt::convert_buffer(src.data(), from, dst.data(), to, n, r);
    for (size_t i = 0; i < n; ++i) {
      uint64_t got = read_code(dst, to.bits, i);
      if (got == want[i % want.size()]) continue;
      if (res.failed++ == 0)
        res.first_failure = hex(inputs[i % inputs.size()]) + ": convert_buffer of " + std::to_string(n) +
                            " elements gives " + hex(got) + ", reference " + hex(want[i % want.size()]);
    }
    if (!tail_untouched(dst, to.bits, n, 0xa5) && res.failed++ == 0)
      res.first_failure = "convert_buffer of " + std::to_string(n) + " elements wrote past the last one";
  }
}

}  // namespace

CheckResult compare_inputs(const std::string& set_name, const DType& from, const DType& to, Round r,
                           const std::vector<uint64_t>& inputs) {
  CheckResult res;
  res.name = set_name + " -> " + target_label(to, r);
  ref::Format fs = ref::format_of(from), fd = ref::format_of(to);
  const ref::TableRounder* table = from == to ? nullptr : table_for(to);  // identity: no rounding
  Round table_round = (to == dt::kUE8M0 && r == Round::NearestEven) ? Round::Up : r;
  bool used_cuda = false, used_table = false, used_host = false;
  std::vector<uint64_t> wants(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    uint64_t c = inputs[i] & from.mask();
    uint64_t want = wants[i] = ref::convert(c, fs, fd, r);
    uint64_t got = dt::convert(c, from, to, r);
    std::optional<uint64_t> cu = host_convert(c, from, to, r);
    std::optional<uint64_t> tab, hc = host_cast(c, from, to);
    ref::Exact v = ref::decode(c, fs);
    if (table && v.cls != ref::Exact::kNaN) tab = table->round(v, table_round);
    used_cuda |= cu.has_value();
    used_table |= tab.has_value();
    used_host |= hc.has_value();
    ++res.checked;
    if (got == want && (!cu || *cu == want) && (!tab || *tab == want) && (!hc || *hc == want)) continue;
    if (res.failed++ > 0) continue;
    res.first_failure = hex(c) + ": convert " + hex(got) + ", reference " + hex(want);
    if (cu) res.first_failure += ", CUDA " + hex(*cu);
    if (tab) res.first_failure += ", table " + hex(*tab);
    if (hc) res.first_failure += ", host cast " + hex(*hc);
  }
  // Table paths start at 64 elements (sources of ≤ 8 bits) and 2^15 (16- and 32-bit sources).
  if (!inputs.empty()) check_bulk(inputs, wants, from, to, r, from.bits <= 8 ? 1024 : (size_t{1} << 15), res);
  res.oracles = std::string(used_cuda ? "CUDA, " : "") + "reference" + (used_table ? ", table" : "") +
                (used_host ? ", host cast" : "");
  return res;
}

}  // namespace tilevm::cuda
