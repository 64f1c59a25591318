// The verifier's walk over the program: header, scopes, statements.
#include "verify/checker.h"

namespace tilevm::verify {

const char* scope_name(Scope s) {
  switch (s) {
    case Scope::Register: return "register";
    case Scope::Shared: return "shared";
    case Scope::Global: return "global";
  }
  return "?";
}

std::string dims_text(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

int Facts::produced(const ir::Insn* insn) const {
  auto it = insns.find(insn);
  if (it == insns.end()) return -1;
  return it->second.out >= 0 ? it->second.out : it->second.result;
}

const Symbol* Checker::lookup(const std::string& name, bool tensor) const {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto f = it->find((tensor ? "%" : "") + name);
    if (f != it->end()) return &f->second;
  }
  return nullptr;
}

bool Checker::define(const std::string& name, Symbol sym) {
  std::string key = (sym.is_tensor ? "%" : "") + name;
  if (const Symbol* prev = lookup(name, sym.is_tensor)) {
    error(sym.loc, "redefinition of '" + key + "'");
    note(prev->loc, "previous definition is here");
    return false;
  }
  scopes_.back()[key] = sym;
  return true;
}

void Checker::check_header() {
  push_scope();  // parameters
  for (const ir::Param& prm : p_.params) {
    if (!prm.type.pointer && !ir::is_standard(prm.type.dtype))
      error(prm.type_loc, "scalar parameter '" + prm.name + "' has type " + prm.type.name() +
                              "; scalars must be bool, an 8/16/32/64-bit integer, f16, bf16, f32 or f64");
    Symbol s;
    s.type = prm.type;
    s.what = "parameter";
    s.loc = prm.loc;
    define(prm.name, s);
  }
  if (p_.grid.empty() || p_.grid.size() > 3)
    error(p_.grid_loc, "the grid needs 1 to 3 expressions, got " + std::to_string(p_.grid.size()));
  for (const ir::ExprPtr& g : p_.grid) expect_integer(g, "a grid extent");
  if (p_.warps < 1 || p_.warps > kMaxWarps)
    error(p_.warps_loc, "a block has 1 to " + std::to_string(kMaxWarps) + " warps, got " + std::to_string(p_.warps));
}

void Checker::check_block(std::vector<ir::Stmt>& body) {
  push_scope();
  for (ir::Stmt& s : body) check_stmt(s);
  pop_scope();
}

void Checker::check_stmt(ir::Stmt& s) {
  switch (s.kind) {
    case ir::StmtKind::Let: {
      Symbol sym;
      sym.assignable = true;
      sym.what = "variable";
      sym.loc = s.name_loc.valid ? s.name_loc : s.loc;
      if (s.type) {
        if (s.type->pointer || !ir::is_standard(s.type->dtype))
          error(s.type_loc, "'let' variables must have a standard scalar type, not " + s.type->name());
        expect_type(s.value, *s.type, "the value");
        sym.type = *s.type;
      } else {
        auto t = type_of(s.value);
        auto r = t ? resolve(*t, s.value) : std::nullopt;
        if (r && r->pointer) error(s.value->loc, "a pointer cannot be stored in a variable");
        sym.type = r ? *r : ir::ScalarType{dt::kI32, false};
      }
      define(s.name, sym);
      return;
    }
    case ir::StmtKind::Assign: {
      const Symbol* sym = lookup(s.name, false);
      if (!sym) {
        error(s.name_loc, "assignment to undefined variable '" + s.name + "'");
        type_of(s.value);
        return;
      }
      if (!sym->assignable) {
        error(s.name_loc, std::string("cannot assign to ") + sym->what + " '" + s.name + "'");
        note(sym->loc, "'" + s.name + "' is defined here");
        return;
      }
      expect_type(s.value, sym->type, "the assigned value");
      return;
    }
    case ir::StmtKind::For: {
      std::optional<ir::ScalarType> t;
      if (s.start) t = expect_integer(s.start, "a loop bound");
      auto stop_t = t ? (expect_type(s.stop, *t, "a loop bound") ? t : std::nullopt) : expect_integer(s.stop, "a loop bound");
      if (!t) t = stop_t;
      if (s.step && t) expect_type(s.step, *t, "the loop step");
      push_scope();
      Symbol sym;
      sym.type = t ? *t : ir::ScalarType{dt::kI32, false};
      sym.what = "loop variable";
      sym.loc = s.name_loc;
      define(s.name, sym);
      ++loop_depth_;
      check_block(s.body);
      --loop_depth_;
      pop_scope();
      return;
    }
    case ir::StmtKind::While:
      expect_type(s.cond, ir::ScalarType{dt::kBool, false}, "a loop condition");
      ++loop_depth_;
      check_block(s.body);
      --loop_depth_;
      return;
    case ir::StmtKind::If:
      expect_type(s.cond, ir::ScalarType{dt::kBool, false}, "a condition");
      check_block(s.body);
      check_block(s.else_body);
      return;
    case ir::StmtKind::Break:
      if (loop_depth_ == 0) error(s.loc, "'break' outside of a loop");
      return;
    case ir::StmtKind::Insn: check_insn(s.insn); return;
  }
}

std::optional<Facts> Checker::run(bool fill_layouts) {
  size_t before = diags_.error_count();
  check_header();
  check_block(p_.body);
  pop_scope();
  if (diags_.error_count() != before) return std::nullopt;
  infer_layouts();
  if (diags_.error_count() != before) return std::nullopt;
  check_layouts();
  if (diags_.error_count() != before) return std::nullopt;
  if (fill_layouts) fill_layout_attrs();
  return std::move(facts_);
}

std::optional<Facts> verify_program(ir::Program& p, text::Diagnostics& diags, bool fill_layouts) {
  Checker c(p, diags);
  return c.run(fill_layouts);
}

}  // namespace tilevm::verify
