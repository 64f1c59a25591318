// Tokenisation of `.tile` text.
#include "text/lexer.h"

#include <cctype>

namespace tilevm::text {
namespace {
bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
}  // namespace

Token Lexer::make(Tok k, size_t begin, std::string t) const {
  return Token{k, std::move(t), ir::SrcRange::at(begin, pos_)};
}

Token Lexer::next() {
  while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r')) ++pos_;
  size_t begin = pos_;
  if (pos_ >= text_.size()) return make(Tok::kEnd, begin, "");
  char c = text_[pos_];
  if (c == '\n') {
    ++pos_;
    return make(Tok::kNewline, begin, "\n");
  }
  if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    pos_ = end;
    std::string_view body = text_.substr(begin + 2, end - begin - 2);
    while (!body.empty() && (body.back() == ' ' || body.back() == '\t' || body.back() == '\r')) body.remove_suffix(1);
    return make(Tok::kComment, begin, std::string(body));
  }
  if (ident_start(c)) {
    while (true) {
      while (pos_ < text_.size() && ident_char(text_[pos_])) ++pos_;
      if (pos_ + 1 < text_.size() && text_[pos_] == '.' && ident_start(text_[pos_ + 1])) {
        ++pos_;
        continue;
      }
      break;
    }
    return make(Tok::kIdent, begin, std::string(text_.substr(begin, pos_ - begin)));
  }
  if (c == '%') {
    if (pos_ + 1 < text_.size() && ident_start(text_[pos_ + 1])) {
      ++pos_;
      while (pos_ < text_.size() && ident_char(text_[pos_])) ++pos_;
      return make(Tok::kTensor, begin, std::string(text_.substr(begin + 1, pos_ - begin - 1)));
    }
  }
  if (std::isdigit(static_cast<unsigned char>(c))) return lex_number(begin);
  if (c == '"') return lex_string(begin);
  static const char* const kTwo[] = {"==", "!=", "<=", ">=", "<<", ">>", "&&", "||"};
  for (const char* p : kTwo)
    if (text_.substr(pos_, 2) == p) {
      pos_ += 2;
      return make(Tok::kPunct, begin, p);
    }
  if (std::string_view("()[]{},:=*+-/%<>!~&|^").find(c) != std::string_view::npos) {
    ++pos_;
    return make(Tok::kPunct, begin, std::string(1, c));
  }
  ++pos_;
  unsigned char uc = static_cast<unsigned char>(c);
  std::string shown = std::isprint(uc) ? std::string("'") + c + "'" : "byte 0x" + std::string(1, "0123456789abcdef"[uc >> 4]) + "0123456789abcdef"[uc & 15];
  return make(Tok::kError, begin, "unexpected character " + shown);
}

Token Lexer::lex_number(size_t begin) {
  auto digits = [&](bool hex) {
    size_t s = pos_;
    while (pos_ < text_.size() && (hex ? std::isxdigit(static_cast<unsigned char>(text_[pos_]))
                                       : std::isdigit(static_cast<unsigned char>(text_[pos_]))))
      ++pos_;
    return pos_ > s;
  };
  if (text_.substr(pos_, 2) == "0x" || text_.substr(pos_, 2) == "0X") {
    pos_ += 2;
    if (!digits(true)) return make(Tok::kError, begin, "expected hexadecimal digits after '0x'");
  } else {
    digits(false);
    bool is_float = false;
    if (pos_ + 1 < text_.size() && text_[pos_] == '.' && std::isdigit(static_cast<unsigned char>(text_[pos_ + 1]))) {
      ++pos_;
      digits(false);
      is_float = true;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      size_t save = pos_;
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits(false)) is_float = true;
      else pos_ = save;
    }
    if (is_float) {
      if (pos_ < text_.size() && ident_char(text_[pos_])) {
        while (pos_ < text_.size() && ident_char(text_[pos_])) ++pos_;
        return make(Tok::kError, begin, "malformed number '" + std::string(text_.substr(begin, pos_ - begin)) + "'");
      }
      return make(Tok::kFloat, begin, std::string(text_.substr(begin, pos_ - begin)));
    }
  }
  if (pos_ < text_.size() && ident_char(text_[pos_])) {
    while (pos_ < text_.size() && ident_char(text_[pos_])) ++pos_;
    return make(Tok::kError, begin, "malformed number '" + std::string(text_.substr(begin, pos_ - begin)) + "'");
  }
  return make(Tok::kInt, begin, std::string(text_.substr(begin, pos_ - begin)));
}

Token Lexer::lex_string(size_t begin) {
  ++pos_;
  std::string value;
  while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') {
    char c = text_[pos_++];
    if (c != '\\') {
      value += c;
      continue;
    }
    if (pos_ >= text_.size() || text_[pos_] == '\n') break;
    char e = text_[pos_++];
    switch (e) {
      case '"': value += '"'; break;
      case '\\': value += '\\'; break;
      case 'n': value += '\n'; break;
      case 't': value += '\t'; break;
      default: {
        Token t = make(Tok::kError, pos_ - 2, std::string("unknown escape '\\") + e + "' in string");
        return t;
      }
    }
  }
  if (pos_ >= text_.size() || text_[pos_] != '"') return make(Tok::kError, begin, "unterminated string");
  ++pos_;
  return make(Tok::kString, begin, value);
}

}  // namespace tilevm::text
