// Running fuzz programs, the tile-by-tile oracle, the shrinker and reproducer cases.
#include <cinttypes>
#include <cstdio>
#include <mutex>

#include "conformance/expr.h"
#include "conformance/launch_args.h"
#include "conformance/runner.h"
#include "conformance/fuzz.h"
#include "dtype/pack.h"
#include "ir/insn.h"
#include "support/check.h"
#include "text/printer.h"

namespace tilevm::conf {
namespace {

using Tile = std::vector<Val>;

Expected<Tile> eval_step(const FuzzStep& st, const std::vector<Tile>& vals) {
  const Tile& a = vals[st.args[0]];
  Tile out(a.size());
  if (st.op == "view") {
    const dt::DType& from = a[0].t;
    std::vector<uint64_t> codes(a.size());
    for (size_t i = 0; i < a.size(); ++i) codes[i] = a[i].code;
    std::vector<uint8_t> bytes(dt::packed_bytes(from.bits, codes.size()));
    dt::pack(codes.data(), codes.size(), from.bits, bytes.data());
    size_t n = a.size() * from.bits / st.dtype.bits;
    std::vector<uint64_t> back(n);
    dt::unpack(bytes.data(), n, st.dtype.bits, back.data());
    out.resize(n);
    for (size_t i = 0; i < n; ++i) out[i] = Val{st.dtype, back[i]};
    return out;
  }
  std::vector<Val> ops(st.args.size());
  const bool odd_divisor = (st.op == "div" || st.op == "mod") && a[0].t.is_int();
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t k = 0; k < st.args.size(); ++k) ops[k] = vals[st.args[k]][i];
    if (odd_divisor) ops[1].code |= 1;  // the program's or(b, 1)
    auto r = st.op == "cast" ? convert(ops[0], st.dtype) : conf::apply(st.op, ops);
    if (!r) return r.error();
    out[i] = *r;
  }
  return out;
}

// Reduces a [R, C] tile over dim with `op` (keepdims: R x 1 or 1 x C values, row-major).
Expected<Tile> reduce_tile(const Tile& t, int64_t R, int64_t C, int dim, const std::string& op) {
  int64_t outer = dim == 0 ? C : R, inner = dim == 0 ? R : C;
  Tile out(outer);
  for (int64_t o = 0; o < outer; ++o) {
    Val acc = t[dim == 0 ? o : o * C];
    for (int64_t i = 1; i < inner; ++i) {
      auto r = conf::apply(op == "sum" ? "add" : op, {acc, t[dim == 0 ? i * C + o : o * C + i]});
      if (!r) return r.error();
      acc = *r;
    }
    out[o] = acc;
  }
  return out;
}

// c + a x b for one block's tiles: a [TM, ek], b [ek, TN] read with zero outside the global
// extents, in chunks of dot_tk (the padded tail of the last chunk multiplies zeros, as the
// program does). SIMT: per element a chain of fma in increasing k, operands converted to c's
// type (integers: wrapping multiply, then add). MMA: only integer types (exact sums).
Expected<Tile> dot_tile(const FuzzSpec& s, const Buffer& a, const Buffer& b, Tile c, int64_t g0, int64_t g1) {
  const int64_t TM = s.tile[0], TN = s.tile[1], M = s.extent[0], N = s.extent[1], K = s.dot_k;
  const dt::DType t = s.inputs[0];
  const int64_t kpad = (K + s.dot_tk - 1) / s.dot_tk * s.dot_tk;
  auto at = [&](const Buffer& x, int64_t r, int64_t col, int64_t rows, int64_t cols) -> Expected<Val> {
    Val v{s.dot_ab, r < rows && col < cols ? x.codes[r * cols + col] : 0};
    return convert(v, t);
  };
  for (int64_t i = 0; i < TM; ++i)
    for (int64_t j = 0; j < TN; ++j) {
      Val acc = c[i * TN + j];
      for (int64_t k = 0; k < kpad; ++k) {
        auto x = at(a, g0 * TM + i, k, M, K), y = at(b, k, g1 * TN + j, K, N);
        if (!x) return x.error();
        if (!y) return y.error();
        Expected<Val> r = t.is_float() ? conf::apply("fma", {*x, *y, acc}) : [&]() -> Expected<Val> {
          auto p = conf::apply("mul", {*x, *y});
          if (!p) return p.error();
          return conf::apply("add", {*p, acc});
        }();
        if (!r) return r.error();
        acc = *r;
      }
      c[i * TN + j] = acc;
    }
  return c;
}

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%" PRIx64, v);
  return b;
}

std::string category(const std::string& m) { return m.substr(0, m.find(':')); }

}  // namespace

Expected<std::optional<std::vector<uint64_t>>> oracle_outputs(const FuzzSpec& s, const std::vector<exec::Arg>& args) {
  const dt::DType ot = output_dtype(s);
  if (s.reduce == "sum" && ot.is_float()) return std::optional<std::vector<uint64_t>>();
  if (s.dot == "mma" && s.inputs[0].is_float()) return std::optional<std::vector<uint64_t>>();
  Inputs in = inputs_of(args);
  const std::vector<int64_t> oshape = output_shape(s), grid = s.grid();
  int64_t on = 1;
  for (int64_t e : oshape) on *= e;
  std::vector<uint64_t> out(on, 0);
  const size_t rank = s.tile.size();
  const int64_t T0 = s.tile[0], T1 = rank == 2 ? s.tile[1] : 1, E1 = rank == 2 ? s.extent[1] : 1;
  const int64_t G1 = rank == 2 ? grid[1] : 1;
  for (int64_t g0 = 0; g0 < grid[0]; ++g0)
    for (int64_t g1 = 0; g1 < G1; ++g1) {
      std::vector<Tile> vals;
      for (size_t i = 0; i < s.inputs.size(); ++i) {
        const Buffer& b = in.at("in" + std::to_string(i));
        Tile t(T0 * T1);
        for (int64_t r = 0; r < T0; ++r)
          for (int64_t c = 0; c < T1; ++c) {
            int64_t gr = g0 * T0 + r, gc = g1 * T1 + c;
            bool inside = gr < s.extent[0] && gc < E1;
            t[r * T1 + c] = Val{s.inputs[i], inside ? b.codes[gr * E1 + gc] : 0};
          }
        vals.push_back(std::move(t));
      }
      if (!s.dot.empty()) {
        auto d = dot_tile(s, in.at("a"), in.at("b"), vals[0], g0, g1);
        if (!d) return d.error();
        vals[0] = std::move(*d);
      }
      for (const FuzzStep& st : s.steps) {
        auto v = eval_step(st, vals);
        if (!v) return v.error();
        vals.push_back(std::move(*v));
      }
      const Tile& res = vals[s.result];
      if (!s.reduce.empty()) {
        auto red = reduce_tile(res, T0, T1, s.reduce_dim, s.reduce);
        if (!red) return red.error();
        for (int64_t o = 0; o < static_cast<int64_t>(red->size()); ++o) {
          int64_t gr = s.reduce_dim == 0 ? g0 : g0 * T0 + o, gc = s.reduce_dim == 0 ? g1 * T1 + o : g1;
          if (gr < oshape[0] && gc < oshape[1]) out[gr * oshape[1] + gc] = (*red)[o].code;
        }
        continue;
      }
      for (int64_t r = 0; r < T0; ++r)
        for (int64_t c = 0; c < T1; ++c) {
          int64_t gr = g0 * T0 + r, gc = g1 * T1 + c;
          if (gr < s.extent[0] && gc < E1) out[gr * E1 + gc] = res[r * T1 + c].code;
        }
    }
  return std::optional<std::vector<uint64_t>>(std::move(out));
}

std::vector<std::pair<std::string, std::string>> spec_args(const FuzzSpec& s) {
  std::vector<std::pair<std::string, std::string>> a;
  for (size_t d = 0; d < s.extent.size(); ++d) a.emplace_back("e" + std::to_string(d), std::to_string(s.extent[d]));
  if (!s.dot.empty()) a.emplace_back("ek", std::to_string(s.dot_k));
  for (size_t i = 0; i < s.inputs.size(); ++i)
    a.emplace_back("in" + std::to_string(i), "rand:" + s.inputs[i].name() + ":" + std::to_string(s.seed * 8 + i + 1));
  if (!s.dot.empty()) {
    a.emplace_back("a", "rand:" + s.dot_ab.name() + ":" + std::to_string(s.seed * 8 + 6));
    a.emplace_back("b", "rand:" + s.dot_ab.name() + ":" + std::to_string(s.seed * 8 + 7));
  }
  return a;
}

namespace {

Expected<exec::Launch> fuzz_launch(const FuzzSpec& s, std::string* text) {
  *text = text::print_program(build_program(s));
  auto p = exec::load_program_text("fuzz.tile", *text);
  if (!p) return fail("verify: the generated program is rejected: " + p.error().message.substr(0, p.error().message.find('\n')));
  std::vector<exec::ArgSpec> specs;
  for (const auto& [k, v] : spec_args(s)) {
    auto a = exec::parse_arg_spec(k + "=" + v);
    if (!a) return fail("launch: " + a.error().message);
    specs.push_back(*a);
  }
  auto l = exec::make_launch(*p, specs);
  if (!l) return fail("launch: " + l.error().message);
  l->check_init = true;
  l->workers = 1;
  return l;
}

Expected<exec::RunResult> run_on(const std::string& backend, const exec::Launch& l) {
  auto ex = exec::make_executor(backend);
  if (!ex) return fail("unavailable: " + ex.error().message);
  auto r = run_backend(**ex, backend, l);
  if (!r) return fail(backend + ": cannot run: " + r.error().message.substr(0, r.error().message.find('\n')));
  if (r->trap) return fail("trap: " + backend + ": " + r->trap->message);
  return std::move(*r);
}

}  // namespace

int result_ulp_bound(const FuzzSpec& s) {
  if (!s.approximate()) return 0;
  auto op = ir::find_insn(s.steps[static_cast<size_t>(s.result) - s.inputs.size()].op);
  return op ? ir::insn_info(*op).ulp_bound : 0;
}

namespace {

// The first element of `out` that differs from `want` (within `ulp` for an approximate result).
std::optional<std::string> check_out(const exec::Arg& out, const std::vector<uint64_t>& want, int ulp, const std::string& who) {
  const dt::DType t = out.type.dtype;
  for (size_t i = 0; i < want.size(); ++i) {
    uint64_t got = dt::get_element(out.bytes.data(), t.bits, i);
    bool ok = ulp > 0 ? ulp_distance(got, want[i], t) <= static_cast<uint64_t>(ulp) : got == want[i];
    if (!ok)
      return "mismatch: " + who + " out[" + std::to_string(i) + "] = " + format_code(got, t) + ", oracle " + format_code(want[i], t) +
             (ulp > 0 ? " (more than " + std::to_string(ulp) + " ulp apart)" : "");
  }
  return std::nullopt;
}

const exec::Arg& out_arg(const std::vector<exec::Arg>& args) {
  for (const exec::Arg& a : args)
    if (a.name == "out") return a;
  TILEVM_CHECK(false);
  return args.front();
}

}  // namespace

FuzzPrepared prepare_spec(const FuzzSpec& s) {
  FuzzPrepared p;
  FuzzOutcome& o = p.outcome;
  auto l = fuzz_launch(s, &o.text);
  if (!l) return {{false, l.error().message, o.text}, {}, {}, {}};
  auto emu = run_on("emu", *l);
  if (!emu) return {{false, emu.error().message, o.text}, {}, {}, {}};
  auto want = oracle_outputs(s, l->args);
  if (!want) return {{false, "oracle: " + want.error().message, o.text}, {}, {}, {}};
  if (*want)
    if (auto m = check_out(out_arg(emu->args), **want, result_ulp_bound(s), "emu")) return {{false, *m, o.text}, {}, {}, {}};
  p.launch = std::move(*l);
  p.emu_args = std::move(emu->args);
  p.oracle = std::move(*want);
  return p;
}

std::optional<std::string> compare_backends(const FuzzSpec& s, const FuzzPrepared& emu, const std::vector<exec::Arg>& gpu) {
  const int ulp = result_ulp_bound(s);
  for (size_t i = 0; i < emu.emu_args.size() && i < gpu.size(); ++i) {
    const exec::Arg& e = emu.emu_args[i];
    if (!e.is_pointer()) continue;
    if (ulp > 0 && e.name == "out") {
      TILEVM_CHECK(emu.oracle.has_value());
      if (auto m = check_out(gpu[i], *emu.oracle, ulp, "gpu")) return "backends differ: " + *m;
      continue;
    }
    auto m = exec::first_difference(e, gpu[i]);
    if (!m) continue;
    std::string idx;
    for (int64_t x : m->index) idx += (idx.empty() ? "" : ",") + std::to_string(x);
    return "backends differ: " + e.name + "[" + idx + "]: emu " + format_code(m->a, e.type.dtype) + ", gpu " +
           format_code(m->b, e.type.dtype);
  }
  return std::nullopt;
}

FuzzOutcome check_spec(const FuzzSpec& s, bool both, bool* gpu_missing) {
  FuzzPrepared p = prepare_spec(s);
  if (!p.outcome.ok || !both) return p.outcome;
  auto gpu = run_on("gpu", *p.launch);
  if (!gpu && gpu.error().message.rfind("unavailable", 0) == 0) {
    if (gpu_missing) *gpu_missing = true;
    return p.outcome;
  }
  if (!gpu) return {false, gpu.error().message, p.outcome.text};
  if (auto m = compare_backends(s, p, gpu->args)) return {false, *m, p.outcome.text};
  return p.outcome;
}

namespace {

// Removes value v (a step) by replacing its uses with `with`; false when the types differ.
bool bypass_step(FuzzSpec& s, int v, int with) {
  const std::vector<ValueInfo> vi = value_infos(s);
  if (!(vi[v].t == vi[with].t) || vi[v].elements != vi[with].elements) return false;
  int k = static_cast<int>(s.inputs.size());
  s.steps.erase(s.steps.begin() + (v - k));
  auto fix = [&](int x) { return x == v ? with : x > v ? x - 1 : x; };
  for (FuzzStep& st : s.steps)
    for (int& a : st.args) a = fix(a);
  s.result = fix(s.result);
  return true;
}

std::vector<FuzzSpec> smaller(const FuzzSpec& s) {
  std::vector<FuzzSpec> c;
  auto add = [&](FuzzSpec t) { c.push_back(std::move(t)); };
  if (!s.reduce.empty()) { FuzzSpec t = s; t.reduce.clear(); add(t); }
  if (!s.reload_layout.empty()) { FuzzSpec t = s; t.reload_layout.clear(); add(t); }
  if (s.async) { FuzzSpec t = s; t.async = false; add(t); }
  if (!s.dot.empty()) { FuzzSpec t = s; t.dot.clear(); add(t); }
  if (s.dot_k > 1) { FuzzSpec t = s; t.dot_k = (s.dot_k + 1) / 2; add(t); }
  for (size_t d = 0; d < s.extent.size(); ++d) {
    if (s.extent[d] > s.tile[d]) { FuzzSpec t = s; t.extent[d] = s.tile[d]; add(t); }
    if (s.extent[d] > 1) { FuzzSpec t = s; t.extent[d] = (s.extent[d] + 1) / 2; add(t); }
  }
  const int k = static_cast<int>(s.inputs.size());
  for (int v = k + static_cast<int>(s.steps.size()) - 1; v >= k; --v)
    for (int with : s.steps[v - k].args) {
      FuzzSpec t = s;
      if (bypass_step(t, v, with)) add(t);
    }
  // Drop steps nothing uses (other than the result).
  for (int v = k + static_cast<int>(s.steps.size()) - 1; v >= k; --v) {
    if (v == s.result) continue;
    bool used = false;
    for (const FuzzStep& st : s.steps)
      for (int a : st.args) used |= a == v;
    if (!used) {
      FuzzSpec t = s;
      t.steps.erase(t.steps.begin() + (v - k));
      for (FuzzStep& st : t.steps)
        for (int& a : st.args) a = a > v ? a - 1 : a;
      if (t.result > v) --t.result;
      add(t);
    }
  }
  return c;
}

bool result_byte_safe(const FuzzSpec& s) {
  const dt::DType t = output_dtype(s);
  if (!s.reduce.empty() && t.bits < 8) return false;
  if (!s.reload_layout.empty() && t.bits < 8) return false;
  return t.bits >= 8 || (s.local > 0 && (int64_t{s.local} * t.bits) % 8 == 0);
}

}  // namespace

FuzzSpec shrink(const FuzzSpec& s, bool both) {
  FuzzSpec cur = s;
  const std::string want = category(check_spec(cur, both).message);
  for (int round = 0; round < 200; ++round) {
    bool progress = false;
    for (const FuzzSpec& cand : smaller(cur)) {
      if (!result_byte_safe(cand)) continue;
      FuzzOutcome o = check_spec(cand, both);
      if (!o.ok && category(o.message) == want) {
        cur = cand;
        progress = true;
        break;
      }
    }
    if (!progress) break;
  }
  return cur;
}

std::string reproducer_case(const FuzzSpec& s, const std::string& why) {
  std::string text;
  auto l = fuzz_launch(s, &text);
  std::string out = "// Fuzz reproducer (tilevm fuzz --seed " + std::to_string(s.seed) + ", shrunk): " + why + "\n";
  out += "// Expected output: the fuzzer's independent oracle (conformance/oracle.h), tile by tile.\n//! run";
  for (const auto& [k, v] : spec_args(s)) out += " " + k + "=" + v;
  out += "\n";
  std::optional<std::vector<uint64_t>> want;
  if (l) {
    auto w = oracle_outputs(s, l->args);
    if (w) want = *w;
  }
  if (!want) {
    out += "//! expect out = golden\n";
  } else {
    const int ulp = result_ulp_bound(s);
    out += ulp > 0 ? "//! expect out ulp=" + std::to_string(ulp) + " = [" : "//! expect out = [";
    for (size_t i = 0; i < want->size();) {
      size_t j = i;
      while (j < want->size() && (*want)[j] == (*want)[i]) ++j;
      out += (i ? ", " : "") + hex((*want)[i]) + (j - i > 1 ? "*" + std::to_string(j - i) : "");
      i = j;
    }
    out += "]\n";
  }
  return out + text;
}

}  // namespace tilevm::conf
