// Building a launch from a case's `run` line: scalar values, seeded and patterned input buffers.
//
// Pointer arguments (the buffer's length defaults to what the program's views need):
//   rand:SEED[:SHAPE]  rand:DTYPE:SEED[:SHAPE]   exec::generate (edge values mixed in)
//   [v, v*3, ...]        the listed values (their count is the length)
//   seq:START:STEP[:N]   START + i*STEP (exactly representable, else an error)
//   codes[:N]            element i holds code i mod 2^bits (every code of a narrow type)
//   fill:V[:N]           every element V
//   file:PATH            a .npy file, PATH relative to the case file's folder
#pragma once

#include <memory>
#include <string>

#include "conformance/case.h"
#include "conformance/expr.h"
#include "exec/launch.h"

namespace tilevm::conf {

Expected<exec::Launch> build_launch(std::shared_ptr<const exec::LoadedProgram> program, const Case& c, const RunSpec& run);

// The pointer arguments of a launch as typed code buffers (the oracle's inputs).
Inputs inputs_of(const std::vector<exec::Arg>& args);

}  // namespace tilevm::conf
