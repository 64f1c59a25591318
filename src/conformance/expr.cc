// Value tokens and the oracle expression language of conformance cases.
#include "conformance/expr.h"

#include <cctype>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "dtype/pack.h"

namespace tilevm::conf {

Expected<uint64_t> parse_value(const std::string& tok, const dt::DType& t) {
  if (tok.empty()) return fail("empty value");
  if (tok.size() > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X')) {
    char* end = nullptr;
    unsigned long long v = std::strtoull(tok.c_str() + 2, &end, 16);
    if (*end) return fail("bad hex code '" + tok + "'");
    if (v & ~t.mask()) return fail("code " + tok + " does not fit " + t.name());
    return uint64_t{v};
  }
  if (t.is_bool()) {
    if (tok == "true" || tok == "1") return uint64_t{1};
    if (tok == "false" || tok == "0") return uint64_t{0};
    return fail("bad bool '" + tok + "'");
  }
  if (t.is_int()) {
    char* end = nullptr;
    errno = 0;
    if (t.kind == dt::Kind::UInt) {
      if (tok[0] == '-') return fail("negative value '" + tok + "' for " + t.name());
      unsigned long long v = std::strtoull(tok.c_str(), &end, 10);
      if (*end || errno || (v & ~t.mask())) return fail("'" + tok + "' is not a " + t.name());
      return uint64_t{v};
    }
    long long v = std::strtoll(tok.c_str(), &end, 10);
    long double lo = -std::ldexp(1.0L, t.bits - 1), hi = std::ldexp(1.0L, t.bits - 1) - 1;
    if (*end || errno || v < lo || v > hi) return fail("'" + tok + "' is not a " + t.name());
    return static_cast<uint64_t>(v) & t.mask();
  }
  if (tok == "nan") {
    if (t.nan == dt::NanEncoding::None) return fail(t.name() + " has no NaN");
    return nan_code(t);
  }
  char* end = nullptr;
  long double v = std::strtold(tok.c_str(), &end);
  if (*end) return fail("bad number '" + tok + "'");
  if (std::isinf(v) && !t.has_inf) return fail(t.name() + " has no infinity");
  auto c = code_of(v, t);
  if (!c) return c.error();
  if (value_of(*c, t) != v || std::signbit(value_of(*c, t)) != std::signbit(v))
    return fail("'" + tok + "' is not exactly representable in " + t.name() + "; write its code as 0x...");
  return *c;
}

std::string format_code(uint64_t code, const dt::DType& t) {
  char buf[96];
  int w = (t.bits + 3) / 4;
  std::snprintf(buf, sizeof buf, "0x%0*" PRIx64, w, code);
  std::string s = buf;
  if (t.is_float()) {
    std::snprintf(buf, sizeof buf, " (%.9Lg)", value_of(code, t));
    s += buf;
  } else if (t.is_int()) {
    std::snprintf(buf, sizeof buf, " (%.0Lf)", value_of(code, t));
    s += buf;
  }
  return s;
}

namespace {

struct Node {
  std::string name;  // function or atom
  bool call = false;
  std::vector<Node> args;
};

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}
  Expected<Node> parse_all() {
    auto n = parse();
    if (!n) return n;
    skip();
    if (p_ != s_.size()) return fail("unexpected '" + s_.substr(p_) + "' in oracle expression");
    return n;
  }

 private:
  void skip() {
    while (p_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[p_]))) ++p_;
  }
  Expected<Node> parse() {
    skip();
    Node n;
    while (p_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[p_])) || std::string("_.-+").find(s_[p_]) != std::string::npos))
      n.name += s_[p_++];
    if (n.name.empty()) return fail("expected a name or value in oracle expression at '" + s_.substr(p_) + "'");
    skip();
    if (p_ < s_.size() && s_[p_] == '(') {
      ++p_;
      n.call = true;
      for (;;) {
        auto a = parse();
        if (!a) return a;
        n.args.push_back(*a);
        skip();
        if (p_ < s_.size() && s_[p_] == ',') { ++p_; continue; }
        if (p_ < s_.size() && s_[p_] == ')') { ++p_; break; }
        return fail("expected ',' or ')' in oracle expression");
      }
    }
    return n;
  }
  const std::string& s_;
  size_t p_ = 0;
};

using Vals = std::vector<Val>;

bool is_literal(const Node& n) {
  if (n.call) return false;
  char c = n.name[0];
  return std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.' || n.name == "inf" ||
         n.name == "nan" || n.name == "true" || n.name == "false";
}

Expected<int64_t> int_arg(const Node& n) {
  char* end = nullptr;
  long long v = std::strtoll(n.name.c_str(), &end, 10);
  if (n.call || *end || n.name.empty()) return fail("expected an integer, got '" + n.name + "'");
  return int64_t{v};
}

class Evaluator {
 public:
  Evaluator(const Inputs& in) : in_(in) {}

  // Evaluates n at idx; `hint` types a bare literal (null: none).
  Expected<Vals> eval(const Node& n, const std::vector<int64_t>& idx, const dt::DType* hint) {
    if (is_literal(n)) {
      if (!hint) return fail("cannot tell the type of literal '" + n.name + "'");
      auto c = parse_value(n.name, *hint);
      if (!c) return c.error();
      return Vals(idx.size(), Val{*hint, *c});
    }
    if (!n.call) return lookup(n.name, idx);
    if (n.name == "cast") return eval_cast(n, idx);
    if (n.name == "row" || n.name == "col" || n.name == "at" || n.name == "shift") return eval_index(n, idx, hint);
    if (n.name == "reinterpret") {
      auto b = reinterpret(n);
      if (!b) return b.error();
      return pick(*b, idx, "reinterpret");
    }
    return eval_elementwise(n, idx, hint);
  }

  Expected<Buffer> reinterpret(const Node& n) {
    if (n.args.size() != 2 || n.args[0].call) return fail("reinterpret(NAME, DTYPE)");
    auto it = in_.find(n.args[0].name);
    if (it == in_.end()) return fail("no input named '" + n.args[0].name + "'");
    auto t = dt::parse_dtype(n.args[1].name);
    if (!t) return t.error();
    Buffer b;
    b.t = *t;
    b.bytes = it->second.bytes;
    size_t count = b.bytes.size() * 8 / t->bits;
    b.codes.resize(count);
    dt::unpack(b.bytes.data(), count, t->bits, b.codes.data());
    return b;
  }

  // The whole-array view of an expression over [0, n).
  Expected<Vals> whole(const Node& n, int64_t count) {
    std::vector<int64_t> idx(count);
    for (int64_t i = 0; i < count; ++i) idx[i] = i;
    return eval(n, idx, nullptr);
  }

 private:
  Expected<Vals> pick(const Buffer& b, const std::vector<int64_t>& idx, const std::string& name) {
    Vals out;
    out.reserve(idx.size());
    for (int64_t i : idx) {
      if (i < 0 || i >= static_cast<int64_t>(b.codes.size()))
        return fail("oracle reads " + name + "[" + std::to_string(i) + "], outside its " + std::to_string(b.codes.size()) + " elements");
      out.push_back(Val{b.t, b.codes[i]});
    }
    return out;
  }
  Expected<Vals> lookup(const std::string& name, const std::vector<int64_t>& idx) {
    auto it = in_.find(name);
    if (it == in_.end()) return fail("no input named '" + name + "'");
    return pick(it->second, idx, name);
  }
  Expected<Vals> eval_cast(const Node& n, const std::vector<int64_t>& idx) {
    if (n.args.size() != 2) return fail("cast(e, DTYPE)");
    auto t = dt::parse_dtype(n.args[1].name);
    if (!t) return t.error();
    auto a = eval(n.args[0], idx, nullptr);
    if (!a) return a;
    for (Val& v : *a) {
      auto c = convert(v, *t);
      if (!c) return c.error();
      v = *c;
    }
    return a;
  }
  Expected<Vals> eval_index(const Node& n, const std::vector<int64_t>& idx, const dt::DType* hint) {
    if (n.args.size() != 2) return fail(n.name + "(e, K)");
    auto k = int_arg(n.args[1]);
    if (!k) return k.error();
    if (*k <= 0 && (n.name == "row" || n.name == "col")) return fail(n.name + " needs a positive width");
    std::vector<int64_t> j(idx.size());
    for (size_t i = 0; i < idx.size(); ++i)
      j[i] = n.name == "row" ? idx[i] / *k : n.name == "col" ? idx[i] % *k : n.name == "at" ? *k : idx[i] + *k;
    return eval(n.args[0], j, hint);
  }
  Expected<Vals> eval_elementwise(const Node& n, const std::vector<int64_t>& idx, const dt::DType* hint) {
    std::vector<Vals> args(n.args.size());
    const dt::DType* t = nullptr;
    for (size_t a = 0; a < n.args.size(); ++a) {
      if (is_literal(n.args[a])) continue;
      auto v = eval(n.args[a], idx, nullptr);
      if (!v) return v;
      args[a] = std::move(*v);
      if (!t && !(n.name == "where" && a == 0) && !args[a].empty()) t = &args[a][0].t;
    }
    for (size_t a = 0; a < n.args.size(); ++a) {
      if (!is_literal(n.args[a])) continue;
      const dt::DType* h = n.name == "where" && a == 0 ? &dt::kBool : t ? t : hint;
      auto v = eval(n.args[a], idx, h);
      if (!v) return v;
      args[a] = std::move(*v);
    }
    Vals out(idx.size());
    std::vector<Val> ops(n.args.size());
    for (size_t i = 0; i < idx.size(); ++i) {
      for (size_t a = 0; a < n.args.size(); ++a) ops[a] = args[a][i];
      auto r = conf::apply(n.name, ops);
      if (!r) return fail(r.error().message + " (in '" + n.name + "')");
      out[i] = *r;
    }
    return out;
  }
  const Inputs& in_;
};

using LD = long double;

// matmul / qmatmul / reduce_* / transpose: full results in long double, then rounded.
Expected<std::vector<LD>> whole_array(Evaluator& ev, const Node& n, bool* is_int) {
  auto ints = [&](size_t from, size_t count, std::vector<int64_t>& out) -> Expected<bool> {
    if (n.args.size() < from + count) return fail(n.name + ": too few arguments");
    for (size_t i = 0; i < count; ++i) {
      auto v = int_arg(n.args[from + i]);
      if (!v) return v.error();
      out.push_back(*v);
    }
    return true;
  };
  auto values = [&](const Node& a, int64_t count) -> Expected<std::vector<LD>> {
    auto v = ev.whole(a, count);
    if (!v) return v.error();
    std::vector<LD> r(v->size());
    for (size_t i = 0; i < r.size(); ++i) {
      r[i] = value_of((*v)[i].code, (*v)[i].t);
      if ((*v)[i].t.is_float()) *is_int = false;
    }
    return r;
  };
  std::vector<int64_t> d;
  if (n.name == "matmul" || n.name == "qmatmul") {
    bool q = n.name == "qmatmul";
    auto ok = ints(q ? 3 : 2, q ? 4 : 3, d);
    if (!ok) return ok.error();
    int64_t M = d[0], K = d[1], N = d[2], G = q ? d[3] : 1;
    if (G <= 0 || K % G) return fail("qmatmul: group size must divide K");
    auto A = values(n.args[0], M * K), B = values(n.args[1], K * N);
    if (!A) return A.error();
    if (!B) return B.error();
    std::vector<LD> S(K / G * N, 1), C(M * N, 0);
    if (q) {
      auto s = values(n.args[2], K / G * N);
      if (!s) return s.error();
      S = *s;
    } else if (n.args.size() == 6) {
      auto c = values(n.args[5], M * N);
      if (!c) return c.error();
      C = *c;
    }
    std::vector<LD> out(M * N);
    if (*is_int) {  // integers wrap: compute modulo 2^64 (exact in long double's 64-bit significand)
      for (int64_t m = 0; m < M; ++m)
        for (int64_t j = 0; j < N; ++j) {
          auto u = [](LD v) { return static_cast<uint64_t>(static_cast<int64_t>(v)); };
          uint64_t acc = u(C[m * N + j]);
          for (int64_t k = 0; k < K; ++k) acc += u((*A)[m * K + k]) * u((*B)[k * N + j]) * u(S[k / G * N + j]);
          out[m * N + j] = static_cast<LD>(acc);
        }
      return out;
    }
    for (int64_t m = 0; m < M; ++m)
      for (int64_t j = 0; j < N; ++j) {
        LD acc = C[m * N + j];
        for (int64_t k = 0; k < K; ++k) acc += (*A)[m * K + k] * (*B)[k * N + j] * S[k / G * N + j];
        out[m * N + j] = acc;
      }
    return out;
  }
  if (n.name == "transpose") {
    auto ok = ints(1, 2, d);
    if (!ok) return ok.error();
    auto X = values(n.args[0], d[0] * d[1]);
    if (!X) return X.error();
    std::vector<LD> out(X->size());
    for (int64_t r = 0; r < d[0]; ++r)
      for (int64_t c = 0; c < d[1]; ++c) out[c * d[0] + r] = (*X)[r * d[1] + c];
    return out;
  }
  // reduce_OP(X, R, C, DIM)
  auto ok = ints(1, 3, d);
  if (!ok) return ok.error();
  int64_t R = d[0], C = d[1], dim = d[2];
  if (dim != 0 && dim != 1) return fail(n.name + ": dim must be 0 or 1");
  auto X = values(n.args[0], R * C);
  if (!X) return X.error();
  std::string op = n.name.substr(7);
  if (op != "sum" && op != "max" && op != "min" && op != "and" && op != "or") return fail("unknown reduction '" + n.name + "'");
  int64_t outer = dim == 0 ? C : R, inner = dim == 0 ? R : C;
  std::vector<LD> out(outer);
  auto V = ev.whole(n.args[0], R * C);  // max/min/and/or: in the element type, by the oracle's rules
  if (!V) return V.error();
  for (int64_t o = 0; o < outer; ++o) {
    LD acc = 0;
    Val v{};
    for (int64_t i = 0; i < inner; ++i) {
      int64_t at = dim == 0 ? i * C + o : o * C + i;
      if (op == "sum") {  // starts from the first element: a sum of -0s is -0
        acc = i == 0 ? (*X)[at] : acc + (*X)[at];
        continue;
      }
      if (i == 0) { v = (*V)[at]; continue; }
      auto r = conf::apply(op, {v, (*V)[at]});
      if (!r) return r.error();
      v = *r;
    }
    out[o] = op == "sum" ? acc : value_of(v.code, v.t);
  }
  return out;
}

bool is_whole_array(const std::string& name) {
  return name == "matmul" || name == "qmatmul" || name == "transpose" || name.rfind("reduce_", 0) == 0;
}

}  // namespace

Expected<std::vector<uint64_t>> eval_oracle(const std::string& expr, const Inputs& in, const dt::DType& out_t,
                                            const std::vector<int64_t>& idx) {
  auto node = Parser(expr).parse_all();
  if (!node) return node.error();
  Evaluator ev(in);
  std::vector<uint64_t> out;
  out.reserve(idx.size());
  if (node->call && is_whole_array(node->name)) {
    bool is_int = true;  // cleared by any float input
    auto full = whole_array(ev, *node, &is_int);
    if (!full) return full.error();
    for (int64_t i : idx) {
      if (i < 0 || i >= static_cast<int64_t>(full->size()))
        return fail(node->name + " has " + std::to_string(full->size()) + " elements, the expectation reads element " + std::to_string(i));
      LD v = (*full)[i];
      // Integer results wrap to the output type (sums of integers are exact in long double
      // while they stay below 2^64).
      if (out_t.is_bool()) {
        out.push_back(v != 0 ? 1 : 0);
        continue;
      }
      if (out_t.is_int()) {
        uint64_t u = v < 0 ? static_cast<uint64_t>(static_cast<int64_t>(v)) : static_cast<uint64_t>(std::fmod(v, 18446744073709551616.0L));
        out.push_back(u & out_t.mask());
        continue;
      }
      auto c = code_of(v, out_t);
      if (!c) return c.error();
      out.push_back(*c);
    }
    return out;
  }
  auto vals = ev.eval(*node, idx, &out_t);
  if (!vals) return vals.error();
  for (const Val& v : *vals) {
    if (!(v.t == out_t)) return fail("the oracle gives " + v.t.name() + " values but the output is " + out_t.name());
    out.push_back(v.code);
  }
  return out;
}

}  // namespace tilevm::conf
