// The parser of the `.tile` text format (grammar: docs/text-format.md). It checks syntax and
// the shape of each instruction against the instruction table (known mnemonic, operand count,
// attribute names and kinds, dtype and layout spelling); names, types, shapes and layouts are
// the verifier's job.
#pragma once

#include <optional>

#include "ir/program.h"
#include "text/diagnostics.h"

namespace tilevm::text {

// Parses the one program in `diags.file()`. Every error found is reported to `diags` (the
// parser recovers at the next line or block where that is sound); the program is returned only
// when there was none.
std::optional<ir::Program> parse_program(Diagnostics& diags);

// Whether the parser can read every operand, attribute and result form of `op`'s table row
// (for the table completeness test).
bool has_parse_rule(ir::Op op);

}  // namespace tilevm::text
