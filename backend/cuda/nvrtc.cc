// NVRTC compilation of generated CUDA C++ to cubin.
#include "backend/cuda/nvrtc.h"

#include <nvrtc.h>

#include <cstdlib>
#include <sstream>

#include "backend/cuda/cache.h"
#include "support/version.h"

namespace tilevm::cuda {

bool supported_arch(int arch) { return arch == 80 || arch == 89 || arch == 90; }

std::vector<std::string> nvrtc_options(const CompileOptions& options) {
  std::vector<std::string> opts = {
      "--gpu-architecture=sm_" + std::to_string(options.arch),
      "--fmad=false",
      "-std=c++17",
      "--include-path=" TILEVM_CUDA_INCLUDE_DIR,
      "--ptxas-options=" + std::string(kPtxasOptimisation),
  };
  opts.insert(opts.end(), options.extra.begin(), options.extra.end());
  // Options for diagnosing the toolchain (for example `-Xptxas -O0` or `-lineinfo`), taken from
  // the environment so that every command that compiles honours them.
  if (const char* env = std::getenv("TILEVM_NVRTC_OPTIONS")) {
    std::istringstream words(env);
    for (std::string w; words >> w;) opts.push_back(w);
  }
  return opts;
}

namespace {
std::string program_log(nvrtcProgram prog) {
  size_t size = 0;
  if (nvrtcGetProgramLogSize(prog, &size) != NVRTC_SUCCESS || size <= 1) return "";
  std::string log(size, '\0');
  nvrtcGetProgramLog(prog, log.data());
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  return log;
}
}  // namespace

Expected<CompileResult> compile(const std::string& source, const std::string& name, const CompileOptions& options) {
  if (!supported_arch(options.arch))
    return fail("unsupported architecture sm_" + std::to_string(options.arch) + " (supported: sm_80, sm_89, sm_90)");
  nvrtcProgram prog = nullptr;
  if (nvrtcResult r = nvrtcCreateProgram(&prog, source.c_str(), name.c_str(), 0, nullptr, nullptr); r != NVRTC_SUCCESS)
    return fail(std::string("NVRTC could not create a program: ") + nvrtcGetErrorString(r));
  std::vector<std::string> opts = nvrtc_options(options);
  std::vector<const char*> argv;
  for (const auto& o : opts) argv.push_back(o.c_str());
  nvrtcResult r = nvrtcCompileProgram(prog, static_cast<int>(argv.size()), argv.data());
  CompileResult result;
  result.log = program_log(prog);
  if (r != NVRTC_SUCCESS) {
    nvrtcDestroyProgram(&prog);
    return fail("NVRTC failed to compile " + name + ":\n" + result.log);
  }
  size_t size = 0;
  nvrtcGetCUBINSize(prog, &size);
  result.cubin.resize(size);
  nvrtcGetCUBIN(prog, reinterpret_cast<char*>(result.cubin.data()));
  nvrtcDestroyProgram(&prog);
  return result;
}

Expected<CompileResult> compile_cached(const std::string& source, const std::string& name, const CompileOptions& options) {
  std::string key = cache_key({source, name, join_options(nvrtc_options(options)), version()});
  if (auto hit = cache_load(key)) {
    CompileResult result;
    result.cubin = std::move(*hit);
    result.from_cache = true;
    return result;
  }
  auto compiled = compile(source, name, options);
  if (compiled.ok()) cache_store(key, compiled->cubin);
  return compiled;
}

}  // namespace tilevm::cuda
