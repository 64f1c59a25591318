// The batched compile and launch path of `tilevm fuzz --backend both` (backend/cuda/batch.h):
// many fuzz kernels in one NVRTC call, found by name in the cubin's symbol table; on a GPU, each
// kernel of the batch runs on the reusable arena with the bytes of the single-program path, a
// write past a buffer is caught, and a faulting kernel is reported as a lost context.
#include <doctest/doctest.h>

#include <algorithm>

#include "backend/cuda/batch.h"
#include "backend/cuda/gpu_executor.h"
#include "conformance/fuzz.h"
#include "emulator/emulator.h"
#include "gpu.h"

using namespace tilevm;

namespace {

const bool kEmu = exec::register_executor("emu", []() -> Expected<std::unique_ptr<exec::Executor>> { return emu::make_emulator(); });

struct Prepared {
  conf::FuzzSpec spec;
  conf::FuzzPrepared p;
  cuda::EmittedKernel kernel;
};

// Seeds [first, first + n) prepared on the emulator and emitted as kernels fz_<seed>.
std::vector<Prepared> prepare(uint64_t first, int n) {
  std::vector<Prepared> out;
  for (int i = 0; i < n; ++i) {
    Prepared x{conf::random_spec(first + i), {}, {}};
    x.p = conf::prepare_spec(x.spec);
    REQUIRE_MESSAGE(x.p.outcome.ok, x.p.outcome.message);
    const exec::LoadedProgram& lp = *x.p.launch->program;
    auto k = cuda::emit_kernel(lp.program, lp.facts, lp.source.get(), cuda::EmitOptions{90, "fz_" + std::to_string(first + i)});
    REQUIRE_MESSAGE(k.ok(), k.error().message);
    x.kernel = std::move(*k);
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<const cuda::EmittedKernel*> kernels(const std::vector<Prepared>& ps) {
  std::vector<const cuda::EmittedKernel*> ks;
  for (const Prepared& p : ps) ks.push_back(&p.kernel);
  return ks;
}

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

cuda::EmittedKernel raw_kernel(const std::string& name, const std::string& body) {
  cuda::EmittedKernel k;
  k.kernel_name = name;
  k.threads = 32;
  k.function = "extern \"C\" __global__ void " + name + "(uint8_t* p, int n) {\n" + body + "\n}\n";
  return k;
}

std::vector<exec::Arg> byte_args(int n) {
  exec::Arg p;
  p.name = "p";
  p.type = {dt::kU8, true};
  p.shape = {n};
  p.bytes.assign(static_cast<size_t>(n), 7);
  exec::Arg c;
  c.name = "n";
  c.type = {dt::kI32, false};
  c.bits = static_cast<uint64_t>(n);
  return {p, c};
}

}  // namespace

TEST_CASE("fuzz batch: one translation unit holds the prelude once and every kernel under its own name") {
  std::vector<Prepared> ps = prepare(1, 6);
  const std::string src = cuda::batch_source(kernels(ps));
  CHECK(count(src, "#include <cuda_fp16.h>") == 1);
  for (const Prepared& p : ps) CHECK(count(src, " " + p.kernel.kernel_name + "(") == 1);
  for (const Prepared& p : ps)
    for (const std::string& g : p.kernel.globals) CHECK(count(src, g) == 1);
  // The name option does not change the rest of the kernel.
  const exec::LoadedProgram& lp = *ps[0].p.launch->program;
  auto plain = cuda::emit_kernel(lp.program, lp.facts, lp.source.get(), cuda::EmitOptions{90, ""});
  REQUIRE(plain.ok());
  CHECK(plain->kernel_name == "fz");
  CHECK(plain->source == std::string(cuda::prelude_text()) + "\n" + [&] {
          std::string g;
          for (const std::string& x : plain->globals) g += x + "\n";
          return g;
        }() + plain->function);
}

TEST_CASE("fuzz batch: 24 fuzz kernels compile in one NVRTC call for sm_90 and all are in the cubin") {
  std::vector<Prepared> ps = prepare(101, 24);
  auto cubin = cuda::compile_batch(kernels(ps), 90);
  REQUIRE_MESSAGE(cubin.ok(), cubin.error().message);
  std::vector<std::string> names = cuda::cubin_kernel_names(*cubin);
  CHECK(names.size() == ps.size());
  for (const Prepared& p : ps) CHECK_MESSAGE(std::count(names.begin(), names.end(), p.kernel.kernel_name) == 1, p.kernel.kernel_name);
}

TEST_CASE("fuzz batch: a compile error names the batch and the symbol table reader rejects non-ELF data") {
  cuda::EmittedKernel bad = raw_kernel("broken", "  undefined_function(p);");
  auto c = cuda::compile_batch({&bad}, 90);
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message.find("batch.cu") != std::string::npos);
  CHECK(cuda::cubin_kernel_names({}).empty());
  CHECK(cuda::cubin_kernel_names({0x7f, 'E', 'L', 'F', 1, 1}).empty());
}

TEST_CASE("fuzz batch: on a GPU every kernel of a batch gives the bytes of the single-program GPU path") {
  TILEVM_REQUIRE_GPU();
  // Against the GPU executor, not the emulator: this checks the batch machinery (names, arena,
  // guards, copies), whatever the backend's own differences from the emulator are.
  std::vector<Prepared> ps = prepare(201, 16);
  auto cubin = cuda::compile_batch(kernels(ps), cuda::default_arch());
  REQUIRE(cubin.ok());
  auto single = cuda::make_gpu_executor();
  REQUIRE_MESSAGE(single.ok(), single.error().message);
  std::vector<std::vector<exec::Arg>> want;
  for (const Prepared& p : ps) {
    auto r = (*single)->run(*p.p.launch);
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    want.push_back(r->args);
  }
  auto gpu = cuda::BatchGpu::open();
  REQUIRE_MESSAGE(gpu.ok(), gpu.error().message);
  REQUIRE((*gpu)->load(*cubin).ok());
  for (size_t i = 0; i < ps.size(); ++i) {
    std::vector<exec::Arg> args = ps[i].p.launch->args;
    cuda::BatchRun r = (*gpu)->run(ps[i].kernel.kernel_name, ps[i].kernel, ps[i].p.launch->grid, args);
    REQUIRE_MESSAGE(r.ok, r.message);
    for (size_t a = 0; a < args.size(); ++a)
      if (args[a].is_pointer()) CHECK_MESSAGE(!exec::first_difference(args[a], want[i][a]), ps[i].spec.seed, " ", args[a].name);
  }
}

TEST_CASE("fuzz batch: on a GPU a kernel that does not finish in time is reported as hung") {
  TILEVM_REQUIRE_GPU();
  // Sleeps for about 2 s (then ends by itself, so the process exits cleanly) against a 0.3 s
  // limit: 2000 sleeps of about 1 ms, counted, so the kernel ends whatever the code generator
  // makes of a clock-based loop.
  cuda::EmittedKernel slow = raw_kernel(
      "slow", "  for (volatile int i = 0; i < 2000; ++i) __nanosleep(1000000u);\n  if (threadIdx.x == 0) p[0] = 1;");
  auto cubin = cuda::compile_batch({&slow}, cuda::default_arch());
  REQUIRE(cubin.ok());
  auto gpu = cuda::BatchGpu::open();
  REQUIRE(gpu.ok());
  REQUIRE((*gpu)->load(*cubin).ok());
  (*gpu)->set_timeout(0.3);
  std::vector<exec::Arg> args = byte_args(4);
  cuda::BatchRun r = (*gpu)->run("slow", slow, {1, 1, 1}, args);
  CHECK_FALSE(r.ok);
  CHECK(r.timed_out);
  CHECK(r.context_lost);
  CHECK(r.message.find("did not finish within") != std::string::npos);
}

// Last: after a fault the driver may refuse new contexts for the rest of the process.
TEST_CASE("fuzz batch: on a GPU a write past a buffer is caught and a fault is reported as a lost context") {
  TILEVM_REQUIRE_GPU();
  cuda::EmittedKernel ok = raw_kernel("fill", "  if (threadIdx.x < n) p[threadIdx.x] = (uint8_t)threadIdx.x;");
  cuda::EmittedKernel past = raw_kernel("past", "  if (threadIdx.x == 0) p[n + 3] = 1;");
  cuda::EmittedKernel fault = raw_kernel("fault", "  *(volatile int*)(p + (1ull << 40)) = 1;");
  auto cubin = cuda::compile_batch({&ok, &past, &fault}, cuda::default_arch());
  REQUIRE(cubin.ok());
  auto gpu = cuda::BatchGpu::open();
  REQUIRE(gpu.ok());
  REQUIRE((*gpu)->load(*cubin).ok());
  std::vector<exec::Arg> args = byte_args(20);
  cuda::BatchRun r = (*gpu)->run("fill", ok, {1, 1, 1}, args);
  REQUIRE_MESSAGE(r.ok, r.message);
  for (int i = 0; i < 20; ++i) CHECK(args[0].bytes[i] == i);
  args = byte_args(20);
  r = (*gpu)->run("past", past, {1, 1, 1}, args);
  CHECK_FALSE(r.ok);
  CHECK_FALSE(r.context_lost);
  CHECK(r.message.find("past the end of the buffer of 'p' (byte 23)") != std::string::npos);
  r = (*gpu)->run("fault", fault, {1, 1, 1}, args);
  CHECK_FALSE(r.ok);
  CHECK_MESSAGE(r.context_lost, r.message);
  // After a fault the driver may refuse any new context in this process (seen on an H200 with
  // driver 580: "an illegal memory access was encountered"); then recover() must say so.
  auto rec = (*gpu)->recover();
  if (!rec) {
    MESSAGE("no recovery in this process: " << rec.error().message);
    CHECK(rec.error().message.find("illegal memory access") != std::string::npos);
    return;
  }
  auto again = (*gpu)->load(*cubin);
  REQUIRE_MESSAGE(again.ok(), again.error().message);
  args = byte_args(20);
  r = (*gpu)->run("fill", ok, {1, 1, 1}, args);
  CHECK_MESSAGE(r.ok, r.message);
  CHECK(args[0].bytes[19] == 19);
}
