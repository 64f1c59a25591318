// The `tilevm check` and `tilevm fmt` commands: exit status, silence on success, diagnostics on
// stderr, canonical output.
#include <doctest/doctest.h>

#include "paths.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

struct Run {
  int status = -1;
  std::string out, err;
};


// Runs `tilevm ARGS` from the source directory, capturing stdout and stderr.
Run run_cli(const std::string& args) {
  fs::path tmp = fs::temp_directory_path() / ("tilevm_cli_test_" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  std::string cmd = "cd '" + tilevm::test::source_dir() + "' && '" + tilevm::test::binary_dir() + "/tilevm' " +
                    args + " >'" + (tmp / "out").string() + "' 2>'" + (tmp / "err").string() + "'";
  int rc = std::system(cmd.c_str());
  Run r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = tilevm::test::read_text(tmp / "out");
  r.err = tilevm::test::read_text(tmp / "err");
  fs::remove_all(tmp);
  return r;
}

}  // namespace

TEST_CASE("cli: check is silent and exits 0 on valid files") {
  Run r = run_cli("check examples/vector_add.tile examples/softmax.tile");
  CHECK(r.status == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
}

TEST_CASE("cli: check prints diagnostics and exits 1 on invalid files") {
  Run r = run_cli("check tests/diagnostics/cases/name_redefinition_tensor.tile examples/vector_add.tile");
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  // The command names the file by the path it was given.
  CHECK(r.err.find("tests/diagnostics/cases/name_redefinition_tensor.tile:4:3: error: redefinition of '%ga'") == 0);
  Run missing = run_cli("check no/such/file.tile");
  CHECK(missing.status == 1);
  CHECK(missing.err.find("no/such/file.tile: error: cannot read the file") == 0);
  CHECK(run_cli("check").status == 2);
}

TEST_CASE("cli: fmt prints the canonical form") {
  Run r = run_cli("fmt examples/matmul_mma.tile");
  CHECK(r.status == 0);
  CHECK(r.out == tilevm::test::read_text(fs::path(tilevm::test::source_dir()) / "examples/matmul_mma.tile"));
  Run bad = run_cli("fmt tests/diagnostics/cases/syntax_missing_brace.tile");
  CHECK(bad.status == 1);
  CHECK(bad.out.empty());
  CHECK(bad.err.find("error: expected '}' before end of file") != std::string::npos);
}
