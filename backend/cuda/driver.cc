// Run-time loading of the CUDA driver (libcuda) and device discovery.
#include "backend/cuda/driver.h"

#include <dlfcn.h>
#include <nvrtc.h>

namespace tilevm::cuda {
namespace {

using CUresult = int;
using CUdevice = int;
constexpr int kAttrComputeCapabilityMajor = 75;
constexpr int kAttrComputeCapabilityMinor = 76;

DeviceInfo discover() {
  DeviceInfo info;
  void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    info.reason = "no CUDA device: the CUDA driver (libcuda.so.1) is not installed";
    return info;
  }
  auto sym = [&](const char* name) { return dlsym(lib, name); };
  auto init = reinterpret_cast<CUresult (*)(unsigned)>(sym("cuInit"));
  auto count = reinterpret_cast<CUresult (*)(int*)>(sym("cuDeviceGetCount"));
  auto get = reinterpret_cast<CUresult (*)(CUdevice*, int)>(sym("cuDeviceGet"));
  auto name = reinterpret_cast<CUresult (*)(char*, int, CUdevice)>(sym("cuDeviceGetName"));
  auto attr = reinterpret_cast<CUresult (*)(int*, int, CUdevice)>(sym("cuDeviceGetAttribute"));
  auto version = reinterpret_cast<CUresult (*)(int*)>(sym("cuDriverGetVersion"));
  if (!init || !count || !get || !name || !attr || !version) {
    info.reason = "no CUDA device: libcuda.so.1 lacks the driver API entry points";
    return info;
  }
  version(&info.driver_version);
  if (CUresult r = init(0); r != 0) {
    info.reason = "no CUDA device: cuInit failed with error " + std::to_string(r);
    return info;
  }
  int n = 0;
  if (count(&n) != 0 || n == 0) {
    info.reason = "no CUDA device: the driver reports no devices";
    return info;
  }
  CUdevice dev = 0;
  char buf[256] = {};
  if (get(&dev, 0) != 0 || name(buf, sizeof buf, dev) != 0) {
    info.reason = "no CUDA device: device 0 cannot be opened";
    return info;
  }
  attr(&info.cc_major, kAttrComputeCapabilityMajor, dev);
  attr(&info.cc_minor, kAttrComputeCapabilityMinor, dev);
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

}  // namespace tilevm::cuda
