// A block's execution: statements, scalars, tensor bookkeeping, barriers and traps.
#include "emulator/block.h"

#include "dtype/pack.h"
#include "emulator/emulator.h"

namespace tilevm::emu {

Block::Block(Grid& grid, std::array<int64_t, 3> index)
    : grid_(grid), index_(index), num_threads_(static_cast<int>(grid.program().program.warps * 32)) {
  const size_t n = grid.program().facts.tensors.size();
  regs_.resize(n), shareds_.resize(n), globals_.resize(n);
}

const verify::Facts& Block::facts() const { return grid_.program().facts; }
bool Block::check_init() const { return grid_.launch().check_init; }

void Block::run() {
  run_body(grid_.program().program.body);
  if (!exited) barrier();  // the end of the block closes the last epoch
}

void Block::run_body(const std::vector<ir::Stmt>& body) {
  for (const ir::Stmt& s : body) {
    if (exited || broke_) return;
    if (!run_stmt(s)) return;
  }
}

exec::TrapSite Block::site(int thread, bool is_write) const {
  exec::TrapSite s;
  s.loc = current_loc_;
  s.block = index_;
  s.thread = thread;
  s.is_write = is_write;
  return s;
}

void Block::trap(exec::TrapKind kind, std::string message, int thread, std::optional<uint64_t> address,
                 std::string memory, bool is_write) {
  exec::Trap t;
  t.kind = kind;
  t.message = std::move(message);
  t.site = site(thread, is_write);
  t.address = address;
  t.memory = std::move(memory);
  throw TrapException{t};
}

exec::Scalar Block::eval(const ir::ExprPtr& e) {
  exec::ScalarLookup lookup = [this](const std::string& name) -> std::optional<exec::Scalar> {
    auto it = scalars_.find(name);
    if (it != scalars_.end()) return it->second;
    if (const exec::Arg* a = grid_.launch().arg(name); a && !a->is_pointer()) return exec::Scalar::of(a->type.dtype, a->bits);
    return std::nullopt;
  };
  exec::EvalError err;
  auto v = exec::eval_scalar(*e, lookup, &err);
  if (!v) {
    current_loc_ = err.loc.valid ? err.loc : current_loc_;
    if (err.kind == exec::EvalError::DivideByZero) trap(exec::TrapKind::DivideByZero, err.message);
    TILEVM_CHECK(false && "the verifier resolved every name");
  }
  return *v;
}

std::vector<int64_t> Block::eval_ints(const ir::AttrValue* a) {
  std::vector<int64_t> out;
  if (!a) return out;
  for (const ir::ExprPtr& e : a->exprs) out.push_back(eval_int(e));
  return out;
}

// Runs one statement; returns false after `break`.
bool Block::run_stmt(const ir::Stmt& s) {
  current_loc_ = s.loc;
  switch (s.kind) {
    case ir::StmtKind::Let: {
      exec::Scalar v = eval(s.value);
      if (s.type) v = exec::convert_scalar(v, s.type->dtype);
      else if (v.literal) v = exec::convert_scalar(v, v.type);
      v.literal = false;
      scalars_[s.name] = v;
      return true;
    }
    case ir::StmtKind::Assign: {
      exec::Scalar v = exec::convert_scalar(eval(s.value), scalars_.at(s.name).type);
      v.literal = false;
      scalars_[s.name] = v;
      return true;
    }
    case ir::StmtKind::For: {
      exec::Scalar start = s.start ? eval(s.start) : exec::Scalar::of(dt::kI32, 0), stop = eval(s.stop);
      exec::Scalar step = s.step ? eval(s.step) : exec::Scalar::of(dt::kI32, 1);
      dt::DType t = !stop.literal ? stop.type : !start.literal ? start.type : !step.literal ? step.type : dt::kI32;
      int64_t lo = exec::convert_scalar(start, t).as_int(), hi = exec::convert_scalar(stop, t).as_int();
      int64_t st = exec::convert_scalar(step, t).as_int();
      if (st == 0) trap(exec::TrapKind::Other, "for loop with step 0");
      for (int64_t i = lo; st > 0 ? i < hi : i > hi; i += st) {
        scalars_[s.name] = exec::Scalar::of(t, static_cast<uint64_t>(i));
        run_body(s.body);
        if (broke_) {
          broke_ = false;
          break;
        }
        if (exited) return false;
      }
      return true;
    }
    case ir::StmtKind::If:
      if (eval(s.cond).as_bool()) run_body(s.body);
      else run_body(s.else_body);
      return !broke_;
    case ir::StmtKind::While:
      while (!exited && eval(s.cond).as_bool()) {
        run_body(s.body);
        if (broke_) {
          broke_ = false;
          break;
        }
      }
      return true;
    case ir::StmtKind::Break:
      broke_ = true;
      return false;
    case ir::StmtKind::Insn:
      run_insn(s.insn);
      return true;
  }
  return true;
}

void Block::run_insn(const ir::Insn& insn) {
  current_ = &insn;
  current_loc_ = insn.loc;
  if (grid_.hook) grid_.hook(*this, insn);
  exec_fn(insn.op)(*this, insn);
}

const verify::InsnFacts& Block::insn_facts(const ir::Insn& insn) const {
  auto it = facts().insns.find(&insn);
  TILEVM_CHECK(it != facts().insns.end());
  return it->second;
}

const RegTensor* Block::find_reg(const std::string& name) const {
  for (size_t id = regs_.size(); id-- > 0;)
    if (regs_[id] && facts().tensors[id].name == name) return regs_[id].get();
  return nullptr;
}

const SharedTensor* Block::find_shared(const std::string& name) const {
  for (size_t id = shareds_.size(); id-- > 0;)
    if (shareds_[id] && facts().tensors[id].name == name) return shareds_[id].get();
  return nullptr;
}

RegTensor& Block::reg(int id) {
  TILEVM_CHECK(id >= 0 && regs_[id]);
  return *regs_[id];
}
SharedTensor& Block::shared(int id) {
  TILEVM_CHECK(id >= 0 && shareds_[id]);
  SharedTensor& t = *shareds_[id];
  if (t.freed) trap(exec::TrapKind::Other, "use of a shared tensor after free.shared");
  return t;
}
GlobalTensor& Block::global(int id) {
  TILEVM_CHECK(id >= 0 && globals_[id]);
  return *globals_[id];
}

std::unique_ptr<RegTensor> Block::new_reg(const ir::Insn& insn) {
  const verify::InsnFacts& f = insn_facts(insn);
  int id = f.out >= 0 ? f.out : f.result;
  TILEVM_CHECK(id >= 0);
  const verify::TensorFacts& t = facts().tensors[id];
  TILEVM_CHECK(t.layout.has_value());
  auto r = std::make_unique<RegTensor>();
  r->dtype = t.dtype;
  r->shape.assign(t.shape.begin(), t.shape.end());
  r->layout = *t.layout;
  r->table = grid_.table(id, *t.layout);
  r->codes.assign(static_cast<size_t>(r->threads()) * r->local(), 0);
  if (check_init()) r->init.assign(r->codes.size(), 1);
  return r;
}

void Block::set_reg(const ir::Insn& insn, std::unique_ptr<RegTensor> r) {
  const verify::InsnFacts& f = insn_facts(insn);
  regs_[f.out >= 0 ? f.out : f.result] = std::move(r);
}

SharedTensor& Block::define_shared(const ir::Insn& insn) {
  int id = insn_facts(insn).result;
  shareds_[id] = std::make_unique<SharedTensor>();
  return *shareds_[id];
}

GlobalTensor& Block::define_global(const ir::Insn& insn) {
  int id = insn_facts(insn).result;
  globals_[id] = std::make_unique<GlobalTensor>();
  return *globals_[id];
}

// The shared-memory planner: first fit in the freed ranges, else the top; 16-byte aligned.
int64_t Block::plan_shared(int64_t bytes) {
  bytes = (bytes + 15) / 16 * 16;
  for (size_t i = 0; i < free_list_.size(); ++i) {
    auto [lo, hi] = free_list_[i];
    if (hi - lo < bytes) continue;
    free_list_[i].first += bytes;
    if (free_list_[i].first == hi) free_list_.erase(free_list_.begin() + i);
    return lo;
  }
  int64_t off = shared_top_;
  shared_top_ += bytes;
  smem_.reserve(shared_top_, check_init());
  return off;
}

void Block::free_shared(SharedTensor& t) {
  t.freed = true;
  int64_t bytes = (t.bytes + 15) / 16 * 16;
  smem_.mark_uninitialised(t.offset, static_cast<int>(t.bytes));
  if (t.offset + bytes == shared_top_) shared_top_ = t.offset;
  else free_list_.push_back({t.offset, t.offset + bytes});
}

void Block::barrier() {
  uint64_t address = 0;
  if (auto race = glog_.check_epoch(&address)) {
    exec::Trap t;
    t.kind = exec::TrapKind::Race;
    t.message = "two threads access one global byte in the same epoch, one of them writing, with no sync between";
    t.site.loc = race->first.insn->loc, t.site.block = index_, t.site.thread = race->first.thread;
    t.site.is_write = race->first.write;
    exec::TrapSite o;
    o.loc = race->second.insn->loc, o.block = index_, o.thread = race->second.thread, o.is_write = race->second.write;
    t.other = o;
    t.address = address;
    t.memory = "global";
    throw TrapException{t};
  }
  glog_.next_epoch();
  smem_.next_epoch();
}

}  // namespace tilevm::emu
