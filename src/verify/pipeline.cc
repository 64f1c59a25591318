// Parse + infer + verify in one call.
#include "verify/pipeline.h"

#include "text/parser.h"

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
