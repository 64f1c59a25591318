// Pictures and the `tilevm layout` command: text grids against hand-written expectations, SVG
// structure, and the command's output and exit status for good and bad layout text.
#include <doctest/doctest.h>

#include "paths.h"
#include "shell.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

#include "layout/atoms.h"
#include "layout/render.h"

using namespace tilevm::layout;

namespace {

struct Run {
  int status;
  std::string out;
};

// Runs `tilevm layout <args>` with stderr folded into stdout.
Run tilevm_layout(const std::string& args) {
  std::string cmd = tilevm::test::binary_dir() + "/tilevm layout " + args + " 2>&1";
  auto r = tilevm::test::shell(cmd);
  return {r.status, r.out};
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("render: the reference's 4x6 grid, exactly") {
  auto l = RegisterLayout::make({4, 6}, {2, 2, 3, 2}, {0, 2}, {3, 1});
  REQUIRE(l.ok());
  CHECK(render_text(register_picture(*l)) ==
        "      0   1   2   3   4   5\n"
        " 0  0:0 0:2 1:0 1:2 2:0 2:2\n"
        " 1  0:1 0:3 1:1 1:3 2:1 2:3\n"
        " 2  3:0 3:2 4:0 4:2 5:0 5:2\n"
        " 3  3:1 3:3 4:1 4:3 5:1 5:3\n");
}

TEST_CASE("render: wide grids continue in column blocks and shared cells show offset:bank") {
  CHECK(render_text(register_picture(spatial({1, 6})), 20) ==
        "      0   1   2   3\n"
        " 0  0:0 1:0 2:0 3:0\n"
        "\n"
        "      4   5\n"
        " 0  4:0 5:0\n");
  // f32 column 0 of a 4x32 row-major tile: offsets 0, 32, 64, 96 all in bank 0.
  auto pic = shared_picture(shared_row_major({4, 32}), 32);
  CHECK(pic.labels[0] == "0:0");
  CHECK(pic.labels[32] == "32:0");
  CHECK(pic.labels[33] == "33:1");
  CHECK(shared_picture(shared_row_major({2, 2}), 0).labels == std::vector<std::string>{"0", "1", "2", "3"});
}

TEST_CASE("render: SVG has one filled cell per element") {
  auto svg = render_svg(register_picture(find_mma_atom("m16n8k16.f16")->a));
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(svg.size() > 7);
  CHECK(svg.substr(svg.size() - 7) == "</svg>\n");
  CHECK(count(svg, "<rect") == 16 * 16 + 1);  // cells and the background
  CHECK(count(svg, ">0:0<") == 1);
  CHECK(count(svg, "hsl(") == 256);
}

TEST_CASE("cli: bad layout text gets error, the text, a caret, and status 1") {
  auto r = tilevm_layout("show 'spatial(8,0)'");
  CHECK(r.status == 1);
  CHECK(r.out == "error: extents must be between 1 and 2^30, got 0\n  spatial(8,0)\n            ^\n");
  r = tilevm_layout("show 'local(2,1).spatail(8,4)'");
  CHECK(r.status == 1);
  CHECK(r.out.find("unknown register layout constructor 'spatail'\n  local(2,1).spatail(8,4)\n             ^~~~~~~\n") !=
        std::string::npos);
  r = tilevm_layout("show 'row_major(4,4).swizzle(2,0,1)'");
  CHECK(r.status == 1);
  CHECK(r.out.find("^~~~") != std::string::npos);
  CHECK(tilevm_layout("show").status == 2);
  CHECK(tilevm_layout("show 'spatial(2)' --bits 0").status == 2);
  CHECK(tilevm_layout("show --atom mma.m16n8k99.f16.a").status == 1);
  r = tilevm_layout("show 'spatial(32768,32768)'");
  CHECK(r.status == 1);
  CHECK(r.out.find("draws at most") != std::string::npos);
}

TEST_CASE("cli: every atom draws, and the SVG lands in the file") {
  std::string svg = tilevm::test::binary_dir() + "/layout_cli_test.svg";
  for (const auto& name : atom_layout_names()) {
    auto r = tilevm_layout("show --atom " + name + " --svg " + svg);
    INFO(name, "\n", r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find("thread:slot") != std::string::npos);
    std::ifstream in(svg);
    std::stringstream ss;
    ss << in.rdbuf();
    CHECK(ss.str().rfind("<svg", 0) == 0);
  }
  std::remove(svg.c_str());
  auto r = tilevm_layout("show 'row_major(8,64)' --bits 16 --access 'spatial(8,4).local(1,16)' --vec 8");
  CHECK(r.status == 0);
  CHECK(r.out.find("16 wavefronts for 8 phases, 8 conflict(s)") != std::string::npos);
  r = tilevm_layout("show 'row_major(8,64).swizzle(3,3,3)' --dtype f16 --access 'spatial(8,4).local(1,16)' --vec 8");
  CHECK(r.status == 0);
  CHECK(r.out.find("8 wavefronts for 8 phases, 0 conflict(s)") != std::string::npos);
}

TEST_CASE("cli: the quantised matmul's layouts draw") {
  // tilus.md appendix A: the a16wx block-level operands (64x64x32, 4 warps), the packed weight
  // layout, the scale layout and the default register layout, in their printed chain forms.
  const char* texts[] = {
      "spatial(2,1).replicated(2).local(2,1).column_local(2,4).spatial(8,4).local(1,2)",
      "replicated(2).spatial(1,2).local(2,1).column_local(2,4).column_spatial(4,8).local(2,1)",
      "spatial(2,2).local(2,1).column_local(2,4).spatial(8,4).local(1,2)",
      "replicated(2).spatial(1,2,32).local(2,2,4)",
      "replicated(2).spatial(1,2).local(1,4).spatial(1,8).replicated(4)",
      "local(4,1).spatial(16,8).local(1,8)",
      "register(shape=[2,4,128], modes=[2,2,2,32,4], spatial=[-2,1,3], local=[0,2,4])",
  };
  for (const char* t : texts) {
    auto r = tilevm_layout(std::string("show '") + t + "' --width 100");
    INFO(t, "\n", r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find("thread:slot") != std::string::npos);
  }
}
