// The backend-neutral launch: a verified program, its evaluated grid and its arguments, the
// result of running it, and the registry of executors (`emu`, `gpu`) that `tilevm run` picks
// from. Both backends share everything here; only Executor::run differs.
//
// Arguments. Every program parameter gets one Arg, in parameter order:
// - a scalar parameter carries its value as a code (`bits`, the low dtype.bits bits) of its type;
// - a pointer parameter carries a host buffer of packed elements of the pointer's element dtype
//   (overview section 5: LSB first, no gaps) and a logical shape (row-major). The executor reads
//   it as the initial device memory and RunResult::args holds the buffers after the run.
//
// A pointer parameter not given on the command line gets a zero-filled buffer of the size the
// program needs: the largest element offset + 1 of any `view.global` over it, evaluated from
// the scalar arguments (its shape is then 1-D). A buffer smaller than what a view needs is not an
// error here: accesses beyond it are out of bounds at run time (the emulator traps them).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exec/trap.h"
#include "ir/program.h"
#include "support/expected.h"
#include "text/source.h"
#include "verify/verify.h"

namespace tilevm::exec {

// A parsed and verified program, with its source text for `file:line:col` in reports.
// Held by shared_ptr: `facts` points into `program`, so neither may move.
struct LoadedProgram {
  std::unique_ptr<text::SourceFile> source;
  ir::Program program;
  verify::Facts facts;
};

// Parses and verifies `text` (named `name` in diagnostics). On failure the error message is the
// rendered diagnostics (`file:line:col: error: ...` with carets).
Expected<std::shared_ptr<const LoadedProgram>> load_program_text(std::string name, std::string text);
// The same for a file on disk.
Expected<std::shared_ptr<const LoadedProgram>> load_program_file(const std::string& path);

struct Arg {
  std::string name;
  ir::ScalarType type;           // the parameter's type (pointer: its element dtype)
  uint64_t bits = 0;             // scalar: the value's code
  std::vector<int64_t> shape;    // pointer: logical shape of the buffer (row-major)
  std::vector<uint8_t> bytes;    // pointer: packed elements

  bool is_pointer() const { return type.pointer; }
  int64_t num_elements() const;  // product of shape (pointer)
};

struct Launch {
  std::shared_ptr<const LoadedProgram> program;
  std::array<int64_t, 3> grid{1, 1, 1};  // blocks along x, y, z (unused dims are 1)
  std::vector<Arg> args;                 // one per parameter, in order
  bool check_init = false;               // emulator: trap reads of uninitialised data
  int workers = 0;                       // emulator: worker threads (0: all cores)

  int64_t num_blocks() const { return grid[0] * grid[1] * grid[2]; }
  const Arg* arg(const std::string& name) const;
};

struct RunResult {
  std::vector<Arg> args;       // the arguments after the run (pointer buffers updated)
  int64_t blocks_run = 0;
  double seconds = 0;          // wall time of the execution proper
  std::optional<Trap> trap;    // set when the program trapped (args then hold partial results)
  std::string printed;         // output of `print` instructions, block by block in order
};

// ---- Argument specifications (`tilevm run --arg`).
//   name=FILE.npy            a .npy file (dtype must match the pointer's element type; tilevm's
//                            header comment carries sub-byte and other non-NumPy types)
//   name=rand:DTYPE:SEED     seeded random values of DTYPE (must be the parameter's type), with
//   name=rand:DTYPE:SEED:SHAPE   an optional shape such as 64x128 (default: what views need)
//   name=VALUE               a scalar: integer (decimal, or 0x hex), float, true/false
struct ArgSpec {
  enum class Kind { File, Rand, Value } kind = Kind::Value;
  std::string name;
  std::string path;                          // File
  dt::DType dtype;                           // Rand
  uint64_t seed = 0;                         // Rand
  std::optional<std::vector<int64_t>> shape; // Rand
  std::string value;                         // Value
};
Expected<ArgSpec> parse_arg_spec(const std::string& text);

// `--out name=FILE.npy`.
struct OutSpec {
  std::string name;
  std::string path;
};
Expected<OutSpec> parse_out_spec(const std::string& text);

// Parses a scalar value of type `t` from text: integers in decimal or 0x hex (range-checked,
// negative allowed for signed types), floats as decimal literals rounded once to t (also
// `inf`, `-inf`, `nan`), bool as true/false/0/1.
Expected<uint64_t> parse_scalar_value(const std::string& text, const dt::DType& t);

// Seeded generator: n codes of dtype t, a pure function of (t, seed, i). Floats: value
// m * 2^e with e uniform in [-3, 2] and m uniform in [-1, 1), rounded once to t, except that
// element i takes an edge value when (hash(seed, i) & 15) == 0: cycling through +0, -0, 1, -1,
// the largest finite, its negative, the smallest normal, the smallest subnormal, and (formats
// that have them) +inf, -inf, NaN. Integers: uniform over the whole range, with edges 0, 1,
// max, min (and -1 if signed) mixed in the same way. bool: 0 or 1.
std::vector<uint64_t> generate(const dt::DType& t, uint64_t seed, int64_t n);

// Builds a launch: every scalar parameter must be given (an error names the missing ones);
// pointer parameters come from specs or are zero-filled as described above. The grid is the
// program's grid evaluated on the scalar arguments, unless `grid` overrides it (1 to 3 extents).
// An error is returned for unknown names, type mismatches, unreadable files and bad grids.
Expected<Launch> make_launch(std::shared_ptr<const LoadedProgram> program, const std::vector<ArgSpec>& specs,
                             const std::optional<std::vector<int64_t>>& grid = std::nullopt);

// Writes pointer argument `name` of `result` to a .npy file (native NumPy types stored natively,
// others as packed bytes with tilevm's header comment).
Expected<bool> write_output(const RunResult& result, const OutSpec& out);
// Reads a .npy file as a buffer of `dtype` (error on a type mismatch).
Expected<Arg> read_arg_file(const std::string& path, const dt::DType& dtype);

// The first element where two buffers of the same dtype and shape differ, compared as bits:
// its logical index and both codes. nullopt when equal. Scalar arguments compare their codes
// (an empty index on a difference).
struct Mismatch {
  std::vector<int64_t> index;
  uint64_t a = 0, b = 0;
};
std::optional<Mismatch> first_difference(const Arg& a, const Arg& b);

// ---- Executors.
class Executor {
 public:
  virtual ~Executor() = default;
  // Runs the launch. Errors are for launches the executor cannot run (no GPU, unsupported
  // instruction, ...); faults of the program are reported as RunResult::trap.
  virtual Expected<RunResult> run(const Launch& launch) = 0;
};

// Makes an executor, or explains why none is available (e.g. no GPU).
using ExecutorFactory = std::function<Expected<std::unique_ptr<Executor>>()>;

// Registers an executor under `name` ("emu", "gpu"). Call it from a static initialiser in a
// file of tools/ (which is linked into the tilevm executable directly; an initialiser inside a
// static library may be dropped by the linker), e.g.
//   static const bool registered = tilevm::exec::register_executor("gpu", make_gpu_executor);
bool register_executor(const std::string& name, ExecutorFactory factory);
// The executor registered as `name`; an error lists the registered names otherwise.
Expected<std::unique_ptr<Executor>> make_executor(const std::string& name);
std::vector<std::string> executor_names();

}  // namespace tilevm::exec
