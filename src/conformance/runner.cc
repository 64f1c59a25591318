// Running and judging conformance cases.
#include "conformance/runner.h"

#include <atomic>
#include <filesystem>
#include <fnmatch.h>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "conformance/golden.h"
#include "conformance/launch_args.h"
#include "dtype/pack.h"

namespace tilevm::conf {
namespace {

CaseResult fail_with(std::string m) { return {CaseResult::Status::Fail, std::move(m)}; }
CaseResult skip_with(std::string m) { return {CaseResult::Status::Skip, std::move(m)}; }

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

std::string index_text(int64_t flat, const std::vector<int64_t>& shape) {
  std::vector<int64_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    int64_t e = shape[d] > 0 ? shape[d] : 1;
    idx[d] = flat % e;
    flat /= e;
  }
  std::string s = "[";
  for (size_t d = 0; d < idx.size(); ++d) s += (d ? "," : "") + std::to_string(idx[d]);
  return s + "]";
}

const exec::Arg* find_arg(const std::vector<exec::Arg>& args, const std::string& name) {
  for (const exec::Arg& a : args)
    if (a.name == name) return &a;
  return nullptr;
}

// Checks one expectation against a run's result; empty string when it holds.
std::string check_expect(const Case& c, size_t run_index, const Expect& e, const Inputs& inputs, const exec::RunResult& r,
                         const Options& opt, bool on_gpu) {
  const exec::Arg* a = find_arg(r.args, e.param);
  if (!a || !a->is_pointer()) return "line " + std::to_string(e.line) + ": no pointer argument '" + e.param + "'";
  const dt::DType& t = a->type.dtype;
  int64_t n = a->num_elements(), lo = e.lo, hi = e.hi < 0 ? n : e.hi;
  if (lo < 0 || hi > n || lo > hi)
    return "line " + std::to_string(e.line) + ": range [" + std::to_string(lo) + ":" + std::to_string(hi) + "] outside " + e.param +
           "'s " + std::to_string(n) + " elements";
  std::vector<uint64_t> got(hi - lo);
  for (int64_t i = lo; i < hi; ++i) got[i - lo] = dt::get_element(a->bytes.data(), t.bits, i);
  std::vector<uint64_t> want;
  if (e.kind == Expect::Kind::Golden) {
    std::string path = golden_path(opt.root, c.name, run_index, e.param);
    if (opt.record_golden && on_gpu) {
      auto w = write_golden(path, t, got);
      return w ? "" : w.error().message;
    }
    auto g = read_golden(path);
    if (!g) return "golden: " + g.error().message;
    return compare_golden(*g, t, got, lo, a->shape, e.param);
  }
  if (e.kind == Expect::Kind::List) {
    if (static_cast<int64_t>(e.values.size()) != hi - lo)
      return "line " + std::to_string(e.line) + ": " + std::to_string(e.values.size()) + " values listed for " +
             std::to_string(hi - lo) + " elements of " + e.param;
    for (const std::string& tok : e.values) {
      auto v = parse_value(tok, t);
      if (!v) return "line " + std::to_string(e.line) + ": " + v.error().message;
      want.push_back(*v);
    }
  } else {
    std::vector<int64_t> idx(hi - lo);
    for (int64_t i = lo; i < hi; ++i) idx[i - lo] = i;
    auto w = eval_oracle(e.expr, inputs, t, idx);
    if (!w) return "line " + std::to_string(e.line) + ": oracle: " + w.error().message;
    want = std::move(*w);
  }
  for (int64_t i = 0; i < hi - lo; ++i) {
    bool ok = e.ulp > 0 && t.is_float() ? ulp_distance(want[i], got[i], t) <= static_cast<uint64_t>(e.ulp) : want[i] == got[i];
    if (!ok)
      return e.param + index_text(lo + i, a->shape) + ": expected " + format_code(want[i], t) + ", got " + format_code(got[i], t) +
             (e.ulp ? " (more than " + std::to_string(e.ulp) + " ulp apart)" : "");
  }
  return "";
}

std::string check_trap(const ExpectTrap& want, const exec::RunResult& r, const exec::LoadedProgram& p) {
  if (!r.trap) return "expected a " + want.kind + " trap, but the program ran to the end";
  const exec::Trap& t = *r.trap;
  std::string kind = exec::trap_kind_name(t.kind);
  text::LineCol lc{0, 0};
  if (t.site.loc.valid) lc = p.source->line_col(t.site.loc.begin);
  std::string where = std::to_string(lc.line) + ":" + std::to_string(lc.col);
  if (kind != want.kind || (want.line && (lc.line != want.line || lc.col != want.col)))
    return "expected trap " + want.kind + (want.line ? " at " + std::to_string(want.line) + ":" + std::to_string(want.col) : "") +
           ", got " + kind + " at " + where + ": " + t.message;
  return "";
}

std::function<void(const exec::Launch&)>& prepare_hook() {
  static std::function<void(const exec::Launch&)> f;
  return f;
}

// Runs on one backend. Sets *skip when the backend is unavailable (no GPU).
std::optional<exec::RunResult> execute(const std::string& backend, const exec::Launch& l, std::string* error, bool* skip) {
  auto ex = exec::make_executor(backend);
  if (!ex) {
    *error = backend + " backend unavailable: " + first_line(ex.error().message);
    *skip = backend != "emu";
    return std::nullopt;
  }
  auto r = run_backend(**ex, backend, l);
  if (!r) {
    *error = backend + ": cannot run: " + first_line(r.error().message);
    return std::nullopt;
  }
  return std::move(*r);
}

std::string check_error(const Case& c, const Expected<std::shared_ptr<const exec::LoadedProgram>>& p) {
  if (p) return "the program was accepted, but the case expects: " + *c.expect_error;
  std::string got = first_line(p.error().message);
  std::string prefix = c.path + ":";
  if (got.rfind(prefix, 0) == 0) got = got.substr(prefix.size());
  return got == *c.expect_error ? "" : "expected diagnostic '" + *c.expect_error + "', got '" + got + "'";
}

// Every pointer argument bit for bit between the two backends (except approximate outputs).
std::string cross_check(const RunSpec& run, const exec::RunResult& a, const exec::RunResult& b) {
  for (size_t i = 0; i < a.args.size() && i < b.args.size(); ++i) {
    if (!a.args[i].is_pointer()) continue;
    bool approx = false;
    for (const Expect& e : run.expects) approx |= e.param == a.args[i].name && e.ulp > 0;
    if (approx) continue;
    auto m = exec::first_difference(a.args[i], b.args[i]);
    if (!m) continue;
    int64_t flat = 0;
    for (size_t d = 0; d < m->index.size(); ++d) flat = flat * a.args[i].shape[d] + m->index[d];
    const dt::DType& t = a.args[i].type.dtype;
    return "emu and gpu differ: " + a.args[i].name + index_text(flat, a.args[i].shape) + ": emu " + format_code(m->a, t) + ", gpu " +
           format_code(m->b, t);
  }
  return "";
}

}  // namespace

std::mutex& gpu_mutex() {
  static std::mutex m;
  return m;
}

void set_gpu_prepare(std::function<void(const exec::Launch&)> prepare) { prepare_hook() = std::move(prepare); }

Expected<exec::RunResult> run_backend(exec::Executor& ex, const std::string& backend, const exec::Launch& l) {
  if (backend == "emu") return ex.run(l);
  if (prepare_hook()) prepare_hook()(l);
  std::lock_guard<std::mutex> lock(gpu_mutex());
  return ex.run(l);
}

const std::vector<std::pair<std::string, std::string>>& missing_features() {
  static const std::vector<std::pair<std::string, std::string>> kMissing = {};
  return kMissing;
}

std::string case_name(const std::string& root, const std::string& path) {
  std::string rel = std::filesystem::path(path).lexically_relative(root).string();
  if (rel.empty() || rel.rfind("..", 0) == 0) rel = path;
  if (rel.size() > 5 && rel.substr(rel.size() - 5) == ".tile") rel.resize(rel.size() - 5);
  return rel;
}

CaseResult run_case(const Case& c, const Options& opt) {
  for (const std::string& f : c.requires_)
    for (const auto& [name, why] : missing_features())
      if (f == name) return skip_with("requires " + f + ": " + why);
  auto program = exec::load_program_text(c.path, c.text);
  if (c.expect_error) {
    std::string m = check_error(c, program);
    return m.empty() ? CaseResult{} : fail_with(m);
  }
  if (!program) return fail_with("rejected: " + first_line(program.error().message));
  for (size_t ri = 0; ri < c.runs.size(); ++ri) {
    const RunSpec& run = c.runs[ri];
    std::string at = c.runs.size() > 1 ? "run " + std::to_string(ri + 1) + " (line " + std::to_string(run.line) + "): " : "";
    auto launch = build_launch(*program, c, run);
    if (!launch) return fail_with(at + "launch: " + launch.error().message);
    launch->workers = opt.emu_workers;
    Inputs inputs = inputs_of(launch->args);
    std::vector<exec::RunResult> results;
    for (const std::string& b : opt.backends) {
      std::string error;
      bool skip = false;
      auto r = execute(b, *launch, &error, &skip);
      if (!r) return skip ? skip_with(error) : fail_with(at + error);
      std::string m;
      if (run.trap) {
        m = check_trap(*run.trap, *r, **program);
      } else if (r->trap) {
        m = "trapped: " + first_line(exec::render_trap(*r->trap, (*program)->source.get()));
      }
      for (const Expect& e : run.expects)
        if (m.empty() && !r->trap) m = check_expect(c, ri, e, inputs, *r, opt, b == "gpu");
      if (!m.empty()) return fail_with(at + (opt.backends.size() > 1 ? b + ": " : "") + m);
      results.push_back(std::move(*r));
    }
    if (results.size() == 2 && !run.trap) {
      std::string m = cross_check(run, results[0], results[1]);
      if (!m.empty()) return fail_with(at + m);
    }
  }
  return {};
}

CaseResult run_case_file(const std::string& path, const Options& opt) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail_with("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto c = parse_case(case_name(opt.root, path), path, ss.str());
  if (!c) return fail_with(c.error().message);
  return run_case(*c, opt);
}

Summary run_suite(const Options& opt, const std::string& filter, int jobs,
                  const std::function<void(const std::string&, const CaseResult&, int, int)>& report) {
  std::vector<std::string> files;
  for (const std::string& f : find_case_files(opt.root))
    if (filter.empty() || fnmatch(filter.c_str(), case_name(opt.root, f).c_str(), 0) == 0) files.push_back(f);
  Summary s;
  std::mutex m;
  std::atomic<size_t> next{0};
  int done = 0;
  auto worker = [&] {
    for (size_t i; (i = next++) < files.size();) {
      CaseResult r = run_case_file(files[i], opt);
      std::lock_guard<std::mutex> lock(m);
      ++done;
      if (r.status == CaseResult::Status::Pass) ++s.passed;
      else if (r.status == CaseResult::Status::Fail) ++s.failed;
      else ++s.skipped;
      report(case_name(opt.root, files[i]), r, done, static_cast<int>(files.size()));
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < std::max(1, jobs); ++j) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  return s;
}

}  // namespace tilevm::conf
