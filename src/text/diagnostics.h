// Diagnostics for user input: `file:line:col: error: message`, the source line, a caret (or a
// range of carets) under the culprit, and `note:` lines pointing at other places that matter.
#pragma once

#include <string>
#include <vector>

#include "text/source.h"

namespace tilevm::text {

enum class Severity { kError, kNote };

struct Diagnostic {
  Severity severity = Severity::kError;
  SrcRange range;  // may be invalid: then only `file: error: message` is printed
  std::string message;
  std::vector<Diagnostic> notes;  // each rendered after the main diagnostic
};

// Collects diagnostics for one source file and renders them in the order they were reported.
class Diagnostics {
 public:
  explicit Diagnostics(const SourceFile& file) : file_(&file) {}

  // Reports an error and returns it so that notes can be attached.
  Diagnostic& error(SrcRange range, std::string message);
  // Attaches a note to the most recent error.
  void note(SrcRange range, std::string message);

  bool has_errors() const { return !list_.empty(); }
  size_t error_count() const { return list_.size(); }
  const std::vector<Diagnostic>& list() const { return list_; }
  const SourceFile& file() const { return *file_; }

  // All diagnostics rendered as text (each ends in a newline).
  std::string render() const;

 private:
  const SourceFile* file_;
  std::vector<Diagnostic> list_;
};

// Renders one diagnostic (with its notes) against `file`.
std::string render_diagnostic(const SourceFile& file, const Diagnostic& d);

}  // namespace tilevm::text
