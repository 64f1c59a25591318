// Which instructions a module implements, so that one test (tests/ir/table_test.cc) can hold
// every consumer of the instruction table to the whole table.
//
// Protocol for a module (emulator, codegen): provide `<module>/coverage.h` declaring
//   const tilevm::ir::Coverage& coverage();
// in the module's namespace (tilevm::emu for emulator/coverage.h, tilevm::cuda for
// backend/cuda/coverage.h), listing the ops it has a body or emitter for. The table test finds
// the header with __has_include. While `complete` is false the test only reports what is
// missing; once the module sets `complete = true` every missing instruction fails the test.
// Conformance cases are found by scanning conformance/**/*.tile for mnemonics; the file
// conformance/COVERAGE_COMPLETE turns that report into a failure too.
#pragma once

#include <bitset>
#include <string>

#include "ir/insn.h"

namespace tilevm::ir {

struct Coverage {
  std::string component;        // "emulator", "codegen", ...
  bool complete = false;        // true: a missing instruction is an error
  std::bitset<kNumOps> has;     // has[static_cast<int>(op)]: the module implements op

  void add(Op op) { has.set(static_cast<size_t>(op)); }
  bool covers(Op op) const { return has.test(static_cast<size_t>(op)); }
};

// The instruction-reference section of docs/ir.md, generated from the table: one entry per
// instruction with its operands, attributes, result, exactness and semantics.
std::string instruction_reference_markdown();

}  // namespace tilevm::ir
