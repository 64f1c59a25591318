// Building launches: loading programs, argument specifications, buffers and the grid.
#include "exec/launch.h"

#include <algorithm>
#include <cstdlib>

#include "dtype/pack.h"
#include "exec/scalar.h"
#include "text/diagnostics.h"
#include "text/parser.h"
#include "text/source_io.h"

namespace tilevm::exec {
namespace {

// Every view.global instruction in `body`, recursively.
void collect_views(const std::vector<ir::Stmt>& body, std::vector<const ir::Insn*>& out) {
  for (const ir::Stmt& s : body) {
    if (s.kind == ir::StmtKind::Insn && s.insn.op == ir::Op::kViewGlobal) out.push_back(&s.insn);
    collect_views(s.body, out);
    collect_views(s.else_body, out);
  }
}

// Elements a view over `param` needs, from the scalar arguments; nullopt when the view's shape
// depends on values other than parameters.
std::optional<int64_t> view_extent(const ir::Insn& v, const ScalarLookup& lookup) {
  EvalError err;
  auto eval_all = [&](const ir::AttrValue* a, std::vector<int64_t>& out) {
    if (!a) return true;
    for (const ir::ExprPtr& e : a->exprs) {
      auto s = eval_scalar(*e, lookup, &err);
      if (!s) return false;
      out.push_back(s->as_int());
    }
    return true;
  };
  std::vector<int64_t> shape, strides;
  if (!eval_all(v.attr("shape"), shape) || !eval_all(v.attr("strides"), strides)) return std::nullopt;
  int64_t n = 1;
  for (int64_t e : shape) if (e <= 0) return 0;
  if (strides.empty()) {
    for (int64_t e : shape) n *= e;
    return n;
  }
  int64_t last = 0;
  for (size_t d = 0; d < shape.size() && d < strides.size(); ++d) last += (shape[d] - 1) * strides[d];
  return last + 1;
}

Expected<bool> fill_pointer(Arg& arg, const ArgSpec* spec, const std::vector<int64_t>& needed) {
  const dt::DType& t = arg.type.dtype;
  if (spec && spec->kind == ArgSpec::Kind::File) {
    auto a = read_arg_file(spec->path, t);
    if (!a) return a.error();
    arg.shape = a->shape, arg.bytes = std::move(a->bytes);
    return true;
  }
  int64_t n = 0;
  for (int64_t e : needed) n = std::max(n, e);
  if (spec && spec->shape) {
    n = 1;
    for (int64_t e : *spec->shape) n *= e;
    arg.shape = *spec->shape;
  } else {
    arg.shape = {n};
  }
  arg.bytes.assign(dt::packed_bytes(t.bits, static_cast<size_t>(n)), 0);
  if (spec && spec->kind == ArgSpec::Kind::Rand) {
    if (!(spec->dtype == t))
      return fail("--arg " + arg.name + ": the generator's type " + spec->dtype.name() + " is not the parameter's " + t.name());
    std::vector<uint64_t> codes = generate(t, spec->seed, n);
    dt::pack(codes.data(), codes.size(), t.bits, arg.bytes.data());
  } else if (spec) {
    return fail("--arg " + arg.name + ": a pointer argument needs a .npy file or rand:DTYPE:SEED, not '" + spec->value + "'");
  }
  return true;
}

Expected<bool> fill_scalar(Arg& arg, const ArgSpec* spec) {
  if (!spec) return fail("missing --arg " + arg.name + "=VALUE (scalar of type " + arg.type.name() + ")");
  if (spec->kind == ArgSpec::Kind::File) return fail("--arg " + arg.name + ": a scalar takes a value, not a file");
  if (spec->kind == ArgSpec::Kind::Rand) {
    if (!(spec->dtype == arg.type.dtype))
      return fail("--arg " + arg.name + ": the generator's type " + spec->dtype.name() + " is not the parameter's " + arg.type.name());
    arg.bits = generate(arg.type.dtype, spec->seed, 1)[0];
    return true;
  }
  auto v = parse_scalar_value(spec->value, arg.type.dtype);
  if (!v) return fail("--arg " + arg.name + ": " + v.error().message);
  arg.bits = *v;
  return true;
}

Expected<std::array<int64_t, 3>> eval_grid(const ir::Program& p, const ScalarLookup& lookup,
                                           const std::optional<std::vector<int64_t>>& over) {
  std::array<int64_t, 3> g{1, 1, 1};
  if (over) {
    if (over->empty() || over->size() > 3) return fail("--grid takes 1 to 3 extents");
    for (size_t i = 0; i < over->size(); ++i) g[i] = (*over)[i];
  } else {
    for (size_t i = 0; i < p.grid.size() && i < 3; ++i) {
      EvalError err;
      auto s = eval_scalar(*p.grid[i], lookup, &err);
      if (!s) return fail("cannot evaluate the grid: " + err.message);
      g[i] = s->as_int();
    }
  }
  for (int64_t e : g)
    if (e < 0 || e > (int64_t{1} << 31)) return fail("grid extent " + std::to_string(e) + " is out of range");
  return g;
}

}  // namespace

int64_t Arg::num_elements() const {
  int64_t n = 1;
  for (int64_t e : shape) n *= e;
  return n;
}

const Arg* Launch::arg(const std::string& name) const {
  for (const Arg& a : args)
    if (a.name == name) return &a;
  return nullptr;
}

Expected<std::shared_ptr<const LoadedProgram>> load_program_text(std::string name, std::string text) {
  auto lp = std::make_shared<LoadedProgram>();
  lp->source = std::make_unique<text::SourceFile>(std::move(name), std::move(text));
  text::Diagnostics diags(*lp->source);
  auto program = text::parse_program(diags);
  if (!program) return fail(diags.render());
  lp->program = std::move(*program);
  auto facts = verify::verify_program(lp->program, diags, /*fill_layouts=*/true);
  if (!facts || diags.has_errors()) return fail(diags.render());
  lp->facts = std::move(*facts);
  return std::shared_ptr<const LoadedProgram>(std::move(lp));
}

Expected<std::shared_ptr<const LoadedProgram>> load_program_file(const std::string& path) {
  std::string why;
  auto content = text::read_file(path, &why);
  if (!content) return fail(path + ": error: cannot read the file: " + why);
  return load_program_text(path, std::move(*content));
}

Expected<Launch> make_launch(std::shared_ptr<const LoadedProgram> program, const std::vector<ArgSpec>& specs,
                             const std::optional<std::vector<int64_t>>& grid) {
  const ir::Program& p = program->program;
  Launch launch;
  for (const ArgSpec& s : specs) {
    bool known = std::any_of(p.params.begin(), p.params.end(), [&](const ir::Param& q) { return q.name == s.name; });
    if (!known) return fail("--arg " + s.name + ": the program has no parameter '" + s.name + "'");
  }
  auto spec_of = [&](const std::string& name) -> const ArgSpec* {
    for (const ArgSpec& s : specs)
      if (s.name == name) return &s;
    return nullptr;
  };
  for (const ir::Param& q : p.params) {
    Arg a;
    a.name = q.name, a.type = q.type;
    if (!q.type.pointer) {
      auto ok = fill_scalar(a, spec_of(q.name));
      if (!ok) return ok.error();
    }
    launch.args.push_back(std::move(a));
  }
  ScalarLookup lookup = [&](const std::string& name) -> std::optional<Scalar> {
    for (const Arg& a : launch.args)
      if (a.name == name && !a.is_pointer()) return Scalar::of(a.type.dtype, a.bits);
    return std::nullopt;
  };
  std::vector<const ir::Insn*> views;
  collect_views(p.body, views);
  for (Arg& a : launch.args) {
    if (!a.is_pointer()) continue;
    std::vector<int64_t> needed;
    for (const ir::Insn* v : views)
      if (!v->operands.empty() && v->operands[0].scalar && v->operands[0].scalar->kind == ir::ExprKind::Var &&
          v->operands[0].scalar->name == a.name)
        if (auto n = view_extent(*v, lookup)) needed.push_back(*n);
    auto ok = fill_pointer(a, spec_of(a.name), needed);
    if (!ok) return ok.error();
  }
  auto g = eval_grid(p, lookup, grid);
  if (!g) return g.error();
  launch.grid = *g;
  launch.program = std::move(program);
  return launch;
}

std::optional<Mismatch> first_difference(const Arg& a, const Arg& b) {
  if (!a.is_pointer() || !b.is_pointer()) {  // scalars: their codes (no buffer to index)
    if (a.is_pointer() == b.is_pointer() && a.bits == b.bits) return std::nullopt;
    Mismatch m;
    m.a = a.bits, m.b = b.bits;
    return m;
  }
  const int bits = a.type.dtype.bits;
  int64_t n = std::min(a.num_elements(), b.num_elements());
  for (int64_t i = 0; i < n; ++i) {
    uint64_t x = dt::get_element(a.bytes.data(), bits, i), y = dt::get_element(b.bytes.data(), bits, i);
    if (x == y) continue;
    Mismatch m;
    m.a = x, m.b = y;
    m.index.assign(a.shape.size(), 0);
    int64_t r = i;
    for (size_t d = a.shape.size(); d-- > 0;) m.index[d] = r % a.shape[d], r /= a.shape[d];
    return m;
  }
  if (a.num_elements() != b.num_elements()) {
    Mismatch m;
    m.index = {n};
    return m;
  }
  return std::nullopt;
}

}  // namespace tilevm::exec
