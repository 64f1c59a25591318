// `tilevm tour`: a short demonstration of what tilevm can do on this machine, ending with a run
// of examples/vector_add.tile on the emulator (and on the GPU when one is present).
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "backend/cuda/driver.h"
#include "command.h"
#include "dtype/convert.h"
#include "dtype/pack.h"
#include "exec/launch.h"
#include "tour_example.h"

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

// The f32 element `i` of pointer argument `name` of a run, as its code.
uint32_t f32_at(const tilevm::exec::RunResult& r, const char* name, int64_t i) {
  for (const tilevm::exec::Arg& a : r.args)
    if (a.name == name) return static_cast<uint32_t>(get_element(a.bytes.data(), 32, i));
  return 0;
}

// Runs `launch` on executor `backend`; prints why when it cannot run or traps.
std::optional<tilevm::exec::RunResult> run_on(const char* backend, const tilevm::exec::Launch& launch) {
  auto ex = tilevm::exec::make_executor(backend);
  auto r = ex ? (*ex)->run(launch) : tilevm::Expected<tilevm::exec::RunResult>(tilevm::fail(ex.error().message));
  if (!r) return std::printf("  %s: error: %s\n", backend, r.error().message.c_str()), std::nullopt;
  if (r->trap) return std::printf("  %s: trapped:\n%s", backend, tilevm::exec::render_trap(*r->trap, launch.program->source.get()).c_str()), std::nullopt;
  return std::move(*r);
}

// A few elements of c = a + b, and whether every c[i] is the host's f32 sum (NaNs as NaN).
bool show_sums(const tilevm::exec::RunResult& r, int64_t n) {
  int64_t bad = 0;
  for (int64_t i = 0; i < n; ++i) {
    uint32_t a = f32_at(r, "a", i), b = f32_at(r, "b", i), c = f32_at(r, "c", i);
    float fa, fb, fc, sum;
    std::memcpy(&fa, &a, 4), std::memcpy(&fb, &b, 4), std::memcpy(&fc, &c, 4);
    sum = fa + fb;
    bool ok = std::isnan(sum) ? std::isnan(fc) : std::memcmp(&sum, &fc, 4) == 0;
    bad += !ok;
    if (i < 3 || i == n - 1)
      std::printf("    c[%lld] = %-14.9g = a %-14.9g + b %.9g\n", static_cast<long long>(i), fc, fa, fb);
  }
  std::printf("  all %lld elements equal the host's f32 a[i] + b[i]: %s\n", static_cast<long long>(n), bad ? "NO" : "yes");
  return bad == 0;
}

// Runs examples/vector_add.tile (compiled in) on the emulator, then on the GPU when one is present.
bool show_run(const tilevm::cuda::DeviceInfo& dev) {
  using namespace tilevm;
  const int64_t n = 3000;
  std::printf("\nRunning examples/vector_add.tile (c[i] = a[i] + b[i], 1024 elements per block), as\n"
              "  tilevm run examples/vector_add.tile --backend both --arg n=3000 --arg a=rand:f32:1 --arg b=rand:f32:2\n");
  auto program = exec::load_program_text("examples/vector_add.tile", kTourExampleText);
  if (!program) return std::printf("  error: %s", program.error().message.c_str()), false;
  std::vector<exec::ArgSpec> specs;
  for (const char* a : {"n=3000", "a=rand:f32:1", "b=rand:f32:2"}) specs.push_back(*exec::parse_arg_spec(a));
  auto launch = exec::make_launch(*program, specs);
  if (!launch) return std::printf("  error: %s\n", launch.error().message.c_str()), false;
  auto emu = run_on("emu", *launch);
  if (!emu) return false;
  std::printf("  emu: %lld blocks of 128 threads in %.3f s\n", static_cast<long long>(emu->blocks_run), emu->seconds);
  if (!show_sums(*emu, n)) return false;
  if (!dev.present) {
    const std::string prefix = "no CUDA device: ";
    std::string why = dev.reason.rfind(prefix, 0) == 0 ? dev.reason.substr(prefix.size()) : dev.reason;
    return std::printf("  gpu: no CUDA device: skipped (%s)\n", why.c_str()), true;
  }
  std::fflush(stdout);  // what the emulator part printed stays visible if the GPU part fails hard
  auto gpu = run_on("gpu", *launch);
  if (!gpu) return false;
  for (size_t i = 0; i < emu->args.size(); ++i)
    if (auto m = exec::first_difference(emu->args[i], gpu->args[i]))
      return std::printf("  gpu (%s): %s differs from the emulator: element %lld, emu 0x%llx, gpu 0x%llx\n", dev.name.c_str(),
                         emu->args[i].name.c_str(), static_cast<long long>(m->index.empty() ? 0 : m->index[0]),
                         static_cast<unsigned long long>(m->a), static_cast<unsigned long long>(m->b)),
             false;
  std::printf("  gpu (%s): %lld blocks in %.3f s, identical to the emulator bit for bit\n", dev.name.c_str(),
              static_cast<long long>(gpu->blocks_run), gpu->seconds);
  return true;
}

int run_tour(int argc, char** argv) {
  if (argc > 1 && (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h"))) {
    std::printf("usage: tilevm tour\n\nA short tour of tilevm on this machine: data types, conversions, packing, and a\n"
                "program (examples/vector_add.tile) run on the emulator and, when a GPU is present, on the GPU.\n");
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
  return show_run(dev) ? 0 : 1;
}
}  // namespace

TILEVM_COMMAND(tour, "tour", "a short tour: data types, conversions and a program run", run_tour);
