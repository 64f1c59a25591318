// Access to the CUDA driver, loaded at run time with dlopen so that tilevm starts and runs
// emulator work on machines without a driver or GPU.
#pragma once

#include <string>

namespace tilevm::cuda {

// What the driver reports about the first device, or why there is none.
struct DeviceInfo {
  bool present = false;
  std::string reason;  // when !present: "no CUDA driver (libcuda.so.1 not found)", "no CUDA device", ...
  std::string name;
  int cc_major = 0;
  int cc_minor = 0;
  int driver_version = 0;  // e.g. 13000
};

// Loads libcuda.so.1 (once), calls cuInit, and describes device 0. Never throws or aborts.
const DeviceInfo& device_info();

// The NVRTC version linked into tilevm, as "major.minor".
std::string nvrtc_version();

}  // namespace tilevm::cuda
