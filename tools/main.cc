// The `tilevm` command: dispatches to the subcommand named by the first argument.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "command.h"

namespace tilevm::tools {
namespace {
std::vector<Command>& registry() {
  static std::vector<Command> all;
  return all;
}

void print_usage(std::FILE* out) {
  std::fprintf(out,
               "tilevm %s: a tile-level virtual machine for low-precision GPU computation\n\n"
               "usage: tilevm <command> [options]     (tilevm <command> --help for details)\n\n"
               "commands:\n",
               TILEVM_VERSION);
  for (const Command& c : commands()) std::fprintf(out, "  %-14s %s\n", c.name.c_str(), c.summary.c_str());
}
}  // namespace

bool register_command(Command command) {
  registry().push_back(std::move(command));
  return true;
}

const std::vector<Command>& commands() {
  auto& all = registry();
  std::sort(all.begin(), all.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
  return all;
}

}  // namespace tilevm::tools

int main(int argc, char** argv) {
  using namespace tilevm::tools;
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
    print_usage(stdout);
    return argc < 2 ? 2 : 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::printf("tilevm %s\n", TILEVM_VERSION);
    return 0;
  }
  for (const Command& c : commands()) {
    if (c.name == argv[1]) {
      std::string prog = std::string("tilevm ") + argv[1];
      std::vector<char*> args(argv + 1, argv + argc);
      args[0] = prog.data();
      return c.run(static_cast<int>(args.size()), args.data());
    }
  }
  std::fprintf(stderr, "tilevm: error: unknown command '%s'\n\n", argv[1]);
  print_usage(stderr);
  return 2;
}
