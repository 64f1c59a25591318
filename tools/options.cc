// Command-line parsing shared by the tilevm subcommands.
#include "options.h"

#include <cstdio>
#include <iostream>

namespace tilevm::tools {

std::optional<int> parse_options(const OptionSpec& spec, int argc, char** argv, po::variables_map& vm) {
  try {
    po::command_line_parser parser(argc, argv);
    parser.options(*spec.options);
    if (spec.positional) parser.positional(*spec.positional);
    po::store(parser.run(), vm);
    if (spec.notify) po::notify(vm);
  } catch (const po::error& e) {
    usage_error(spec.command, e.what());
    std::fputs(spec.error_suffix.c_str(), stderr);
    return 2;
  }
  if (!vm.count("help")) return std::nullopt;
  std::cout << spec.usage;
  if (spec.help_table) std::cout << *(spec.shown ? spec.shown : spec.options);
  std::cout.flush();
  return 0;
}

int usage_error(const std::string& command, const std::string& message, int status) {
  std::fprintf(stderr, "tilevm %s: error: %s\n", command.c_str(), message.c_str());
  return status;
}

}  // namespace tilevm::tools
