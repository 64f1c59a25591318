// `tilevm fmt FILE [--in-place]`: print a program in the canonical text form.
#include <boost/program_options.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "command.h"
#include "options.h"
#include "text/parser.h"
#include "text/printer.h"
#include "text/source_io.h"

namespace po = boost::program_options;

namespace {

int run_fmt(int argc, char** argv) {
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")("in-place,i", "rewrite the file instead of printing")(
      "file", po::value<std::vector<std::string>>(), "the .tile file");
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  tilevm::tools::OptionSpec spec;
  spec.command = "fmt";
  spec.options = &opts;
  spec.positional = &pos;
  spec.usage =
      "usage: tilevm fmt FILE [--in-place]\n\n"
      "Prints the program in FILE in the canonical form (docs/text-format.md), or rewrites\n"
      "FILE with it. Only the syntax is checked; see `tilevm check`.\n\n";
  if (auto status = tilevm::tools::parse_options(spec, argc, argv, vm)) return *status;
  if (!vm.count("file") || vm["file"].as<std::vector<std::string>>().size() != 1) {
    std::fprintf(stderr, "tilevm fmt: error: give exactly one file (usage: tilevm fmt FILE [--in-place])\n");
    return 2;
  }
  std::string path = vm["file"].as<std::vector<std::string>>()[0];
  std::string why;
  auto content = tilevm::text::read_file(path, &why);
  if (!content) {
    std::fprintf(stderr, "%s: error: cannot read the file: %s\n", path.c_str(), why.c_str());
    return 1;
  }
  tilevm::text::SourceFile file(path, std::move(*content));
  tilevm::text::Diagnostics diags(file);
  auto program = tilevm::text::parse_program(diags);
  if (!program) {
    std::fputs(diags.render().c_str(), stderr);
    return 1;
  }
  std::string out = tilevm::text::print_program(*program);
  if (!vm.count("in-place")) {
    std::fputs(out.c_str(), stdout);
    return 0;
  }
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << out;
  f.close();
  if (!f) {
    std::fprintf(stderr, "%s: error: cannot write the file\n", path.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

TILEVM_COMMAND(fmt, "fmt", "print a .tile program in canonical form (--in-place to rewrite it)", run_fmt);
