// `tilevm fuzz --seed S --count N [--backend emu|both] [-j N] [--print] [--out DIR]`: random
// valid programs checked against the independent oracle (and emu against gpu with both);
// failures are shrunk and written as conformance cases (docs/conformance.md).
#include <boost/program_options.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>
#include <unistd.h>

#include "command.h"
#include "conformance/fuzz.h"
#include "text/printer.h"

namespace po = boost::program_options;
using namespace tilevm;

namespace {

int run_fuzz(int argc, char** argv) {
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")("seed", po::value<uint64_t>()->default_value(1), "first seed")(
      "count", po::value<int64_t>()->default_value(100), "number of programs (seeds seed .. seed+count-1)")(
      "backend", po::value<std::string>()->default_value("emu"), "emu (oracle checks) or both (also emu vs gpu)")(
      "jobs,j", po::value<int>()->default_value(0), "programs checked in parallel (0: one per core)")(
      "print", "print each program's text (with --count 1: reproduce one seed)")(
      "out", po::value<std::string>()->default_value("conformance/fuzz"), "where shrunk reproducers are written")(
      "no-shrink", "report failures without shrinking them")(
      "time-limit", po::value<double>()->default_value(0), "stop starting new programs after this many seconds (0: none)");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(opts).run(), vm);
  } catch (const po::error& e) {
    std::fprintf(stderr, "tilevm fuzz: error: %s\n", e.what());
    return 2;
  }
  if (vm.count("help")) {
    std::cout << "usage: tilevm fuzz --seed S --count N [--backend emu|both] [-j N]\n\n"
                 "Builds N random valid programs (seeds S..S+N-1), runs them with every check on, compares\n"
                 "them with an independent scalar oracle (and emu with gpu under --backend both). A failure\n"
                 "is shrunk and written to --out as a conformance case. Ends with 'N passed, N failed'.\n\n"
              << opts;
    return 0;
  }
  const std::string backend = vm["backend"].as<std::string>();
  if (backend != "emu" && backend != "both")
    return std::fprintf(stderr, "tilevm fuzz: error: --backend must be emu or both\n"), 2;
  const bool both = backend == "both", print = vm.count("print") > 0, shrink = !vm.count("no-shrink");
  const uint64_t seed0 = vm["seed"].as<uint64_t>();
  const int64_t count = vm["count"].as<int64_t>();
  int jobs = vm["jobs"].as<int>();
  if (jobs <= 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  const std::string out_dir = vm["out"].as<std::string>();
  std::atomic<int64_t> next{0};
  std::atomic<bool> gpu_missing{false};
  std::mutex m;
  int64_t passed = 0, failed = 0, done = 0;
  const bool tty = isatty(2);
  const double limit = vm["time-limit"].as<double>();
  const auto start = std::chrono::steady_clock::now();
  std::atomic<bool> out_of_time{false};
  auto worker = [&] {
    for (int64_t i; (i = next++) < count;) {
      if (limit > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > limit) {
        out_of_time = true;
        break;
      }
      conf::FuzzSpec spec = conf::random_spec(seed0 + static_cast<uint64_t>(i));
      bool missing = false;
      conf::FuzzOutcome o = conf::check_spec(spec, both, &missing);
      if (missing) gpu_missing = true;
      std::string report;
      if (!o.ok && shrink) {
        conf::FuzzSpec small = conf::shrink(spec, both);
        std::string path = out_dir + "/seed_" + std::to_string(spec.seed) + ".tile";
        std::error_code ec;
        std::filesystem::create_directories(out_dir, ec);
        std::ofstream(path) << conf::reproducer_case(small, o.message);
        report = " (shrunk reproducer: " + path + ")";
      }
      std::lock_guard<std::mutex> lock(m);
      ++done;
      (o.ok ? passed : failed)++;
      if (tty) std::fprintf(stderr, "\r\033[K");
      if (print) std::printf("// seed %llu\n%s", static_cast<unsigned long long>(spec.seed), o.text.c_str());
      if (!o.ok) std::printf("FAIL seed %llu: %s%s\n", static_cast<unsigned long long>(spec.seed), o.message.c_str(), report.c_str());
      std::fflush(stdout);
      if (tty) std::fprintf(stderr, "[%lld/%lld] %lld failed", static_cast<long long>(done), static_cast<long long>(count),
                            static_cast<long long>(failed));
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  if (tty) std::fprintf(stderr, "\r\033[K");
  if (out_of_time)
    std::printf("note: time limit reached after %lld of %lld programs (seeds %llu..%llu)\n", static_cast<long long>(done),
                static_cast<long long>(count), static_cast<unsigned long long>(seed0),
                static_cast<unsigned long long>(seed0 + done - 1));
  if (both && gpu_missing) std::printf("note: no GPU: only the emulator and the oracle were checked\n");
  std::printf("%lld passed, %lld failed\n", static_cast<long long>(passed), static_cast<long long>(failed));
  return failed ? 1 : 0;
}

}  // namespace

TILEVM_COMMAND(fuzz, "fuzz", "random valid programs against an independent oracle (--backend emu|both)", run_fuzz);
