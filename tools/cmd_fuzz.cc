// `tilevm fuzz --seed S --count N [--backend emu|both] [-j N] [--batch B] [--print] [--out DIR]`:
// random valid programs checked against the independent oracle (and emu against gpu with both,
// through the batched pipeline of fuzz_pipeline.h); failures are shrunk and written as
// conformance cases (docs/conformance.md).
#include <boost/program_options.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>
#include <unistd.h>
#include <cerrno>
#include <cstring>

#include "command.h"
#include "conformance/fuzz.h"
#include "fuzz_pipeline.h"
#include "options.h"
#include "text/printer.h"

namespace po = boost::program_options;
using namespace tilevm;

namespace {

std::string write_reproducer(const std::string& dir, const conf::FuzzSpec& s, const std::string& why) {
  std::string path = dir + "/seed_" + std::to_string(s.seed) + ".tile";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::ofstream(path) << conf::reproducer_case(s, why);
  return path;
}

struct Settings {
  bool both = false, print = false, shrink = true, stats = false, restart = true;
  uint64_t seed0 = 1;
  int64_t count = 0;
  int jobs = 1, batch = 64;
  double limit = 0;
  std::string out_dir;
  int64_t prior_passed = 0, prior_failed = 0;  // counts of earlier segments of this run
};

// After a kernel fault the CUDA driver may refuse every new context in the process: the run
// continues in a fresh process (the same command from the seed after the fault), carrying the
// counts so far. Returns only if exec fails.
void restart_after(const Settings& st, uint64_t resume, int64_t passed, int64_t failed, double elapsed) {
  const uint64_t last = st.seed0 + static_cast<uint64_t>(st.count);
  std::vector<std::string> a = {"tilevm", "fuzz", "--backend", "both", "--seed", std::to_string(resume), "--count",
                                std::to_string(last - resume), "-j", std::to_string(st.jobs), "--batch",
                                std::to_string(st.batch), "--out", st.out_dir, "--prior-passed", std::to_string(passed),
                                "--prior-failed", std::to_string(failed)};
  if (st.limit > 0) a.insert(a.end(), {"--time-limit", std::to_string(std::max(1.0, st.limit - elapsed))});
  if (!st.shrink) a.push_back("--no-shrink");
  if (st.print) a.push_back("--print");
  std::vector<char*> argv;
  for (std::string& x : a) argv.push_back(x.data());
  argv.push_back(nullptr);
  std::printf("note: continuing in a new process from seed %llu\n", static_cast<unsigned long long>(resume));
  std::fflush(stdout);
  execv("/proc/self/exe", argv.data());
  std::printf("note: could not restart (%s)\n", std::strerror(errno));
}

void progress_line(bool tty, int64_t done, int64_t count, int64_t failed) {
  if (tty)
    std::fprintf(stderr, "\r\033[K[%lld/%lld] %lld failed", static_cast<long long>(done), static_cast<long long>(count),
                 static_cast<long long>(failed));
}

// One program at a time per thread through the executors (--backend emu, or --no-batch).
int run_each(const Settings& st) {
  std::atomic<int64_t> next{0};
  std::atomic<bool> gpu_missing{false}, out_of_time{false};
  std::mutex m;
  int64_t passed = 0, failed = 0, done = 0;
  const bool tty = isatty(2);
  const auto start = std::chrono::steady_clock::now();
  auto worker = [&] {
    for (int64_t i; (i = next++) < st.count;) {
      if (st.limit > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > st.limit) {
        out_of_time = true;
        break;
      }
      conf::FuzzSpec spec = conf::random_spec(st.seed0 + static_cast<uint64_t>(i));
      bool missing = false;
      conf::FuzzOutcome o = conf::check_spec(spec, st.both, &missing);
      if (missing) gpu_missing = true;
      std::string report;
      if (!o.ok && st.shrink) report = " (shrunk reproducer: " + write_reproducer(st.out_dir, conf::shrink(spec, st.both), o.message) + ")";
      std::lock_guard<std::mutex> lock(m);
      ++done;
      (o.ok ? passed : failed)++;
      if (tty) std::fprintf(stderr, "\r\033[K");
      if (st.print) std::printf("// seed %llu\n%s", static_cast<unsigned long long>(spec.seed), o.text.c_str());
      if (!o.ok) std::printf("FAIL seed %llu: %s%s\n", static_cast<unsigned long long>(spec.seed), o.message.c_str(), report.c_str());
      std::fflush(stdout);
      progress_line(tty, done, st.count, failed);
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < st.jobs; ++j) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  if (tty) std::fprintf(stderr, "\r\033[K");
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (out_of_time)
    std::printf("note: time limit reached after %lld of %lld programs (seeds %llu..%llu)\n", static_cast<long long>(done),
                static_cast<long long>(st.count), static_cast<unsigned long long>(st.seed0),
                static_cast<unsigned long long>(st.seed0 + done - 1));
  if (st.both && gpu_missing) std::printf("note: no GPU: only the emulator and the oracle were checked\n");
  if (st.stats) std::printf("stats: %lld programs in %.2f s wall: %.1f programs/s\n", static_cast<long long>(done), wall, done / wall);
  std::printf("%lld passed, %lld failed\n", static_cast<long long>(passed), static_cast<long long>(failed));
  return failed ? 1 : 0;
}

// A failure found by the pipeline: re-checked through the single-program path, then shrunk.
std::string follow_up(const Settings& st, const fuzz::PipelineFailure& f) {
  using Stage = fuzz::PipelineFailure::Stage;
  conf::FuzzSpec spec = conf::random_spec(f.seed);
  if (!st.shrink) return "";
  if (f.stage == Stage::Fault || f.stage == Stage::Compile)
    return " (reproducer, not shrunk: " + write_reproducer(st.out_dir, spec, f.message) + ")";
  const bool gpu = f.stage != Stage::Cpu;
  conf::FuzzOutcome again = conf::check_spec(spec, gpu);
  if (again.ok)
    return " (passes on its own through the single-program path; reproducer, not shrunk: " +
           write_reproducer(st.out_dir, spec, f.message) + ")";
  return " (shrunk reproducer: " + write_reproducer(st.out_dir, conf::shrink(spec, gpu), again.message) + ")";
}

void print_stats(const fuzz::PipelineResult& r, int jobs) {
  const fuzz::PipelineStats& s = r.stats;
  const double n = static_cast<double>(std::max<int64_t>(1, r.done));
  std::printf("stats: phase                          seconds   ms/program  (CPU phases summed over %d workers)\n", jobs);
  auto row = [&](const char* name, double sec) { std::printf("stats: %-30s %8.2f %10.3f\n", name, sec, 1000 * sec / n); };
  row("generate+verify+emulate+oracle", s.prepare);
  row("emit CUDA", s.emit);
  row("NVRTC (batched)", s.nvrtc);
  row("GPU (load+copy+run+compare)", s.gpu);
  row("GPU thread idle", s.gpu_idle);
  std::printf("stats: %lld programs in %lld batches, %.2f s wall: %.1f programs/s\n", static_cast<long long>(r.done),
              static_cast<long long>(s.batches), s.wall, r.done / std::max(1e-9, s.wall));
}

// --backend both: the batched pipeline (fuzz_pipeline.h), failures followed up afterwards.
int run_batched(const Settings& st) {
  const bool tty = isatty(2);
  fuzz::PipelineOptions po{st.seed0, st.count, st.jobs, st.batch, st.limit, st.print};
  fuzz::PipelineResult r = fuzz::run_pipeline(
      po, [&](int64_t done, int64_t failed) { progress_line(tty, done, st.count, failed); },
      [&](uint64_t seed, const std::string& text) { std::printf("// seed %llu\n%s", static_cast<unsigned long long>(seed), text.c_str()); });
  if (tty) std::fprintf(stderr, "\r\033[K");
  std::sort(r.failures.begin(), r.failures.end(), [](const auto& a, const auto& b) { return a.seed < b.seed; });
  for (const fuzz::PipelineFailure& f : r.failures) {
    std::string report = follow_up(st, f);
    std::printf("FAIL seed %llu: %s%s\n", static_cast<unsigned long long>(f.seed), f.message.c_str(), report.c_str());
    std::fflush(stdout);
  }
  print_stats(r, st.jobs);
  if (r.gpu_missing) std::printf("note: no GPU: the kernels were compiled (NVRTC) but not run; emulator and oracle were checked\n");
  const uint64_t last = st.seed0 + static_cast<uint64_t>(st.count);
  const int64_t passed = st.prior_passed + r.passed, failed = st.prior_failed + r.failed;
  const bool timed_out = r.stop_reason == "time limit reached";
  if (!r.complete && !timed_out && st.restart && r.resume_seed > st.seed0 && r.resume_seed < last)
    restart_after(st, r.resume_seed, passed, failed, r.stats.wall);
  if (!r.complete)
    std::printf("note: stopped (%s): seeds %llu..%llu are done; resume with --seed %llu --count %lld\n", r.stop_reason.c_str(),
                static_cast<unsigned long long>(st.seed0), static_cast<unsigned long long>(r.resume_seed - 1),
                static_cast<unsigned long long>(r.resume_seed), static_cast<long long>(last - r.resume_seed));
  std::printf("%lld passed, %lld failed\n", static_cast<long long>(passed), static_cast<long long>(failed));
  return failed || (!r.complete && !timed_out) ? 1 : 0;
}

int run_fuzz(int argc, char** argv) {
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")("seed", po::value<uint64_t>()->default_value(1), "first seed")(
      "count", po::value<int64_t>()->default_value(100), "number of programs (seeds seed .. seed+count-1)")(
      "backend", po::value<std::string>()->default_value("emu"), "emu (oracle checks) or both (also emu vs gpu)")(
      "jobs,j", po::value<int>()->default_value(0), "worker threads (0: one per core)")(
      "batch", po::value<int>()->default_value(64), "--backend both: kernels per NVRTC call and module")(
      "no-batch", "--backend both: one program at a time through the executors (slow; no batching)")(
      "stats", "print the time spent per phase and programs/s (always on for batched runs)")(
      "print", "print each program's text (with --count 1: reproduce one seed)")(
      "out", po::value<std::string>()->default_value("conformance/fuzz"), "where shrunk reproducers are written")(
      "no-shrink", "report failures without shrinking them")(
      "no-restart", "--backend both: stop after a kernel fault the driver cannot recover from, instead of going on in a new process")(
      "prior-passed", po::value<int64_t>()->default_value(0), "(internal) passed count of earlier segments of a restarted run")(
      "prior-failed", po::value<int64_t>()->default_value(0), "(internal) failed count of earlier segments of a restarted run")(
      "time-limit", po::value<double>()->default_value(0), "stop starting new programs after this many seconds (0: none)");
  po::variables_map vm;
  tilevm::tools::OptionSpec spec;
  spec.command = "fuzz";
  spec.options = &opts;
  spec.usage =
      "usage: tilevm fuzz --seed S --count N [--backend emu|both] [-j N]\n\n"
      "Builds N random valid programs (seeds S..S+N-1), runs them with every check on, compares\n"
      "them with an independent scalar oracle (and emu with gpu under --backend both, compiling\n"
      "--batch kernels per NVRTC call). A failure is shrunk and written to --out as a conformance\n"
      "case. Ends with 'N passed, N failed'.\n\n";
  if (auto status = tilevm::tools::parse_options(spec, argc, argv, vm)) return *status;
  Settings st;
  const std::string backend = vm["backend"].as<std::string>();
  if (backend != "emu" && backend != "both")
    return tilevm::tools::usage_error("fuzz", "--backend must be emu or both");
  st.both = backend == "both", st.print = vm.count("print") > 0, st.shrink = !vm.count("no-shrink");
  st.stats = vm.count("stats") > 0, st.restart = !vm.count("no-restart");
  st.prior_passed = vm["prior-passed"].as<int64_t>(), st.prior_failed = vm["prior-failed"].as<int64_t>();
  st.seed0 = vm["seed"].as<uint64_t>();
  st.count = vm["count"].as<int64_t>();
  st.jobs = vm["jobs"].as<int>();
  st.batch = vm["batch"].as<int>();
  st.limit = vm["time-limit"].as<double>();
  st.out_dir = vm["out"].as<std::string>();
  if (st.count < 0) return tilevm::tools::usage_error("fuzz", "--count must be >= 0");
  if (st.batch < 1 || st.batch > 4096) return tilevm::tools::usage_error("fuzz", "--batch must be in 1..4096");
  if (st.jobs <= 0) st.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return st.both && !vm.count("no-batch") ? run_batched(st) : run_each(st);
}

}  // namespace

TILEVM_COMMAND(fuzz, "fuzz", "random valid programs against an independent oracle (--backend emu|both)", run_fuzz);
