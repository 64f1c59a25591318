// Parse + infer + verify of one source text in a single call (for the command line, the
// tests and the fuzz target).
#pragma once

#include <optional>
#include <string>

#include "ir/program.h"
#include "verify/verify.h"

namespace tilevm::verify {

struct CheckResult {
  std::optional<ir::Program> program;  // the parsed program (before inference), when it parsed
  std::optional<ir::Program> inferred; // the program with inferred layouts written out, when valid
  std::optional<Facts> facts;          // when valid
  std::string diagnostics;             // rendered; empty when valid
  bool ok() const { return facts.has_value(); }
};

// `name` is the file name used in diagnostics.
CheckResult check_source(const std::string& name, const std::string& text);

}  // namespace tilevm::verify
