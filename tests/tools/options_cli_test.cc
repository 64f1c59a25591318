// The subcommands' shared command-line handling (tools/options.h), through the built tilevm: a
// malformed command line prints "tilevm CMD: error: ..." and exits 2; --help prints the usage
// and exits 0.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <unistd.h>

#include "paths.h"
#include "shell.h"

namespace {

struct Run {
  std::string out, err;
  int status = -1;
};

// Runs `tilevm ARGS` in the source tree with stdin empty; stdout and stderr kept apart.
Run run_cli(const std::string& args) {
  // One file per process: CTest runs the cases of this file in parallel.
  const std::string err_file = tilevm::test::binary_dir() + "/options_cli_test." + std::to_string(getpid()) + ".err";
  std::string cmd = "cd '" + tilevm::test::source_dir() + "' && '" + tilevm::test::binary_dir() + "/tilevm' " + args +
                    " </dev/null 2>'" + err_file + "'";
  auto s = tilevm::test::shell(cmd);
  Run r{s.out, "", s.status};
  char buf[4096];
  size_t n;
  if (FILE* f = std::fopen(err_file.c_str(), "r")) {
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) r.err.append(buf, n);
    std::fclose(f);
  }
  std::remove(err_file.c_str());
  return r;
}

bool starts_with(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

const char* const kCommands[] = {"check", "fmt", "run", "step", "layout", "conformance", "dtype table", "dtype convert",
                                 "dtype verify"};

}  // namespace

TEST_CASE("options: an unknown option is exit status 2 with one error line naming the command") {
  for (const char* c : kCommands) {
    INFO(c);
    Run r = run_cli(std::string(c) + " --no-such-option");
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(starts_with(r.err, "tilevm " + std::string(c) + ": error: unrecognised option '--no-such-option'\n"));
  }
  // layout follows its error with the usage.
  CHECK(run_cli("layout --no-such-option").err.find("\nusage: tilevm layout show") != std::string::npos);
}

TEST_CASE("options: a missing or malformed option value is exit status 2") {
  Run r = run_cli("run --threads");
  CHECK(r.status == 2);
  CHECK(starts_with(r.err, "tilevm run: error: the required argument for option '--threads' is missing"));
  r = run_cli("conformance -j many");
  CHECK(r.status == 2);
  CHECK(starts_with(r.err, "tilevm conformance: error: the argument ('many') for option '--jobs' is invalid"));
}

TEST_CASE("options: --help prints the usage and the option table, exit status 0") {
  for (const char* c : kCommands) {
    INFO(c);
    Run r = run_cli(std::string(c) + " --help");
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(starts_with(r.out, "usage: tilevm " + std::string(c)));
    // Every command but `dtype table` (whose usage says it all) lists its options.
    CHECK((std::string(c) == "dtype table") == (r.out.find("--help") == std::string::npos));
  }
  CHECK(run_cli("run -h").out == run_cli("run --help").out);
}
