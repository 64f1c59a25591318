// Running conformance cases on the registered executors (`emu`, `gpu`) and judging the results
// against the cases' expectations: bit for bit (or within `ulp=N`), traps by kind and place,
// rejected programs by their first diagnostic. With both backends, every pointer argument of
// the two runs must also agree bit for bit.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "conformance/case.h"
#include "exec/launch.h"

namespace tilevm::conf {

// Features a case may `requires` while they are documented as not yet implemented
// (docs/conformance.md, "Not covered"); a case naming one is skipped with the reason. A case
// requiring a feature not in this list runs normally.
const std::vector<std::pair<std::string, std::string>>& missing_features();

// GPU runs are serialised process-wide (one launch at a time). A tool may install a `prepare`
// step (e.g. compiling the kernel into the on-disk cache) that runs before the lock is taken, so
// that compilation proceeds in parallel while launches stay serial.
std::mutex& gpu_mutex();
void set_gpu_prepare(std::function<void(const exec::Launch&)> prepare);
// Runs `backend` on l: the prepare step and the lock for "gpu", nothing for "emu".
Expected<exec::RunResult> run_backend(exec::Executor& ex, const std::string& backend, const exec::Launch& l);

struct Options {
  std::string root = "conformance";   // the suite's folder (golden/ lies inside)
  std::vector<std::string> backends;  // "emu", "gpu" (both: both, compared)
  int emu_workers = 0;                // emulator worker threads per launch (0: all cores)
  bool record_golden = false;         // gpu: write golden files for `= golden` expectations
};

struct CaseResult {
  enum class Status { Pass, Fail, Skip } status = Status::Pass;
  std::string message;  // Fail: the first difference; Skip: the reason
};

// Runs one parsed case.
CaseResult run_case(const Case& c, const Options& opt);

// Loads and runs the case file `path` (named by its path relative to opt.root).
CaseResult run_case_file(const std::string& path, const Options& opt);

struct Summary {
  int passed = 0, failed = 0, skipped = 0;
};

// Runs every case under opt.root whose name matches `filter` (a glob; empty: all) on `jobs`
// threads. `report` is called (serialised) after each case with its name and result.
Summary run_suite(const Options& opt, const std::string& filter, int jobs,
                  const std::function<void(const std::string&, const CaseResult&, int done, int total)>& report);

// The case name of a file: its path relative to root, without `.tile`.
std::string case_name(const std::string& root, const std::string& path);

}  // namespace tilevm::conf
