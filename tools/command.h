// The subcommand registry of the `tilevm` executable: each tools/cmd_*.cc registers one command.
#pragma once

#include <string>
#include <vector>

namespace tilevm::tools {

// A subcommand. `run` receives the arguments after the subcommand's name (argv[0] is
// "tilevm <name>") and returns the process exit status.
struct Command {
  std::string name;
  std::string summary;  // one line for `tilevm --help`
  int (*run)(int argc, char** argv);
};

// Registers a command; called from static initialisers in the cmd_*.cc files.
bool register_command(Command command);

// All registered commands, sorted by name.
const std::vector<Command>& commands();

}  // namespace tilevm::tools

// Registers `fn` as the subcommand `name`. Use once per cmd_*.cc file at namespace scope.
#define TILEVM_COMMAND(ident, name, summary, fn) \
  static const bool tilevm_command_registered_##ident = \
      ::tilevm::tools::register_command({name, summary, fn})
