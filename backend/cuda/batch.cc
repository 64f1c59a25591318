// Batched compilation (one NVRTC call for many kernels) and a launcher with its own stream,
// arena and pinned staging image (batch.h).
#include "backend/cuda/batch.h"

#include <cuda.h>
#include <dlfcn.h>
#include <elf.h>

#include <chrono>
#include <cstring>
#include <set>
#include <thread>

#include "backend/cuda/driver.h"

namespace tilevm::cuda {

std::string batch_source(const std::vector<const EmittedKernel*>& kernels) {
  std::string src = prelude_text();
  src += "\n";
  std::set<std::string> seen;
  for (const EmittedKernel* k : kernels)
    for (const std::string& g : k->globals)
      if (seen.insert(g).second) src += g + "\n";
  for (const EmittedKernel* k : kernels) src += k->function;
  return src;
}

Expected<std::vector<uint8_t>> compile_batch(const std::vector<const EmittedKernel*>& kernels, int arch) {
  // --no-cache: a batch is compiled once, so NVRTC's own cache (CUDA 12.9+, on disk where a
  // driver is present) would only cost writes and lock contention between the workers.
  auto r = compile(batch_source(kernels), "batch.cu", CompileOptions{arch, {"--no-cache"}});
  if (!r) return r.error();
  return std::move(r->cubin);
}

std::vector<std::string> cubin_kernel_names(const std::vector<uint8_t>& cubin) {
  std::vector<std::string> names;
  auto fits = [&](uint64_t off, uint64_t len) { return off <= cubin.size() && len <= cubin.size() - off; };
  if (!fits(0, sizeof(Elf64_Ehdr)) || std::memcmp(cubin.data(), ELFMAG, SELFMAG) != 0 || cubin[EI_CLASS] != ELFCLASS64)
    return names;
  Elf64_Ehdr eh;
  std::memcpy(&eh, cubin.data(), sizeof eh);
  if (eh.e_shentsize != sizeof(Elf64_Shdr) || !fits(eh.e_shoff, uint64_t{eh.e_shnum} * sizeof(Elf64_Shdr))) return names;
  auto section = [&](size_t i) {
    Elf64_Shdr sh;
    std::memcpy(&sh, cubin.data() + eh.e_shoff + i * sizeof sh, sizeof sh);
    return sh;
  };
  for (size_t i = 0; i < eh.e_shnum; ++i) {
    Elf64_Shdr sh = section(i);
    if (sh.sh_type != SHT_SYMTAB || sh.sh_link >= eh.e_shnum || !fits(sh.sh_offset, sh.sh_size)) continue;
    Elf64_Shdr str = section(sh.sh_link);
    if (!fits(str.sh_offset, str.sh_size)) continue;
    for (uint64_t off = 0; off + sizeof(Elf64_Sym) <= sh.sh_size; off += sizeof(Elf64_Sym)) {
      Elf64_Sym sym;
      std::memcpy(&sym, cubin.data() + sh.sh_offset + off, sizeof sym);
      if (ELF64_ST_TYPE(sym.st_info) != STT_FUNC || ELF64_ST_BIND(sym.st_info) != STB_GLOBAL || sym.st_shndx == SHN_UNDEF)
        continue;
      if (sym.st_name >= str.sh_size) continue;
      const char* s = reinterpret_cast<const char*>(cubin.data() + str.sh_offset + sym.st_name);
      names.emplace_back(s, strnlen(s, str.sh_size - sym.st_name));
    }
  }
  return names;
}

namespace {

// The driver entry points this file uses, resolved from libcuda.so.1 (device_info() has already
// loaded it and called cuInit when a GPU is present).
struct Api {
  decltype(&::cuGetErrorString) error_string = nullptr;
  decltype(&::cuDeviceGet) device_get = nullptr;
  decltype(&::cuCtxCreate_v4) ctx_create = nullptr;
  decltype(&::cuCtxDestroy_v2) ctx_destroy = nullptr;
  decltype(&::cuCtxSetCurrent) set_current = nullptr;
  decltype(&::cuStreamCreate) stream_create = nullptr;
  decltype(&::cuStreamDestroy_v2) stream_destroy = nullptr;
  decltype(&::cuStreamQuery) stream_query = nullptr;
  decltype(&::cuMemAlloc_v2) mem_alloc = nullptr;
  decltype(&::cuMemFree_v2) mem_free = nullptr;
  decltype(&::cuMemAllocHost_v2) host_alloc = nullptr;
  decltype(&::cuMemFreeHost) host_free = nullptr;
  decltype(&::cuMemcpyHtoDAsync_v2) htod = nullptr;
  decltype(&::cuMemcpyDtoHAsync_v2) dtoh = nullptr;
  decltype(&::cuModuleLoadData) module_load = nullptr;
  decltype(&::cuModuleUnload) module_unload = nullptr;
  decltype(&::cuModuleGetFunction) get_function = nullptr;
  decltype(&::cuFuncSetAttribute) set_attribute = nullptr;
  decltype(&::cuLaunchKernel) launch = nullptr;
  bool loaded = false;
};

const Api& api() {
  static const Api instance = [] {
    Api a;
    void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return a;
    bool all = true;
    auto get = [&](auto& field, const char* symbol) {
      field = reinterpret_cast<std::remove_reference_t<decltype(field)>>(dlsym(lib, symbol));
      all = all && field != nullptr;
    };
    get(a.error_string, "cuGetErrorString");
    get(a.device_get, "cuDeviceGet");
    get(a.ctx_create, "cuCtxCreate_v4");
    get(a.ctx_destroy, "cuCtxDestroy_v2");
    get(a.set_current, "cuCtxSetCurrent");
    get(a.stream_create, "cuStreamCreate");
    get(a.stream_destroy, "cuStreamDestroy_v2");
    get(a.stream_query, "cuStreamQuery");
    get(a.mem_alloc, "cuMemAlloc_v2");
    get(a.mem_free, "cuMemFree_v2");
    get(a.host_alloc, "cuMemAllocHost_v2");
    get(a.host_free, "cuMemFreeHost");
    get(a.htod, "cuMemcpyHtoDAsync_v2");
    get(a.dtoh, "cuMemcpyDtoHAsync_v2");
    get(a.module_load, "cuModuleLoadData");
    get(a.module_unload, "cuModuleUnload");
    get(a.get_function, "cuModuleGetFunction");
    get(a.set_attribute, "cuFuncSetAttribute");
    get(a.launch, "cuLaunchKernel");
    a.loaded = all;
    return a;
  }();
  return instance;
}

std::string cu_message(const char* call, CUresult r) {
  const char* msg = nullptr;
  if (api().error_string) api().error_string(r, &msg);
  return std::string(call) + " failed: " + (msg ? msg : "unknown error") + " (" + std::to_string(r) + ")";
}

// Errors after which the context can no longer be used (the kernel faulted).
bool sticky(CUresult r) {
  switch (r) {
    case CUDA_ERROR_ILLEGAL_ADDRESS: case CUDA_ERROR_LAUNCH_TIMEOUT: case CUDA_ERROR_ASSERT:
    case CUDA_ERROR_HARDWARE_STACK_ERROR: case CUDA_ERROR_ILLEGAL_INSTRUCTION: case CUDA_ERROR_MISALIGNED_ADDRESS:
    case CUDA_ERROR_INVALID_ADDRESS_SPACE: case CUDA_ERROR_INVALID_PC: case CUDA_ERROR_LAUNCH_FAILED:
    case CUDA_ERROR_CONTEXT_IS_DESTROYED: case CUDA_ERROR_UNKNOWN:
      return true;
    default:
      return false;
  }
}

#define TILEVM_BATCH_TRY(call)                                                       \
  do {                                                                               \
    if (CUresult r_ = (call); r_ != CUDA_SUCCESS) return fail(cu_message(#call, r_)); \
  } while (0)

constexpr size_t kGuard = 256;
constexpr uint8_t kGuardByte = 0xa5;

size_t align_up(size_t n) { return (n + 255) / 256 * 256; }

}  // namespace

Expected<std::unique_ptr<BatchGpu>> BatchGpu::open(size_t arena_bytes) {
  const DeviceInfo& d = device_info();
  if (!d.present) return fail(d.reason);
  if (!api().loaded) return fail("no CUDA device: libcuda.so.1 lacks driver API entry points tilevm needs");
  std::unique_ptr<BatchGpu> g(new BatchGpu());
  if (auto c = g->create(arena_bytes); !c) return c.error();
  return g;
}

Expected<bool> BatchGpu::create(size_t arena_bytes) {
  const Api& a = api();
  CUdevice dev = 0;
  TILEVM_BATCH_TRY(a.device_get(&dev, 0));
  CUcontext ctx = nullptr;
  TILEVM_BATCH_TRY(a.ctx_create(&ctx, nullptr, 0, dev));
  ctx_ = ctx;
  TILEVM_BATCH_TRY(a.set_current(ctx));
  CUstream s = nullptr;
  TILEVM_BATCH_TRY(a.stream_create(&s, CU_STREAM_NON_BLOCKING));
  stream_ = s;
  return grow(arena_bytes);
}

Expected<bool> BatchGpu::grow(size_t bytes) {
  const Api& a = api();
  if (arena_) a.mem_free(arena_);
  if (staging_) a.host_free(staging_);
  arena_ = 0, staging_ = nullptr, capacity_ = 0;
  CUdeviceptr p = 0;
  TILEVM_BATCH_TRY(a.mem_alloc(&p, bytes));
  arena_ = p;
  void* h = nullptr;
  TILEVM_BATCH_TRY(a.host_alloc(&h, bytes));
  staging_ = static_cast<uint8_t*>(h);
  capacity_ = bytes;
  return true;
}

void BatchGpu::release() {
  const Api& a = api();
  if (module_) a.module_unload(static_cast<CUmodule>(module_));
  if (arena_) a.mem_free(arena_);
  if (staging_) a.host_free(staging_);
  if (stream_) a.stream_destroy(static_cast<CUstream>(stream_));
  module_ = stream_ = nullptr, arena_ = 0, staging_ = nullptr;
  if (ctx_) a.ctx_destroy(static_cast<CUcontext>(ctx_));
  ctx_ = nullptr;
}

BatchGpu::~BatchGpu() { release(); }

Expected<bool> BatchGpu::load(const std::vector<uint8_t>& cubin) {
  const Api& a = api();
  if (module_) a.module_unload(static_cast<CUmodule>(module_));
  module_ = nullptr;
  CUmodule m = nullptr;
  TILEVM_BATCH_TRY(a.module_load(&m, cubin.data()));
  module_ = m;
  return true;
}

Expected<bool> BatchGpu::recover() {
  const Api& a = api();
  size_t keep = capacity_;
  // Resources of a lost context cannot be released one by one: destroying it frees them all.
  module_ = stream_ = nullptr, arena_ = 0, staging_ = nullptr, capacity_ = 0;
  if (ctx_) {
    a.set_current(nullptr);
    a.ctx_destroy(static_cast<CUcontext>(ctx_));
  }
  ctx_ = nullptr;
  return create(keep ? keep : size_t{64} << 20);
}

BatchRun BatchGpu::run(const std::string& name, const EmittedKernel& kernel, const std::array<int64_t, 3>& grid,
                       std::vector<exec::Arg>& args) {
  const Api& a = api();
  const auto t0 = std::chrono::steady_clock::now();
  BatchRun out;
  auto failed = [&](const std::string& msg, CUresult r) {
    out.message = msg;
    out.context_lost = sticky(r);
    return out;
  };
  if (!module_) return failed("no module loaded", CUDA_SUCCESS);
  if (!kernel.workspaces.empty()) return failed("kernels with global workspaces are not run in batches", CUDA_SUCCESS);
  // Layout: each pointer argument at a 256-byte aligned offset, followed by >= kGuard guard bytes.
  std::vector<size_t> at(args.size(), 0), end(args.size(), 0);
  size_t total = 0;
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i].is_pointer()) at[i] = total, end[i] = total = align_up(total + args[i].bytes.size() + kGuard);
  if (total > capacity_)
    if (auto g = grow(std::max(total, capacity_ * 2)); !g) return failed(g.error().message, CUDA_SUCCESS);
  std::memset(staging_, kGuardByte, total);
  std::vector<uint64_t> values(args.size());
  std::vector<void*> params(args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].is_pointer()) {
      if (!args[i].bytes.empty()) std::memcpy(staging_ + at[i], args[i].bytes.data(), args[i].bytes.size());
      values[i] = arena_ + at[i];
    } else {
      values[i] = args[i].bits;
    }
    params[i] = &values[i];
  }
  CUfunction fn = nullptr;
  auto s = static_cast<CUstream>(stream_);
  if (CUresult r = a.get_function(&fn, static_cast<CUmodule>(module_), name.c_str()); r != CUDA_SUCCESS)
    return failed(cu_message("cuModuleGetFunction", r) + " for " + name, r);
  if (kernel.shared_bytes > 48 * 1024)
    if (CUresult r = a.set_attribute(fn, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, int(kernel.shared_bytes)); r != CUDA_SUCCESS)
      return failed(cu_message("cuFuncSetAttribute", r), r);
  if (total)
    if (CUresult r = a.htod(arena_, staging_, total, s); r != CUDA_SUCCESS) return failed(cu_message("cuMemcpyHtoDAsync", r), r);
  if (CUresult r = a.launch(fn, unsigned(grid[0]), unsigned(grid[1]), unsigned(grid[2]), unsigned(kernel.threads), 1, 1,
                            unsigned(kernel.shared_bytes), s, params.data(), nullptr);
      r != CUDA_SUCCESS)
    return failed(cu_message("cuLaunchKernel", r), r);
  if (total)
    if (CUresult r = a.dtoh(staging_, arena_, total, s); r != CUDA_SUCCESS) return failed(cu_message("cuMemcpyDtoHAsync", r), r);
  // Wait for the stream, but not forever: a kernel that never ends (a hang) is reported.
  for (CUresult r;;) {
    r = a.stream_query(s);
    if (r == CUDA_SUCCESS) break;
    if (r != CUDA_ERROR_NOT_READY) return failed(cu_message("cuStreamQuery", r), r);
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > timeout_s_) {
      out.timed_out = true;
      return failed("the kernel did not finish within " + std::to_string(static_cast<int>(timeout_s_)) + " s", CUDA_ERROR_LAUNCH_TIMEOUT);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(20));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (!args[i].is_pointer()) continue;
    const size_t n = args[i].bytes.size();
    for (size_t g = at[i] + n; g < end[i]; ++g)
      if (staging_[g] != kGuardByte)
        return failed("the kernel wrote past the end of the buffer of '" + args[i].name + "' (byte " + std::to_string(g - at[i]) + ")",
                      CUDA_SUCCESS);
    std::memcpy(args[i].bytes.data(), staging_ + at[i], n);
  }
  out.ok = true;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace tilevm::cuda
