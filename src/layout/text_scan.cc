// The layout-text cursor: tokens and located errors.
#include "layout/text_scan.h"

#include <algorithm>
#include <cctype>

namespace tilevm::layout::detail {

void Scanner::skip_ws() {
  while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
}

std::string_view Scanner::peek_ident() {
  skip_ws();
  size_t e = pos_;
  while (e < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[e])) || text_[e] == '_')) ++e;
  if (e == pos_ || std::isdigit(static_cast<unsigned char>(text_[pos_]))) return {};
  return text_.substr(pos_, e - pos_);
}

std::string_view Scanner::take_ident() {
  auto id = peek_ident();
  pos_ += id.size();
  return id;
}

bool Scanner::accept(char c) {
  skip_ws();
  if (pos_ < text_.size() && text_[pos_] == c) {
    ++pos_;
    return true;
  }
  return false;
}

Error Scanner::error_here(std::string message, size_t length) {
  skip_ws();
  if (pos_ >= text_.size()) return fail(std::move(message) + ", found the end of the text", text_.size(), 1);
  return fail(std::move(message), pos_, length);
}

std::optional<Error> Scanner::expect(char c, const char* what) {
  if (accept(c)) return std::nullopt;
  return error_here(std::string("expected ") + what);
}

Expected<int64_t> Scanner::integer(size_t* start) {
  skip_ws();
  size_t b = pos_, e = pos_;
  if (e < text_.size() && text_[e] == '-') ++e;
  size_t digits = e;
  while (e < text_.size() && std::isdigit(static_cast<unsigned char>(text_[e]))) ++e;
  if (e == digits) return error_here("expected an integer");
  if (e - digits > 18) return fail("integer too large", b, e - b);
  int64_t v = std::stoll(std::string(text_.substr(digits, e - digits)));
  pos_ = e;
  if (start) *start = b;
  return text_[b] == '-' ? -v : v;
}

Expected<std::vector<int64_t>> Scanner::ints_until(char close, std::vector<size_t>* starts) {
  std::vector<int64_t> out;
  if (accept(close)) return out;
  for (;;) {
    size_t at = 0;
    auto v = integer(&at);
    if (!v) return v.error();
    out.push_back(*v);
    if (starts) starts->push_back(at);
    if (accept(close)) return out;
    if (!accept(',')) return error_here(std::string("expected ',' or '") + close + "'");
  }
}

Expected<std::vector<int64_t>> Scanner::int_args(std::vector<size_t>* starts) {
  if (auto e = expect('(', "'('")) return *e;
  return ints_until(')', starts);
}

Expected<std::vector<int64_t>> Scanner::int_list(std::vector<size_t>* starts) {
  if (auto e = expect('[', "'['")) return *e;
  return ints_until(']', starts);
}

std::optional<Error> Scanner::keyword(const char* name, bool leading_comma) {
  if (leading_comma)
    if (auto e = expect(',', "','")) return e;
  size_t at = (skip_ws(), pos_);
  std::string_view id = take_ident();
  if (id != name) {
    pos_ = at;
    return error_here(std::string("expected '") + name + "='", std::max<size_t>(1, id.size()));
  }
  return expect('=', "'='");
}

std::string join(const std::vector<int>& v, const char* open, const char* close) {
  std::string s = open;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(v[i]);
  }
  return s + close;
}

std::optional<Error> trailing_text_error(std::string_view text, size_t end, const char* kind) {
  Scanner s(text);
  s.set_pos(end);
  if (s.at_end()) return std::nullopt;
  size_t at = s.pos();
  if (s.accept('.')) {
    std::string_view id = s.peek_ident();
    if (!id.empty()) return s.error_here("unknown " + std::string(kind) + " layout constructor '" + std::string(id) + "'", id.size());
  }
  return fail("unexpected text after the " + std::string(kind) + " layout", at, text.size() - at);
}

}  // namespace tilevm::layout::detail
