// `tilevm emit-cuda FILE [--arch sm_XX] [--compile]`: prints the CUDA C++ generated for a program
// (and optionally compiles it with NVRTC, reporting errors against the .tile lines).
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>

#include "backend/cuda/emit.h"
#include "command.h"
#include "options.h"
#include "text/parser.h"
#include "text/source_io.h"
#include "verify/verify.h"

namespace po = boost::program_options;

namespace {

// "sm_90" or "90" to 90; 0 on error.
int parse_arch(const std::string& s) {
  std::string d = s.rfind("sm_", 0) == 0 ? s.substr(3) : s;
  if (d.empty() || d.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoi(d);
}

int run_emit_cuda(int argc, char** argv) {
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")("arch", po::value<std::string>(),
                                                  "target architecture: sm_80, sm_89 or sm_90 (default: the present GPU, else sm_90)")(
      "compile", "also compile the kernel with NVRTC and report its errors and warnings")(
      "file", po::value<std::string>(), "input .tile file");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  tilevm::tools::OptionSpec spec;
  spec.command = "emit-cuda";
  spec.options = &opts;
  spec.positional = &pos;
  spec.usage =
      "usage: tilevm emit-cuda FILE [--arch sm_XX] [--compile]\n\n"
      "Prints the CUDA C++ kernel generated for the program in FILE.\n\n";
  if (auto status = tilevm::tools::parse_options(spec, argc, argv, vm)) return *status;
  if (!vm.count("file")) {
    return tilevm::tools::usage_error("emit-cuda", "no input file (usage: tilevm emit-cuda FILE [--arch sm_XX])");
  }
  tilevm::cuda::EmitOptions eo;
  eo.arch = vm.count("arch") ? parse_arch(vm["arch"].as<std::string>()) : tilevm::cuda::default_arch();
  if (!tilevm::cuda::supported_arch(eo.arch)) {
    std::fprintf(stderr, "tilevm emit-cuda: error: unsupported architecture '%s' (supported: sm_80, sm_89, sm_90)\n",
                 vm["arch"].as<std::string>().c_str());
    return 2;
  }
  std::string path = vm["file"].as<std::string>(), why;
  auto content = tilevm::text::read_file(path, &why);
  if (!content) {
    std::fprintf(stderr, "%s: error: cannot read the file: %s\n", path.c_str(), why.c_str());
    return 1;
  }
  tilevm::text::SourceFile file(path, std::move(*content));
  tilevm::text::Diagnostics diags(file);
  auto program = tilevm::text::parse_program(diags);
  std::optional<tilevm::verify::Facts> facts;
  if (program) facts = tilevm::verify::verify_program(*program, diags);
  if (diags.has_errors() || !facts) {
    std::fputs(diags.render().c_str(), stderr);
    return 1;
  }
  auto k = tilevm::cuda::emit_kernel(*program, *facts, &file, eo);
  if (!k) {
    const tilevm::Error& e = k.error();
    if (e.has_location()) {
      tilevm::text::Diagnostics d(file);
      d.error(tilevm::ir::SrcRange::at(e.offset, e.offset + e.length), e.message);
      std::fputs(d.render().c_str(), stderr);
    } else {
      std::fprintf(stderr, "%s: error: %s\n", path.c_str(), e.message.c_str());
    }
    return 1;
  }
  std::fputs(k->source.c_str(), stdout);
  if (vm.count("compile")) {
    auto c = tilevm::cuda::compile_program(*program, *facts, &file, eo, false);
    if (!c) {
      std::fprintf(stderr, "%s\n", c.error().message.c_str());
      return 1;
    }
    if (!c->compiled.log.empty()) std::fprintf(stderr, "%s", c->compiled.log.c_str());
    std::fprintf(stderr, "compiled for sm_%d: %zu bytes of cubin\n", eo.arch, c->compiled.cubin.size());
  }
  return 0;
}

}  // namespace

TILEVM_COMMAND(emit_cuda, "emit-cuda", "print the CUDA C++ generated for a program", run_emit_cuda);
