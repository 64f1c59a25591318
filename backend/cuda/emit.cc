// The code generator's driver: the kernel signature, statements, scalar expressions, register
// storage, and the NVRTC step with errors mapped back to .tile lines.
#include <cstdio>
#include <set>
#include <sstream>

#include "backend/cuda/coverage.h"
#include "backend/cuda/driver.h"
#include "backend/cuda/emit_internal.h"
#include "dtype/convert.h"
#include "exec/arith.h"

namespace tilevm::cuda {

std::string ctype(const ir::DType& d) {
  if (d.bits < 8) return "uint32_t";
  if (d == dt::kF16) return "__half";
  if (d == dt::kBF16) return "__nv_bfloat16";
  if (d == dt::kF32) return "float";
  if (d == dt::kF64) return "double";
  std::string w = std::to_string(d.bits);
  if (d.kind == dt::Kind::Int) return "int" + w + "_t";
  return "uint" + w + "_t";  // unsigned, bool, and float formats stored as codes
}

bool is_packed(const ir::DType& d) { return d.bits < 8; }

int storage_len(const ir::DType& d, int slots) {
  if (is_packed(d)) return std::max(1, (slots * d.bits + 31) / 32);
  return std::max(1, slots);
}

bool is_native(const ir::DType& d) { return ir::is_arithmetic(d) || d.is_bool(); }

namespace {

const std::set<std::string> kReserved = {
    "auto", "bool", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
    "extern", "float", "for", "goto", "if", "int", "long", "register", "return", "short", "signed", "sizeof",
    "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "tid", "lane",
    "warp", "smem", "new", "i", "j", "o", "c", "v", "x", "part", "t0", "buf", "blockIdx", "threadIdx", "delete", "class", "template", "this", "min", "max", "half", "main", "printf"};

// Names the generated code uses for its own temporaries: a letter from "xgiLP" followed by
// digits (and '_' digits), plus the words in kReserved.
bool is_temp_name(const std::string& n) {
  if (n.size() < 2 || std::string("xgiLP").find(n[0]) == std::string::npos) return false;
  return n.find_first_not_of("0123456789_", 1) == std::string::npos;
}

std::string c_ident(const std::string& name) {
  if (kReserved.count(name) || is_temp_name(name) || name.rfind("tvm_", 0) == 0 || name.rfind("__", 0) == 0)
    return name + "_";
  return name;
}

const char* binop_c(ir::BinOp op) {
  switch (op) {
    case ir::BinOp::Mul: return "*";
    case ir::BinOp::Div: return "/";
    case ir::BinOp::Mod: return "%";
    case ir::BinOp::Add: return "+";
    case ir::BinOp::Sub: return "-";
    case ir::BinOp::Lt: return "<";
    case ir::BinOp::Le: return "<=";
    case ir::BinOp::Gt: return ">";
    case ir::BinOp::Ge: return ">=";
    case ir::BinOp::Eq: return "==";
    case ir::BinOp::Ne: return "!=";
    case ir::BinOp::BitAnd: return "&";
    case ir::BinOp::BitXor: return "^";
    case ir::BinOp::BitOr: return "|";
    case ir::BinOp::LogicAnd: return "&&";
    case ir::BinOp::LogicOr: return "||";
    default: return "?";
  }
}

bool is_comparison(ir::BinOp op) {
  return op == ir::BinOp::Lt || op == ir::BinOp::Le || op == ir::BinOp::Gt || op == ir::BinOp::Ge ||
         op == ir::BinOp::Eq || op == ir::BinOp::Ne;
}

// A literal as a value of t. Floats (and the codes of non-native formats) are converted on the
// host exactly as the emulator converts scalar literals (a float literal rounded once from its
// double value, exec::from_double; an integer literal by dt::convert) and emitted as bits, so
// an out-of-range literal gives the infinity or saturated code the spec gives, never a C
// constant NVRTC rejects or rounds twice.
std::string literal(const ir::ExprPtr& e, const ir::DType& t) {
  if (e->kind == ir::ExprKind::Bool) return e->bool_value ? "true" : "false";
  double v = e->kind == ir::ExprKind::Float ? e->float_value : static_cast<double>(e->int_value);
  if (t.is_float()) {
    uint64_t code = e->kind == ir::ExprKind::Float ? exec::from_double(v, t)
                                                   : dt::convert(static_cast<uint64_t>(e->int_value), dt::kI64, t);
    char buf[96];
    char shown[40];
    std::snprintf(shown, sizeof shown, "%.17g", v);
    if (t == dt::kF32) std::snprintf(buf, sizeof buf, "__uint_as_float(0x%08llxu) /* %s */", static_cast<unsigned long long>(code), shown);
    else if (t == dt::kF64) std::snprintf(buf, sizeof buf, "__longlong_as_double(0x%016llxll) /* %s */", static_cast<unsigned long long>(code), shown);
    else if (t == dt::kF16) std::snprintf(buf, sizeof buf, "__ushort_as_half((unsigned short)0x%04llx) /* %s */", static_cast<unsigned long long>(code), shown);
    else if (t == dt::kBF16) std::snprintf(buf, sizeof buf, "__ushort_as_bfloat16((unsigned short)0x%04llx) /* %s */", static_cast<unsigned long long>(code), shown);
    else std::snprintf(buf, sizeof buf, "(%s)0x%llxu /* %s */", ctype(t).c_str(), static_cast<unsigned long long>(code), shown);
    return buf;
  }
  if (t.is_bool()) return v != 0 ? "true" : "false";
  std::string s = std::to_string(e->int_value);
  if (t.bits == 64) return "(" + ctype(t) + ")" + s + (t.kind == dt::Kind::Int ? "ll" : "ull");
  if (t == dt::kI32) return e->int_value < 0 ? "(" + s + ")" : s;
  return "(" + ctype(t) + ")" + (e->int_value < 0 ? "(" + s + ")" : s);
}

}  // namespace

Emitter::Emitter(const ir::Program& p, const verify::Facts& facts, const text::SourceFile* file, const EmitOptions& o)
    : p_(p), facts_(facts), file_(file), opt_(o) {
  threads_ = static_cast<int>(p.warps) * 32;
}

void Emitter::line(const std::string& s) {
  body_.emplace_back(std::string(static_cast<size_t>(indent_) * 2, ' ') + s, cur_line_);
}

void Emitter::fail(ir::SrcRange where, const std::string& msg) {
  if (error_) return;
  error_ = where.valid ? Error{msg, where.begin, std::max<size_t>(1, where.length())} : Error{msg};
}

int Emitter::tile_line(ir::SrcRange r) const {
  if (!file_ || !r.valid) return 0;
  return file_->line_col(r.begin).line;
}

const verify::InsnFacts& Emitter::facts_of(const ir::Insn& insn) const {
  auto it = facts_.insns.find(&insn);
  TILEVM_CHECK(it != facts_.insns.end());
  return it->second;
}

TVar& Emitter::operand(const ir::Insn& insn, size_t i) {
  int id = facts_of(insn).operands.at(i);
  TILEVM_CHECK(id >= 0);
  return tv_[id];
}

TVar& Emitter::produced(const ir::Insn& insn) {
  const verify::InsnFacts& f = facts_of(insn);
  int id = f.out >= 0 ? f.out : f.result;
  TILEVM_CHECK(id >= 0);
  return tv_[id];
}

void Emitter::declare_register(const TVar& t) {
  const auto& f = *t.f;
  int n = storage_len(f.dtype, f.layout->local_size());
  std::string init = is_packed(f.dtype) ? " = {}" : "";
  line("[[maybe_unused]] __align__(16) " + ctype(f.dtype) + " " + t.c + "[" + std::to_string(n) + "]" + init + ";  // " +
       f.dtype.name() + verify::dims_text(f.shape) + " " + layout::to_string(*f.layout));
}

std::string Emitter::get(const TVar& t, int slot) {
  const ir::DType& d = t.f->dtype;
  if (is_packed(d))
    return "tvm_get_bits(" + t.c + ", " + std::to_string(slot * d.bits) + ", " + std::to_string(d.bits) + ")";
  return t.c + "[" + std::to_string(slot) + "]";
}

std::string Emitter::set(const TVar& t, int slot, const std::string& v) {
  const ir::DType& d = t.f->dtype;
  if (is_packed(d))
    return "tvm_set_bits(" + t.c + ", " + std::to_string(slot * d.bits) + ", " + std::to_string(d.bits) + ", " + v + ");";
  return t.c + "[" + std::to_string(slot) + "] = " + v + ";";
}

// ---- scalars

std::string Emitter::scalar_name(const std::string& name) const {
  auto it = scalar_c_.find(name);
  return it == scalar_c_.end() ? c_ident(name) : it->second;
}

std::optional<ir::ScalarType> Emitter::type_of(const ir::ExprPtr& e) {
  switch (e->kind) {
    case ir::ExprKind::Int:
    case ir::ExprKind::Float: return std::nullopt;
    case ir::ExprKind::Bool: return ir::ScalarType{dt::kBool, false};
    case ir::ExprKind::Var:
      for (size_t i = scopes_.size(); i-- > 0;) {
        auto it = scopes_[i].find(e->name);
        if (it != scopes_[i].end()) return it->second;
      }
      return ir::ScalarType{dt::kI32, false};
    case ir::ExprKind::Unary:
      if (e->un == ir::UnOp::LogicNot) return ir::ScalarType{dt::kBool, false};
      return type_of(e->args[0]);
    case ir::ExprKind::Binary: {
      if (is_comparison(e->bin) || e->bin == ir::BinOp::LogicAnd || e->bin == ir::BinOp::LogicOr)
        return ir::ScalarType{dt::kBool, false};
      auto a = type_of(e->args[0]);
      return a ? a : type_of(e->args[1]);
    }
    case ir::ExprKind::Call: {
      for (const auto& a : e->args)
        if (auto t = type_of(a)) return t;
      return std::nullopt;
    }
    case ir::ExprKind::Convert: return ir::ScalarType{e->dtype, false};
  }
  return std::nullopt;
}

static ir::DType literal_default(const ir::ExprPtr& e) {
  return e->kind == ir::ExprKind::Float ? dt::kF32 : dt::kI32;
}

std::string Emitter::expr_as(const ir::ExprPtr& e, const ir::DType& t) {
  if (e->kind == ir::ExprKind::Int || e->kind == ir::ExprKind::Float) return literal(e, t);
  auto et = type_of(e);
  std::string s = expr(e);
  if (!et || et->pointer || et->dtype == t) return s;
  return convert(s, et->dtype, t);
}

std::string Emitter::expr(const ir::ExprPtr& e) {
  switch (e->kind) {
    case ir::ExprKind::Int:
    case ir::ExprKind::Float: return literal(e, literal_default(e));
    case ir::ExprKind::Bool: return e->bool_value ? "true" : "false";
    case ir::ExprKind::Var: return scalar_name(e->name);
    case ir::ExprKind::Unary: {
      auto t = type_of(e->args[0]);
      ir::DType d = t ? t->dtype : literal_default(e->args[0]);
      std::string a = expr_as(e->args[0], d);
      if (e->un == ir::UnOp::LogicNot) return "(!" + a + ")";
      if (e->un == ir::UnOp::BitNot) return "tvm_not(" + a + ")";
      return "tvm_neg(" + a + ")";
    }
    case ir::ExprKind::Binary: {
      auto ta = type_of(e->args[0]);
      auto tb = type_of(e->args[1]);
      ir::DType d = ta ? ta->dtype : tb ? tb->dtype : literal_default(e->args[0]);
      if (!ta && !tb && (e->args[1]->kind == ir::ExprKind::Float)) d = dt::kF32;
      if (e->bin == ir::BinOp::LogicAnd || e->bin == ir::BinOp::LogicOr) d = dt::kBool;
      std::string a = expr_as(e->args[0], d), b = expr_as(e->args[1], d);
      if (e->bin == ir::BinOp::Shl) return "tvm_shl(" + a + ", " + b + ")";
      if (e->bin == ir::BinOp::Shr) return "tvm_shr(" + a + ", " + b + ")";
      // Float arithmetic goes through the prelude's functions: one rounding per operation for
      // f16/bf16, canonical NaN results for every width (src/exec/arith.h).
      if (d.is_float() && !is_comparison(e->bin)) {
        const char* fn = e->bin == ir::BinOp::Add ? "tvm_add" : e->bin == ir::BinOp::Sub ? "tvm_sub"
                         : e->bin == ir::BinOp::Mul ? "tvm_mul" : e->bin == ir::BinOp::Div ? "tvm_div"
                         : e->bin == ir::BinOp::Mod ? "tvm_mod" : nullptr;
        if (fn) return std::string(fn) + "(" + a + ", " + b + ")";
      }
      std::string s = "(" + a + " " + binop_c(e->bin) + " " + b + ")";
      if (!is_comparison(e->bin) && d.is_int() && d.bits < 32) s = "(" + ctype(d) + ")" + s;
      return s;
    }
    case ir::ExprKind::Call: {
      auto t = type_of(e);
      ir::DType d = t ? t->dtype : literal_default(e->args[0]);
      std::vector<std::string> a;
      for (const auto& x : e->args) a.push_back(expr_as(x, d));
      if (e->name == "cdiv") return "((" + a[0] + " + " + a[1] + " - 1) / " + a[1] + ")";
      if (e->name == "min") return "tvm_min(" + a[0] + ", " + a[1] + ")";
      if (e->name == "max") return "tvm_max(" + a[0] + ", " + a[1] + ")";
      fail(e->loc, "the CUDA backend does not know the scalar function '" + e->name + "'");
      return "0";
    }
    case ir::ExprKind::Convert: {
      auto t = type_of(e->args[0]);
      if (!t) return literal(e->args[0], e->dtype);
      return convert(expr(e->args[0]), t->dtype, e->dtype);
    }
  }
  return "0";
}

// ---- statements

void Emitter::emit_block(const std::vector<ir::Stmt>& b) {
  scopes_.emplace_back();
  for (const ir::Stmt& s : b) {
    if (failed()) break;
    emit_stmt(s);
  }
  scopes_.pop_back();
}

void Emitter::emit_stmt(const ir::Stmt& s) {
  cur_line_ = tile_line(s.loc);
  std::string where = cur_line_ ? "  // line " + std::to_string(cur_line_) : "";
  switch (s.kind) {
    case ir::StmtKind::Let: {
      ir::ScalarType t = s.type ? *s.type : type_of(s.value).value_or(ir::ScalarType{literal_default(s.value), false});
      scopes_.back()[s.name] = t;
      scalar_c_[s.name] = c_ident(s.name);
      line(ctype(t.dtype == dt::kBool ? dt::kBool : t.dtype) + " " + scalar_name(s.name) + " = " +
           expr_as(s.value, t.dtype) + ";" + where);
      return;
    }
    case ir::StmtKind::Assign: {
      auto t = type_of(ir::Expr::make_var(s.name));
      line(scalar_name(s.name) + " = " + expr_as(s.value, t->dtype) + ";" + where);
      return;
    }
    case ir::StmtKind::For: {
      ir::ExprPtr start = s.start ? s.start : ir::Expr::make_int(0);
      auto t = type_of(start);
      if (!t) t = type_of(s.stop);
      ir::DType d = t ? t->dtype : dt::kI32;
      std::string v = c_ident(s.name), step = s.step ? expr_as(s.step, d) : "1";
      std::string cmp = v + " < " + expr_as(s.stop, d);
      if (s.step && !(s.step->kind == ir::ExprKind::Int && s.step->int_value > 0))
        cmp = "(" + step + " > 0 ? " + v + " < " + expr_as(s.stop, d) + " : " + v + " > " + expr_as(s.stop, d) + ")";
      if (s.unroll.kind == ir::Unroll::Full) line("#pragma unroll");
      if (s.unroll.kind == ir::Unroll::Factor) line("#pragma unroll " + std::to_string(s.unroll.factor));
      open("for (" + ctype(d) + " " + v + " = " + expr_as(start, d) + "; " + cmp + "; " + v + " += " + step + ")", where);
      scopes_.emplace_back();
      scopes_.back()[s.name] = ir::ScalarType{d, false};
      scalar_c_[s.name] = v;
      emit_block(s.body);
      scopes_.pop_back();
      close();
      return;
    }
    case ir::StmtKind::If:
      open("if (" + expr(s.cond) + ")", where);
      emit_block(s.body);
      if (!s.else_body.empty()) {
        close("} else {");
        ++indent_;
        emit_block(s.else_body);
      }
      close();
      return;
    case ir::StmtKind::While:
      open("while (" + expr(s.cond) + ")", where);
      emit_block(s.body);
      close();
      return;
    case ir::StmtKind::Break: line("break;" + where); return;
    case ir::StmtKind::Insn: emit_insn(s.insn); return;
  }
}

void Emitter::emit_insn(const ir::Insn& insn) {
  cur_line_ = tile_line(insn.loc) ? tile_line(insn.loc) : cur_line_;
  std::string text = file_ && cur_line_ ? std::string(file_->line_text(cur_line_)) : insn.info().mnemonic;
  size_t b = text.find_first_not_of(" \t");
  line("// " + std::to_string(cur_line_) + ": " + (b == std::string::npos ? text : text.substr(b)));
  if (!coverage().covers(insn.op)) {
    fail(insn.loc, "the CUDA backend has no lowering for '" + insn.info().mnemonic + "'");
    return;
  }
  switch (insn.info().family) {
    case ir::Family::Index: emit_index(*this, insn); break;
    case ir::Family::Alloc: emit_alloc(*this, insn); break;
    case ir::Family::Memory: emit_memory(*this, insn); break;
    case ir::Family::Copy: emit_copy(*this, insn); break;
    case ir::Family::Unary:
    case ir::Family::Binary:
    case ir::Family::Compare:
    case ir::Family::Ternary:
    case ir::Family::Select: emit_elementwise(*this, insn); break;
    case ir::Family::Cast:
    case ir::Family::View: emit_cast(*this, insn); break;
    case ir::Family::Reduce: emit_reduce(*this, insn); break;
    case ir::Family::Dot: emit_dot(*this, insn); break;
    case ir::Family::Barrier:
    case ir::Family::Control:
    case ir::Family::Debug: emit_control(*this, insn); break;
    case ir::Family::Atomic:
    case ir::Family::Semaphore: emit_atomic(*this, insn); break;
  }
}

bool has_emitter(ir::Op op) { return coverage().covers(op); }

void Emitter::plan_names() {
  std::set<std::string> scalars;
  for (const ir::Param& prm : p_.params) scalars.insert(prm.name);
  std::map<std::string, int> seen;
  tv_.resize(facts_.tensors.size());
  for (size_t i = 0; i < facts_.tensors.size(); ++i) {
    const verify::TensorFacts& f = facts_.tensors[i];
    std::string c = c_ident(f.name);
    if (scalars.count(c)) c += "_t";
    if (seen[c]++) c += "_" + std::to_string(i);
    tv_[i].c = c;
    tv_[i].f = &f;
  }
}

Expected<EmittedKernel> Emitter::run() {
  plan_names();
  scopes_.emplace_back();
  std::string sig;
  for (const ir::Param& prm : p_.params) {
    scopes_.back()[prm.name] = prm.type;
    scalar_c_[prm.name] = c_ident(prm.name);
    if (!sig.empty()) sig += ", ";
    sig += ctype(prm.type.dtype) + (prm.type.pointer ? "* " : " ") + c_ident(prm.name);
  }
  emit_block(p_.body);
  if (error_) return *error_;
  for (size_t i = 0; i < workspaces_.size(); ++i) {
    if (!sig.empty()) sig += ", ";
    sig += ctype(workspaces_[i].dtype) + "* tvm_ws_" + std::to_string(i);
  }
  int64_t reduce_at = (smem_peak_ + 15) / 16 * 16;
  int64_t total = reduce_at + reduce_ws_;
  EmittedKernel k;
  const std::string kname = opt_.kernel_name.empty() ? p_.name : opt_.kernel_name;
  k.kernel_name = kname;
  k.globals = globals_;
  k.threads = threads_;
  k.shared_bytes = total;
  k.workspaces = workspaces_;
  std::vector<std::pair<std::string, int>> all;
  auto add = [&](const std::string& s, int l) { all.emplace_back(s, l); };
  std::istringstream pre(prelude_source());
  for (std::string l; std::getline(pre, l);) add(l, 0);
  add("", 0);
  for (const std::string& g : globals_) add(g, 0);
  const size_t function_at = all.size();
  for (const std::string& c : p_.comments) add("//" + c, 0);
  add("extern \"C\" __global__ void __launch_bounds__(" + std::to_string(threads_) + ") " + kname + "(" + sig + ") {", 0);
  add("  extern __shared__ __align__(128) uint8_t tvm_smem[];", 0);
  add("  const int tid = threadIdx.x;", 0);
  add("  const int lane = tid % 32, warp = tid / 32;", 0);
  if (reduce_ws_) add("  uint8_t* const tvm_reduce_ws = tvm_smem + " + std::to_string(reduce_at) + ";", 0);
  add("  (void)lane; (void)warp;", 0);
  for (const std::string& s : prologue_) add("  " + s, 0);
  for (auto& b : body_) all.push_back(b);
  add("}", 0);
  for (size_t i = 0; i < all.size(); ++i) {
    k.source += all[i].first;
    k.source += '\n';
    k.tile_line.push_back(all[i].second);
    if (i >= function_at) k.function += all[i].first + '\n';
  }
  return k;
}

const char* prelude_text() { return prelude_source(); }

Expected<EmittedKernel> emit_kernel(const ir::Program& p, const verify::Facts& facts, const text::SourceFile* file,
                                    const EmitOptions& options) {
  if (!supported_arch(options.arch))
    return fail("unsupported architecture sm_" + std::to_string(options.arch) + " (supported: sm_80, sm_89, sm_90)");
  Emitter e(p, facts, file, options);
  return e.run();
}

namespace {

// Rewrites NVRTC's "name(LINE): ..." messages with the generated line and its .tile origin.
std::string map_log(const std::string& log, const std::string& name, const EmittedKernel& k,
                    const text::SourceFile* file) {
  std::istringstream in(log);
  std::ostringstream out;
  std::vector<std::string> src;
  std::istringstream s(k.source);
  for (std::string l; std::getline(s, l);) src.push_back(l);
  for (std::string l; std::getline(in, l);) {
    out << l << "\n";
    size_t p = l.find(name + "(");
    if (p == std::string::npos) continue;
    int n = std::atoi(l.c_str() + p + name.size() + 1);
    if (n < 1 || n > static_cast<int>(src.size())) continue;
    out << "  generated line " << n << ": " << src[n - 1] << "\n";
    int t = k.tile_line[n - 1];
    if (t && file) out << "  from " << file->name() << ":" << t << ": " << file->line_text(t) << "\n";
  }
  return out.str();
}

}  // namespace

Expected<CompiledKernel> compile_program(const ir::Program& p, const verify::Facts& facts, const text::SourceFile* file,
                                         const EmitOptions& options, bool cached) {
  auto k = emit_kernel(p, facts, file, options);
  if (!k) return k.error();
  std::string name = p.name + ".cu";
  CompileOptions co{options.arch, {}};
  auto r = cached ? compile_cached(k->source, name, co) : compile(k->source, name, co);
  if (!r) return fail("NVRTC failed to compile the generated kernel:\n" + map_log(r.error().message, name, *k, file));
  if (!r->log.empty()) r->log = map_log(r->log, name, *k, file);
  return CompiledKernel{std::move(*k), std::move(*r)};
}

int default_arch() {
  const DeviceInfo& d = device_info();
  if (!d.present) return 90;
  int a = d.arch();
  if (a >= 90) return 90;
  if (a >= 89) return 89;
  return 80;
}

}  // namespace tilevm::cuda
