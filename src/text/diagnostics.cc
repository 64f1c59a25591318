// Rendering of diagnostics in the clang style: location, message, source line, carets.
#include "text/diagnostics.h"

#include <algorithm>

namespace tilevm::text {
namespace {

// The caret line under `line_text` for the byte columns [col, col + len): a '^' at the start
// and '~' under the rest; tabs in the prefix are copied so the caret lines up.
std::string caret_line(std::string_view line_text, int col, size_t len) {
  std::string out;
  size_t start = static_cast<size_t>(col - 1);
  for (size_t i = 0; i < start; ++i) out += (i < line_text.size() && line_text[i] == '\t') ? '\t' : ' ';
  out += '^';
  size_t avail = line_text.size() > start ? line_text.size() - start : 1;
  size_t n = std::max<size_t>(1, std::min(len, avail));
  out.append(n - 1, '~');
  return out;
}

void render_one(const SourceFile& file, const Diagnostic& d, std::string* out) {
  const char* kind = d.severity == Severity::kError ? "error" : "note";
  if (!d.range.valid) {
    *out += file.name() + ": " + kind + ": " + d.message + "\n";
    return;
  }
  LineCol lc = file.line_col(d.range.begin);
  *out += file.name() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.col) + ": " + kind + ": " +
          d.message + "\n";
  std::string_view line = file.line_text(lc.line);
  *out += std::string(line) + "\n";
  *out += caret_line(line, lc.col, d.range.length()) + "\n";
}

}  // namespace

Diagnostic& Diagnostics::error(SrcRange range, std::string message) {
  list_.push_back(Diagnostic{Severity::kError, range, std::move(message), {}});
  return list_.back();
}

void Diagnostics::note(SrcRange range, std::string message) {
  if (list_.empty()) return;
  list_.back().notes.push_back(Diagnostic{Severity::kNote, range, std::move(message), {}});
}

std::string render_diagnostic(const SourceFile& file, const Diagnostic& d) {
  std::string out;
  render_one(file, d, &out);
  for (const Diagnostic& n : d.notes) render_one(file, n, &out);
  return out;
}

std::string Diagnostics::render() const {
  std::string out;
  for (const Diagnostic& d : list_) out += render_diagnostic(*file_, d);
  return out;
}

}  // namespace tilevm::text
