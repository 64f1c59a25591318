// The instructions the CUDA code generator lowers (the table test holds it to the whole table).
#pragma once

#include "ir/coverage.h"

namespace tilevm::cuda {

const ir::Coverage& coverage();

}  // namespace tilevm::cuda
