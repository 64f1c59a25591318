// The parser: tokens, the program header, statements, blocks and error recovery.
#include "text/parser.h"

#include <algorithm>

#include "text/parser_impl.h"

namespace tilevm::text {

namespace {
constexpr size_t kMaxErrors = 50;
}  // namespace

bool is_keyword(const std::string& w) {
  static const char* const kWords[] = {"program", "grid", "warps", "let", "for", "in", "range", "unroll",
                                       "if", "else", "while", "break", "true", "false"};
  return std::any_of(std::begin(kWords), std::end(kWords), [&](const char* k) { return w == k; });
}

std::optional<std::string> nearest_word(const std::string& word, const std::vector<std::string>& candidates) {
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      size_t prev = row[0];
      row[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        size_t cur = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
        prev = cur;
      }
    }
    return row[b.size()];
  };
  std::optional<std::string> best;
  size_t best_d = 0;
  for (const std::string& c : candidates) {
    size_t d = distance(word, c);
    if (!best || d < best_d) best = c, best_d = d;
  }
  if (best && (best_d <= std::max<size_t>(1, word.size() / 3) || (best_d == 2 && word.size() >= 4))) return best;
  return std::nullopt;
}

Parser::Parser(Diagnostics& diags) : diags_(diags), lex_(diags.file().text()) { advance(); }

void Parser::advance() {
  if (tok_.range.valid && !tok_.is(Tok::kNewline)) last_end_ = tok_.range.end;
  while (true) {
    Token t = lex_.next();
    if (t.is(Tok::kComment)) {
      newline_run_ = 0;
      if (depth_ > 0) continue;
      if (!newline_before_) trailing_comment_ = t.text;
      else pending_comments_.push_back(t.text);
      continue;
    }
    if (t.is(Tok::kNewline)) {
      if (depth_ > 0) continue;
      newline_before_ = true;
      if (++newline_run_ >= 2) pending_blank_ = true;
    } else {
      newline_before_ = false;
      newline_run_ = 0;
    }
    tok_ = std::move(t);
    return;
  }
}

ir::SrcRange Parser::here() const {
  if (tok_.is(Tok::kEnd) || tok_.is(Tok::kNewline)) return ir::SrcRange::at(last_end_, last_end_ + 1);
  // A token on a later line than the previous one: what is missing belongs at the end of the
  // previous line.
  std::string_view text = lex_.text();
  if (last_end_ > 0 && text.substr(last_end_, tok_.range.begin - last_end_).find('\n') != std::string_view::npos)
    return ir::SrcRange::at(last_end_, last_end_ + 1);
  return tok_.range;
}

void Parser::error_at(ir::SrcRange r, const std::string& message) {
  if (diags_.error_count() >= kMaxErrors) {
    too_many_ = true;
    return;
  }
  diags_.error(r, message);
}

void Parser::fail_at(ir::SrcRange r, const std::string& message) {
  error_at(r, message);
  throw SyntaxError{};
}

void Parser::fail_here(const std::string& message) {
  if (tok_.is(Tok::kError)) fail_at(tok_.range, tok_.text);
  fail_at(here(), message);
}

bool Parser::accept_punct(std::string_view p) {
  if (!tok_.is_punct(p)) return false;
  advance();
  return true;
}

namespace {
std::string describe(const Token& t) {
  switch (t.kind) {
    case Tok::kEnd: return "end of file";
    case Tok::kNewline: return "end of line";
    case Tok::kTensor: return "'%" + t.text + "'";
    case Tok::kString: return "a string";
    default: return "'" + t.text + "'";
  }
}
}  // namespace

void Parser::expect_punct(std::string_view p, const char* context) {
  if (tok_.is_punct(p)) {
    if (p == "(" || p == "[") open_group();
    advance();
    return;
  }
  fail_here("expected '" + std::string(p) + "' " + context + ", found " + describe(tok_));
}

std::string Parser::expect_ident(const char* what, ir::SrcRange* loc) {
  if (!tok_.is(Tok::kIdent)) fail_here(std::string("expected ") + what + ", found " + describe(tok_));
  if (is_keyword(tok_.text)) fail_here("'" + tok_.text + "' is a keyword and cannot be used as " + what);
  std::string s = tok_.text;
  if (loc) *loc = tok_.range;
  advance();
  return s;
}

void Parser::skip_newlines() {
  while (tok_.is(Tok::kNewline)) advance();
}

void Parser::recover() {
  depth_ = 0;
  int parens = 0, braces = 0;
  while (!tok_.is(Tok::kEnd)) {
    if (tok_.is(Tok::kNewline) && braces == 0) return;
    if (tok_.is_punct("(") || tok_.is_punct("[")) ++parens;
    if ((tok_.is_punct(")") || tok_.is_punct("]")) && parens > 0) --parens;
    if (tok_.is_punct("{")) ++braces;
    if (tok_.is_punct("}")) {
      if (braces == 0) return;
      --braces;
    }
    advance();
  }
}

void Parser::parse_header(ir::Program& p) {
  if (!tok_.is_ident("program")) fail_here("expected 'program', found " + describe(tok_));
  p.loc = tok_.range;
  advance();
  p.name = expect_ident("a program name", &p.name_loc);
  expect_punct("(", "after the program name");
  if (!tok_.is_punct(")")) {
    while (true) {
      ir::Param param;
      param.name = expect_ident("a parameter name", &param.loc);
      expect_punct(":", "after the parameter name");
      param.type = parse_type(&param.type_loc);
      p.params.push_back(std::move(param));
      if (accept_punct(",")) continue;
      break;
    }
  }
  close_group();
  expect_punct(")", "to close the parameter list");
  if (!tok_.is_ident("grid")) fail_here("expected 'grid' after the parameters, found " + describe(tok_));
  ir::SrcRange grid_kw = tok_.range;
  advance();
  size_t open = tok_.range.begin;
  p.grid = parse_expr_list();
  p.grid_loc = ir::SrcRange::at(open, last_end_);
  if (p.grid.empty()) fail_at(ir::SrcRange::join(grid_kw, p.grid_loc), "the grid needs 1 to 3 expressions");
  if (!tok_.is_ident("warps")) fail_here("expected 'warps' after the grid, found " + describe(tok_));
  advance();
  p.warps_loc = tok_.range;
  p.warps = parse_int_value();
}

std::optional<ir::Program> Parser::run() {
  ir::Program p;
  skip_newlines();
  p.comments = std::move(pending_comments_);
  pending_comments_.clear();
  pending_blank_ = false;
  try {
    parse_header(p);
  } catch (const SyntaxError&) {
    depth_ = 0;
    while (!tok_.is(Tok::kEnd) && !tok_.is_punct("{")) advance();
  }
  if (tok_.is_punct("{")) {
    p.body = parse_block();
    trailing_comment_.clear();
    skip_newlines();
    if (!tok_.is(Tok::kEnd)) error_at(here(), "expected end of file after the program, found " + describe(tok_));
  } else if (!diags_.has_errors()) {
    error_at(here(), "expected '{' to open the program body, found " + describe(tok_));
  }
  if (too_many_) diags_.error(ir::SrcRange{}, "too many errors; stopping");
  if (diags_.has_errors()) return std::nullopt;
  return p;
}

std::vector<ir::Stmt> Parser::parse_block() {
  ir::SrcRange open = tok_.range;
  struct Depth {
    int& n;
    explicit Depth(int& x) : n(x += 8) {}
    ~Depth() { n -= 8; }
  } depth(nesting_);
  if (nesting_ > kMaxNesting) fail_here("blocks nested too deeply");
  advance();  // '{'
  if (!trailing_comment_.empty()) {
    pending_comments_.push_back(trailing_comment_);
    trailing_comment_.clear();
  }
  std::vector<ir::Stmt> out;
  bool first = true;
  while (true) {
    skip_newlines();
    if (tok_.is_punct("}")) {
      pending_comments_.clear();
      pending_blank_ = false;
      advance();
      return out;
    }
    if (tok_.is(Tok::kEnd)) {
      error_at(here(), "expected '}' before end of file");
      diags_.note(open, "to match this '{'");
      return out;
    }
    ir::Stmt s;
    s.comments = std::move(pending_comments_);
    pending_comments_.clear();
    s.blank_line_before = pending_blank_ && !first;
    pending_blank_ = false;
    trailing_comment_.clear();
    try {
      ir::Stmt parsed = parse_stmt();
      parsed.comments = std::move(s.comments);
      parsed.blank_line_before = s.blank_line_before;
      if (!tok_.is(Tok::kNewline) && !tok_.is_punct("}") && !tok_.is(Tok::kEnd))
        fail_here("expected a line break after the statement, found " + describe(tok_));
      parsed.trailing_comment = std::move(trailing_comment_);
      trailing_comment_.clear();
      out.push_back(std::move(parsed));
    } catch (const SyntaxError&) {
      recover();
      if (too_many_) {
        while (!tok_.is(Tok::kEnd)) advance();
        return out;
      }
    }
    first = false;
  }
}

ir::Stmt Parser::parse_stmt() {
  ir::Stmt s;
  s.loc = tok_.range;
  if (tok_.is_ident("let")) return parse_let();
  if (tok_.is_ident("for")) return parse_for();
  if (tok_.is_ident("if")) return parse_if();
  if (tok_.is_ident("while")) {
    advance();
    s.kind = ir::StmtKind::While;
    s.cond = parse_expr();
    if (!tok_.is_punct("{")) fail_here("expected '{' after the loop condition, found " + describe(tok_));
    s.body = parse_block();
    return s;
  }
  if (tok_.is_ident("break")) {
    s.kind = ir::StmtKind::Break;
    advance();
    return s;
  }
  if (tok_.is_ident("else")) fail_here("'else' must follow the '}' of an 'if' on the same line");
  if (tok_.is(Tok::kTensor)) {
    std::string name = tok_.text;
    ir::SrcRange loc = tok_.range;
    advance();
    if (!tok_.is_punct("=")) fail_here("expected '=' after the tensor name, found " + describe(tok_));
    advance();
    s.kind = ir::StmtKind::Insn;
    s.insn = parse_insn(name, loc);
    if (s.insn.info().result == ir::ResultKind::Scalar)
      fail_at(loc, "'" + s.insn.info().mnemonic + "' gives a scalar: write 'let " + name + " = " + s.insn.info().mnemonic +
                       "(...)'");
    return s;
  }
  if (tok_.is(Tok::kIdent) && !is_keyword(tok_.text)) {
    Token first = tok_;
    advance();
    if (tok_.is_punct("(")) {
      lex_.seek(first.range.end);
      tok_ = first;
      s.kind = ir::StmtKind::Insn;
      s.insn = parse_insn("", {});
      return s;
    }
    if (tok_.is_punct("=")) {
      advance();
      s.kind = ir::StmtKind::Assign;
      s.name = first.text;
      s.name_loc = first.range;
      s.value = parse_expr();
      return s;
    }
    fail_here("expected '=' or '(' after '" + first.text + "', found " + describe(tok_));
  }
  fail_here("expected a statement, found " + describe(tok_));
}

ir::Stmt Parser::parse_let() {
  ir::Stmt s;
  s.loc = tok_.range;
  advance();
  s.kind = ir::StmtKind::Let;
  s.name = expect_ident("a variable name", &s.name_loc);
  if (accept_punct(":")) {
    s.type = parse_type(&s.type_loc);
  }
  if (!tok_.is_punct("=")) fail_here("expected '=' in 'let', found " + describe(tok_));
  advance();
  if (tok_.is(Tok::kIdent)) {
    auto op = ir::find_insn(tok_.text);
    if (op && ir::insn_info(*op).result == ir::ResultKind::Scalar) {
      if (s.type) fail_at(s.type_loc, "an instruction result takes its type from the instruction; remove the type");
      ir::Stmt r;
      r.kind = ir::StmtKind::Insn;
      r.loc = s.loc;
      r.insn = parse_insn(s.name, s.name_loc);
      return r;
    }
  }
  s.value = parse_expr();
  return s;
}

ir::Stmt Parser::parse_for() {
  ir::Stmt s;
  s.loc = tok_.range;
  s.kind = ir::StmtKind::For;
  advance();
  s.name = expect_ident("a loop variable", &s.name_loc);
  if (!tok_.is_ident("in")) fail_here("expected 'in' after the loop variable, found " + describe(tok_));
  advance();
  if (!tok_.is_ident("range")) fail_here("expected 'range(...)' after 'in', found " + describe(tok_));
  ir::SrcRange range_loc = tok_.range;
  advance();
  expect_punct("(", "after 'range'");
  std::vector<ir::ExprPtr> args;
  if (!tok_.is_punct(")")) {
    do {
      args.push_back(parse_expr());
    } while (accept_punct(","));
  }
  close_group();
  expect_punct(")", "to close 'range('");
  if (args.empty() || args.size() > 3)
    fail_at(ir::SrcRange::join(range_loc, ir::SrcRange::at(range_loc.begin, last_end_)),
            "'range' takes 1 to 3 arguments (stop; start, stop; or start, stop, step), got " +
                std::to_string(args.size()));
  if (args.size() == 1) s.stop = args[0];
  else s.start = args[0], s.stop = args[1];
  if (args.size() == 3) s.step = args[2];
  if (tok_.is_ident("unroll")) {
    advance();
    s.unroll.kind = ir::Unroll::Full;
    if (tok_.is_punct("(")) {
      expect_punct("(", "after 'unroll'");
      ir::SrcRange f = tok_.range;
      s.unroll.kind = ir::Unroll::Factor;
      s.unroll.factor = parse_int_value();
      if (s.unroll.factor < 1) fail_at(f, "the unroll factor must be at least 1");
      close_group();
      expect_punct(")", "to close 'unroll('");
    }
  }
  if (!tok_.is_punct("{")) fail_here("expected '{' to open the loop body, found " + describe(tok_));
  s.body = parse_block();
  return s;
}

ir::Stmt Parser::parse_if() {
  ir::Stmt s;
  s.loc = tok_.range;
  s.kind = ir::StmtKind::If;
  advance();
  s.cond = parse_expr();
  if (!tok_.is_punct("{")) fail_here("expected '{' after the condition, found " + describe(tok_));
  s.body = parse_block();
  if (tok_.is_ident("else")) {
    advance();
    if (tok_.is_ident("if")) {
      s.else_body.push_back(parse_if());
    } else {
      if (!tok_.is_punct("{")) fail_here("expected '{' or 'if' after 'else', found " + describe(tok_));
      s.else_body = parse_block();
    }
  }
  return s;
}

std::optional<ir::Program> parse_program(Diagnostics& diags) {
  Parser p(diags);
  return p.run();
}

}  // namespace tilevm::text
