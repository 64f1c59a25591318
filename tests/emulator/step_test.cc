// The stepping debugger driven by a script: the transcript is compared line for line.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "emulator/debugger.h"
#include "exec/launch.h"

using namespace tilevm;

TEST_CASE("tilevm step transcript: next, print, lanes, breakpoints, shared memory") {
  const std::string path = "tests/traps/race-shared-missing-sync-ok.tile";
  std::ifstream f(std::string(TILEVM_SOURCE_DIR) + "/" + path);
  std::stringstream text;
  text << f.rdbuf();
  auto p = exec::load_program_text(path, text.str());
  REQUIRE(p.ok());
  auto l = exec::make_launch(*p, {});
  REQUIRE(l.ok());
  std::istringstream in(
    "next\n"
    "next\n"
    "print %v\n"
    "print %v@thread 9\n"
    "lanes %v\n"
    "break #4\n"
    "info blocks\n"
    "continue\n"
    "shared 0 8 as f32\n"
    "quit\n");
  std::ostringstream out;
  emu::StepOptions o;
  o.echo = true;
  CHECK(emu::run_debugger(*l, in, out, o) == 0);
  const std::string expected =
    "stopped at block (0,0,0) #0 tests/traps/race-shared-missing-sync-ok.tile:4:8: %s = alloc.shared(dtype=f32, shape=[4, 8])\n"
    "(tilevm) next\n"
    "stopped at block (0,0,0) #1 tests/traps/race-shared-missing-sync-ok.tile:5:8: %v = alloc.register(dtype=f32, shape=[4, 8], layout=spatial(4, 8), init=2.0)\n"
    "(tilevm) next\n"
    "stopped at block (0,0,0) #2 tests/traps/race-shared-missing-sync-ok.tile:6:3: store.shared(%v, %s)\n"
    "(tilevm) print %v\n"
    "%v: f32(4,8) = 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2\n"
    "(tilevm) print %v@thread 9\n"
    "%v@thread 9: [0] (1,1)=2\n"
    "(tilevm) lanes %v\n"
    "spatial(4,8) (thread:slot per element)\n"
    "       0    1    2    3    4    5    6    7\n"
    " 0   0:0  1:0  2:0  3:0  4:0  5:0  6:0  7:0\n"
    " 1   8:0  9:0 10:0 11:0 12:0 13:0 14:0 15:0\n"
    " 2  16:0 17:0 18:0 19:0 20:0 21:0 22:0 23:0\n"
    " 3  24:0 25:0 26:0 27:0 28:0 29:0 30:0 31:0\n"
    "(tilevm) break #4\n"
    "breakpoint at instruction #4\n"
    "(tilevm) info blocks\n"
    "grid [1,1,1]: 1 blocks, run one at a time in order; current block #0 (0,0,0)\n"
    "(tilevm) continue\n"
    "stopped at block (0,0,0) #4 tests/traps/race-shared-missing-sync-ok.tile:8:8: %t = load.shared(%s, layout=column_spatial(4, 8))\n"
    "(tilevm) shared 0 8 as f32\n"
    "shared[0..8) as f32: 2 2\n"
    "(tilevm) quit\n";
  CHECK(out.str() == expected);
}

TEST_CASE("tilevm step --at-trap stops before the trapping instruction") {
  const std::string path = "tests/traps/race-async-read-before-wait.tile";
  std::ifstream f(std::string(TILEVM_SOURCE_DIR) + "/" + path);
  std::stringstream text;
  text << f.rdbuf();
  auto p = exec::load_program_text(path, text.str());
  REQUIRE(p.ok());
  auto l = exec::make_launch(*p, {*exec::parse_arg_spec("a=rand:f32:1:32")});
  REQUIRE(l.ok());
  std::istringstream in("where\ncontinue\n");
  std::ostringstream out;
  emu::StepOptions o;
  o.at_trap = true;
  CHECK(emu::run_debugger(*l, in, out, o) == 3);
  CHECK(out.str().find("stopped at block (0,0,0) #4 " + path + ":9:8: %t = load.shared(%s, layout=spatial(32))") != std::string::npos);
  CHECK(out.str().find("program finished: 1 blocks, trapped") != std::string::npos);
}
