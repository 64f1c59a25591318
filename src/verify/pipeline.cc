// Parse + infer + verify in one call.
#include "verify/pipeline.h"

#include "text/parser.h"
#include "text/printer.h"

namespace tilevm::verify {

CheckResult check_source(const std::string& name, const std::string& text) {
  CheckResult r;
  text::SourceFile file(name, text);
  text::Diagnostics diags(file);
  r.program = text::parse_program(diags);
  if (r.program) {
    ir::Program copy = *r.program;
    r.facts = verify_program(copy, diags, true);
    if (r.facts) {
      // Facts point into `copy`; re-key them onto the stored program.
      r.inferred = std::move(copy);
      r.facts = verify_program(*r.inferred, diags, false);
    }
  }
  r.diagnostics = diags.render();
  return r;
}

}  // namespace tilevm::verify

namespace tilevm::verify {

std::optional<std::string> roundtrip_violation(const std::string& text) {
  auto r = check_source("input.tile", text);
  if (!r.program) return std::nullopt;
  std::string printed = text::print_program(*r.program);
  auto again = check_source("printed.tile", printed);
  if (!again.program) return "the printed program does not parse:\n" + printed + again.diagnostics;
  if (!ir::equal(*again.program, *r.program)) return "parse(print(p)) != p:\n" + printed;
  if (text::print_program(*again.program) != printed) return "printing is not idempotent:\n" + printed;
  if (r.ok() != again.ok()) return "verification differs after printing:\n" + printed + again.diagnostics;
  if (!r.ok()) return std::nullopt;
  std::string inferred = text::print_program(*r.inferred);
  auto third = check_source("inferred.tile", inferred);
  if (!third.ok()) return "the program with inferred layouts does not verify:\n" + inferred + third.diagnostics;
  if (!ir::equal(*third.program, *r.inferred)) return "the program with inferred layouts does not round-trip:\n" + inferred;
  return std::nullopt;
}

}  // namespace tilevm::verify
