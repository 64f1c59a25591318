// The printer: the one canonical text of a program (docs/text-format.md, "Canonical form").
// parse(print(p)) equals p, and print(parse(t)) is the canonical form of t.
#pragma once

#include <string>

#include "ir/program.h"

namespace tilevm::text {

std::string print_program(const ir::Program& p);
std::string print_expr(const ir::ExprPtr& e);
std::string print_insn(const ir::Insn& insn);
std::string print_type(const ir::ScalarType& t);

// Whether the printer has a form for every attribute of `op`'s row (for the table test).
bool has_print_rule(ir::Op op);

}  // namespace tilevm::text
