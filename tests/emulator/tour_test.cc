// `tilevm tour` ends with a run of examples/vector_add.tile: the built command is run from a
// directory other than the repository (the example is compiled in) and its output checked.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "paths.h"

namespace {

// Runs `tilevm tour` in /tmp; returns stdout and stderr together and the exit status.
std::string run_tour(int* status) {
  std::string cmd = "cd /tmp && '" + tilevm::test::binary_dir() + "/tilevm' tour 2>&1; echo \"<$?>\"";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  size_t open = out.rfind('<');
  REQUIRE(open != std::string::npos);
  *status = std::stoi(out.substr(open + 1));
  return out.erase(open);
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
