// Argument specifications, scalar values, seeded generators and .npy input/output.
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "dtype/convert.h"
#include "dtype/pack.h"
#include "exec/arith.h"
#include "exec/launch.h"
#include "support/npy.h"

namespace tilevm::exec {
namespace {

// NumPy's type string for dtypes it has natively; empty for the others.
std::string numpy_descr(const dt::DType& t) {
  if (t.is_bool()) return "|b1";
  if (t.is_int() && (t.bits == 8 || t.bits == 16 || t.bits == 32 || t.bits == 64)) {
    std::string s = t.bits == 8 ? "|" : "<";
    return s + (t.kind == dt::Kind::Int ? "i" : "u") + std::to_string(t.bits / 8);
  }
  if (t == dt::kF16) return "<f2";
  if (t == dt::kF32) return "<f4";
  if (t == dt::kF64) return "<f8";
  return "";
}

uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::vector<uint64_t> float_edges(const dt::DType& t) {
  auto v = [&](double d) { return from_double(d, t); };
  std::vector<uint64_t> e = {v(0.0), v(-0.0), v(1.0), v(-1.0), v(t.max_finite()), v(-t.max_finite()),
                             v(t.min_normal()), v(t.min_subnormal())};
  if (!t.has_sign) e = {v(1.0), v(t.max_finite()), v(t.min_normal())};
  if (t.has_inf) e.push_back(v(INFINITY)), e.push_back(v(-INFINITY));
  if (t.nan != dt::NanEncoding::None) e.push_back(canonical_nan(t));
  return e;
}

std::vector<uint64_t> int_edges(const dt::DType& t) {
  std::vector<uint64_t> e = {0, 1};
  if (t.kind == dt::Kind::Int) {
    uint64_t min = uint64_t{1} << (t.bits - 1);
    e.push_back(min - 1), e.push_back(min), e.push_back(t.mask());
  } else {
    e.push_back(t.mask());
  }
  for (uint64_t& c : e) c &= t.mask();
  return e;
}

Expected<std::vector<int64_t>> parse_shape(const std::string& s) {
  std::vector<int64_t> shape;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t x = s.find('x', pos);
    std::string part = s.substr(pos, x == std::string::npos ? std::string::npos : x - pos);
    char* end = nullptr;
    long long v = std::strtoll(part.c_str(), &end, 10);
    if (part.empty() || *end || v < 0) return fail("bad shape '" + s + "' (use e.g. 64x128)");
    shape.push_back(v);
    if (x == std::string::npos) break;
    pos = x + 1;
  }
  return shape;
}

}  // namespace

std::vector<uint64_t> generate(const dt::DType& t, uint64_t seed, int64_t n) {
  std::vector<uint64_t> out(static_cast<size_t>(n));
  const std::vector<uint64_t> edges = t.is_float() ? float_edges(t) : int_edges(t);
  const uint64_t key = splitmix(seed ^ 0x5ee5ull);
  for (int64_t i = 0; i < n; ++i) {
    uint64_t h = splitmix(key + static_cast<uint64_t>(i));
    if (t.is_bool()) {
      out[i] = h >> 63;
    } else if ((h & 15) == 0) {
      out[i] = edges[(h >> 4) % edges.size()];
    } else if (t.is_float()) {
      double m = static_cast<double>(static_cast<int64_t>(h >> 11) - (int64_t{1} << 52)) / std::ldexp(1.0, 52);
      int e = static_cast<int>((h >> 4) % 6) - 3;
      if (!t.has_sign) m = std::fabs(m);
      double v = std::ldexp(m, e);
      // f32: the host's conversion is the same single round-to-nearest-even, only faster.
      out[i] = t == dt::kF32 ? std::bit_cast<uint32_t>(static_cast<float>(v)) : from_double(v, t);
    } else {
      out[i] = splitmix(h) & t.mask();
    }
  }
  return out;
}

Expected<uint64_t> parse_scalar_value(const std::string& text, const dt::DType& t) {
  if (text.empty()) return fail("empty value");
  if (t.is_bool()) {
    if (text == "true" || text == "1") return uint64_t{1};
    if (text == "false" || text == "0") return uint64_t{0};
    return fail("'" + text + "' is not a bool (true or false)");
  }
  if (t.is_float()) {
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (*end) return fail("'" + text + "' is not a number");
    return from_double(v, t);
  }
  errno = 0;
  char* end = nullptr;
  bool neg = text[0] == '-';
  uint64_t mag = std::strtoull(text.c_str() + (neg ? 1 : 0), &end, 0);
  if (*end || errno == ERANGE || (text.size() > 1 && (text[1] == '-' || text[1] == '+')))
    return fail("'" + text + "' is not an integer");
  bool ok;
  if (t.kind == dt::Kind::UInt) ok = !neg && (t.bits >= 64 || mag <= t.mask());
  else ok = neg ? mag <= (uint64_t{1} << (t.bits - 1)) : mag < (uint64_t{1} << (t.bits - 1));
  if (!ok) return fail(text + " does not fit in " + t.name());
  return (neg ? 0 - mag : mag) & t.mask();
}

Expected<ArgSpec> parse_arg_spec(const std::string& text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    return fail("--arg '" + text + "': expected name=FILE.npy, name=rand:DTYPE:SEED[:SHAPE] or name=VALUE");
  ArgSpec s;
  s.name = text.substr(0, eq);
  std::string v = text.substr(eq + 1);
  if (v.rfind("rand:", 0) == 0) {
    s.kind = ArgSpec::Kind::Rand;
    std::string rest = v.substr(5);
    size_t c1 = rest.find(':');
    if (c1 == std::string::npos) return fail("--arg " + s.name + ": expected rand:DTYPE:SEED[:SHAPE]");
    auto t = dt::parse_dtype(rest.substr(0, c1));
    if (!t) return fail("--arg " + s.name + ": " + t.error().message);
    s.dtype = *t;
    std::string tail = rest.substr(c1 + 1);
    size_t c2 = tail.find(':');
    std::string seed = tail.substr(0, c2);
    char* end = nullptr;
    s.seed = std::strtoull(seed.c_str(), &end, 0);
    if (seed.empty() || *end) return fail("--arg " + s.name + ": bad seed '" + seed + "'");
    if (c2 != std::string::npos) {
      auto shape = parse_shape(tail.substr(c2 + 1));
      if (!shape) return fail("--arg " + s.name + ": " + shape.error().message);
      s.shape = *shape;
    }
  } else if (v.size() > 4 && v.substr(v.size() - 4) == ".npy") {
    s.kind = ArgSpec::Kind::File;
    s.path = v;
  } else {
    s.kind = ArgSpec::Kind::Value;
    s.value = v;
  }
  return s;
}

Expected<OutSpec> parse_out_spec(const std::string& text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    return fail("--out '" + text + "': expected name=FILE.npy");
  return OutSpec{text.substr(0, eq), text.substr(eq + 1)};
}

Expected<Arg> read_arg_file(const std::string& path, const dt::DType& dtype) {
  auto a = read_npy(path);
  if (!a) return a.error();
  Arg arg;
  arg.type = ir::ScalarType{dtype, true};
  std::string descr = numpy_descr(dtype);
  if (!a->tilevm_dtype.empty()) {
    if (a->tilevm_dtype != dtype.name())
      return fail(path + ": holds " + a->tilevm_dtype + " values, the parameter needs " + dtype.name());
    arg.shape = a->tilevm_shape;
  } else {
    if (a->descr != descr && !(descr.size() == 3 && a->descr == "=" + descr.substr(1)))
      return fail(path + ": holds NumPy type " + a->descr + ", the parameter needs " + dtype.name() +
                  (descr.empty() ? " (packed bytes with tilevm's header comment)" : " (" + descr + ")"));
    arg.shape = a->shape;
  }
  size_t need = dt::packed_bytes(dtype.bits, static_cast<size_t>(arg.num_elements()));
  if (a->data.size() < need) return fail(path + ": the file is shorter than its header says");
  arg.bytes.assign(a->data.begin(), a->data.begin() + need);
  return arg;
}

Expected<bool> write_output(const RunResult& result, const OutSpec& out) {
  const Arg* arg = nullptr;
  for (const Arg& a : result.args)
    if (a.name == out.name) arg = &a;
  if (!arg) return fail("--out " + out.name + ": the program has no parameter '" + out.name + "'");
  if (!arg->is_pointer()) return fail("--out " + out.name + ": only pointer parameters can be written");
  NpyArray npy;
  npy.descr = numpy_descr(arg->type.dtype);
  npy.data = arg->bytes;
  if (npy.descr.empty()) {
    npy.descr = "|u1";
    npy.shape = {static_cast<int64_t>(arg->bytes.size())};
    npy.tilevm_dtype = arg->type.dtype.name();
    npy.tilevm_shape = arg->shape;
  } else {
    npy.shape = arg->shape;
  }
  return write_npy(out.path, npy);
}

}  // namespace tilevm::exec
