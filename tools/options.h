// Command-line parsing shared by the tilevm subcommands (Boost.Program_options): one place for
// the "tilevm CMD: error: ..." message and exit status 2 of a bad command line, and for --help.
#pragma once

#include <boost/program_options.hpp>

#include <optional>
#include <string>

namespace tilevm::tools {

namespace po = boost::program_options;

// How one subcommand reads its arguments.
struct OptionSpec {
  std::string command;                                        // "run", "dtype table"
  const po::options_description* options = nullptr;           // every option, hidden ones included
  const po::options_description* shown = nullptr;             // the table --help prints (null: options)
  const po::positional_options_description* positional = nullptr;
  std::string usage;         // printed by --help, before the option table
  bool help_table = true;    // --help prints the option table after the usage
  std::string error_suffix;  // printed on stderr after the error line of a malformed command line
  bool notify = false;       // call po::notify (fills variables bound to options)
};

// Parses argv (argv[0] names the command) into vm. Returns nullopt when the command should go
// on; otherwise the exit status, after printing:
// - a malformed command line (unknown option, missing or bad value): "tilevm CMD: error: WHAT"
//   and error_suffix on stderr, status 2;
// - --help or -h: the usage and (help_table) the option table on stdout, status 0.
std::optional<int> parse_options(const OptionSpec& spec, int argc, char** argv, po::variables_map& vm);

// Prints "tilevm COMMAND: error: MESSAGE" on stderr and returns `status` (2: bad usage).
int usage_error(const std::string& command, const std::string& message, int status = 2);

}  // namespace tilevm::tools
