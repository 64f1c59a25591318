// `tilevm tour`: a short demonstration of what tilevm can do on this machine.
#include <cstdio>
#include <cstring>

#include "backend/cuda/driver.h"
#include "command.h"

namespace {
int run_tour(int argc, char** argv) {
  if (argc > 1 && (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h"))) {
    std::printf("usage: tilevm tour\n\nA short tour of tilevm on this machine.\n");
    return 0;
  }
  const auto& dev = tilevm::cuda::device_info();
  std::printf("tilevm %s tour\n", TILEVM_VERSION);
  std::printf("GPU: %s\n", dev.present ? dev.name.c_str() : dev.reason.c_str());
  return 0;
}
}  // namespace

TILEVM_COMMAND(tour, "tour", "a short tour: data types and conversions", run_tour);
