// mma_validate: runs every modelled mma.sync variant on the GPU over seeded inputs and compares
// each D element bit for bit with tilevm's model (numerics/mma.h) computed on the CPU.
#include <cuda_runtime.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "launch.h"
#include "numerics/golden.h"
#include "numerics/mma.h"
#include "numerics/mma_inputs.h"
#include "numerics/vectors.h"

using namespace tilevm::numerics;

namespace {

struct Options {
  uint64_t vectors = 10000000;  // dot products per variant
  uint64_t seed = 1;
  int golden_instances = 80;
  int threads = 0;
  int batch = 16384;
  int report = 4;
  std::string golden_path, only;
};

// Kernel order of kernels.cuh.
std::vector<MmaSpec> variants() {
  using T = MmaType;
  std::vector<MmaSpec> v = {{16, 8, 16, T::kF16, T::kF16, T::kF32, false},
                            {16, 8, 16, T::kBf16, T::kBf16, T::kF32, false},
                            {16, 8, 16, T::kF16, T::kF16, T::kF16, false},
                            {16, 8, 8, T::kTf32, T::kTf32, T::kF32, false}};
  for (T a : {T::kE4m3, T::kE5m2})
    for (T b : {T::kE4m3, T::kE5m2}) v.push_back({16, 8, 32, a, b, T::kF32, false});
  for (int k : {32, 64})
    for (bool sat : {false, true})
      for (T a : {k == 32 ? T::kS8 : T::kS4, k == 32 ? T::kU8 : T::kU4})
        for (T b : {k == 32 ? T::kS8 : T::kS4, k == 32 ? T::kU8 : T::kU4}) v.push_back({16, 8, k, a, b, T::kS32, sat});
  return v;
}

int elem_bits(MmaType t) {
  switch (t) {
    case MmaType::kF16: case MmaType::kBf16: return 16;
    case MmaType::kTf32: return 32;
    case MmaType::kS4: case MmaType::kU4: return 4;
    default: return 8;
  }
}

// Per-lane register images of one instance (PTX ISA fragment layouts for m16n8k*, ".row.col").
struct Regs {
  uint32_t a[32][4], b[32][2], c[32][4];
};

inline int acc_row(int lane, int i) { return lane / 4 + 8 * (i / 2); }
inline int acc_col(int lane, int i) { return 2 * (lane % 4) + i % 2; }

void pack(const MmaSpec& s, const uint32_t* a, const uint32_t* b, const uint32_t* c, Regs& r) {
  const int w = elem_bits(s.a), per = 32 / w, k = s.k;
  const uint32_t mask = w == 32 ? ~0u : (1u << w) - 1;
  for (int lane = 0; lane < 32; ++lane) {
    const int g = lane / 4, t = lane % 4;
    for (int reg = 0; reg < 4; ++reg) {
      uint32_t x = 0, y = 0;
      for (int e = 0; e < per; ++e) {
        x |= (a[(g + 8 * (reg % 2)) * k + per * t + (k / 2) * (reg / 2) + e] & mask) << (w * e);
        if (reg < 2) y |= (b[(per * t + (k / 2) * reg + e) * 8 + g] & mask) << (w * e);
      }
      r.a[lane][reg] = x;
      if (reg < 2) r.b[lane][reg] = y;
    }
    for (int i = 0; i < 4; ++i) r.c[lane][i] = 0;
    for (int i = 0; i < 4; ++i) {
      const uint32_t v = c[acc_row(lane, i) * 8 + acc_col(lane, i)];
      if (s.c == MmaType::kF16)
        r.c[lane][i / 2] |= (v & 0xFFFF) << (16 * (i % 2));
      else
        r.c[lane][i] = v;
    }
  }
}

// The logical m×n D of one instance from its lanes' D registers.
void unpack(const MmaSpec& s, const uint32_t (*d)[4], uint32_t* out) {
  for (int lane = 0; lane < 32; ++lane)
    for (int i = 0; i < 4; ++i)
      out[acc_row(lane, i) * 8 + acc_col(lane, i)] =
          s.c == MmaType::kF16 ? (d[lane][i / 2] >> (16 * (i % 2))) & 0xFFFF : d[lane][i];
}

void parallel_for(int threads, int count, const auto& body) {
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (int i; (i = next.fetch_add(1)) < count;) body(i);
    });
  for (auto& th : pool) th.join();
}

#define CUDA_OK(call)                                                                         \
  do {                                                                                        \
    cudaError_t e_ = (call);                                                                  \
    if (e_ != cudaSuccess) {                                                                  \
      std::fprintf(stderr, "mma_validate: %s failed: %s\n", #call, cudaGetErrorString(e_));   \
      std::exit(2);                                                                           \
    }                                                                                         \
  } while (0)

// Device buffers for up to `cap` instances.
struct Device {
  void *a = nullptr, *b = nullptr, *c = nullptr, *d = nullptr;
  explicit Device(int cap) {
    CUDA_OK(cudaMalloc(&a, size_t(cap) * 512));
    CUDA_OK(cudaMalloc(&b, size_t(cap) * 256));
    CUDA_OK(cudaMalloc(&c, size_t(cap) * 512));
    CUDA_OK(cudaMalloc(&d, size_t(cap) * 512));
  }
  // Runs `n` packed instances; d_out receives 32×4 registers per instance.
  void run(int variant, const std::vector<Regs>& in, int n, std::vector<uint32_t>& d_out) {
    std::vector<uint32_t> ha(size_t(n) * 128), hb(size_t(n) * 64), hc(size_t(n) * 128);
    for (int i = 0; i < n; ++i) {
      std::memcpy(&ha[size_t(i) * 128], in[i].a, 512);
      std::memcpy(&hb[size_t(i) * 64], in[i].b, 256);
      std::memcpy(&hc[size_t(i) * 128], in[i].c, 512);
    }
    CUDA_OK(cudaMemcpy(a, ha.data(), ha.size() * 4, cudaMemcpyHostToDevice));
    CUDA_OK(cudaMemcpy(b, hb.data(), hb.size() * 4, cudaMemcpyHostToDevice));
    CUDA_OK(cudaMemcpy(c, hc.data(), hc.size() * 4, cudaMemcpyHostToDevice));
    CUDA_OK(cudaMemset(d, 0xA5, size_t(n) * 512));  // poison
    if (const char* err = mma_validate::launch(variant, a, b, c, d, n)) {
      std::fprintf(stderr, "mma_validate: kernel %d failed: %s\n", variant, err);
      std::exit(2);
    }
    d_out.resize(size_t(n) * 128);
    CUDA_OK(cudaMemcpy(d_out.data(), d, d_out.size() * 4, cudaMemcpyDeviceToHost));
  }
};

void print_codes(const char* label, const uint32_t* x, int n, int stride) {
  std::printf("    %s:", label);
  for (int i = 0; i < n; ++i) std::printf(" %x", x[i * stride]);
  std::printf("\n");
}

// Runs the fixed vectors (reference section 8 and the floor sweeps); returns mismatches.
int run_fixed(Device& dev, const std::vector<MmaSpec>& specs) {
  auto fixed = vectors::discriminating();
  for (auto& v : vectors::floor_sweeps()) fixed.push_back(v);
  int bad = 0;
  std::printf("fixed vectors (GPU vs model vs reference):\n");
  for (const auto& v : fixed) {
    const int id = int(std::find(specs.begin(), specs.end(), v.spec) - specs.begin());
    uint32_t a[16 * 64] = {}, b[64 * 8] = {}, c[128] = {}, d[128];
    vectors::expand(v, a, b);  // row 0 of A; column 0 of B is strided below
    uint32_t col[64];
    std::memcpy(col, b, sizeof col);
    std::memset(b, 0, sizeof b);
    for (int k = 0; k < v.spec.k; ++k) b[k * 8] = col[k];
    c[0] = v.c;
    std::vector<Regs> regs(1);
    pack(v.spec, a, b, c, regs[0]);
    std::vector<uint32_t> out;
    dev.run(id, regs, 1, out);
    unpack(v.spec, reinterpret_cast<const uint32_t(*)[4]>(out.data()), d);
    const uint32_t model = MmaModel::make(v.spec, Arch::kSm90)->dot(a, col, v.c);
    const bool ok = d[0] == model && (v.d == vectors::kUnmeasured || v.d == d[0]);
    bad += !ok;
    std::printf("  %-4s %-42s %-34s gpu %08x model %08x ref %08x\n", ok ? "ok" : "BAD", v.what,
                spec_name(v.spec).c_str(), d[0], model, v.d);
  }
  return bad;
}

struct Mismatch {
  uint64_t index;
  int row, col;
  uint32_t gpu, model;
};

// Checks one variant over opt.vectors dot products; returns its mismatch count.
uint64_t run_variant(Device& dev, int id, const MmaSpec& s, const Options& opt, golden::Variant* gold) {
  const MmaModel model = *MmaModel::make(s, Arch::kSm90);
  const uint64_t instances = (opt.vectors + 127) / 128;
  const int dists = inputs::distribution_count(s);
  std::vector<std::atomic<uint64_t>> bad(dists);
  std::vector<Mismatch> first;
  std::mutex mu;
  std::vector<Regs> regs(opt.batch);
  std::vector<uint32_t> out;
  for (uint64_t start = 0; start < instances; start += opt.batch) {
    const int n = int(std::min<uint64_t>(opt.batch, instances - start));
    parallel_for(opt.threads, n, [&](int i) {
      uint32_t a[16 * 64], b[64 * 8], c[128];
      inputs::generate(s, opt.seed, start + i, a, b, c);
      pack(s, a, b, c, regs[i]);
    });
    dev.run(id, regs, n, out);
    parallel_for(opt.threads, n, [&](int i) {
      uint32_t a[16 * 64], b[64 * 8], c[128], want[128], got[128];
      const uint64_t index = start + i;
      inputs::generate(s, opt.seed, index, a, b, c);
      model.tile(a, b, c, want);
      unpack(s, reinterpret_cast<const uint32_t(*)[4]>(&out[size_t(i) * 128]), got);
      if (gold && index < uint64_t(opt.golden_instances))
        std::copy(got, got + 128, gold->d.begin() + ptrdiff_t(index * 128));
      for (int e = 0; e < 128; ++e) {
        if (got[e] == want[e]) continue;
        bad[index % dists]++;
        std::lock_guard<std::mutex> lock(mu);
        if (int(first.size()) < opt.report) first.push_back({index, e / 8, e % 8, got[e], want[e]});
      }
    });
  }
  uint64_t total = 0;
  std::printf("%-36s %10" PRIu64 " dots  mismatches %" PRIu64, spec_name(s).c_str(), instances * 128,
              [&] { for (auto& x : bad) total += x; return total; }());
  if (total) {
    std::printf("  (by distribution:");
    for (int d = 0; d < dists; ++d) std::printf(" %s %" PRIu64, inputs::distribution_name(s, d), bad[d].load());
    std::printf(")");
  }
  std::printf("\n");
  for (const Mismatch& m : first) {
    uint32_t a[16 * 64], b[64 * 8], c[128];
    inputs::generate(s, opt.seed, m.index, a, b, c);
    std::printf("  instance %" PRIu64 " (%s) D[%d][%d]: gpu %08x model %08x c %08x\n", m.index,
                inputs::distribution_name(s, int(m.index % dists)), m.row, m.col, m.gpu, m.model, c[m.row * 8 + m.col]);
    print_codes("a", a + m.row * s.k, s.k, 1);
    print_codes("b", b + m.col, s.k, 8);
  }
  std::fflush(stdout);
  return total;
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const char* val = i + 1 < argc ? argv[i + 1] : nullptr;
    if (arg == "--help" || arg == "-h") return false;
    if (!val) return std::fprintf(stderr, "mma_validate: error: %s needs a value\n", arg.c_str()), false;
    ++i;
    if (arg == "--vectors") o.vectors = std::strtoull(val, nullptr, 10);
    else if (arg == "--seed") o.seed = std::strtoull(val, nullptr, 0);
    else if (arg == "--golden") o.golden_path = val;
    else if (arg == "--golden-instances") o.golden_instances = std::atoi(val);
    else if (arg == "--threads") o.threads = std::atoi(val);
    else if (arg == "--only") o.only = val;
    else if (arg == "--report") o.report = std::atoi(val);
    else return std::fprintf(stderr, "mma_validate: error: unknown option %s\n", arg.c_str()), false;
  }
  if (o.vectors == 0 || o.golden_instances < 0) return std::fprintf(stderr, "mma_validate: error: bad count\n"), false;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (!parse(argc, argv, opt)) {
    std::printf("usage: mma_validate [--vectors N] [--seed S] [--golden FILE] [--golden-instances N]\n"
                "                    [--threads N] [--only SUBSTRING] [--report N]\n"
                "Runs each mma.sync variant on the GPU and compares every output with the model.\n");
    return 2;
  }
  if (opt.threads <= 0) opt.threads = int(std::max(1u, std::thread::hardware_concurrency()));
  cudaDeviceProp prop;
  CUDA_OK(cudaGetDeviceProperties(&prop, 0));
  int runtime = 0;
  CUDA_OK(cudaRuntimeGetVersion(&runtime));
  char toolkit[32];
  std::snprintf(toolkit, sizeof toolkit, "CUDA %d.%d", runtime / 1000, runtime % 1000 / 10);
  std::printf("mma_validate: %s (sm_%d%d), %s, seed %" PRIu64 ", %" PRIu64 " vectors per variant, %d threads\n",
              prop.name, prop.major, prop.minor, toolkit, opt.seed, opt.vectors, opt.threads);
  const auto specs = variants();
  Device dev(opt.batch);
  int failed = run_fixed(dev, specs);
  golden::File gold{opt.seed, prop.name, toolkit, {}};
  uint64_t total = 0;
  for (int id = 0; id < int(specs.size()); ++id) {
    if (!opt.only.empty() && spec_name(specs[id]).find(opt.only) == std::string::npos) continue;
    golden::Variant* g = nullptr;
    if (!opt.golden_path.empty()) {
      const uint64_t n = std::min<uint64_t>(opt.golden_instances, (opt.vectors + 127) / 128);
      gold.variants.push_back({specs[id], std::vector<uint32_t>(n * 128)});
      g = &gold.variants.back();
    }
    const uint64_t bad = run_variant(dev, id, specs[id], opt, g);
    failed += bad != 0;
    total += bad;
  }
  if (!opt.golden_path.empty() && !golden::write(opt.golden_path.c_str(), gold)) {
    std::fprintf(stderr, "mma_validate: error: cannot write %s\n", opt.golden_path.c_str());
    return 2;
  }
  std::printf("summary: %d failing (variants + fixed vectors), %" PRIu64 " mismatching dots\n", failed, total);
  return failed ? 1 : 0;
}
