// `tilevm run PROGRAM.tile --backend emu|gpu|both [--grid X,Y,Z] [--arg ...] [--out ...]
// [--check-init] [--threads N]`: builds one launch and runs it on the chosen executor(s).
#include <boost/program_options.hpp>
#include <cinttypes>
#include <cstdio>
#include <iostream>

#include "command.h"
#include "options.h"
#include "emulator/emulator.h"
#include "exec/launch.h"

namespace po = boost::program_options;
using namespace tilevm;

namespace {

const bool kEmuRegistered = exec::register_executor("emu", []() -> Expected<std::unique_ptr<exec::Executor>> {
  return emu::make_emulator();
});

Expected<std::vector<int64_t>> parse_grid(const std::string& text) {
  std::vector<int64_t> g;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t c = text.find(',', pos);
    std::string part = text.substr(pos, c == std::string::npos ? std::string::npos : c - pos);
    char* end = nullptr;
    long long v = std::strtoll(part.c_str(), &end, 10);
    if (part.empty() || *end || v < 0) return fail("--grid '" + text + "': expected 1 to 3 extents like 64,2");
    g.push_back(v);
    if (c == std::string::npos) break;
    pos = c + 1;
  }
  if (g.size() > 3) return fail("--grid takes at most 3 extents");
  return g;
}

// Runs on one backend; prints the trap or the error. Returns the result when it ran cleanly.
std::optional<exec::RunResult> run_on(const std::string& backend, const exec::Launch& launch) {
  auto ex = exec::make_executor(backend);
  if (!ex) {
    std::fprintf(stderr, "tilevm run: error: %s\n", ex.error().message.c_str());
    return std::nullopt;
  }
  auto r = (*ex)->run(launch);
  if (!r) {
    std::fprintf(stderr, "tilevm run: error: %s\n", r.error().message.c_str());
    return std::nullopt;
  }
  std::fputs(r->printed.c_str(), stdout);
  if (r->trap) {
    std::fputs(exec::render_trap(*r->trap, launch.program->source.get()).c_str(), stderr);
    std::fprintf(stderr, "tilevm run: %s trapped after %" PRId64 " blocks\n", backend.c_str(), r->blocks_run);
    return std::nullopt;
  }
  std::fprintf(stderr, "tilevm run: %s on %s: %" PRId64 " blocks in %.3f s\n", launch.program->program.name.c_str(),
               backend.c_str(), r->blocks_run, r->seconds);
  return std::move(*r);
}

// Compares every pointer argument bit for bit; prints the first difference of each.
bool compare(const exec::RunResult& a, const exec::RunResult& b) {
  bool same = true;
  for (size_t i = 0; i < a.args.size(); ++i) {
    if (!a.args[i].is_pointer()) continue;
    auto m = exec::first_difference(a.args[i], b.args[i]);
    if (!m) continue;
    same = false;
    std::string idx;
    for (int64_t x : m->index) idx += (idx.empty() ? "" : ",") + std::to_string(x);
    std::fprintf(stderr, "tilevm run: %s differs at [%s]: emu 0x%" PRIx64 ", gpu 0x%" PRIx64 "\n", a.args[i].name.c_str(),
                 idx.c_str(), m->a, m->b);
  }
  if (same) std::fprintf(stderr, "tilevm run: emu and gpu outputs are identical bit for bit\n");
  return same;
}

int run_run(int argc, char** argv) {
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")("backend", po::value<std::string>()->default_value("emu"), "emu, gpu or both")(
      "grid", po::value<std::string>(), "override the grid: X[,Y[,Z]]")(
      "arg", po::value<std::vector<std::string>>()->composing(), "name=FILE.npy | name=rand:DTYPE:SEED[:SHAPE] | name=VALUE")(
      "out", po::value<std::vector<std::string>>()->composing(), "name=FILE.npy: write a pointer argument after the run")(
      "check-init", "trap reads of uninitialised register and shared data")(
      "threads", po::value<int>()->default_value(0), "emulator worker threads (0: all cores)")(
      "file", po::value<std::string>(), "the program");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  tilevm::tools::OptionSpec spec;
  spec.command = "run";
  spec.options = &opts;
  spec.positional = &pos;
  spec.usage =
      "usage: tilevm run PROGRAM.tile [--backend emu|gpu|both] [--arg ...] [--out ...]\n\n"
      "Runs a program. Scalars are given as name=VALUE; pointers as .npy files or seeded\n"
      "generators (unlisted pointers start zero-filled). Exits 0 on success, 3 on a trap,\n"
      "4 when --backend both finds a difference, 1 or 2 on bad input.\n\n";
  if (auto status = tilevm::tools::parse_options(spec, argc, argv, vm)) return *status;
  if (!vm.count("file")) {
    std::fprintf(stderr, "tilevm run: error: no program (usage: tilevm run PROGRAM.tile ...)\n");
    return 2;
  }
  auto program = exec::load_program_file(vm["file"].as<std::string>());
  if (!program) {
    std::fputs(program.error().message.c_str(), stderr);
    return 1;
  }
  std::vector<exec::ArgSpec> specs;
  if (vm.count("arg"))
    for (const std::string& a : vm["arg"].as<std::vector<std::string>>()) {
      auto s = exec::parse_arg_spec(a);
      if (!s) return std::fprintf(stderr, "tilevm run: error: %s\n", s.error().message.c_str()), 2;
      specs.push_back(*s);
    }
  std::vector<exec::OutSpec> outs;
  if (vm.count("out"))
    for (const std::string& o : vm["out"].as<std::vector<std::string>>()) {
      auto s = exec::parse_out_spec(o);
      if (!s) return std::fprintf(stderr, "tilevm run: error: %s\n", s.error().message.c_str()), 2;
      outs.push_back(*s);
    }
  std::optional<std::vector<int64_t>> grid;
  if (vm.count("grid")) {
    auto g = parse_grid(vm["grid"].as<std::string>());
    if (!g) return std::fprintf(stderr, "tilevm run: error: %s\n", g.error().message.c_str()), 2;
    grid = *g;
  }
  auto launch = exec::make_launch(*program, specs, grid);
  if (!launch) return std::fprintf(stderr, "tilevm run: error: %s\n", launch.error().message.c_str()), 1;
  launch->check_init = vm.count("check-init") > 0;
  launch->workers = vm["threads"].as<int>();
  const std::string backend = vm["backend"].as<std::string>();
  std::optional<exec::RunResult> result;
  if (backend == "both") {
    auto a = run_on("emu", *launch);
    if (!a) return 3;
    auto b = run_on("gpu", *launch);
    if (!b) return 3;
    if (!compare(*a, *b)) return 4;
    result = std::move(a);
  } else {
    result = run_on(backend, *launch);
    if (!result) return 3;
  }
  for (const exec::OutSpec& o : outs) {
    auto w = exec::write_output(*result, o);
    if (!w) return std::fprintf(stderr, "tilevm run: error: %s\n", w.error().message.c_str()), 1;
  }
  return 0;
}

}  // namespace

TILEVM_COMMAND(run, "run", "execute a program on the emulator or the GPU (--backend emu|gpu|both)", run_run);
