// Access to the CUDA driver, loaded at run time with dlopen so that tilevm starts and runs
// emulator work on machines without a driver or GPU. Every call is checked; failures come back
// as errors naming the driver call and the driver's message, never as crashes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/expected.h"

namespace tilevm::cuda {

// What the driver reports about the first device, or why there is none.
struct DeviceInfo {
  bool present = false;
  std::string reason;  // when !present: "no CUDA device: ..."
  std::string name;
  int cc_major = 0;
  int cc_minor = 0;
  int driver_version = 0;  // e.g. 13000
  int arch() const { return cc_major * 10 + cc_minor; }
};

// Loads libcuda.so.1 (once), calls cuInit, and describes device 0. Never throws or aborts.
const DeviceInfo& device_info();

// The NVRTC version linked into tilevm, as "major.minor".
std::string nvrtc_version();

// Device memory owned by a Gpu; freed with it.
struct DeviceBuffer {
  uint64_t ptr = 0;
  size_t bytes = 0;
};

// A loaded cubin and one of its kernels.
struct Kernel {
  void* module = nullptr;
  void* function = nullptr;
};

// The primary context of device 0. Obtain it with Gpu::open(); all methods report driver errors.
class Gpu {
 public:
  static Expected<std::shared_ptr<Gpu>> open();
  ~Gpu();

  Expected<DeviceBuffer> alloc(size_t bytes);
  Expected<bool> upload(const DeviceBuffer& dst, const void* src, size_t bytes);
  Expected<bool> download(void* dst, const DeviceBuffer& src, size_t bytes);
  Expected<bool> fill(const DeviceBuffer& dst, uint8_t value);
  Expected<Kernel> load(const std::vector<uint8_t>& cubin, const std::string& kernel_name);
  // Launches and waits for completion. `args` point at each kernel parameter's value.
  Expected<bool> launch(const Kernel& kernel, const unsigned grid[3], unsigned block_threads,
                        unsigned shared_bytes, std::vector<void*>& args);
  // Median time in milliseconds of `reps` launches (after one warm-up), measured with events.
  Expected<double> time(const Kernel& kernel, const unsigned grid[3], unsigned block_threads,
                        unsigned shared_bytes, std::vector<void*>& args, int reps);

 private:
  Gpu() = default;
  std::vector<DeviceBuffer> buffers_;
  std::vector<void*> modules_;
};

}  // namespace tilevm::cuda
