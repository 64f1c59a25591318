// `tilevm dtype verify`: the oracle comparisons (standard input sets, or every f32 input).
#include <boost/program_options.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "backend/cuda/dtype_verify.h"
#include "cmd_dtype.h"
#include "options.h"

namespace po = boost::program_options;

namespace tilevm::tools {
namespace {

const char* kVerifyHelp =
    "usage: tilevm dtype verify [--exhaustive] [--threads N] [--only NAME]... [--verbose]\n\n"
    "Compares tilevm's conversions (convert() one code at a time and convert_buffer() on packed\n"
    "buffers) with independent oracles: CUDA's host conversion functions (cuda_fp8.h, cuda_fp6.h,\n"
    "cuda_fp4.h, cuda_fp16.h, cuda_bf16.h, with __NV_SATFINITE) wherever CUDA defines the pair,\n"
    "the reference of src/dtype/reference.h by exact integer rounding and, for targets of at most\n"
    "16 bits, by table search, and the host CPU's casts for f64->f32 and integers->f32/f64.\n\n"
    "Without --exhaustive it runs the standard input sets (the same as the test suite): every f16\n"
    "and bf16 code, every code of every type of at most 8 bits and of the 16-bit integers, f32\n"
    "and f64 inputs on and around every rounding boundary of every target, and 32/64-bit integers\n"
    "around every boundary, each to every type; and decode/classify of every code of every type\n"
    "of at most 16 bits. One line per group, one per failing check (--verbose: every check).\n\n"
    "With --exhaustive it converts all 2^32 f32 inputs to every float type of at most 16 bits\n"
    "(ue8m0 in each rounding mode) with convert_buffer() (and every 64th input with convert()),\n"
    "compared with CUDA where CUDA defines the target and with the reference otherwise, and\n"
    "prints one line per target. This takes tens of minutes on two cores.\n\n"
    "Ends with 'N passed, N failed' (checks); exit status 1 if any failed.\n\n";

bool matches(const std::vector<std::string>& only, const std::string& name) {
  if (only.empty()) return true;
  for (const std::string& o : only)
    if (name == o || name.rfind(o + " ", 0) == 0 || name.find(o) != std::string::npos) return true;
  return false;
}

void print_result(const cuda::CheckResult& r, double seconds) {
  std::printf("%s %s: %llu inputs, %llu failed (vs %s)", r.ok() ? "ok  " : "FAIL", r.name.c_str(),
              static_cast<unsigned long long>(r.checked), static_cast<unsigned long long>(r.failed),
              r.oracles.c_str());
  if (seconds >= 0) std::printf(" [%.1f s]", seconds);
  if (!r.first_failure.empty()) std::printf("\n     first: %s", r.first_failure.c_str());
  std::printf("\n");
  std::fflush(stdout);
}

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int run_standard(const std::vector<std::string>& only, bool verbose) {
  struct Tally {
    int checks = 0, failed = 0;
    unsigned long long inputs = 0;
  };
  std::map<std::string, Tally> groups;
  std::vector<std::string> order;
  int passed = 0, failed = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (const cuda::Check& c : cuda::standard_checks()) {
    if (!matches(only, c.name)) continue;
    cuda::CheckResult r = c.run();
    if (!groups.count(c.group)) order.push_back(c.group);
    Tally& g = groups[c.group];
    ++g.checks;
    g.inputs += r.checked;
    (r.ok() ? passed : failed) += 1;
    if (!r.ok()) ++g.failed;
    if (verbose || !r.ok()) print_result(r, -1);
  }
  for (const std::string& name : order) {
    const Tally& g = groups[name];
    std::printf("group %-10s %5d checks, %11llu inputs, %d failed\n", name.c_str(), g.checks, g.inputs, g.failed);
  }
  std::printf("%.1f s\n%d passed, %d failed\n", since(t0), passed, failed);
  return failed ? 1 : 0;
}

int run_exhaustive(const std::vector<std::string>& only, int threads) {
  int passed = 0, failed = 0;
  auto t0 = std::chrono::steady_clock::now();
  std::time_t now = std::time(nullptr);
  char stamp[64];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  std::printf("exhaustive sweep of all 2^32 f32 inputs, %d threads, started %s\n", threads, stamp);
  std::fflush(stdout);
  for (const cuda::SweepTarget& t : cuda::sweep_targets()) {
    if (!matches(only, t.label)) continue;
    auto t1 = std::chrono::steady_clock::now();
    cuda::CheckResult r = cuda::sweep_f32(t, threads, 64);
    (r.ok() ? passed : failed) += 1;
    print_result(r, since(t1));
  }
  std::printf("%.0f s in all\n%d passed, %d failed\n", since(t0), passed, failed);
  return failed ? 1 : 0;
}

}  // namespace

int dtype_verify(int argc, char** argv) {
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")("exhaustive", "sweep all 2^32 f32 inputs")(
      "threads", po::value<int>()->default_value(static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))),
      "threads for --exhaustive")("only", po::value<std::vector<std::string>>(),
                                  "run only checks (or sweep targets) whose name contains NAME")(
      "verbose,v", "print every check, not only failures");
  po::variables_map vm;
  tilevm::tools::OptionSpec spec;
  spec.command = "dtype verify";
  spec.options = &opts;
  spec.usage = kVerifyHelp;
  if (auto status = tilevm::tools::parse_options(spec, argc, argv, vm)) return *status;
  std::vector<std::string> only;
  if (vm.count("only")) only = vm["only"].as<std::vector<std::string>>();
  int threads = vm["threads"].as<int>();
  if (threads < 1 || threads > 1024) {
    std::fprintf(stderr, "tilevm dtype verify: error: --threads must be 1..1024\n");
    return 2;
  }
  if (vm.count("exhaustive")) return run_exhaustive(only, threads);
  return run_standard(only, vm.count("verbose") > 0);
}

}  // namespace tilevm::tools
