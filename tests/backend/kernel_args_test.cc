// Workspace sizes of a launch (backend/cuda/kernel_args.h): each alloc.global's shape evaluated on
// the launch's scalar arguments, and clear errors for extents that cannot be evaluated.
#include <doctest/doctest.h>

#include "backend/cuda/emit.h"
#include "backend/cuda/kernel_args.h"
#include "exec/launch.h"

using namespace tilevm;

namespace {

const char* kProgram = R"(program ws(n: i32, k: i32, x: f32*) grid [1] warps 1 {
  %gx = view.global(x, shape=[4])
  %a = alloc.global(dtype=f32, shape=[n, 4])
  %b = alloc.global(dtype=u4, shape=[n / k], clean=true)
  %t = load.global(%gx, offset=[0], shape=[4])
  store.global(%t, %a, offset=[0, 0])
}
)";

struct Built {
  exec::Launch launch;
  cuda::EmittedKernel kernel;
};

Built build(const std::string& n, const std::string& k) {
  auto program = exec::load_program_text("ws.tile", kProgram);
  REQUIRE_MESSAGE(program.ok(), (program.ok() ? "" : program.error().message));
  std::vector<exec::ArgSpec> specs;
  for (const std::string& text : {"n=" + n, "k=" + k}) specs.push_back(*exec::parse_arg_spec(text));
  auto launch = exec::make_launch(*program, specs);
  REQUIRE_MESSAGE(launch.ok(), (launch.ok() ? "" : launch.error().message));
  cuda::EmitOptions options;
  auto kernel = cuda::emit_kernel((*program)->program, (*program)->facts, (*program)->source.get(), options);
  REQUIRE_MESSAGE(kernel.ok(), (kernel.ok() ? "" : kernel.error().message));
  return {std::move(*launch), std::move(*kernel)};
}

}  // namespace

TEST_CASE("kernel args: workspace element counts come from the scalar arguments") {
  Built b = build("10", "3");
  REQUIRE(b.kernel.workspaces.size() == 2);
  auto n = cuda::workspace_elements(b.launch, b.kernel);
  REQUIRE(n.ok());
  CHECK(*n == std::vector<int64_t>{40, 3});  // 10 * 4, and 10 / 3 rounded toward zero
}

TEST_CASE("kernel args: a workspace extent that divides by zero names the workspace") {
  Built b = build("10", "0");
  auto n = cuda::workspace_elements(b.launch, b.kernel);
  REQUIRE_FALSE(n.ok());
  CHECK(n.error().message.find("workspace %b") != std::string::npos);
}

TEST_CASE("kernel args: a negative workspace extent is an error") {
  Built b = build("-5", "1");
  auto n = cuda::workspace_elements(b.launch, b.kernel);
  REQUIRE_FALSE(n.ok());
  CHECK(n.error().message.find("workspace %a: negative extent -5") != std::string::npos);
}
