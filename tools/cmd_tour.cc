// `tilevm tour`: a short demonstration of what tilevm can do on this machine.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "backend/cuda/driver.h"
#include "command.h"
#include "dtype/convert.h"
#include "dtype/pack.h"

namespace {
using namespace tilevm::dt;

// The exact decimal value of a decoded code (every value shown here is a double exactly).
std::string exact(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[1200];
  std::snprintf(buf, sizeof buf, "%.1080f", v);
  std::string s(buf);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "-0" : s;
}

std::string hex(uint64_t code, int bits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%0*llx", (bits + 3) / 4, static_cast<unsigned long long>(code));
  return buf;
}

void show_types() {
  std::printf("\nSome of the %zu data types (formats are descriptors: bits, exponent, mantissa, bias):\n",
              all_dtypes().size());
  std::printf("  %-8s %4s %2s %2s %5s  %-14s %-12s %-12s %-3s %s\n", "name", "bits", "E", "M", "bias",
              "min subnormal", "min normal", "max", "inf", "NaN");
  for (const char* name : {"f16", "bf16", "f8e4m3", "f8e5m2", "f6e3m2", "f6e2m3", "f4e2m1", "f3e1m1", "ue8m0"}) {
    DType t = *parse_dtype(name);
    const char* nan = t.nan == NanEncoding::None ? "none" : t.nan == NanEncoding::AllOnes ? "S.1111.111"
                      : t.nan == NanEncoding::UE8M0 ? "0xff" : "IEEE";
    std::printf("  %-8s %4d %2d %2d %5d  %-14.6g %-12.6g %-12.6g %-3s %s\n", name, t.bits, t.exp_bits,
                t.man_bits, t.bias, t.min_subnormal(), t.min_normal(), t.max_finite(),
                t.has_inf ? "yes" : "no", nan);
  }
  std::printf("  and bool, u1..u8, u16, u32, u64, i1..i8, i16, i32, i64, f32, f64, every fNeEmM of 3..8 bits.\n");
}

void show_conversions() {
  const DType targets[] = {kF8E4M3, kF8E5M2, kF4E2M1, *parse_dtype("u4")};
  const uint32_t inputs[] = {0x3DCCCCCD, 0x447A0000, 0xC0300000, 0x3A800000, 0x7FC00000};  // 0.1f 1000 -2.75 2^-10 nan
  std::printf("\nf32 values converted (RNE + saturation for small floats; toward zero + saturation for ints):\n");
  std::printf("  %-44s", "f32 input (exact value)");
  for (const DType& t : targets) std::printf(" %-20s", t.name().c_str());
  std::printf("\n");
  for (uint32_t x : inputs) {
    std::string in = hex(x, 32) + " (" + exact(decode(x, kF32)) + ")";
    std::printf("  %-44s", in.c_str());
    for (const DType& t : targets) {
      uint64_t c = convert(x, kF32, t);
      std::string out = hex(c, t.bits) + " = " + exact(decode(c, t));
      std::printf(" %-20s", out.c_str());
    }
    std::printf("\n");
  }
  std::printf("  (NaN: f8e4m3/f8e5m2 have a NaN; f4e2m1 has none and takes +max; integers take 0.)\n");
}

void show_packing() {
  const uint64_t codes[] = {0x1, 0x2, 0x7, 0xC, 0x5};  // f4e2m1: 0.5 1 6 -2 3
  uint8_t bytes[3] = {0, 0, 0};
  pack(codes, 5, 4, bytes);
  std::printf("\nPacking: five f4e2m1 codes 1 2 7 c 5 (0.5 1 6 -2 3) are stored LSB-first with no gaps as\n"
              "  bytes %02x %02x %02x; element 3 read back: %s\n",
              bytes[0], bytes[1], bytes[2], exact(decode(get_element(bytes, 4, 3), kF4E2M1)).c_str());
}

int run_tour(int argc, char** argv) {
  if (argc > 1 && (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h"))) {
    std::printf("usage: tilevm tour\n\nA short tour of tilevm on this machine: data types, conversions, packing.\n");
    return 0;
  }
  if (argc > 1) {
    std::fprintf(stderr, "tilevm tour: error: unexpected argument '%s'\n", argv[1]);
    return 2;
  }
  const auto& dev = tilevm::cuda::device_info();
  std::printf("tilevm %s tour\n", TILEVM_VERSION);
  std::printf("GPU: %s\n", dev.present ? dev.name.c_str() : dev.reason.c_str());
  show_types();
  show_conversions();
  show_packing();
  return 0;
}
}  // namespace

TILEVM_COMMAND(tour, "tour", "a short tour: data types and conversions", run_tour);
