// The parser: instruction calls, checked against the instruction table's row.
#include <cctype>
#include <string>

#include "text/parser_impl.h"

namespace tilevm::text {
namespace {

std::string slot_list(const ir::InsnInfo& info) {
  std::string s;
  for (size_t i = 0; i < info.operands.size(); ++i) s += (i ? ", " : "") + info.operands[i].name;
  return s;
}

std::string attr_list(const ir::InsnInfo& info) {
  std::string s;
  for (size_t i = 0; i < info.attrs.size(); ++i) s += (i ? ", " : "") + info.attrs[i].name;
  if (info.in_place) s += std::string(s.empty() ? "" : ", ") + "out";
  return s.empty() ? "none" : s;
}

std::vector<std::string> all_mnemonics() {
  std::vector<std::string> v;
  for (const auto& i : ir::all_insns()) v.push_back(i.mnemonic);
  return v;
}

}  // namespace

ir::Insn Parser::parse_insn(std::string result, ir::SrcRange result_loc) {
  ir::Insn insn;
  insn.result = std::move(result);
  insn.result_loc = result_loc;
  if (!tok_.is(Tok::kIdent)) fail_here("expected an instruction name");
  auto op = ir::find_insn(tok_.text);
  if (!op) {
    std::string msg = "unknown instruction '" + tok_.text + "'";
    if (auto near = nearest_word(tok_.text, all_mnemonics())) msg += "; did you mean '" + *near + "'?";
    fail_at(tok_.range, msg);
  }
  insn.op = *op;
  insn.loc = tok_.range;
  const ir::InsnInfo& info = ir::insn_info(*op);
  insn.attrs.resize(info.attrs.size());
  advance();
  expect_punct("(", ("after '" + info.mnemonic + "'").c_str());
  bool seen_keyword = false;
  if (!tok_.is_punct(")")) {
    do {
      parse_insn_arg(insn, &seen_keyword);
    } while (accept_punct(","));
  }
  close_group();
  ir::SrcRange close = tok_.range;
  expect_punct(")", ("to close the arguments of '" + info.mnemonic + "'").c_str());
  check_insn_complete(insn, close);
  return insn;
}

void Parser::parse_insn_arg(ir::Insn& insn, bool* seen_keyword) {
  const ir::InsnInfo& info = insn.info();
  // A keyword argument: IDENT '=' (but not '==').
  if (tok_.is(Tok::kIdent)) {
    Token name = tok_;
    size_t save = lex_.pos();
    advance();
    if (tok_.is_punct("=")) {
      advance();
      *seen_keyword = true;
      if (name.text == "out") {
        if (!info.in_place) fail_at(name.range, "'" + info.mnemonic + "' has no in-place form (out=)");
        if (!insn.out.empty()) fail_at(name.range, "'out' is given twice");
        if (!tok_.is(Tok::kTensor)) fail_here("expected a tensor after 'out=', like out=%acc");
        insn.out = tok_.text;
        insn.out_loc = tok_.range;
        advance();
        return;
      }
      int idx = info.attr_index(name.text);
      if (idx < 0) {
        std::string msg = "'" + info.mnemonic + "' has no attribute '" + name.text + "' (it takes: " + attr_list(info) + ")";
        fail_at(name.range, msg);
      }
      if (insn.attrs[idx]) {
        error_at(name.range, "attribute '" + name.text + "' is given twice");
        diags_.note(insn.attrs[idx]->loc, "previous value is here");
        throw SyntaxError{};
      }
      size_t begin = tok_.range.begin;
      ir::AttrValue v = parse_attr_value(info.attrs[idx]);
      v.loc = ir::SrcRange::at(begin, last_end_);
      insn.attrs[idx] = std::move(v);
      return;
    }
    lex_.seek(save);
    tok_ = name;
  }
  ir::SrcRange start = tok_.range;
  if (*seen_keyword) fail_at(start, "operands must come before the attributes");
  size_t n = insn.operands.size();
  if (n >= info.operands.size()) {
    fail_at(start, "'" + info.mnemonic + "' takes " + std::to_string(info.operands.size()) + " operand" +
                       (info.operands.size() == 1 ? "" : "s") +
                       (info.operands.empty() ? "" : " (" + slot_list(info) + ")") + "; this one is extra");
  }
  const ir::OperandSlot& slot = info.operands[n];
  if (tok_.is(Tok::kTensor)) {
    insn.operands.push_back(ir::Operand::of_tensor(tok_.text, tok_.range));
    advance();
    return;
  }
  ir::ExprPtr e = parse_expr();
  if (!(slot.kinds & ir::kOperandScalar))
    fail_at(e->loc, "operand '" + slot.name + "' of '" + info.mnemonic + "' must be a tensor (like %t), not a scalar expression");
  insn.operands.push_back(ir::Operand::of_scalar(e));
}

ir::AttrValue Parser::parse_attr_value(const ir::AttrSlot& slot) {
  switch (slot.kind) {
    case ir::AttrKind::Int: return ir::AttrValue::of_int(parse_int_value());
    case ir::AttrKind::Ints: return ir::AttrValue::of_ints(parse_int_list());
    case ir::AttrKind::Expr: return ir::AttrValue::of_expr(parse_expr());
    case ir::AttrKind::Exprs: return ir::AttrValue::of_exprs(parse_expr_list());
    case ir::AttrKind::DType: return ir::AttrValue::of_dtype(parse_dtype_token());
    case ir::AttrKind::Bool:
      if (tok_.is_ident("true") || tok_.is_ident("false")) {
        bool b = tok_.text == "true";
        advance();
        return ir::AttrValue::of_bool(b);
      }
      fail_here("expected 'true' or 'false' for '" + slot.name + "'");
    case ir::AttrKind::String: {
      if (tok_.is(Tok::kError)) fail_here("");
      if (!tok_.is(Tok::kString)) fail_here("expected a string for '" + slot.name + "', like \"text\"");
      std::string s = tok_.text;
      advance();
      return ir::AttrValue::of_string(s);
    }
    case ir::AttrKind::Enum: {
      std::string words;
      for (const auto& w : slot.words) words += (words.empty() ? "" : ", ") + w;
      if (!tok_.is(Tok::kIdent)) fail_here("expected one of " + words + " for '" + slot.name + "'");
      for (const auto& w : slot.words)
        if (tok_.text == w) {
          advance();
          return ir::AttrValue::of_enum(w);
        }
      fail_here("'" + tok_.text + "' is not a valid '" + slot.name + "'; expected one of " + words);
    }
    case ir::AttrKind::RLayout:
    case ir::AttrKind::SLayout: {
      if (!tok_.is(Tok::kIdent)) fail_here("expected a layout for '" + slot.name + "'");
      size_t begin = tok_.range.begin;
      std::string_view rest = lex_.text().substr(begin);
      size_t consumed = 0;
      ir::AttrValue v;
      if (slot.kind == ir::AttrKind::RLayout) {
        auto l = layout::parse_register_layout_prefix(rest, &consumed);
        if (!l) {
          const Error& e = l.error();
          size_t off = begin + (e.has_location() ? e.offset : 0);
          fail_at(ir::SrcRange::at(off, off + std::max<size_t>(1, e.length)), e.message);
        }
        v = ir::AttrValue::of_rlayout(*l);
      } else {
        auto l = layout::parse_shared_layout_prefix(rest, &consumed);
        if (!l) {
          const Error& e = l.error();
          size_t off = begin + (e.has_location() ? e.offset : 0);
          fail_at(ir::SrcRange::at(off, off + std::max<size_t>(1, e.length)), e.message);
        }
        v = ir::AttrValue::of_slayout(*l);
      }
      // A '.' right after the layout continues a chain with a name the layout parser rejected.
      std::string_view after = rest.substr(consumed);
      if (after.size() > 1 && after[0] == '.' && (std::isalpha(static_cast<unsigned char>(after[1])) || after[1] == '_')) {
        size_t len = 1;
        while (len < after.size() && (std::isalnum(static_cast<unsigned char>(after[len])) || after[len] == '_')) ++len;
        size_t at = begin + consumed + 1;
        fail_at(ir::SrcRange::at(at, at + len - 1),
                "'" + std::string(after.substr(1, len - 1)) + "' is not a " +
                    (slot.kind == ir::AttrKind::RLayout
                         ? "register layout constructor (local, spatial, column_local, column_spatial, replicated)"
                         : "shared layout part (row_major, column_major, shared, swizzle)"));
      }
      // Resume lexing after the layout text (it may span lines only inside its parentheses).
      tok_.range = ir::SrcRange::at(begin, begin + consumed);
      lex_.seek(begin + consumed);
      advance();
      return v;
    }
  }
  fail_here("unsupported attribute kind");
}

void Parser::check_insn_complete(ir::Insn& insn, ir::SrcRange close) {
  const ir::InsnInfo& info = insn.info();
  if (insn.operands.size() < info.operands.size()) {
    error_at(close, "'" + info.mnemonic + "' takes " + std::to_string(info.operands.size()) + " operand" +
                        (info.operands.size() == 1 ? "" : "s") + " (" + slot_list(info) + "), got " +
                        std::to_string(insn.operands.size()));
    throw SyntaxError{};
  }
  for (size_t i = 0; i < info.attrs.size(); ++i) {
    if (!info.attrs[i].optional && !insn.attrs[i]) {
      error_at(insn.loc, "'" + info.mnemonic + "' needs the attribute '" + info.attrs[i].name + "'");
      throw SyntaxError{};
    }
  }
  if (info.result == ir::ResultKind::None && !insn.result.empty())
    fail_at(insn.result_loc, "'" + info.mnemonic + "' has no result");
  if (info.result == ir::ResultKind::Scalar && insn.result.empty())
    fail_at(insn.loc, "the result of '" + info.mnemonic + "' is a scalar: write 'let name = " + info.mnemonic + "(...)'");
  if (info.result != ir::ResultKind::None && info.result != ir::ResultKind::Scalar) {
    if (!insn.result.empty() && !insn.out.empty()) {
      error_at(insn.out_loc, "'" + info.mnemonic + "' cannot both define %" + insn.result + " and write out=%" + insn.out);
      throw SyntaxError{};
    }
    if (insn.result.empty() && insn.out.empty())
      fail_at(insn.loc, "the result of '" + info.mnemonic + "' must be named (%t = " + info.mnemonic + "(...))" +
                            (info.in_place ? " or written in place (out=%t)" : ""));
  }
}

bool has_parse_rule(ir::Op op) {
  const ir::InsnInfo& info = ir::insn_info(op);
  for (const ir::AttrSlot& a : info.attrs) {
    switch (a.kind) {
      case ir::AttrKind::Int: case ir::AttrKind::Ints: case ir::AttrKind::Expr: case ir::AttrKind::Exprs:
      case ir::AttrKind::DType: case ir::AttrKind::RLayout: case ir::AttrKind::SLayout: case ir::AttrKind::Bool:
      case ir::AttrKind::String:
        break;
      case ir::AttrKind::Enum:
        if (a.words.empty()) return false;
        break;
    }
    if (a.name == "out" || is_keyword(a.name)) return false;  // would clash with out= or the grammar
  }
  for (const ir::OperandSlot& o : info.operands)
    if (o.kinds == 0) return false;
  // Scalar results are written `let x = op(...)`, the others `%t = op(...)` or with no result.
  return !(info.result == ir::ResultKind::Scalar && info.in_place);
}

}  // namespace tilevm::text
