// NVRTC compilation, the cubin cache and (with a GPU) a launch through the driver API.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "backend/cuda/cache.h"
#include "backend/cuda/driver.h"
#include "backend/cuda/nvrtc.h"
#include "gpu.h"

using namespace tilevm::cuda;

namespace {
const char* kSaxpy = R"(
extern "C" __global__ void saxpy(float a, const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + y[i];
}
)";

// Points the cache at a fresh directory for the duration of a test.
struct TempCache {
  std::filesystem::path dir;
  TempCache() {
    dir = std::filesystem::temp_directory_path() / ("tilevm-cache-test-" + std::to_string(::rand()) + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    setenv("TILEVM_CACHE_DIR", dir.c_str(), 1);
  }
  ~TempCache() {
    unsetenv("TILEVM_CACHE_DIR");
    std::filesystem::remove_all(dir);
  }
};
}  // namespace

TEST_CASE("nvrtc: compiles for sm_80, sm_89 and sm_90 without warnings") {
  for (int arch : {80, 89, 90}) {
    CAPTURE(arch);
    auto r = compile(kSaxpy, "saxpy.cu", {arch, {}});
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    CHECK(r->log.empty());
    REQUIRE(r->cubin.size() > 4);
    CHECK(r->cubin[0] == 0x7f);  // an ELF image
    CHECK(r->cubin[1] == 'E');
  }
}

TEST_CASE("nvrtc: fma contraction is off and ptxas runs at the verified level") {
  auto opts = nvrtc_options({90, {}});
  CHECK(std::find(opts.begin(), opts.end(), "--fmad=false") != opts.end());
  CHECK(std::find(opts.begin(), opts.end(), "--ptxas-options=-O0") != opts.end());
}

TEST_CASE("nvrtc: errors carry the compiler log and unsupported architectures are refused") {
  auto bad = compile("extern \"C\" __global__ void k() { undeclared_thing = 1; }", "bad.cu", {90, {}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("bad.cu") != std::string::npos);
  CHECK(bad.error().message.find("undeclared_thing") != std::string::npos);
  auto arch = compile(kSaxpy, "saxpy.cu", {75, {}});
  REQUIRE_FALSE(arch.ok());
  CHECK(arch.error().message.find("sm_75") != std::string::npos);
}

TEST_CASE("cache: a hit returns the same cubin without compiling and corrupt entries are ignored") {
  TempCache cache;
  auto first = compile_cached(kSaxpy, "saxpy.cu", {90, {}});
  REQUIRE(first.ok());
  CHECK_FALSE(first->from_cache);
  auto second = compile_cached(kSaxpy, "saxpy.cu", {90, {}});
  REQUIRE(second.ok());
  CHECK(second->from_cache);
  CHECK(second->cubin == first->cubin);
  // Another architecture, another key.
  auto other = compile_cached(kSaxpy, "saxpy.cu", {80, {}});
  REQUIRE(other.ok());
  CHECK_FALSE(other->from_cache);
  // Corrupt every entry: the next lookup must recompile, not return garbage.
  for (auto& e : std::filesystem::directory_iterator(cache.dir)) {
    std::fstream f(e.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(10);
    f.put('\x5a');
  }
  auto third = compile_cached(kSaxpy, "saxpy.cu", {90, {}});
  REQUIRE(third.ok());
  CHECK_FALSE(third->from_cache);
  CHECK(third->cubin == first->cubin);
}

TEST_CASE("cache: keys separate parts and differ with any part") {
  CHECK(cache_key({"ab", "c"}) != cache_key({"a", "bc"}));
  CHECK(cache_key({"x", "y"}) == cache_key({"x", "y"}));
  CHECK(cache_key({"x", "y"}) != cache_key({"x", "z"}));
  CHECK(cache_key({"x"}).size() == 32);
}

TEST_CASE("driver: no device gives a clear reason, with a device a kernel runs") {
  const auto& info = device_info();
  if (!info.present) {
    CHECK(info.reason.rfind("no CUDA device", 0) == 0);
    auto gpu = Gpu::open();
    REQUIRE_FALSE(gpu.ok());
    CHECK(gpu.error().message.rfind("no CUDA device", 0) == 0);
  }
  TILEVM_REQUIRE_GPU();
  auto gpu = Gpu::open();
  REQUIRE(gpu.ok());
  auto cubin = compile(kSaxpy, "saxpy.cu", {info.arch(), {}});
  REQUIRE(cubin.ok());
  auto kernel = (*gpu)->load(cubin->cubin, "saxpy");
  REQUIRE(kernel.ok());
  int n = 1000;
  std::vector<float> x(n), y(n);
  for (int i = 0; i < n; ++i) x[i] = float(i), y[i] = 0.5f;
  auto dx = (*gpu)->alloc(n * 4), dy = (*gpu)->alloc(n * 4);
  REQUIRE((dx.ok() && dy.ok()));
  REQUIRE((*gpu)->upload(*dx, x.data(), n * 4).ok());
  REQUIRE((*gpu)->upload(*dy, y.data(), n * 4).ok());
  float a = 2.0f;
  uint64_t px = dx->ptr, py = dy->ptr;
  std::vector<void*> args = {&a, &px, &py, &n};
  unsigned grid[3] = {unsigned((n + 127) / 128), 1, 1};
  REQUIRE((*gpu)->launch(*kernel, grid, 128, 0, args).ok());
  REQUIRE((*gpu)->download(y.data(), *dy, n * 4).ok());
  for (int i = 0; i < n; ++i) CHECK(y[i] == 2.0f * float(i) + 0.5f);  // exact: small integers
}
