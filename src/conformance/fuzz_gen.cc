// Random FuzzSpecs: layouts, shapes, types and elementwise chains that the verifier accepts.
#include <functional>

#include "conformance/fuzz.h"
#include "ir/types.h"

namespace tilevm::conf {
namespace {

// A small deterministic generator (splitmix64), identical on every platform.
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(static_cast<int>(v.size()))]; }
};

std::vector<dt::DType> type_pool() {
  std::vector<dt::DType> out;
  for (const dt::DType& t : dt::all_dtypes())
    if (t.nan != dt::NanEncoding::UE8M0) out.push_back(t);
  return out;
}

bool arith(const dt::DType& t) { return ir::is_arithmetic(t); }
bool floats(const dt::DType& t) { return ir::is_arithmetic(t) && t.is_float(); }
bool bitwise(const dt::DType& t) { return (ir::is_arithmetic(t) && t.is_int()) || t.is_bool(); }
bool ints(const dt::DType& t) { return ir::is_arithmetic(t) && t.is_int(); }
bool any(const dt::DType&) { return true; }

std::string dims(const std::vector<int64_t>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s;
}

// A random layout over `threads` threads; sets tile and (for spatial(T).local(L)) local.
std::string random_layout(Rng& r, int threads, int rank, std::vector<int64_t>* tile, int* local) {
  *local = 0;
  if (rank == 1) {
    int64_t a = int64_t{1} << r.below(3), b = int64_t{1} << r.below(4);
    switch (r.below(4)) {
      case 0: *tile = {threads * b}; *local = static_cast<int>(b); return "spatial(" + std::to_string(threads) + ").local(" + std::to_string(b) + ")";
      case 1: *tile = {a * threads}; return "local(" + std::to_string(a) + ").spatial(" + std::to_string(threads) + ")";
      case 2: *tile = {a * threads * b}; return "local(" + std::to_string(a) + ").spatial(" + std::to_string(threads) + ").local(" + std::to_string(b) + ")";
      default: *tile = {a * threads / 2}; return "local(" + std::to_string(a) + ").spatial(" + std::to_string(threads / 2) + ").replicated(2)";
    }
  }
  int t1 = 1 << r.below(6);
  while (t1 > threads) t1 /= 2;
  int t2 = threads / t1;
  std::vector<int64_t> a{int64_t{1} << r.below(2), int64_t{1} << r.below(2)}, b{int64_t{1} << r.below(3), int64_t{1} << r.below(2)};
  std::string sp = r.chance(25) ? "column_spatial" : "spatial";
  switch (r.below(3)) {
    case 0:
      *tile = {a[0] * t1 * b[0], a[1] * t2 * b[1]};
      return "local(" + dims(a) + ")." + sp + "(" + std::to_string(t1) + "," + std::to_string(t2) + ").local(" + dims(b) + ")";
    case 1:
      *tile = {t1 * b[0], t2 * b[1]};
      return sp + "(" + std::to_string(t1) + "," + std::to_string(t2) + ").local(" + dims(b) + ")";
    default:
      if (t2 < 2) { *tile = {a[0] * t1, a[1] * t2}; return "local(" + dims(a) + ").spatial(" + std::to_string(t1) + "," + std::to_string(t2) + ")"; }
      *tile = {a[0] * t1, a[1] * t2 / 2};
      return "local(" + dims(a) + ").spatial(" + std::to_string(t1) + "," + std::to_string(t2 / 2) + ").replicated(2)";
  }
}

// Another layout with the same tile over the same threads (for the shared round trip).
std::string reload_layout(Rng& r, int threads, const std::vector<int64_t>& tile) {
  if (tile.size() == 1) {
    int64_t l = tile[0] / threads;
    if (l < 1) return "";
    return r.chance(50) ? "spatial(" + std::to_string(threads) + ").local(" + std::to_string(l) + ")"
                        : "local(" + std::to_string(l) + ").spatial(" + std::to_string(threads) + ")";
  }
  for (int tries = 0; tries < 8; ++tries) {
    int64_t t1 = int64_t{1} << r.below(6);
    if (t1 > threads || threads % t1) continue;
    int64_t t2 = threads / t1;
    if (tile[0] % t1 || tile[1] % t2) continue;
    return "local(" + std::to_string(tile[0] / t1) + "," + std::to_string(tile[1] / t2) + ").spatial(" + std::to_string(t1) + "," +
           std::to_string(t2) + ")";
  }
  return "";
}

// Values of `vi` whose type passes `ok` (and, when `elements` > 0, with that many elements).
std::vector<int> candidates(const std::vector<ValueInfo>& vi, bool (*ok)(const dt::DType&), int64_t elements = 0) {
  std::vector<int> out;
  for (size_t i = 0; i < vi.size(); ++i)
    if (ok(vi[i].t) && (elements == 0 || vi[i].elements == elements)) out.push_back(static_cast<int>(i));
  return out;
}

std::vector<int> same_as(const std::vector<ValueInfo>& vi, int v) {
  std::vector<int> out;
  for (size_t i = 0; i < vi.size(); ++i)
    if (vi[i].t == vi[v].t && vi[i].elements == vi[v].elements) out.push_back(static_cast<int>(i));
  return out;
}

// One random step appended to s (value infos updated); false when the chosen kind had no
// operands (the caller then casts).
bool add_step(Rng& r, FuzzSpec& s, std::vector<ValueInfo>& vi, const std::vector<dt::DType>& pool) {
  struct Kind { const char* op; bool (*ok)(const dt::DType&); int arity; };
  static const std::vector<Kind> kinds = {
      {"add", arith, 2}, {"sub", arith, 2}, {"mul", arith, 2}, {"min", arith, 2}, {"max", arith, 2}, {"div", arith, 2}, {"mod", arith, 2},
      {"and", bitwise, 2}, {"or", bitwise, 2}, {"xor", bitwise, 2}, {"shl", ints, 2}, {"shr", ints, 2},
      {"neg", arith, 1}, {"abs", arith, 1}, {"not", bitwise, 1}, {"sqrt", floats, 1}, {"round", floats, 1},
      {"eq", arith, 2}, {"ne", arith, 2}, {"lt", arith, 2}, {"le", arith, 2}, {"gt", arith, 2}, {"ge", arith, 2},
      {"fma", floats, 3}, {"where", any, 3}, {"cast", any, 1}, {"cast", any, 1}, {"view", any, 1}, {"view", any, 1}};
  const Kind& k = r.pick(kinds);
  std::string op = k.op;
  FuzzStep st;
  st.op = op;
  ValueInfo out;
  if (op == "cast") {
    int v = r.chance(50) ? static_cast<int>(vi.size()) - 1 : r.below(static_cast<int>(vi.size()));
    st.args = {v};
    std::vector<dt::DType> wide;
    for (const dt::DType& t : pool)
      if (arith(t)) wide.push_back(t);
    st.dtype = r.chance(50) ? r.pick(wide) : r.pick(pool);
    out = {st.dtype, vi[v].elements, vi[v].local};
  } else if (op == "view") {
    if (s.local == 0) return false;
    int v = r.below(static_cast<int>(vi.size()));
    int64_t bits = int64_t{vi[v].local} * vi[v].t.bits;
    std::vector<dt::DType> fit;
    for (const dt::DType& t : pool)
      if (bits % t.bits == 0) fit.push_back(t);
    st.args = {v};
    st.dtype = r.pick(fit);
    int nl = static_cast<int>(bits / st.dtype.bits);
    out = {st.dtype, vi[v].elements / vi[v].local * nl, nl};
  } else if (op == "where") {
    std::vector<int> conds = candidates(vi, [](const dt::DType& t) { return t.is_bool(); });
    if (conds.empty()) return false;
    int c = r.pick(conds);
    std::vector<int> xs = candidates(vi, any, vi[c].elements);
    int a = r.pick(xs);
    st.args = {c, a, r.pick(same_as(vi, a))};
    out = vi[a];
  } else {
    std::vector<int> c = candidates(vi, k.ok);
    if (c.empty()) return false;
    int a = r.chance(60) ? c.back() : r.pick(c);  // favour recent values: deeper chains
    st.args = {a};
    for (int i = 1; i < k.arity; ++i) {
      std::vector<int> peers = same_as(vi, a);
      if (peers.size() == 1 && r.chance(70)) {
        // Make a peer: another value converted to a's type (same element count).
        std::vector<int> others = candidates(vi, any, vi[a].elements);
        int o = r.pick(others);
        if (o != a) {
          s.steps.push_back({"cast", {o}, vi[a].t});
          vi.push_back(vi[a]);
          peers.push_back(static_cast<int>(vi.size()) - 1);
        }
      }
      int b = r.pick(peers);
      if (b == a && peers.size() > 1) b = r.pick(peers);
      st.args.push_back(b);
    }
    out = vi[a];
    if (op == "eq" || op == "ne" || op == "lt" || op == "le" || op == "gt" || op == "ge") out.t = dt::kBool;
  }
  s.steps.push_back(st);
  vi.push_back(out);
  return true;
}

// Dot mode: value 0 becomes in0 + a x b (fuzz.h). Sets warps, tile, layout, dot fields and the
// accumulator type as inputs[0]; false when the spec stays elementwise.
bool make_dot(Rng& r, FuzzSpec& s) {
  struct Mma { dt::DType ab, c; int k; };
  static const std::vector<Mma> mmas = {
      {dt::kF16, dt::kF16, 16}, {dt::kF16, dt::kF32, 16}, {dt::kBF16, dt::kF32, 16}, {dt::kI8, dt::kI32, 32},
      {dt::kU8, dt::kI32, 32}, {dt::kF8E4M3, dt::kF32, 32}, {dt::kF8E5M2, dt::kF32, 32},
      {dt::int_type(4, true), dt::kI32, 64}, {dt::int_type(4, false), dt::kI32, 64}};
  if (r.chance(50)) {
    const Mma& m = r.pick(mmas);
    // 1 to 4 atoms over 1 to 4 warps: small tiles (an MMA kernel costs NVRTC about ten times
    // an elementwise one, growing with the fragments each thread holds).
    int x = r.below(2), y = r.below(2), w = r.below(x + y + 1);
    s.dot = "mma", s.dot_ab = m.ab, s.warps = 1 << w;
    s.tile = {int64_t{16} << x, int64_t{8} << y};
    s.layout.clear(), s.local = 0;
    s.dot_tk = m.k;
    s.inputs = {m.c};
  } else {
    // a and b of one arithmetic type, c of the same kind (float or integer) and at least as wide.
    std::vector<dt::DType> abs, cs;
    for (const dt::DType& t : dt::all_dtypes())
      if (ir::is_arithmetic(t)) abs.push_back(t);
    s.dot = "simt", s.dot_ab = r.pick(abs);
    for (const dt::DType& t : abs)
      if (t.is_float() == s.dot_ab.is_float() && t.bits >= s.dot_ab.bits) cs.push_back(t);
    s.inputs = {r.pick(cs)};
    do s.layout = random_layout(r, 32 * s.warps, 2, &s.tile, &s.local);
    while (s.tile_elements() > 256);
    s.dot_tk = 1 + r.below(6);
  }
  s.dot_k = s.dot_tk * r.below(3) + 1 + r.below(static_cast<int>(s.dot_tk));
  return true;
}

// Appends a final exp, exp2, log or rsqrt of a float value with the tile's element count and
// makes it the result (an approximate result ends the chain: later steps would amplify the
// allowed ulp difference).
void add_approximate(Rng& r, FuzzSpec& s) {
  const std::vector<ValueInfo> vi = value_infos(s);
  std::vector<int> c;
  for (size_t i = 0; i < vi.size(); ++i)
    if (floats(vi[i].t) && vi[i].elements == s.tile_elements()) c.push_back(static_cast<int>(i));
  if (c.empty()) return;
  static const std::vector<std::string> ops = {"exp", "exp2", "log", "rsqrt"};
  s.steps.push_back({r.pick(ops), {r.chance(60) ? c.back() : r.pick(c)}, {}});
  s.result = static_cast<int>(vi.size());
}

}  // namespace

bool FuzzSpec::approximate() const {
  const int k = static_cast<int>(inputs.size());
  if (result < k) return false;
  const std::string& op = steps[static_cast<size_t>(result - k)].op;
  return op == "exp" || op == "exp2" || op == "log" || op == "rsqrt";
}

int64_t FuzzSpec::tile_elements() const {
  int64_t n = 1;
  for (int64_t e : tile) n *= e;
  return n;
}

std::vector<int64_t> FuzzSpec::grid() const {
  std::vector<int64_t> g;
  for (size_t d = 0; d < tile.size(); ++d) g.push_back((extent[d] + tile[d] - 1) / tile[d]);
  return g;
}

std::vector<ValueInfo> value_infos(const FuzzSpec& s) {
  std::vector<ValueInfo> vi;
  for (const dt::DType& t : s.inputs) vi.push_back({t, s.tile_elements(), s.local});
  for (const FuzzStep& st : s.steps) {
    ValueInfo v = vi[st.args[0]];
    if (st.op == "cast") v.t = st.dtype;
    else if (st.op == "view") {
      int64_t bits = int64_t{v.local} * v.t.bits;
      int nl = static_cast<int>(bits / st.dtype.bits);
      v = {st.dtype, v.elements / v.local * nl, nl};
    } else if (st.op == "where") v = vi[st.args[1]];
    else if (st.op == "eq" || st.op == "ne" || st.op == "lt" || st.op == "le" || st.op == "gt" || st.op == "ge") v.t = dt::kBool;
    vi.push_back(v);
  }
  return vi;
}

FuzzSpec random_spec(uint64_t seed) {
  Rng r{seed * 0x2545f4914f6cdd1dull + 1};
  FuzzSpec s;
  s.seed = seed;
  s.warps = 1 << r.below(3);
  int threads = 32 * s.warps, rank = 1 + r.below(2);
  for (;;) {
    s.layout = random_layout(r, threads, rank, &s.tile, &s.local);
    if (s.tile_elements() <= 2048) break;
  }
  if (rank == 2 && r.chance(16)) make_dot(r, s);
  threads = 32 * s.warps;
  for (int64_t t : s.tile) s.extent.push_back(t * r.below(2) + 1 + r.below(static_cast<int>(t)));
  std::vector<dt::DType> pool = type_pool();
  int ninputs = 1 + r.below(3);
  for (int i = static_cast<int>(s.inputs.size()); i < ninputs; ++i) s.inputs.push_back(r.chance(60) ? r.pick(pool) : r.pick(std::vector<dt::DType>{dt::kF32, dt::kF16, dt::kBF16, dt::kI32, dt::kU8}));
  bool wide_inputs = true;
  for (const dt::DType& t : s.inputs) wide_inputs &= t.bits >= 8;
  s.async = wide_inputs && r.chance(25);
  std::vector<ValueInfo> vi = value_infos(s);
  int nsteps = 1 + r.below(10);
  for (int i = 0; i < nsteps; ++i)
    if (!add_step(r, s, vi, pool)) {
      int v = r.below(static_cast<int>(vi.size()));
      s.steps.push_back({"cast", {v}, r.pick(pool)});
      vi = value_infos(s);
    }
  // The result: the last value with the tile's element count.
  s.result = 0;
  for (size_t i = 0; i < vi.size(); ++i)
    if (vi[i].elements == s.tile_elements()) s.result = static_cast<int>(i);
  const dt::DType rt = vi[s.result].t;
  bool byte_safe = rt.bits >= 8 || (s.local > 0 && (int64_t{s.local} * rt.bits) % 8 == 0);
  bool want_reduce = rank == 2 && r.chance(30);
  if (!byte_safe || (want_reduce && rt.bits < 8)) {
    s.steps.push_back({"cast", {s.result}, rt.is_float() ? dt::kF32 : dt::kI32});
    s.result = static_cast<int>(vi.size());
    vi = value_infos(s);
  }
  const bool decided = !(s.dot == "mma" && s.inputs[0].is_float());
  if (!want_reduce && decided && r.chance(15)) add_approximate(r, s);
  vi = value_infos(s);
  const dt::DType ft = vi[s.result].t;
  if (want_reduce) {
    std::vector<std::string> ops;
    if (arith(ft)) ops = {"sum", "max", "min"};
    if (bitwise(ft)) ops.insert(ops.end(), {"and", "or"});
    if (!ops.empty()) s.reduce = r.pick(ops), s.reduce_dim = r.below(2);
  }
  if (s.reduce.empty() && ft.bits >= 8 && r.chance(30)) s.reload_layout = reload_layout(r, threads, s.tile);
  return s;
}

}  // namespace tilevm::conf
