// `tilevm info`: the version, the NVRTC in use, and the CUDA device (or why there is none).
#include <cstdio>
#include <cstring>

#include "backend/cuda/driver.h"
#include "command.h"

namespace {
int run_info(int argc, char** argv) {
  if (argc > 1 && (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h"))) {
    std::printf("usage: tilevm info\n\nPrints tilevm's version, the NVRTC version and the CUDA device, if any.\n");
    return 0;
  }
  if (argc > 1) {
    std::fprintf(stderr, "tilevm info: error: unexpected argument '%s'\n", argv[1]);
    return 2;
  }
  const auto& dev = tilevm::cuda::device_info();
  std::printf("tilevm %s\nNVRTC  %s\n", TILEVM_VERSION, tilevm::cuda::nvrtc_version().c_str());
  if (dev.present)
    std::printf("GPU    %s (sm_%d%d), driver %d.%d\n", dev.name.c_str(), dev.cc_major, dev.cc_minor,
                dev.driver_version / 1000, dev.driver_version % 1000 / 10);
  else
    std::printf("GPU    %s\n", dev.reason.c_str());
  return 0;
}
}  // namespace

TILEVM_COMMAND(info, "info", "show the version, NVRTC and the CUDA device", run_info);
