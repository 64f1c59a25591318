// The parser's internal state, shared by parser.cc (programs, statements), parser_expr.cc
// (expressions, types) and parser_insn.cc (instructions and attributes).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/program.h"
#include "text/diagnostics.h"
#include "text/lexer.h"

namespace tilevm::text {

// Thrown (and caught at statement level) when a statement cannot be parsed any further; the
// error has already been reported.
struct SyntaxError {};

// The deepest nesting of expressions and blocks the parser accepts (it recurses).
inline constexpr int kMaxNesting = 200;

class Parser {
 public:
  explicit Parser(Diagnostics& diags);
  std::optional<ir::Program> run();

  // --- tokens (parser.cc)
  void advance();
  const Token& tok() const { return tok_; }
  bool accept_punct(std::string_view p);
  void expect_punct(std::string_view p, const char* context);
  std::string expect_ident(const char* what, ir::SrcRange* loc);
  [[noreturn]] void fail_here(const std::string& message);
  [[noreturn]] void fail_at(ir::SrcRange r, const std::string& message);
  void error_at(ir::SrcRange r, const std::string& message);
  ir::SrcRange here() const;
  void open_group() { ++depth_; }
  void close_group() { --depth_; }

  // --- expressions and types (parser_expr.cc)
  ir::ExprPtr parse_expr();
  ir::ExprPtr parse_binary(int min_prec);
  ir::ExprPtr parse_unary();
  ir::ExprPtr parse_primary();
  ir::ExprPtr parse_int_literal(bool negate, ir::SrcRange minus);
  ir::ScalarType parse_type(ir::SrcRange* loc);
  ir::DType parse_dtype_token();
  std::vector<ir::ExprPtr> parse_expr_list();
  std::vector<int64_t> parse_int_list();
  int64_t parse_int_value();

  // --- instructions (parser_insn.cc)
  ir::Insn parse_insn(std::string result, ir::SrcRange result_loc);
  void parse_insn_arg(ir::Insn& insn, bool* seen_keyword);
  ir::AttrValue parse_attr_value(const ir::AttrSlot& slot);
  void check_insn_complete(ir::Insn& insn, ir::SrcRange close);

  // --- statements (parser.cc)
  void parse_header(ir::Program& p);
  std::vector<ir::Stmt> parse_block();
  ir::Stmt parse_stmt();
  ir::Stmt parse_let();
  ir::Stmt parse_for();
  ir::Stmt parse_if();
  void recover();
  void skip_newlines();

 private:
  Diagnostics& diags_;
  Lexer lex_;
  Token tok_;
  int depth_ = 0;               // nesting of ( and [: newlines and comments are skipped inside
  bool newline_before_ = true;  // a line break came before tok_
  int newline_run_ = 0;         // consecutive line breaks skipped (2 or more: a blank line)
  std::vector<std::string> pending_comments_;
  bool pending_blank_ = false;
  std::string trailing_comment_;
  size_t last_end_ = 0;         // end of the previous token
  bool too_many_ = false;
  int nesting_ = 0;             // expressions and blocks being parsed (bounded: kMaxNesting)
};

// The nearest of `candidates` to `word` by edit distance, if it is close enough to suggest.
std::optional<std::string> nearest_word(const std::string& word, const std::vector<std::string>& candidates);

bool is_keyword(const std::string& word);

}  // namespace tilevm::text
