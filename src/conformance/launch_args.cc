// Launches of conformance runs: argument texts to exec::Launch arguments.
#include "conformance/launch_args.h"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "dtype/pack.h"

namespace tilevm::conf {
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string p;
  while (std::getline(ss, p, sep)) out.push_back(p);
  return out;
}

Expected<int64_t> count_of(const std::string& s) {
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end || v < 0) return fail("bad element count '" + s + "'");
  return int64_t{v};
}

// Fills a pointer argument from a patterned form; `n` is the default length.
Expected<bool> fill_pattern(exec::Arg& arg, const std::string& text, int64_t n) {
  const dt::DType& t = arg.type.dtype;
  std::vector<uint64_t> codes;
  std::vector<std::string> p = split(text, ':');
  if (!text.empty() && (text[0] == '[' || text.rfind("cycle:[", 0) == 0)) {
    bool cycle = text[0] == 'c';
    auto l = parse_list(cycle ? text.substr(6) : text);
    if (!l) return l.error();
    for (const std::string& tok : *l) {
      auto c = parse_value(tok, t);
      if (!c) return c.error();
      codes.push_back(*c);
    }
    if (cycle && !codes.empty())
      for (int64_t i = static_cast<int64_t>(codes.size()); i < n; ++i) codes.push_back(codes[i % l->size()]);
  } else if (p[0] == "seq" && (p.size() == 3 || p.size() == 4)) {
    if (p.size() == 4) {
      auto k = count_of(p[3]);
      if (!k) return k.error();
      n = *k;
    }
    long double start = std::strtold(p[1].c_str(), nullptr), step = std::strtold(p[2].c_str(), nullptr);
    for (int64_t i = 0; i < n; ++i) {
      long double v = start + step * i;
      std::ostringstream os;
      os.precision(21);
      os << v;
      auto c = t.is_int() ? Expected<uint64_t>(static_cast<uint64_t>(static_cast<int64_t>(v)) & t.mask()) : parse_value(os.str(), t);
      if (!c) return c.error();
      codes.push_back(*c);
    }
  } else if ((p[0] == "codes" && p.size() <= 2) || (p[0] == "fill" && (p.size() == 2 || p.size() == 3))) {
    size_t ci = p[0] == "codes" ? 1 : 2;
    if (p.size() > ci) {
      auto k = count_of(p[ci]);
      if (!k) return k.error();
      n = *k;
    }
    uint64_t v = 0;
    if (p[0] == "fill") {
      auto c = parse_value(p[1], t);
      if (!c) return c.error();
      v = *c;
    }
    for (int64_t i = 0; i < n; ++i) codes.push_back(p[0] == "codes" ? static_cast<uint64_t>(i) & t.mask() : v);
  } else {
    return fail("argument " + arg.name + ": unknown form '" + text + "' (rand:, [..], seq:, codes, fill:, file:)");
  }
  arg.shape = {static_cast<int64_t>(codes.size())};
  arg.bytes.assign(dt::packed_bytes(t.bits, codes.size()), 0);
  dt::pack(codes.data(), codes.size(), t.bits, arg.bytes.data());
  return true;
}

const ir::Param* find_param(const ir::Program& p, const std::string& name) {
  for (const ir::Param& q : p.params)
    if (q.name == name) return &q;
  return nullptr;
}

}  // namespace

Expected<exec::Launch> build_launch(std::shared_ptr<const exec::LoadedProgram> program, const Case& c, const RunSpec& run) {
  std::vector<exec::ArgSpec> specs;
  std::vector<std::pair<std::string, std::string>> patterns;
  std::string dir = std::filesystem::path(c.path).parent_path().string();
  for (const auto& [name, text] : run.args) {
    const ir::Param* p = find_param(program->program, name);
    if (!p) return fail("run: the program has no parameter '" + name + "'");
    std::string spec;
    if (!p->type.pointer) {
      auto code = parse_value(text, p->type.dtype);  // checks the value is exact
      if (!code) return fail("argument " + name + ": " + code.error().message);
      spec = name + "=" + text;
    } else if (text.rfind("rand:", 0) == 0) {
      std::vector<std::string> parts = split(text, ':');
      bool typed = parts.size() >= 3 && dt::parse_dtype(parts[1]).ok();
      spec = name + "=" + (typed ? text : "rand:" + p->type.dtype.name() + text.substr(4));
    } else if (text.rfind("file:", 0) == 0) {
      spec = name + "=" + (std::filesystem::path(dir) / text.substr(5)).string();
    } else {
      patterns.emplace_back(name, text);
      continue;
    }
    auto s = exec::parse_arg_spec(spec);
    if (!s) return s.error();
    specs.push_back(*s);
  }
  auto launch = exec::make_launch(program, specs, run.grid);
  if (!launch) return launch.error();
  for (const auto& [name, text] : patterns)
    for (exec::Arg& a : launch->args)
      if (a.name == name) {
        auto ok = fill_pattern(a, text, a.num_elements());
        if (!ok) return ok.error();
      }
  // Scalars given as hex codes: set the exact code (make_launch parsed the text already).
  for (exec::Arg& a : launch->args)
    for (const auto& [name, text] : run.args)
      if (a.name == name && !a.is_pointer() && text.rfind("0x", 0) == 0) a.bits = *parse_value(text, a.type.dtype);
  launch->check_init = true;
  return launch;
}

Inputs inputs_of(const std::vector<exec::Arg>& args) {
  Inputs in;
  for (const exec::Arg& a : args) {
    if (!a.is_pointer()) continue;
    Buffer b;
    b.t = a.type.dtype;
    b.bytes = a.bytes;
    b.codes.resize(a.num_elements());
    dt::unpack(a.bytes.data(), b.codes.size(), b.t.bits, b.codes.data());
    in[a.name] = std::move(b);
  }
  return in;
}

}  // namespace tilevm::conf
