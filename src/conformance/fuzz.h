// Random valid programs for differential testing (`tilevm fuzz`, docs/conformance.md).
//
// A FuzzSpec describes one program: a 1-D or 2-D tile over a ragged global extent, a random
// legal register layout, 1..3 inputs of random types (sub-byte included), a chain of
// elementwise steps (arithmetic, comparisons, where, fma, casts, views across widths), and
// optionally inputs staged through copy_async into shared memory, a shared-memory round trip of
// the result into another layout, and a final reduction. `build_program` turns it into IR with
// ir::ProgramBuilder; `oracle_outputs` computes the expected output with the independent
// semantics of conformance/oracle.h, block by block, tile by tile (out-of-range input elements
// are zero, as load.global defines). Approximate instructions (exp, log, ...) and integer
// division (which traps on the zero-filled ragged tail) are not generated.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conformance/oracle.h"
#include "exec/launch.h"
#include "ir/program.h"

namespace tilevm::conf {

struct FuzzStep {
  std::string op;         // a mnemonic of the table, "cast" or "view"
  std::vector<int> args;  // value indices (inputs are values 0..k-1, step i is value k+i)
  dt::DType dtype;        // cast / view target
};

struct FuzzSpec {
  uint64_t seed = 0;
  int warps = 1;
  std::vector<int64_t> tile;          // tile extents (1 or 2 dims)
  std::vector<int64_t> extent;        // global extents (ragged: not multiples of the tile)
  std::string layout;                 // register layout of every input tile
  int local = 0;                      // > 0: the layout is spatial(T).local(local) (views allowed)
  std::vector<dt::DType> inputs;
  bool async = false;                 // inputs through copy_async into shared memory
  std::vector<FuzzStep> steps;
  int result = 0;                     // the value stored
  std::string reload_layout;          // non-empty: shared round trip, reloaded in this layout
  std::string reduce;                 // non-empty: reduce.<op> over reduce_dim (2-D), keepdims
  int reduce_dim = 0;

  int64_t tile_elements() const;
  std::vector<int64_t> grid() const;  // blocks per dimension
};

// The type and element count of every value (inputs, then steps).
struct ValueInfo {
  dt::DType t;
  int64_t elements = 0;
  int local = 0;  // per-thread elements when the layout is spatial(T).local(n), else 0
};
std::vector<ValueInfo> value_infos(const FuzzSpec& s);

// A random valid spec from `seed`.
FuzzSpec random_spec(uint64_t seed);

// The program (always named `fz`): parameters in0.. (inputs) then `out`.
ir::Program build_program(const FuzzSpec& s);

// The dtype and shape of `out`.
dt::DType output_dtype(const FuzzSpec& s);
std::vector<int64_t> output_shape(const FuzzSpec& s);

// Expected codes of `out` (flattened), or nullopt when the result is not determined by the
// oracle (a float reduce.sum, whose value depends on the documented order).
Expected<std::optional<std::vector<uint64_t>>> oracle_outputs(const FuzzSpec& s, const std::vector<exec::Arg>& inputs);

// Outcome of one program on the chosen backends.
struct FuzzOutcome {
  bool ok = true;
  std::string message;   // what failed
  std::string text;      // the program's text
};

// The CPU half of check_spec: builds, verifies, runs on the emulator (one worker thread) and
// compares with the oracle. When `outcome.ok`, `launch` is the launch (inputs as generated) and
// `emu_args` the arguments after the emulator's run.
struct FuzzPrepared {
  FuzzOutcome outcome;
  std::optional<exec::Launch> launch;
  std::vector<exec::Arg> emu_args;
};
FuzzPrepared prepare_spec(const FuzzSpec& s);

// Compares the emulator's arguments after a run with another backend's (same launch): the
// failure message of the first difference ("backends differ: ..."), or nullopt when equal.
std::optional<std::string> compare_backends(const FuzzSpec& s, const std::vector<exec::Arg>& emu,
                                            const std::vector<exec::Arg>& gpu);

// Builds, verifies, runs (emu; gpu too when `both`) and checks one spec. `gpu_missing` is set
// when the GPU executor is unavailable (then only the emulator ran).
FuzzOutcome check_spec(const FuzzSpec& s, bool both, bool* gpu_missing = nullptr);

// Reduces a failing spec while check_spec still fails (drops steps, blocks, the round trip, the
// reduction, async staging; shrinks the extents). Returns the smallest failing spec found.
FuzzSpec shrink(const FuzzSpec& s, bool both);

// A conformance case file reproducing `s` (inputs from seeded generators, expected output from
// the oracle as a list, or `golden` when the oracle does not determine it).
std::string reproducer_case(const FuzzSpec& s, const std::string& why);

// The launch arguments of a spec (seeded inputs) as `run` argument texts.
std::vector<std::pair<std::string, std::string>> spec_args(const FuzzSpec& s);

}  // namespace tilevm::conf
