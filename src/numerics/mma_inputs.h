// Seeded adversarial inputs for checking the mma model against hardware (validator and golden test).
//
// Instance `index` of an instruction under `seed` is a full m16n8k tile of inputs (A m×k, B k×n,
// C m×n codes, row-major). It depends only on (spec, seed, index), through a counter-based
// generator, so a run that records only the hardware's outputs can be re-checked later on a CPU.
// The distribution of an instance is index mod distribution_count(spec); each targets one rule
// of the model (docs/numerics.md lists them).
#pragma once

#include <cstdint>

#include "numerics/mma.h"

namespace tilevm::numerics::inputs {

int distribution_count(const MmaSpec& spec);
const char* distribution_name(const MmaSpec& spec, int distribution);

// Fills a (m·k codes), b (k·n codes) and c (m·n codes) for instance `index`.
void generate(const MmaSpec& spec, uint64_t seed, uint64_t index, uint32_t* a, uint32_t* b, uint32_t* c);

}  // namespace tilevm::numerics::inputs
