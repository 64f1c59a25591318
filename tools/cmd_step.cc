// `tilevm step PROGRAM.tile [--arg ...] [--grid ...] [--check-init] [--at-trap]`: the stepping
// debugger, reading commands from standard input (docs/emulator.md, "tilevm step").
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <unistd.h>

#include "command.h"
#include "options.h"
#include "emulator/debugger.h"
#include "exec/launch.h"

namespace po = boost::program_options;
using namespace tilevm;

namespace {

int fail_with(const std::string& message, int status) {
  std::fprintf(stderr, "tilevm step: error: %s\n", message.c_str());
  return status;
}

int run_step(int argc, char** argv) {
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")("grid", po::value<std::string>(), "override the grid: X[,Y[,Z]]")(
      "arg", po::value<std::vector<std::string>>()->composing(), "name=FILE.npy | name=rand:DTYPE:SEED[:SHAPE] | name=VALUE")(
      "check-init", "trap reads of uninitialised register and shared data")(
      "at-trap", "run the program first and stop at the instruction that traps")(
      "file", po::value<std::string>(), "the program");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  tilevm::tools::OptionSpec spec;
  spec.command = "step";
  spec.options = &opts;
  spec.positional = &pos;
  spec.usage =
      "usage: tilevm step PROGRAM.tile [--arg ...] [--at-trap]\n\n"
      "Runs the program on the emulator one block at a time and stops before the first\n"
      "instruction (or, with --at-trap, before the instruction that traps). Commands:\n"
      "  break LINE | break #N    stop at a source line or the N-th instruction\n"
      "  next, continue           run one instruction / until a breakpoint\n"
      "  print %T | print %T@thread N | print NAME   a tensor by logical index, one\n"
      "                           thread's slots, or a scalar\n"
      "  lanes %T                 which thread and slot hold each element\n"
      "  shared ADDR LEN [as DTYPE]   the block's shared memory\n"
      "  where, info blocks, block N, quit\n\n";
  if (auto status = tilevm::tools::parse_options(spec, argc, argv, vm)) return *status;
  if (!vm.count("file")) return fail_with("no program (usage: tilevm step PROGRAM.tile ...)", 2);
  auto program = exec::load_program_file(vm["file"].as<std::string>());
  if (!program) return std::fputs(program.error().message.c_str(), stderr), 1;
  std::vector<exec::ArgSpec> specs;
  if (vm.count("arg"))
    for (const std::string& a : vm["arg"].as<std::vector<std::string>>()) {
      auto s = exec::parse_arg_spec(a);
      if (!s) return fail_with(s.error().message, 2);
      specs.push_back(*s);
    }
  std::optional<std::vector<int64_t>> grid;
  if (vm.count("grid")) {
    std::vector<int64_t> g;
    for (size_t p = 0, c; p <= vm["grid"].as<std::string>().size(); p = c + 1) {
      const std::string& t = vm["grid"].as<std::string>();
      c = t.find(',', p);
      if (c == std::string::npos) c = t.size();
      g.push_back(std::atoll(t.substr(p, c - p).c_str()));
    }
    grid = g;
  }
  auto launch = exec::make_launch(*program, specs, grid);
  if (!launch) return fail_with(launch.error().message, 1);
  launch->check_init = vm.count("check-init") > 0;
  emu::StepOptions options;
  options.at_trap = vm.count("at-trap") > 0;
  options.echo = !isatty(0);
  return emu::run_debugger(*launch, std::cin, std::cout, options);
}

}  // namespace

TILEVM_COMMAND(step, "step", "step through a program on the emulator (break, next, print, lanes, shared, ...)", run_step);
