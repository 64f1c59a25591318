// `tilevm check FILE...`: parse, infer layouts and verify; silent on success.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>

#include "command.h"
#include "options.h"
#include "text/parser.h"
#include "text/printer.h"
#include "text/source_io.h"
#include "verify/verify.h"

namespace po = boost::program_options;

namespace {

// Checks one file; prints its diagnostics to stderr. Returns whether it is valid.
bool check_file(const std::string& path, bool print_inferred) {
  std::string why;
  auto content = tilevm::text::read_file(path, &why);
  if (!content) {
    std::fprintf(stderr, "%s: error: cannot read the file: %s\n", path.c_str(), why.c_str());
    return false;
  }
  tilevm::text::SourceFile file(path, std::move(*content));
  tilevm::text::Diagnostics diags(file);
  auto program = tilevm::text::parse_program(diags);
  if (program) tilevm::verify::verify_program(*program, diags, print_inferred);
  std::fputs(diags.render().c_str(), stderr);
  if (!diags.has_errors() && print_inferred) std::fputs(tilevm::text::print_program(*program).c_str(), stdout);
  return !diags.has_errors();
}

int run_check(int argc, char** argv) {
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")(
      "print-inferred", "print each valid program with every inferred layout written out")(
      "file", po::value<std::vector<std::string>>(), "input .tile files");
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  tilevm::tools::OptionSpec spec;
  spec.command = "check";
  spec.options = &opts;
  spec.positional = &pos;
  spec.usage =
      "usage: tilevm check FILE... [--print-inferred]\n\n"
      "Parses each file, infers the layouts it leaves out and verifies it. Prints nothing\n"
      "and exits 0 when every file is valid; otherwise prints the diagnostics and exits 1.\n\n";
  if (auto status = tilevm::tools::parse_options(spec, argc, argv, vm)) return *status;
  if (!vm.count("file")) {
    std::fprintf(stderr, "tilevm check: error: no input files (usage: tilevm check FILE...)\n");
    return 2;
  }
  bool ok = true;
  for (const std::string& f : vm["file"].as<std::vector<std::string>>()) ok &= check_file(f, vm.count("print-inferred") > 0);
  return ok ? 0 : 1;
}

}  // namespace

TILEVM_COMMAND(check, "check", "parse and verify .tile programs (silent when valid)", run_check);
