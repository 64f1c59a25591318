// Canonical printing of programs, statements, instructions and expressions.
#include "text/printer.h"

#include <charconv>
#include <cmath>

#include "support/check.h"

namespace tilevm::text {
namespace {

std::string float_text(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  TILEVM_CHECK(res.ec == std::errc());
  std::string s(buf, res.ptr);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  // A literal like 1e+20 must lex as a float: it does (exponent form).
  return s;
}

// Prints `e`; `ctx` is the precedence the surrounding context requires (0: none).
void print(const ir::ExprPtr& e, int ctx, std::string* out) {
  switch (e->kind) {
    case ir::ExprKind::Int: {
      // A negative literal in a tight context keeps its sign inside parentheses.
      bool paren = e->int_value < 0 && ctx > 10;
      if (paren) *out += "(";
      *out += std::to_string(e->int_value);
      if (paren) *out += ")";
      return;
    }
    case ir::ExprKind::Float: {
      bool paren = std::signbit(e->float_value) && ctx > 10;
      if (paren) *out += "(";
      *out += float_text(e->float_value);
      if (paren) *out += ")";
      return;
    }
    case ir::ExprKind::Bool: *out += e->bool_value ? "true" : "false"; return;
    case ir::ExprKind::Var: *out += e->name; return;
    case ir::ExprKind::Unary: {
      bool paren = ctx > 11;
      if (paren) *out += "(";
      *out += ir::unop_spelling(e->un);
      const ir::ExprPtr& a = e->args[0];
      // `-` in front of a literal or another unary is parenthesised so that it reads back the same.
      bool inner = a->kind == ir::ExprKind::Unary || a->kind == ir::ExprKind::Int || a->kind == ir::ExprKind::Float;
      if (inner) *out += "(";
      print(a, inner ? 0 : 11, out);
      if (inner) *out += ")";
      if (paren) *out += ")";
      return;
    }
    case ir::ExprKind::Binary: {
      int p = ir::binop_precedence(e->bin);
      bool paren = p < ctx;
      if (paren) *out += "(";
      print(e->args[0], p, out);
      *out += " ";
      *out += ir::binop_spelling(e->bin);
      *out += " ";
      print(e->args[1], p + 1, out);
      if (paren) *out += ")";
      return;
    }
    case ir::ExprKind::Call:
    case ir::ExprKind::Convert: {
      *out += e->kind == ir::ExprKind::Call ? e->name : e->dtype.name();
      *out += "(";
      for (size_t i = 0; i < e->args.size(); ++i) {
        if (i) *out += ", ";
        print(e->args[i], 0, out);
      }
      *out += ")";
      return;
    }
  }
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string list(const std::vector<ir::ExprPtr>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + print_expr(v[i]);
  return s + "]";
}

std::string attr_text(const ir::AttrValue& a) {
  switch (a.kind) {
    case ir::AttrKind::Int: return std::to_string(a.int_value);
    case ir::AttrKind::Ints: {
      std::string s = "[";
      for (size_t i = 0; i < a.ints.size(); ++i) s += (i ? ", " : "") + std::to_string(a.ints[i]);
      return s + "]";
    }
    case ir::AttrKind::Expr: return print_expr(a.expr);
    case ir::AttrKind::Exprs: return list(a.exprs);
    case ir::AttrKind::DType: return a.dtype->name();
    case ir::AttrKind::RLayout: return layout::to_string(*a.rlayout);
    case ir::AttrKind::SLayout: return layout::to_string(*a.slayout);
    case ir::AttrKind::Bool: return a.bool_value ? "true" : "false";
    case ir::AttrKind::String: return quote(a.word);
    case ir::AttrKind::Enum: return a.word;
  }
  return "";
}

void print_stmts(const std::vector<ir::Stmt>& body, int indent, std::string* out);

void print_stmt(const ir::Stmt& s, int indent, std::string* out) {
  std::string pad(indent, ' ');
  for (const std::string& c : s.comments) *out += pad + "//" + c + "\n";
  *out += pad;
  switch (s.kind) {
    case ir::StmtKind::Let:
      *out += "let " + s.name;
      if (s.type) *out += ": " + print_type(*s.type);
      *out += " = " + print_expr(s.value);
      break;
    case ir::StmtKind::Assign: *out += s.name + " = " + print_expr(s.value); break;
    case ir::StmtKind::Break: *out += "break"; break;
    case ir::StmtKind::Insn: *out += print_insn(s.insn); break;
    case ir::StmtKind::For: {
      *out += "for " + s.name + " in range(";
      if (s.start) *out += print_expr(s.start) + ", ";
      else if (s.step) *out += "0, ";
      *out += print_expr(s.stop);
      if (s.step) *out += ", " + print_expr(s.step);
      *out += ")";
      if (s.unroll.kind == ir::Unroll::Full) *out += " unroll";
      if (s.unroll.kind == ir::Unroll::Factor) *out += " unroll(" + std::to_string(s.unroll.factor) + ")";
      *out += " {\n";
      print_stmts(s.body, indent + 2, out);
      *out += pad + "}";
      break;
    }
    case ir::StmtKind::While:
      *out += "while " + print_expr(s.cond) + " {\n";
      print_stmts(s.body, indent + 2, out);
      *out += pad + "}";
      break;
    case ir::StmtKind::If: {
      const ir::Stmt* cur = &s;
      while (true) {
        *out += "if " + print_expr(cur->cond) + " {\n";
        print_stmts(cur->body, indent + 2, out);
        *out += pad + "}";
        if (cur->else_body.empty()) break;
        const ir::Stmt& e = cur->else_body[0];
        if (cur->else_body.size() == 1 && e.kind == ir::StmtKind::If && e.comments.empty() &&
            e.trailing_comment.empty()) {
          *out += " else ";
          cur = &e;
          continue;
        }
        *out += " else {\n";
        print_stmts(cur->else_body, indent + 2, out);
        *out += pad + "}";
        break;
      }
      break;
    }
  }
  if (!s.trailing_comment.empty()) *out += "  //" + s.trailing_comment;
  *out += "\n";
}

void print_stmts(const std::vector<ir::Stmt>& body, int indent, std::string* out) {
  for (size_t i = 0; i < body.size(); ++i) {
    if (i > 0 && body[i].blank_line_before) *out += "\n";
    print_stmt(body[i], indent, out);
  }
}

}  // namespace

std::string print_expr(const ir::ExprPtr& e) {
  std::string out;
  print(e, 0, &out);
  return out;
}

std::string print_type(const ir::ScalarType& t) { return t.name(); }

std::string print_insn(const ir::Insn& insn) {
  const ir::InsnInfo& info = insn.info();
  std::string s;
  if (!insn.result.empty()) s += (info.result == ir::ResultKind::Scalar ? "let " : "%") + insn.result + " = ";
  s += info.mnemonic + "(";
  bool first = true;
  auto sep = [&] {
    if (!first) s += ", ";
    first = false;
  };
  for (const ir::Operand& o : insn.operands) {
    sep();
    s += o.is_tensor ? "%" + o.tensor : print_expr(o.scalar);
  }
  for (size_t i = 0; i < insn.attrs.size(); ++i) {
    if (!insn.attrs[i]) continue;
    sep();
    s += info.attrs[i].name + "=" + attr_text(*insn.attrs[i]);
  }
  if (!insn.out.empty()) {
    sep();
    s += "out=%" + insn.out;
  }
  return s + ")";
}

std::string print_program(const ir::Program& p) {
  std::string out;
  for (const std::string& c : p.comments) out += "//" + c + "\n";
  out += "program " + p.name + "(";
  for (size_t i = 0; i < p.params.size(); ++i)
    out += (i ? ", " : "") + p.params[i].name + ": " + print_type(p.params[i].type);
  out += ") grid " + list(p.grid) + " warps " + std::to_string(p.warps) + " {\n";
  print_stmts(p.body, 2, &out);
  out += "}\n";
  return out;
}

bool has_print_rule(ir::Op op) {
  for (const ir::AttrSlot& a : ir::insn_info(op).attrs) {
    switch (a.kind) {
      case ir::AttrKind::Int: case ir::AttrKind::Ints: case ir::AttrKind::Expr: case ir::AttrKind::Exprs:
      case ir::AttrKind::DType: case ir::AttrKind::RLayout: case ir::AttrKind::SLayout: case ir::AttrKind::Bool:
      case ir::AttrKind::String: case ir::AttrKind::Enum:
        break;
      default: return false;
    }
  }
  return true;
}

}  // namespace tilevm::text
