// A source file held in memory: its name, its text, and byte offset <-> line:column mapping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ir/location.h"

namespace tilevm::text {

using ir::SrcRange;

// 1-based line and column; the column counts bytes.
struct LineCol {
  int line = 1;
  int col = 1;
};

class SourceFile {
 public:
  SourceFile(std::string name, std::string text);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }

  // Line and column of byte `offset` (an offset equal to the text's size is the end of the
  // last line).
  LineCol line_col(size_t offset) const;
  // The text of 1-based line `line`, without its line terminator.
  std::string_view line_text(int line) const;
  int line_count() const { return static_cast<int>(line_starts_.size()); }

 private:
  std::string name_;
  std::string text_;
  std::vector<size_t> line_starts_;
};

}  // namespace tilevm::text
