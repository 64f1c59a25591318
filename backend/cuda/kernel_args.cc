// Device buffers and the kernel parameter list of a launch (kernel_args.h).
#include "backend/cuda/kernel_args.h"

#include "exec/scalar.h"

namespace tilevm::cuda {

Expected<std::vector<int64_t>> workspace_elements(const exec::Launch& launch, const EmittedKernel& kernel) {
  auto lookup = [&](const std::string& name) -> std::optional<exec::Scalar> {
    for (const exec::Arg& a : launch.args)
      if (a.name == name && !a.is_pointer()) return exec::Scalar::of(a.type.dtype, a.bits);
    return std::nullopt;
  };
  std::vector<int64_t> out;
  for (const Workspace& ws : kernel.workspaces) {
    int64_t n = 1;
    for (const ir::ExprPtr& e : ws.shape) {
      exec::EvalError err;
      auto v = exec::eval_scalar(*e, lookup, &err);
      if (!v) return fail("workspace %" + ws.name + ": " + err.message);
      if (v->as_int() < 0) return fail("workspace %" + ws.name + ": negative extent " + std::to_string(v->as_int()));
      n *= v->as_int();
    }
    out.push_back(n);
  }
  return out;
}

Expected<KernelArgs> upload_kernel_args(Gpu& gpu, const exec::Launch& launch, const EmittedKernel& kernel,
                                        size_t guard_bytes) {
  auto elements = workspace_elements(launch, kernel);
  if (!elements) return elements.error();
  KernelArgs out;
  out.buffers.resize(launch.args.size());
  out.values.resize(launch.args.size() + elements->size());
  for (size_t i = 0; i < launch.args.size(); ++i) {
    const exec::Arg& a = launch.args[i];
    if (!a.is_pointer()) {
      out.values[i] = a.bits;
      continue;
    }
    auto b = gpu.alloc(a.bytes.size() + guard_bytes);
    if (!b) return b.error();
    if (auto f = gpu.fill(*b, 0xa5); !f) return f.error();
    if (auto u = gpu.upload(*b, a.bytes.data(), a.bytes.size()); !u) return u.error();
    out.buffers[i] = *b;
    out.values[i] = b->ptr;
  }
  for (size_t w = 0; w < elements->size(); ++w) {
    int64_t bits = (*elements)[w] * kernel.workspaces[w].dtype.bits;
    auto b = gpu.alloc(static_cast<size_t>((bits + 7) / 8) + guard_bytes);
    if (!b) return b.error();
    if (auto f = gpu.fill(*b, 0); !f) return f.error();
    out.buffers.push_back(*b);
    out.values[launch.args.size() + w] = b->ptr;
  }
  for (uint64_t& v : out.values) out.params.push_back(&v);
  return out;
}

}  // namespace tilevm::cuda
