// The verifier: operands, results and the rules of allocation, memory, copy and control
// instructions (elementwise, view, reduce and dot are in check_compute.cc).
#include <set>

#include "verify/checker.h"

namespace tilevm::verify {
namespace {

const char* kind_words(uint8_t kinds) {
  bool r = kinds & ir::kOperandRegister, s = kinds & ir::kOperandShared, g = kinds & ir::kOperandGlobal;
  if (r && s && g) return "a tensor";
  if (r && !s && !g) return "a register tensor";
  if (s && !r && !g) return "a shared tensor";
  if (g && !r && !s) return "a global tensor";
  return "a tensor";
}

uint8_t scope_bit(Scope s) {
  return s == Scope::Register ? ir::kOperandRegister : s == Scope::Shared ? ir::kOperandShared : ir::kOperandGlobal;
}

bool all_literal(const std::vector<ir::ExprPtr>& v, std::vector<int64_t>* out) {
  for (const auto& e : v) {
    if (e->kind != ir::ExprKind::Int) return false;
    out->push_back(e->int_value);
  }
  return true;
}

}  // namespace

std::string Checker::tensor_desc(int id) const {
  const TensorFacts& t = facts_.tensors[id];
  std::string s = "%" + t.name + " (" + t.dtype.name();
  if (t.scope == Scope::Global) s += " global";
  else s += dims_text(t.shape) + (t.scope == Scope::Shared ? " shared" : "");
  return s + ")";
}

int Checker::tensor_operand(const ir::Insn& insn, size_t i, uint8_t kinds) {
  const ir::Operand& o = insn.operands[i];
  const ir::OperandSlot& slot = insn.info().operands[i];
  const Symbol* s = lookup(o.tensor, true);
  if (!s) {
    error(o.loc, "unknown tensor '%" + o.tensor + "'");
    return -1;
  }
  const TensorFacts& t = facts_.tensors[s->tensor];
  if (t.poisoned) return -2;
  if (!(scope_bit(t.scope) & kinds)) {
    error(o.loc, "operand '" + slot.name + "' of '" + insn.info().mnemonic + "' must be " + kind_words(kinds) + ", but %" +
                     o.tensor + " is a " + scope_name(t.scope) + " tensor");
    note(t.def_loc, "%" + o.tensor + " is defined here");
    return -1;
  }
  auto freed = freed_.find(s->tensor);
  if (freed != freed_.end()) {
    error(o.loc, "%" + o.tensor + " is used after free.shared");
    note(freed->second, "it was released here");
    return -1;
  }
  return s->tensor;
}

int Checker::new_tensor(const ir::Insn& insn, TensorFacts t) {
  t.name = insn.result;
  t.def = &insn;
  t.def_loc = insn.result_loc.valid ? insn.result_loc : insn.loc;
  int id = static_cast<int>(facts_.tensors.size());
  facts_.tensors.push_back(std::move(t));
  Symbol sym;
  sym.is_tensor = true;
  sym.tensor = id;
  sym.loc = facts_.tensors[id].def_loc;
  define(insn.result, sym);
  return id;
}

bool Checker::small_enough(const std::vector<int64_t>& shape, ir::SrcRange loc) {
  int64_t n = 1;
  for (int64_t e : shape) {
    if (e < 1) return true;  // reported elsewhere
    n *= e;
    if (n > kMaxRegisterElements) {
      error(loc, "a register tensor of shape " + dims_text(shape) + " has more than " +
                     std::to_string(kMaxRegisterElements) + " elements");
      return false;
    }
  }
  return true;
}

void Checker::finish_result(ir::Insn& insn, InsnFacts& f, TensorFacts t) {
  if (!small_enough(t.shape, insn.loc)) return;
  if (insn.out.empty()) {
    f.result = new_tensor(insn, std::move(t));
    return;
  }
  const Symbol* s = lookup(insn.out, true);
  if (!s) {
    error(insn.out_loc, "unknown tensor '%" + insn.out + "'");
    return;
  }
  const TensorFacts& o = facts_.tensors[s->tensor];
  if (o.poisoned || t.poisoned) return;
  if (o.scope != Scope::Register) {
    error(insn.out_loc, "out=%" + insn.out + " must be a register tensor, but it is a " + scope_name(o.scope) + " tensor");
    return;
  }
  if (!(o.dtype == t.dtype) || o.shape != t.shape) {
    error(insn.out_loc, "out=%" + insn.out + " is " + o.dtype.name() + dims_text(o.shape) + " but the result is " +
                            t.dtype.name() + dims_text(t.shape));
    note(o.def_loc, "%" + insn.out + " is defined here");
    return;
  }
  if (t.layout && o.layout && !(*t.layout == *o.layout)) {
    const ir::AttrValue* la = insn.info().attr_index("layout") >= 0 ? insn.attr("layout") : nullptr;
    error(la ? la->loc : insn.out_loc, "the layout given differs from the layout of out=%" + insn.out);
    note(o.def_loc, "%" + insn.out + " is defined here");
    return;
  }
  f.out = s->tensor;
}

// Offsets (one per dimension of the memory tensor, integers) and dims (which dimensions the
// tile spans; default: the last tile_rank ones).
bool Checker::check_offsets(const ir::Insn& insn, size_t rank, size_t tile_rank, std::vector<int64_t>* dims,
                            bool required) {
  bool ok = true;
  if (const ir::AttrValue* off = insn.attr("offset")) {
    if (off->exprs.size() != rank) {
      error(off->loc, "'offset' needs " + std::to_string(rank) + " entries (one per dimension of the " +
                          (insn.operands.empty() ? "" : "memory ") + "tensor), got " + std::to_string(off->exprs.size()));
      ok = false;
    }
    for (const auto& e : off->exprs) ok &= expect_integer(e, "an offset").has_value();
  }
  if (tile_rank > rank) {
    error(insn.loc, "the tile has rank " + std::to_string(tile_rank) + " but the memory tensor has rank " + std::to_string(rank));
    return false;
  }
  if (const ir::AttrValue* d = insn.attr("dims")) {
    std::set<int64_t> seen;
    bool bad = d->ints.size() != tile_rank;
    for (int64_t x : d->ints) bad |= x < 0 || x >= static_cast<int64_t>(rank) || !seen.insert(x).second;
    if (bad) {
      error(d->loc, "'dims' must list " + std::to_string(tile_rank) + " distinct dimensions of the " +
                        std::to_string(rank) + "-dimensional memory tensor");
      return false;
    }
    *dims = d->ints;
  } else {
    dims->clear();
    for (size_t i = rank - tile_rank; i < rank; ++i) dims->push_back(static_cast<int64_t>(i));
  }
  return ok;
}

void Checker::check_insn(ir::Insn& insn) {
  const ir::InsnInfo& info = insn.info();
  InsnFacts f;
  f.operands.assign(insn.operands.size(), -1);
  bool bad = false;
  for (size_t i = 0; i < insn.operands.size(); ++i) {
    if (!insn.operands[i].is_tensor) continue;
    f.operands[i] = tensor_operand(insn, i, info.operands[i].kinds);
    bad |= f.operands[i] < 0;
  }
  size_t before = diags_.error_count();
  if (!bad) (this->*rule_for(insn.op))(insn, f);
  // A result that could not be typed is still defined, so that later uses are not reported
  // again; it is poisoned so that nothing about it is checked.
  if (!insn.result.empty() && info.result != ir::ResultKind::Scalar && f.result < 0 && insn.out.empty() &&
      (bad || diags_.error_count() != before)) {
    TensorFacts t;
    t.poisoned = true;
    t.scope = info.result == ir::ResultKind::Shared ? Scope::Shared
            : info.result == ir::ResultKind::Global ? Scope::Global : Scope::Register;
    f.result = new_tensor(insn, t);
  }
  if (!insn.result.empty() && info.result == ir::ResultKind::Scalar && !lookup(insn.result, false)) {
    Symbol s;
    s.type = ir::ScalarType{dt::kI32, false};
    s.what = "block index";
    s.loc = insn.result_loc;
    define(insn.result, s);
  }
  facts_.insns[&insn] = f;
  order_.emplace_back(0, &insn);
}

Checker::Rule Checker::rule_for(ir::Op op) {
  switch (op) {
    case ir::Op::kAllocRegister: case ir::Op::kAllocShared: case ir::Op::kAllocGlobal: case ir::Op::kFreeShared:
    case ir::Op::kViewGlobal:
      return &Checker::check_alloc;
    case ir::Op::kLoadGlobal: case ir::Op::kStoreGlobal: case ir::Op::kLoadShared: case ir::Op::kStoreShared:
    case ir::Op::kCopyAsync: case ir::Op::kCopyAsyncCommit: case ir::Op::kCopyAsyncWait: case ir::Op::kAtomicGlobal:
    case ir::Op::kAtomicShared:
      return &Checker::check_memory;
    case ir::Op::kNeg: case ir::Op::kAbs: case ir::Op::kNot: case ir::Op::kExp: case ir::Op::kExp2: case ir::Op::kLog:
    case ir::Op::kSqrt: case ir::Op::kRsqrt: case ir::Op::kRound: case ir::Op::kAdd: case ir::Op::kSub: case ir::Op::kMul:
    case ir::Op::kDiv: case ir::Op::kMod: case ir::Op::kMin: case ir::Op::kMax: case ir::Op::kAnd: case ir::Op::kOr:
    case ir::Op::kXor: case ir::Op::kShl: case ir::Op::kShr: case ir::Op::kEq: case ir::Op::kNe: case ir::Op::kLt:
    case ir::Op::kLe: case ir::Op::kGt: case ir::Op::kGe: case ir::Op::kFma: case ir::Op::kWhere: case ir::Op::kCast:
    case ir::Op::kView: case ir::Op::kReduceSum: case ir::Op::kReduceMax: case ir::Op::kReduceMin:
    case ir::Op::kReduceAnd: case ir::Op::kReduceOr:
      return &Checker::check_elementwise;
    case ir::Op::kDotMma: case ir::Op::kDotSimt: return &Checker::check_dot;
    case ir::Op::kBlockIndex: case ir::Op::kSync: case ir::Op::kExit: case ir::Op::kPrint: case ir::Op::kSemaphoreWait:
    case ir::Op::kSemaphoreSignal:
      return &Checker::check_misc;
  }
  return nullptr;
}

bool has_rule(ir::Op op) { return Checker::rule_for(op) != nullptr; }

void Checker::check_misc(ir::Insn& insn, InsnFacts& f) {
  switch (insn.op) {
    case ir::Op::kBlockIndex: {
      const std::string& w = insn.attr("dim")->word;
      size_t dim = w == "x" ? 0 : w == "y" ? 1 : 2;
      if (dim >= p_.grid.size())
        error(insn.attr("dim")->loc, "block_index(dim=" + w + ") needs a grid of " + std::to_string(dim + 1) +
                                         " dimensions, but the grid has " + std::to_string(p_.grid.size()));
      Symbol s;
      s.type = ir::ScalarType{dt::kI32, false};
      s.what = "block index";
      s.loc = insn.result_loc;
      define(insn.result, s);
      return;
    }
    case ir::Op::kPrint:
      if (!insn.operands[0].is_tensor) {
        auto t = type_of(insn.operands[0].scalar);
        if (t && t->kind == SType::Typed && t->type.pointer) error(insn.operands[0].loc, "a pointer cannot be printed");
      }
      return;
    case ir::Op::kSemaphoreWait:
    case ir::Op::kSemaphoreSignal: {
      const TensorFacts& sem = facts_.tensors[f.operands[0]];
      if (!(sem.dtype == dt::kI32))
        error(insn.operands[0].loc, "a semaphore must be an i32 global tensor, but %" + sem.name + " holds " + sem.dtype.name());
      std::vector<int64_t> dims;
      check_offsets(insn, sem.global_shape.size(), 0, &dims, true);
      expect_type(insn.attr("value")->expr, ir::ScalarType{dt::kI32, false}, "the semaphore value");
      return;
    }
    default: return;  // sync, exit, copy_async.commit: nothing to check
  }
}

void Checker::check_alloc(ir::Insn& insn, InsnFacts& f) {
  TensorFacts t;
  auto check_shape = [&](const std::vector<int64_t>& shape, ir::SrcRange loc) {
    int64_t n = 1;
    for (int64_t e : shape) {
      if (e < 1) {
        error(loc, "tensor extents must be at least 1, got " + dims_text(shape));
        return false;
      }
      n *= e;
      if (n > (int64_t{1} << 24)) {
        error(loc, "the tensor has more than 2^24 elements");
        return false;
      }
    }
    return true;
  };
  switch (insn.op) {
    case ir::Op::kAllocRegister: {
      t.dtype = *insn.attr("dtype")->dtype;
      t.shape = insn.attr("shape")->ints;
      if (!check_shape(t.shape, insn.attr("shape")->loc) || !small_enough(t.shape, insn.attr("shape")->loc)) return;
      if (const ir::AttrValue* init = insn.attr("init")) {
        if (ir::is_standard(t.dtype)) expect_type(init->expr, ir::ScalarType{t.dtype, false}, "'init'");
        else if (init->expr->kind != ir::ExprKind::Int && init->expr->kind != ir::ExprKind::Float)
          error(init->loc, "'init' of a " + t.dtype.name() + " tensor must be a literal");
        else if (init->expr->kind == ir::ExprKind::Float && !ir::is_float(t.dtype))
          error(init->loc, "float literal used to initialise a " + t.dtype.name() + " tensor");
        else if (init->expr->kind == ir::ExprKind::Int) literal_fits(init->expr->int_value, t.dtype, init->loc);
      }
      if (const ir::AttrValue* l = insn.attr("layout")) {
        std::vector<int64_t> ls(l->rlayout->shape.begin(), l->rlayout->shape.end());
        if (ls != t.shape) {
          error(l->loc, "layout has shape " + dims_text(ls) + " but the tensor has shape " + dims_text(t.shape));
          return;
        }
        t.layout = *l->rlayout;
        t.layout_explicit = true;
      }
      f.result = new_tensor(insn, t);
      return;
    }
    case ir::Op::kAllocShared: {
      t.scope = Scope::Shared;
      t.dtype = *insn.attr("dtype")->dtype;
      t.shape = insn.attr("shape")->ints;
      if (!check_shape(t.shape, insn.attr("shape")->loc)) return;
      std::vector<int> shape(t.shape.begin(), t.shape.end());
      t.shared_layout = layout::shared_row_major(shape);
      if (const ir::AttrValue* l = insn.attr("layout")) {
        std::vector<int64_t> ls(l->slayout->shape.begin(), l->slayout->shape.end());
        if (ls != t.shape) {
          error(l->loc, "layout has shape " + dims_text(ls) + " but the tensor has shape " + dims_text(t.shape));
          return;
        }
        t.shared_layout = *l->slayout;
        t.layout_explicit = true;
      }
      int64_t bytes = t.shared_layout->storage_bytes(t.dtype.bits);
      shared_live_ += bytes;
      if (shared_live_ > kMaxSharedBytes && facts_.shared_bytes_peak <= kMaxSharedBytes)
        error(insn.loc, "shared memory in use reaches " + std::to_string(shared_live_) + " bytes here, over the limit of " +
                            std::to_string(kMaxSharedBytes) + " bytes per block");
      facts_.shared_bytes_peak = std::max(facts_.shared_bytes_peak, shared_live_);
      f.result = new_tensor(insn, t);
      return;
    }
    case ir::Op::kAllocGlobal: {
      t.scope = Scope::Global;
      t.dtype = *insn.attr("dtype")->dtype;
      t.global_shape = insn.attr("shape")->exprs;
      for (const auto& e : t.global_shape) expect_integer(e, "a global extent");
      f.result = new_tensor(insn, t);
      return;
    }
    case ir::Op::kFreeShared: {
      int id = f.operands[0];
      freed_[id] = insn.loc;
      const TensorFacts& s = facts_.tensors[id];
      shared_live_ -= s.shared_layout->storage_bytes(s.dtype.bits);
      return;
    }
    case ir::Op::kViewGlobal: {
      const ir::Operand& ptr = insn.operands[0];
      auto st = type_of(ptr.scalar);
      if (!st) return;
      if (st->kind != SType::Typed || !st->type.pointer) {
        error(ptr.loc, "operand 'ptr' of 'view.global' must be a pointer parameter, not " +
                           (st->kind == SType::Typed ? st->type.name() : std::string("a literal")));
        return;
      }
      t.scope = Scope::Global;
      t.dtype = st->type.dtype;
      t.global_shape = insn.attr("shape")->exprs;
      for (const auto& e : t.global_shape) expect_integer(e, "a global extent");
      if (const ir::AttrValue* s = insn.attr("strides")) {
        if (s->exprs.size() != t.global_shape.size())
          error(s->loc, "'strides' needs " + std::to_string(t.global_shape.size()) + " entries, one per dimension");
        for (const auto& e : s->exprs) expect_integer(e, "a stride");
      }
      f.result = new_tensor(insn, t);
      return;
    }
    default: return;
  }
}

void Checker::check_memory(ir::Insn& insn, InsnFacts& f) {
  const ir::InsnInfo& info = insn.info();
  if (insn.op == ir::Op::kCopyAsyncCommit) return;
  if (insn.op == ir::Op::kCopyAsyncWait) {
    if (insn.attr("n")->int_value < 0) error(insn.attr("n")->loc, "copy_async.wait needs n >= 0");
    return;
  }
  bool is_load = insn.op == ir::Op::kLoadGlobal || insn.op == ir::Op::kLoadShared;
  // The memory tensor, and the register (or shared, for copy_async) tile.
  int mem = is_load ? f.operands[0] : f.operands[1];
  const TensorFacts& m = facts_.tensors[mem];
  size_t rank = m.scope == Scope::Global ? m.global_shape.size() : m.shape.size();
  std::vector<int64_t> tile;
  if (is_load) {
    const ir::AttrValue* sh = insn.attr("shape");
    tile = sh ? sh->ints : m.shape;
    if (sh) {
      for (int64_t e : tile)
        if (e < 1) {
          error(sh->loc, "tile extents must be at least 1, got " + dims_text(tile));
          return;
        }
    }
  } else {
    tile = facts_.tensors[f.operands[0]].shape;
    const TensorFacts& v = facts_.tensors[f.operands[0]];
    if (!(v.dtype == m.dtype)) {
      error(insn.loc, "'" + info.mnemonic + "' moves " + v.dtype.name() + " elements of %" + v.name + " into %" + m.name +
                          ", which holds " + m.dtype.name());
      return;
    }
  }
  std::vector<int64_t> dims;
  if (!check_offsets(insn, rank, tile.size(), &dims, m.scope == Scope::Global)) return;
  // Shared tiles at literal offsets must lie inside the tensor.
  std::vector<int64_t> off;
  const ir::AttrValue* oa = insn.attr("offset");
  if (m.scope == Scope::Shared && (!oa || all_literal(oa->exprs, &off))) {
    if (!oa) off.assign(rank, 0);
    for (size_t d = 0; d < rank; ++d) {
      int64_t ext = 1;
      for (size_t j = 0; j < dims.size(); ++j)
        if (dims[j] == static_cast<int64_t>(d)) ext = tile[j];
      if (off[d] < 0 || off[d] + ext > m.shape[d]) {
        error(oa ? oa->loc : insn.loc, "the tile " + dims_text(tile) + " at offset " + dims_text(off) +
                                           " does not fit in %" + m.name + " of shape " + dims_text(m.shape));
        return;
      }
    }
  }
  if (insn.op == ir::Op::kAtomicGlobal || insn.op == ir::Op::kAtomicShared) {
    const std::string& op = insn.attr("op")->word;
    const ir::DType& d = m.dtype;
    bool ok = (op == "add" || op == "sub")
                  ? (d == dt::kI32 || d == dt::kU32 || d == dt::kI64 || d == dt::kU64 || d == dt::kF32 ||
                     d == dt::kF64 || d == dt::kF16 || d == dt::kBF16)
              : (op == "min" || op == "max") ? (d == dt::kI32 || d == dt::kU32 || d == dt::kI64 || d == dt::kU64)
                                             : (d.bits == 32 || d.bits == 64);
    if (!ok) error(insn.attr("op")->loc, "atomic '" + op + "' is not available for " + d.name());
    return;
  }
  if (!is_load) return;
  TensorFacts t;
  t.dtype = m.dtype;
  t.shape = tile;
  if (const ir::AttrValue* l = insn.attr("layout")) {
    std::vector<int64_t> ls(l->rlayout->shape.begin(), l->rlayout->shape.end());
    if (ls != tile) {
      error(l->loc, "layout has shape " + dims_text(ls) + " but the tile has shape " + dims_text(tile));
      return;
    }
    t.layout = *l->rlayout;
    t.layout_explicit = true;
  }
  finish_result(insn, f, t);
}

}  // namespace tilevm::verify
