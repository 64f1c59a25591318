// The lexer of the `.tile` text format: turns source text into tokens on demand, so that the
// parser can hand raw text to sub-parsers (layouts) and resume after them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ir/location.h"

namespace tilevm::text {

enum class Tok : uint8_t {
  kEnd,      // end of input
  kNewline,  // a line break (statements end at one)
  kComment,  // `// ...` up to the end of the line; text() excludes the slashes
  kIdent,    // [A-Za-z_][A-Za-z0-9_]* with `.`-joined parts: x, load.global
  kTensor,   // %name; text() excludes the `%`
  kInt,      // decimal or 0x hexadecimal integer literal
  kFloat,    // decimal literal with a fraction or an exponent
  kString,   // "..." with escapes \" \\ \n \t; text() is the decoded value
  kPunct,    // one of ( ) [ ] { } , : = * + - / % < > ! ~ & | ^ and == != <= >= << >> && ||
  kError,    // a character or literal the lexer cannot accept; text() is the message
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
  ir::SrcRange range;

  bool is(Tok k) const { return kind == k; }
  bool is_punct(std::string_view p) const { return kind == Tok::kPunct && text == p; }
  bool is_ident(std::string_view w) const { return kind == Tok::kIdent && text == w; }
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Token next();
  size_t pos() const { return pos_; }
  void seek(size_t pos) { pos_ = pos; }
  std::string_view text() const { return text_; }

 private:
  Token make(Tok k, size_t begin, std::string t) const;
  Token lex_number(size_t begin);
  Token lex_string(size_t begin);

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace tilevm::text
