// Conformance cases: a `.tile` program whose `//!` comment lines script its launches and the
// results they must give (docs/conformance.md has the grammar). Parsing only; running is in
// conformance/runner.h.
//
//   //! requires FEATURE                 skip with a reason while FEATURE is listed as missing
//   //! run NAME=ARG ... [grid=X,Y,Z]    a launch (every later expect belongs to it)
//   //! expect NAME[LO:HI] [ulp=N] = RHS output NAME (flattened, elements LO..HI-1) must equal RHS
//   //! expect_trap KIND [LINE:COL]      the launch must trap with this kind (at this place)
//   //! expect_error LINE:COL: error: MSG   the program must be rejected with this first diagnostic
//
// RHS is a list `[v, v, ...]` (`v*N` repeats), `golden` (recorded hardware output in
// conformance/golden/), or an oracle expression over the launch's inputs (conformance/expr.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/expected.h"

namespace tilevm::conf {

// One `expect` line.
struct Expect {
  std::string param;
  int64_t lo = 0, hi = -1;  // hi = -1: to the end of the buffer
  int ulp = 0;              // allowed distance in ulp (approximate instructions)
  enum class Kind { List, Golden, Oracle } kind = Kind::List;
  std::vector<std::string> values;  // List: the value tokens (repeats expanded)
  std::string expr;                 // Oracle: the expression text
  int line = 0;                     // line in the case file
};

struct ExpectTrap {
  std::string kind;  // trap_kind_name spelling: out-of-bounds, race, ...
  int line = 0, col = 0;  // 0: any place
};

// One `run` line and its expectations.
struct RunSpec {
  std::vector<std::pair<std::string, std::string>> args;  // name -> argument text
  std::optional<std::vector<int64_t>> grid;
  std::vector<Expect> expects;
  std::optional<ExpectTrap> trap;
  int line = 0;
};

struct Case {
  std::string name;  // path relative to the suite root, without `.tile`
  std::string path;  // the file
  std::string text;  // the whole file
  std::vector<std::string> requires_;
  std::optional<std::string> expect_error;  // "LINE:COL: error: message"
  std::vector<RunSpec> runs;
};

// Parses the directives of a case file. Errors name the file and line.
Expected<Case> parse_case(std::string name, std::string path, std::string text);

// Every `*.tile` under `root` (recursively, skipping `golden/`), sorted by name.
std::vector<std::string> find_case_files(const std::string& root);

}  // namespace tilevm::conf
