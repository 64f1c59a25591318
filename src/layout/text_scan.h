// A small cursor over layout text shared by the register, shared and global layout parsers:
// whitespace, identifiers, integers and punctuation, with errors that carry byte ranges.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/expected.h"

namespace tilevm::layout::detail {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = p; }
  std::string_view text() const { return text_; }
  bool at_end() { skip_ws(); return pos_ >= text_.size(); }
  void skip_ws();
  // The identifier at the cursor (after whitespace), without consuming it; empty if none.
  std::string_view peek_ident();
  std::string_view take_ident();
  // Consumes `c` (after whitespace) if present.
  bool accept(char c);
  // Consumes `c` or returns an error naming `what` at the cursor.
  std::optional<Error> expect(char c, const char* what);
  // A decimal integer with an optional '-', returned with its start offset.
  Expected<int64_t> integer(size_t* start = nullptr);
  // '(' int, int, ... ')' (possibly empty); `starts` gets each number's offset.
  Expected<std::vector<int64_t>> int_args(std::vector<size_t>* starts = nullptr);
  // '[' int, ... ']' (possibly empty).
  Expected<std::vector<int64_t>> int_list(std::vector<size_t>* starts = nullptr);
  // keyword '=' (after an optional leading ',').
  std::optional<Error> keyword(const char* name, bool leading_comma);
  Error error_here(std::string message, size_t length = 1);

 private:
  Expected<std::vector<int64_t>> ints_until(char close, std::vector<size_t>* starts);
  std::string_view text_;
  size_t pos_ = 0;
};

// The error for text left after a complete layout that ends at byte `end` of `text`, or nullopt
// when only whitespace follows. `kind` names the layout ("register", "shared"); a trailing
// `.name` is reported as an unknown constructor of that kind, which reads better than
// "unexpected text".
std::optional<Error> trailing_text_error(std::string_view text, size_t end, const char* kind);

std::string join(const std::vector<int>& v, const char* open = "[", const char* close = "]");

}  // namespace tilevm::layout::detail
