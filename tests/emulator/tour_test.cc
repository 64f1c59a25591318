// `tilevm tour` ends with a run of examples/vector_add.tile: the built command is run from a
// directory other than the repository (the example is compiled in) and its output checked.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "paths.h"
#include "shell.h"

namespace {

// Runs `tilevm tour` in /tmp; returns stdout and stderr together and the exit status.
std::string run_tour(int* status) {
  auto r = tilevm::test::shell("cd /tmp && '" + tilevm::test::binary_dir() + "/tilevm' tour 2>&1");
  *status = r.status;
  return r.out;
}

bool has(const std::string& out, const std::string& part) { return out.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("tour: runs examples/vector_add.tile on the emulator and reports the GPU part") {
  int status = -1;
  std::string out = run_tour(&status);
  INFO(out);
  CHECK(status == 0);
  CHECK(has(out, "Running examples/vector_add.tile"));
  CHECK(has(out, "tilevm run examples/vector_add.tile --backend both --arg n=3000"));
  CHECK(has(out, "  emu: 3 blocks of 128 threads in "));
  CHECK(has(out, "    c[2999] = "));
  CHECK(has(out, "all 3000 elements equal the host's f32 a[i] + b[i]: yes"));
  // Either the GPU ran and agreed bit for bit, or there is none and the tour says so.
  CHECK((has(out, "gpu: no CUDA device: skipped (") || has(out, ", identical to the emulator bit for bit")));
}
