// Code generation: a verified program to one readable CUDA C++ kernel (docs/backend.md), and the
// compilation of that kernel to a cubin with NVRTC, errors mapped back to the .tile source.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backend/cuda/nvrtc.h"
#include "ir/program.h"
#include "support/expected.h"
#include "text/source.h"
#include "verify/verify.h"

namespace tilevm::cuda {

struct EmitOptions {
  int arch = 90;  // 80, 89 or 90: decides fp8 cvt and which mma atoms exist
  // The kernel's C name; empty: the program's name. Batches (batch.h) give each kernel of one
  // translation unit a unique name this way.
  std::string kernel_name;
};

// A global workspace (alloc.global): the kernel takes one pointer per workspace after the
// program's parameters; the launcher allocates `elements` elements of `dtype` (zeroed when
// clean) for each.
struct Workspace {
  std::string name;
  ir::DType dtype;
  std::vector<ir::ExprPtr> shape;  // over the program's parameters
  bool clean = false;
};

struct EmittedKernel {
  std::string source;
  std::string kernel_name;   // the program's name (or EmitOptions::kernel_name)
  int threads = 0;           // block size
  int64_t shared_bytes = 0;  // dynamic shared memory
  std::vector<Workspace> workspaces;
  // tile_line[i]: the .tile line of the statement that generated line i+1 of `source` (0: none).
  std::vector<int> tile_line;
  // The parts of `source` after the shared prelude (prelude_text()): the file-scope definitions
  // this kernel needs (named by their content, so equal names mean equal text) and the kernel
  // function itself (comments included). source == prelude + globals + function, in that order.
  std::vector<std::string> globals;
  std::string function;
};

// The device-side helpers every generated kernel starts with (the first part of each source).
const char* prelude_text();

// Generates the kernel for `p`, which must have been verified (`facts` from verify_program on
// this very object). `file` (may be null) gives .tile line numbers for the comments. Fails with
// a located message for a construct the backend cannot lower (e.g. a layout pairing whose slots
// are not compile-time constants).
Expected<EmittedKernel> emit_kernel(const ir::Program& p, const verify::Facts& facts, const text::SourceFile* file,
                                    const EmitOptions& options);

struct CompiledKernel {
  EmittedKernel kernel;
  CompileResult compiled;
};

// emit_kernel + NVRTC (through the disk cache when `cached`). A compiler error is reported with
// each message's generated line, that line's text and the .tile line it came from.
Expected<CompiledKernel> compile_program(const ir::Program& p, const verify::Facts& facts, const text::SourceFile* file,
                                         const EmitOptions& options, bool cached = true);

// The architecture to generate for by default: the present GPU's, else sm_90 (also when the GPU
// is not one of sm_80, sm_89, sm_90: then the nearest lower supported one).
int default_arch();

// Whether op has a code generator (the table self-check uses it).
bool has_emitter(ir::Op op);

}  // namespace tilevm::cuda
