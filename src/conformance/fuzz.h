// Random valid programs for differential testing (`tilevm fuzz`, docs/conformance.md).
//
// A FuzzSpec describes one program: a 1-D or 2-D tile over a ragged global extent, a random
// legal register layout, 1..3 inputs of random types (sub-byte included), a chain of
// elementwise steps (arithmetic, integer div/mod with divisors forced odd by `or 1`,
// comparisons, where, fma, casts, views across widths, optionally a final approximate exp, exp2,
// log or rsqrt), and optionally inputs staged through copy_async into shared memory, a
// shared-memory round trip of the result into another layout, and a final reduction.
// In dot mode (2-D) value 0 is not in0 as loaded but in0 + a x b: a scalar `for` loop over
// k-chunks of the global a [e0, ek] and b [ek, e1] accumulates dot.simt or dot.mma into the
// loaded in0 tile (dot.mma leaves every layout to inference, i.e. the MMA atoms' layouts).
// `build_program` turns a spec into IR with ir::ProgramBuilder; `oracle_outputs` computes the
// expected output with the independent semantics of conformance/oracle.h, block by block, tile
// by tile (out-of-range input elements are zero, as load.global defines).
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
  std::string dot;                    // "", "simt" or "mma": value 0 is in0 + a x b (see above)
  dt::DType dot_ab;                   // element type of a and b (in0 has the accumulator's type)
  int64_t dot_tk = 0;                 // k extent of one chunk
  int64_t dot_k = 0;                  // global k extent (ragged: not a multiple of dot_tk)

  // Whether the result is an approximate instruction (compared within its ulp bound).
  bool approximate() const;

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
// oracle (a float reduce.sum or a float dot.mma, whose bits depend on the documented order and
// the tensor cores' arithmetic). For an approximate result the codes are the oracle's, which
// both backends must match within the instruction's ulp bound.
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
  std::optional<std::vector<uint64_t>> oracle;  // expected `out`, when the oracle decides it
};
FuzzPrepared prepare_spec(const FuzzSpec& s);

// Compares another backend's arguments after a run of the same launch with the emulator's,
// bit for bit; an approximate `out` is compared with the oracle within the ulp bound instead.
// The failure message of the first difference ("backends differ: ..."), or nullopt.
std::optional<std::string> compare_backends(const FuzzSpec& s, const FuzzPrepared& emu, const std::vector<exec::Arg>& gpu);

// The ulp bound of an approximate spec's result (0 for exact ones).
int result_ulp_bound(const FuzzSpec& s);

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
