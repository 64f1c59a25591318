// The parser: scalar expressions, literals, lists and types.
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "text/parser_impl.h"

namespace tilevm::text {
namespace {

struct BinSpelling {
  const char* text;
  ir::BinOp op;
};
const BinSpelling kBinOps[] = {
    {"*", ir::BinOp::Mul},     {"/", ir::BinOp::Div},      {"%", ir::BinOp::Mod},      {"+", ir::BinOp::Add},
    {"-", ir::BinOp::Sub},     {"<<", ir::BinOp::Shl},     {">>", ir::BinOp::Shr},     {"<", ir::BinOp::Lt},
    {"<=", ir::BinOp::Le},     {">", ir::BinOp::Gt},       {">=", ir::BinOp::Ge},      {"==", ir::BinOp::Eq},
    {"!=", ir::BinOp::Ne},     {"&", ir::BinOp::BitAnd},   {"^", ir::BinOp::BitXor},   {"|", ir::BinOp::BitOr},
    {"&&", ir::BinOp::LogicAnd}, {"||", ir::BinOp::LogicOr},
};

std::optional<ir::BinOp> binop_of(const Token& t) {
  if (!t.is(Tok::kPunct)) return std::nullopt;
  for (const auto& b : kBinOps)
    if (t.text == b.text) return b.op;
  return std::nullopt;
}

// Magnitude of an integer literal (decimal or 0x), or nullopt on overflow of 64 bits.
std::optional<uint64_t> literal_magnitude(const std::string& s) {
  bool hex = s.size() > 2 && (s[1] == 'x' || s[1] == 'X');
  uint64_t v = 0, base = hex ? 16 : 10;
  for (size_t i = hex ? 2 : 0; i < s.size(); ++i) {
    char c = s[i];
    uint64_t d = (c >= '0' && c <= '9') ? c - '0' : (c | 0x20) - 'a' + 10;
    if (v > (UINT64_MAX - d) / base) return std::nullopt;
    v = v * base + d;
  }
  return v;
}

}  // namespace

ir::ExprPtr Parser::parse_expr() { return parse_binary(1); }

ir::ExprPtr Parser::parse_binary(int min_prec) {
  ir::ExprPtr lhs = parse_unary();
  while (true) {
    auto op = binop_of(tok_);
    if (!op || ir::binop_precedence(*op) < min_prec) return lhs;
    advance();
    ir::ExprPtr rhs = parse_binary(ir::binop_precedence(*op) + 1);
    lhs = ir::Expr::make_binary(*op, lhs, rhs, ir::SrcRange::join(lhs->loc, rhs->loc));
  }
}

ir::ExprPtr Parser::parse_int_literal(bool negate, ir::SrcRange minus) {
  ir::SrcRange r = ir::SrcRange::join(minus, tok_.range);
  auto mag = literal_magnitude(tok_.text);
  uint64_t limit = negate ? (uint64_t{1} << 63) : static_cast<uint64_t>(INT64_MAX);
  if (!mag || *mag > limit) fail_at(r, "integer literal '" + std::string(negate ? "-" : "") + tok_.text + "' does not fit in 64 bits");
  advance();
  int64_t v = negate ? static_cast<int64_t>(0 - *mag) : static_cast<int64_t>(*mag);
  return ir::Expr::make_int(v, r);
}

ir::ExprPtr Parser::parse_unary() {
  struct Depth {
    int& n;
    explicit Depth(int& x) : n(++x) {}
    ~Depth() { --n; }
  } depth(nesting_);
  if (nesting_ > kMaxNesting) fail_here("expression nested too deeply");
  if (tok_.is_punct("-") || tok_.is_punct("!") || tok_.is_punct("~")) {
    ir::SrcRange r = tok_.range;
    ir::UnOp op = tok_.text == "-" ? ir::UnOp::Neg : tok_.text == "!" ? ir::UnOp::LogicNot : ir::UnOp::BitNot;
    advance();
    if (op == ir::UnOp::Neg && tok_.is(Tok::kInt)) return parse_int_literal(true, r);
    if (op == ir::UnOp::Neg && tok_.is(Tok::kFloat)) {
      ir::ExprPtr f = parse_primary();
      return ir::Expr::make_float(-f->float_value, ir::SrcRange::join(r, f->loc));
    }
    ir::ExprPtr a = parse_unary();
    return ir::Expr::make_unary(op, a, ir::SrcRange::join(r, a->loc));
  }
  return parse_primary();
}

ir::ExprPtr Parser::parse_primary() {
  ir::SrcRange r = tok_.range;
  switch (tok_.kind) {
    case Tok::kInt: return parse_int_literal(false, {});
    case Tok::kFloat: {
      errno = 0;
      double v = std::strtod(tok_.text.c_str(), nullptr);
      if (!std::isfinite(v)) fail_at(r, "float literal '" + tok_.text + "' is out of range");
      advance();
      return ir::Expr::make_float(v, r);
    }
    case Tok::kTensor:
      fail_at(r, "tensor '%" + tok_.text + "' cannot be used in a scalar expression");
    case Tok::kIdent: break;
    case Tok::kPunct:
      if (tok_.text == "(") {
        open_group();
        advance();
        ir::ExprPtr e = parse_expr();
        close_group();
        expect_punct(")", "to close '('");
        return e;
      }
      [[fallthrough]];
    default: fail_here("expected an expression, found " + (tok_.is(Tok::kEnd) ? std::string("end of file") : tok_.is(Tok::kNewline) ? std::string("end of line") : "'" + tok_.text + "'"));
  }
  std::string name = tok_.text;
  if (name == "true" || name == "false") {
    advance();
    return ir::Expr::make_bool(name == "true", r);
  }
  if (is_keyword(name)) fail_at(r, "'" + name + "' is a keyword, not a value");
  advance();
  if (!tok_.is_punct("(")) return ir::Expr::make_var(name, r);
  expect_punct("(", "");
  std::vector<ir::ExprPtr> args;
  if (!tok_.is_punct(")")) {
    do {
      args.push_back(parse_expr());
    } while (accept_punct(","));
  }
  close_group();
  ir::SrcRange close = tok_.range;
  expect_punct(")", "to close the call");
  ir::SrcRange whole = ir::SrcRange::join(r, close);
  int arity = 0;
  if (ir::is_scalar_function(name, &arity)) {
    if (static_cast<int>(args.size()) != arity)
      fail_at(whole, "'" + name + "' takes " + std::to_string(arity) + " arguments, got " + std::to_string(args.size()));
    return ir::Expr::make_call(name, std::move(args), whole);
  }
  auto dtype = dt::parse_dtype(name);
  if (dtype) {
    if (args.size() != 1) fail_at(whole, "conversion to " + name + " takes 1 argument, got " + std::to_string(args.size()));
    return ir::Expr::make_convert(*dtype, args[0], whole);
  }
  if (auto op = ir::find_insn(name)) {
    if (ir::insn_info(*op).result == ir::ResultKind::Scalar)
      fail_at(r, "instruction '" + name + "' must be the whole right-hand side of a 'let'");
    fail_at(r, "'" + name + "' is an instruction on tensors, not a scalar function");
  }
  std::string msg = "unknown function '" + name + "'";
  // (The suggestion list is the scalar functions; dtype names convert.)
  if (auto near = nearest_word(name, {"cdiv", "min", "max"})) msg += "; did you mean '" + *near + "'?";
  fail_at(r, msg);
}

std::vector<ir::ExprPtr> Parser::parse_expr_list() {
  expect_punct("[", "to open a list");
  std::vector<ir::ExprPtr> out;
  if (!tok_.is_punct("]")) {
    do {
      out.push_back(parse_expr());
    } while (accept_punct(","));
  }
  close_group();
  expect_punct("]", "to close the list");
  return out;
}

int64_t Parser::parse_int_value() {
  bool neg = false;
  ir::SrcRange minus;
  if (tok_.is_punct("-")) {
    neg = true;
    minus = tok_.range;
    advance();
  }
  if (!tok_.is(Tok::kInt)) fail_here("expected an integer, found " + (tok_.is(Tok::kNewline) ? std::string("end of line") : tok_.is(Tok::kEnd) ? std::string("end of file") : "'" + tok_.text + "'"));
  return parse_int_literal(neg, minus)->int_value;
}

std::vector<int64_t> Parser::parse_int_list() {
  expect_punct("[", "to open a list of integers");
  std::vector<int64_t> out;
  if (!tok_.is_punct("]")) {
    do {
      out.push_back(parse_int_value());
    } while (accept_punct(","));
  }
  close_group();
  expect_punct("]", "to close the list");
  return out;
}

ir::DType Parser::parse_dtype_token() {
  if (!tok_.is(Tok::kIdent)) fail_here("expected a data type, found " + (tok_.is(Tok::kNewline) ? std::string("end of line") : tok_.is(Tok::kEnd) ? std::string("end of file") : "'" + tok_.text + "'"));
  auto d = dt::parse_dtype(tok_.text);
  if (!d) fail_at(tok_.range, d.error().message);
  advance();
  return *d;
}

ir::ScalarType Parser::parse_type(ir::SrcRange* loc) {
  ir::SrcRange start = tok_.range;
  ir::ScalarType t{parse_dtype_token(), false};
  if (tok_.is_punct("*")) {
    t.pointer = true;
    advance();
  }
  *loc = ir::SrcRange::at(start.begin, last_end_);
  return t;
}

}  // namespace tilevm::text
