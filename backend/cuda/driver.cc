// Run-time loading of the CUDA driver (libcuda), device discovery, memory and launches.
#include "backend/cuda/driver.h"

#include <cuda.h>
#include <dlfcn.h>
#include <nvrtc.h>

#include <algorithm>

namespace tilevm::cuda {
namespace {

// The driver entry points tilevm uses, resolved by name from libcuda.so.1. The types come from
// cuda.h (decltype only: nothing links against libcuda).
struct Api {
#define TILEVM_CU_FN(field, symbol) decltype(&::symbol) field = nullptr;
#include "backend/cuda/driver_api.def"
#undef TILEVM_CU_FN
  bool loaded = false;
  std::string reason;
};

const Api& api() {
  static const Api instance = [] {
    Api a;
    void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      a.reason = "no CUDA device: the CUDA driver (libcuda.so.1) is not installed";
      return a;
    }
    bool all = true;
#define TILEVM_CU_FN(field, symbol) \
  a.field = reinterpret_cast<decltype(a.field)>(dlsym(lib, #symbol)); \
  all = all && a.field != nullptr;
#include "backend/cuda/driver_api.def"
#undef TILEVM_CU_FN
    if (!all) {
      a.reason = "no CUDA device: libcuda.so.1 lacks driver API entry points tilevm needs";
      return a;
    }
    a.loaded = true;
    return a;
  }();
  return instance;
}

Error cu_error(const char* call, CUresult r) {
  const char* msg = nullptr;
  if (api().get_error_string) api().get_error_string(r, &msg);
  return fail(std::string(call) + " failed: " + (msg ? msg : "unknown error") + " (" + std::to_string(r) + ")");
}

#define TILEVM_CU_TRY(call)                                      \
  do {                                                           \
    if (CUresult r_ = (call); r_ != CUDA_SUCCESS) return cu_error(#call, r_); \
  } while (0)

DeviceInfo discover() {
  DeviceInfo info;
  const Api& a = api();
  if (!a.loaded) {
    info.reason = a.reason;
    return info;
  }
  a.driver_get_version(&info.driver_version);
  if (CUresult r = a.init(0); r != CUDA_SUCCESS) {
    info.reason = "no CUDA device: cuInit failed with error " + std::to_string(r);
    return info;
  }
  int n = 0;
  if (a.device_get_count(&n) != CUDA_SUCCESS || n == 0) {
    info.reason = "no CUDA device: the driver reports no devices";
    return info;
  }
  CUdevice dev = 0;
  char buf[256] = {};
  if (a.device_get(&dev, 0) != CUDA_SUCCESS || a.device_get_name(buf, sizeof buf, dev) != CUDA_SUCCESS) {
    info.reason = "no CUDA device: device 0 cannot be opened";
    return info;
  }
  a.device_get_attribute(&info.cc_major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
  a.device_get_attribute(&info.cc_minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
  info.name = buf;
  info.present = true;
  return info;
}

}  // namespace

const DeviceInfo& device_info() {
  static const DeviceInfo info = discover();
  return info;
}

std::string nvrtc_version() {
  int major = 0, minor = 0;
  if (nvrtcVersion(&major, &minor) != NVRTC_SUCCESS) return "unknown";
  return std::to_string(major) + "." + std::to_string(minor);
}

Expected<std::shared_ptr<Gpu>> Gpu::open() {
  const DeviceInfo& info = device_info();
  if (!info.present) return fail(info.reason);
  const Api& a = api();
  CUdevice dev = 0;
  CUcontext ctx = nullptr;
  TILEVM_CU_TRY(a.device_get(&dev, 0));
  TILEVM_CU_TRY(a.primary_ctx_retain(&ctx, dev));
  TILEVM_CU_TRY(a.ctx_set_current(ctx));
  return std::shared_ptr<Gpu>(new Gpu());
}

Gpu::~Gpu() {
  const Api& a = api();
  for (auto& b : buffers_) a.mem_free(b.ptr);
  for (void* m : modules_) a.module_unload(static_cast<CUmodule>(m));
}

Expected<DeviceBuffer> Gpu::alloc(size_t bytes) {
  CUdeviceptr p = 0;
  TILEVM_CU_TRY(api().mem_alloc(&p, std::max<size_t>(bytes, 1)));
  buffers_.push_back({p, bytes});
  return buffers_.back();
}

Expected<bool> Gpu::upload(const DeviceBuffer& dst, const void* src, size_t bytes) {
  if (bytes) TILEVM_CU_TRY(api().memcpy_htod(dst.ptr, src, bytes));
  return true;
}

Expected<bool> Gpu::download(void* dst, const DeviceBuffer& src, size_t bytes) {
  if (bytes) TILEVM_CU_TRY(api().memcpy_dtoh(dst, src.ptr, bytes));
  return true;
}

Expected<bool> Gpu::fill(const DeviceBuffer& dst, uint8_t value) {
  if (dst.bytes) TILEVM_CU_TRY(api().memset_d8(dst.ptr, value, dst.bytes));
  return true;
}

Expected<Kernel> Gpu::load(const std::vector<uint8_t>& cubin, const std::string& kernel_name) {
  CUmodule mod = nullptr;
  CUfunction fn = nullptr;
  TILEVM_CU_TRY(api().module_load_data(&mod, cubin.data()));
  modules_.push_back(mod);
  TILEVM_CU_TRY(api().module_get_function(&fn, mod, kernel_name.c_str()));
  return Kernel{mod, fn};
}

Expected<bool> Gpu::launch(const Kernel& kernel, const unsigned grid[3], unsigned block_threads,
                           unsigned shared_bytes, std::vector<void*>& args) {
  const Api& a = api();
  auto fn = static_cast<CUfunction>(kernel.function);
  if (shared_bytes > 48 * 1024)
    TILEVM_CU_TRY(a.func_set_attribute(fn, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, int(shared_bytes)));
  TILEVM_CU_TRY(a.launch_kernel(fn, grid[0], grid[1], grid[2], block_threads, 1, 1, shared_bytes, nullptr,
                                args.data(), nullptr));
  TILEVM_CU_TRY(a.ctx_synchronize());
  return true;
}

Expected<double> Gpu::time(const Kernel& kernel, const unsigned grid[3], unsigned block_threads,
                           unsigned shared_bytes, std::vector<void*>& args, int reps) {
  const Api& a = api();
  auto warm = launch(kernel, grid, block_threads, shared_bytes, args);
  if (!warm) return warm.error();
  CUevent start = nullptr, stop = nullptr;
  TILEVM_CU_TRY(a.event_create(&start, CU_EVENT_DEFAULT));
  TILEVM_CU_TRY(a.event_create(&stop, CU_EVENT_DEFAULT));
  std::vector<double> ms;
  auto fn = static_cast<CUfunction>(kernel.function);
  for (int i = 0; i < reps; ++i) {
    TILEVM_CU_TRY(a.event_record(start, nullptr));
    TILEVM_CU_TRY(a.launch_kernel(fn, grid[0], grid[1], grid[2], block_threads, 1, 1, shared_bytes, nullptr,
                                  args.data(), nullptr));
    TILEVM_CU_TRY(a.event_record(stop, nullptr));
    TILEVM_CU_TRY(a.event_synchronize(stop));
    float t = 0;
    TILEVM_CU_TRY(a.event_elapsed_time(&t, start, stop));
    ms.push_back(t);
  }
  a.event_destroy(start);
  a.event_destroy(stop);
  std::sort(ms.begin(), ms.end());
  return ms.empty() ? 0.0 : ms[ms.size() / 2];
}

}  // namespace tilevm::cuda
