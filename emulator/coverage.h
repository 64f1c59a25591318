// The instructions the emulator executes (the table test holds it to the whole table).
#pragma once

#include "ir/coverage.h"

namespace tilevm::emu {

// Every op with an exec_ body; complete, since the dispatch table is generated from the
// instruction table and a row without a body does not link.
const ir::Coverage& coverage();

}  // namespace tilevm::emu
