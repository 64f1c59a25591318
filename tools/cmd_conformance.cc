// `tilevm conformance [--backend emu|gpu|both] [--filter GLOB] [-j N] [--root DIR]
// [--record-golden]`: runs the conformance suite (docs/conformance.md).
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <set>
#include <thread>
#include <unistd.h>

#include "command.h"
#include "options.h"
#include "conformance/runner.h"

namespace po = boost::program_options;
using namespace tilevm;

namespace {

int run_conformance(int argc, char** argv) {
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")("backend", po::value<std::string>()->default_value("emu"), "emu, gpu or both")(
      "filter", po::value<std::string>()->default_value(""), "run only cases whose name matches this glob (e.g. 'dtype/*')")(
      "jobs,j", po::value<int>()->default_value(0), "cases run in parallel (0: one per core)")(
      "root", po::value<std::string>()->default_value("conformance"), "the suite's folder")(
      "record-golden", "with --backend gpu: write conformance/golden/ files for '= golden' expectations")(
      "verbose,v", "print a line for every case, skipped ones with their reason");
  po::variables_map vm;
  tilevm::tools::OptionSpec spec;
  spec.command = "conformance";
  spec.options = &opts;
  spec.usage =
      "usage: tilevm conformance [--backend emu|gpu|both] [--filter GLOB] [-j N]\n\n"
      "Runs every case of the conformance suite and compares the results bit for bit with\n"
      "their expected values. Prints one line per failing case and ends with\n"
      "'N passed, N failed, N skipped'. Exits 0 when nothing failed, 1 otherwise.\n\n";
  if (auto status = tilevm::tools::parse_options(spec, argc, argv, vm)) return *status;
  conf::Options opt;
  opt.root = vm["root"].as<std::string>();
  std::string backend = vm["backend"].as<std::string>();
  if (backend == "both") opt.backends = {"emu", "gpu"};
  else if (backend == "emu" || backend == "gpu") opt.backends = {backend};
  else return tilevm::tools::usage_error("conformance", "--backend must be emu, gpu or both");
  opt.record_golden = vm.count("record-golden") > 0;
  if (opt.record_golden && backend != "gpu")
    return tilevm::tools::usage_error("conformance", "golden outputs are recorded from hardware only (--backend gpu)");
  if (conf::find_case_files(opt.root).empty())
    return std::fprintf(stderr, "tilevm conformance: error: no cases under '%s' (run from the repository root or pass --root)\n",
                        opt.root.c_str()),
           2;
  int jobs = vm["jobs"].as<int>();
  if (jobs <= 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  opt.emu_workers = jobs > 1 ? 1 : 0;
  const bool tty = isatty(2), verbose = vm.count("verbose") > 0;
  std::set<std::string> skip_reasons;  // each printed once unless --verbose
  auto report = [&](const std::string& name, const conf::CaseResult& r, int done, int total) {
    if (tty) std::fprintf(stderr, "\r\033[K");
    if (r.status == conf::CaseResult::Status::Fail) std::fprintf(stdout, "FAIL %s: %s\n", name.c_str(), r.message.c_str());
    else if (verbose) std::fprintf(stdout, "%s %s%s%s\n", r.status == conf::CaseResult::Status::Pass ? "ok  " : "skip", name.c_str(),
                                   r.message.empty() ? "" : ": ", r.message.c_str());
    else if (r.status == conf::CaseResult::Status::Skip && skip_reasons.insert(r.message).second)
      std::fprintf(stdout, "skip (%s and others like it): %s\n", name.c_str(), r.message.c_str());
    std::fflush(stdout);
    if (tty) std::fprintf(stderr, "[%d/%d] %s", done, total, name.c_str());
  };
  conf::Summary s = conf::run_suite(opt, vm["filter"].as<std::string>(), jobs, report);
  if (tty) std::fprintf(stderr, "\r\033[K");
  std::printf("%d passed, %d failed, %d skipped\n", s.passed, s.failed, s.skipped);
  return s.failed ? 1 : 0;
}

}  // namespace

TILEVM_COMMAND(conformance, "conformance", "run the conformance suite on --backend emu|gpu|both", run_conformance);
