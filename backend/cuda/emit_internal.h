// The code generator's state and vocabulary, shared by emit.cc (program, statements, scalars),
// layout_math.cc (index math over layouts) and insns/<family>.cc (one file per family of the
// instruction table, with the emulator's family names).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "backend/cuda/emit.h"
#include "verify/checker.h"

namespace tilevm::cuda {

const char* prelude_source();

// One tensor of the program (indexed like verify::Facts::tensors).
struct TVar {
  std::string c;                       // C name
  const verify::TensorFacts* f = nullptr;
  int64_t smem = -1;                   // shared: byte offset in the dynamic shared memory
  std::string ptr;                     // global: C expression of the element pointer
  std::vector<std::string> shape;      // global: C expressions of the extents (int64_t)
  std::vector<std::string> stride;     // global: C expressions of the strides in elements
  bool unit_last = true;               // global: the last stride is the literal 1
};

class Emitter {
 public:
  Emitter(const ir::Program& p, const verify::Facts& facts, const text::SourceFile* file, const EmitOptions& o);
  Expected<EmittedKernel> run();

  // ---- output
  void line(const std::string& s);
  void open(const std::string& s, const std::string& comment = "") {
    line(s.empty() ? "{" + comment : s + " {" + comment);
    ++indent_;
  }
  void close(const std::string& s = "}") { --indent_; line(s); }
  void prologue(const std::string& s) { prologue_.push_back(s); }
  std::string fresh(const std::string& base) { return base + "_" + std::to_string(counter_++); }

  // ---- errors: the first one wins; emitters return after reporting.
  void fail(ir::SrcRange where, const std::string& msg);
  bool failed() const { return error_.has_value(); }

  // ---- scalars
  std::string expr(const ir::ExprPtr& e);                        // C expression
  std::string expr_as(const ir::ExprPtr& e, const ir::DType& t);  // converted to t
  std::optional<ir::ScalarType> type_of(const ir::ExprPtr& e);    // nullopt: untyped literal
  std::string scalar_name(const std::string& name) const;

  // ---- tensors
  TVar& operand(const ir::Insn& insn, size_t i);
  TVar& produced(const ir::Insn& insn);  // the result or the out= target
  bool in_place(const ir::Insn& insn) const { return !insn.out.empty(); }
  const verify::InsnFacts& facts_of(const ir::Insn& insn) const;
  // Declares a register tensor's storage (nothing for an in-place target).
  void declare_register(const TVar& t);

  // ---- layouts (layout_math.cc)
  // Names of const ints holding the thread's spatial part of the logical index, per dim.
  // `var` names the thread index (tid, or warp for a layout over warps) ranging over `count`.
  std::vector<std::string> spatial_base(const ir::RegisterLayout& l, const std::string& var = "tid", int count = 0);
  // Name of a const bool: the thread is the first replica of what it holds.
  std::string primary(const ir::RegisterLayout& l);
  // For every slot of `out`, the slot of `in` holding the element `in` needs for it (in's
  // shape broadcast against out's: right-aligned, extent-1 dims stretch); -1 if not
  // compile-time constant over the block's threads.
  std::vector<int> slot_map(const ir::RegisterLayout& out, const ir::RegisterLayout& in);

  // ---- element access of register tensors (storage in emit.cc)
  std::string get(const TVar& t, int slot);                       // value (native or code)
  std::string set(const TVar& t, int slot, const std::string& v);  // statement text

  // ---- conversions (insns/cast.cc): value v of type from as type to (both "value"
  // representations: native for standard types, the code for others).
  std::string convert(const std::string& v, const ir::DType& from, const ir::DType& to);

  const ir::Program& p_;
  const verify::Facts& facts_;
  const text::SourceFile* file_;
  EmitOptions opt_;
  int threads_ = 0;
  std::vector<TVar> tv_;
  int64_t smem_top_ = 0;      // shared-memory planner: next free byte
  int64_t smem_peak_ = 0;
  int64_t reduce_ws_ = 0;     // bytes the reductions' scratch needs (placed after the plan)
  std::vector<std::pair<int64_t, int64_t>> smem_free_;  // released [offset, size)
  std::vector<Workspace> workspaces_;
  std::vector<std::string> globals_;  // file-scope definitions (conversion tables)
  std::set<std::string> global_names_;

 public:
  void emit_stmt(const ir::Stmt& s);
  void emit_block(const std::vector<ir::Stmt>& b);
  void emit_insn(const ir::Insn& insn);
  void plan_names();
  int tile_line(ir::SrcRange r) const;

  std::vector<std::pair<std::string, int>> body_;  // generated line, .tile line
  std::vector<std::string> prologue_;
  std::map<std::string, std::vector<std::string>> bases_;  // layout text -> base names
  std::map<std::string, std::string> primaries_;
  std::vector<std::map<std::string, ir::ScalarType>> scopes_;
  std::map<std::string, std::string> scalar_c_;  // program scalar name -> C name
  std::optional<Error> error_;
  int indent_ = 1;
  int cur_line_ = 0;
  int counter_ = 0;
};

// C storage type of one element of a register tensor of dtype d, or "uint32_t" words for
// sub-byte types (is_packed).
std::string ctype(const ir::DType& d);
bool is_packed(const ir::DType& d);
// Storage elements of a register tensor with `slots` elements of d.
int storage_len(const ir::DType& d, int slots);
// Whether d's values are native C values (arithmetic types and bool) rather than codes.
bool is_native(const ir::DType& d);

// A C string literal (with its quotes) whose bytes are exactly s: quote and backslash escaped,
// bytes outside printable ASCII as three-digit octal escapes (insns/control.cc).
std::string c_string_literal(const std::string& s);
// The prelude function for and/or/xor/min/max: on bool operands (bytes where any non-zero value
// is true) the logical forms, which give 0 or 1 (min is and, max is or); `fn` otherwise.
std::string logical_if_bool(const std::string& fn, const ir::DType& d);

// The layout of a shared tensor (row-major when the program gives none).
layout::SharedLayout shared_layout_of(const TVar& t);

// Emitters of the instruction families (insns/<family>.cc).
void emit_index(Emitter& e, const ir::Insn& insn);
void emit_alloc(Emitter& e, const ir::Insn& insn);
void emit_memory(Emitter& e, const ir::Insn& insn);
void emit_copy(Emitter& e, const ir::Insn& insn);
void emit_elementwise(Emitter& e, const ir::Insn& insn);  // unary, binary, compare, ternary, select
void emit_cast(Emitter& e, const ir::Insn& insn);         // cast and view
void emit_reduce(Emitter& e, const ir::Insn& insn);
void emit_dot(Emitter& e, const ir::Insn& insn);
void emit_control(Emitter& e, const ir::Insn& insn);      // barrier, control, debug
void emit_atomic(Emitter& e, const ir::Insn& insn);       // atomics and the semaphore

}  // namespace tilevm::cuda
