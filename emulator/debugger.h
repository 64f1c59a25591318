// The stepping debugger behind `tilevm step`: runs a launch block by block (one worker) and
// stops before instructions to read commands (docs/emulator.md, "tilevm step").
#pragma once

#include <iostream>
#include <optional>

#include "exec/launch.h"

namespace tilevm::emu {

struct StepOptions {
  bool at_trap = false;  // first run the program, then stop at the trapping instruction
  bool echo = false;     // echo each command after a prompt (for transcripts from scripts)
};

// Runs the debugger reading commands from `in`; returns the process exit status.
int run_debugger(const exec::Launch& launch, std::istream& in, std::ostream& out, const StepOptions& options);

}  // namespace tilevm::emu
