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

namespace tilevm::verify {

// The text format's round-trip property on one input (what the fuzz target checks): when
// `text` parses, print(p) parses back to p, printing is idempotent, verification gives the
// same verdict, and a valid program with its inferred layouts written out verifies and
// round-trips too. Returns a description of the first violation, or nothing.
std::optional<std::string> roundtrip_violation(const std::string& text);

}  // namespace tilevm::verify
