// The verifier: elementwise instructions (with broadcasting), cast, view, reduce and dot.
#include <set>

#include "verify/checker.h"
#include "verify/mma.h"

namespace tilevm::verify {
namespace {

// Which element types an instruction accepts, and how the rule reads in a message.
struct DTypeRule {
  bool (*ok)(const ir::DType&);
  const char* words;
};

bool arith(const ir::DType& d) { return ir::is_arithmetic(d); }
bool floats(const ir::DType& d) { return ir::is_arithmetic(d) && ir::is_float(d); }
bool bitwise(const ir::DType& d) { return (ir::is_arithmetic(d) && ir::is_integer(d)) || ir::is_bool(d); }
bool ints(const ir::DType& d) { return ir::is_arithmetic(d) && ir::is_integer(d); }
bool equality(const ir::DType& d) { return ir::is_arithmetic(d) || ir::is_bool(d); }
bool any(const ir::DType&) { return true; }

DTypeRule dtype_rule(ir::Op op) {
  static const DTypeRule kArith{arith, "an 8/16/32/64-bit integer or f16, bf16, f32, f64"};
  static const DTypeRule kFloat{floats, "f16, bf16, f32 or f64"};
  static const DTypeRule kBits{bitwise, "bool or an 8/16/32/64-bit integer"};
  static const DTypeRule kInts{ints, "an 8/16/32/64-bit integer"};
  static const DTypeRule kEq{equality, "bool, an 8/16/32/64-bit integer or f16, bf16, f32, f64"};
  static const DTypeRule kAny{any, "any type"};
  switch (op) {
    case ir::Op::kExp: case ir::Op::kExp2: case ir::Op::kLog: case ir::Op::kSqrt: case ir::Op::kRsqrt:
    case ir::Op::kRound: case ir::Op::kFma:
      return kFloat;
    case ir::Op::kNot: case ir::Op::kAnd: case ir::Op::kOr: case ir::Op::kXor: case ir::Op::kReduceAnd:
    case ir::Op::kReduceOr:
      return kBits;
    case ir::Op::kShl: case ir::Op::kShr: return kInts;
    case ir::Op::kEq: case ir::Op::kNe: return kEq;
    case ir::Op::kCast: case ir::Op::kView: case ir::Op::kWhere: return kAny;
    default: return kArith;
  }
}

// NumPy broadcasting of two shapes (aligned at the right; extent 1 stretches).
std::optional<std::vector<int64_t>> broadcast(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  std::vector<int64_t> r(std::max(a.size(), b.size()));
  for (size_t i = 0; i < r.size(); ++i) {
    int64_t x = i < a.size() ? a[a.size() - 1 - i] : 1, y = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (x != y && x != 1 && y != 1) return std::nullopt;
    r[r.size() - 1 - i] = std::max(x, y);
  }
  return r;
}

}  // namespace

void Checker::check_elementwise(ir::Insn& insn, InsnFacts& f) {
  const ir::InsnInfo& info = insn.info();
  if (insn.op == ir::Op::kView || insn.op == ir::Op::kReduceSum || info.family == ir::Family::Reduce) {
    const TensorFacts a = facts_.tensors[f.operands[0]];
    if (insn.op == ir::Op::kView) {
      TensorFacts t;
      const ir::AttrValue* dtype = insn.attr("dtype");
      const ir::AttrValue* shape = insn.attr("shape");
      const ir::AttrValue* lay = insn.attr("layout");
      t.dtype = dtype ? *dtype->dtype : a.dtype;
      t.shape = shape ? shape->ints : a.shape;
      if (lay) {
        std::vector<int64_t> ls(lay->rlayout->shape.begin(), lay->rlayout->shape.end());
        if (shape && ls != t.shape) {
          error(lay->loc, "layout has shape " + dims_text(ls) + " but 'shape' is " + dims_text(t.shape));
          return;
        }
        t.shape = ls;
        if (!small_enough(t.shape, lay->loc)) return;
        t.layout = *lay->rlayout;
        t.layout_explicit = true;
      } else if (t.dtype.bits != a.dtype.bits || t.shape != a.shape) {
        error(insn.loc, "view from " + a.dtype.name() + dims_text(a.shape) + " to " + t.dtype.name() + dims_text(t.shape) +
                            " changes how elements sit in each thread; give the new layout with layout=");
        return;
      }
      f.result = new_tensor(insn, t);
      rules_.push_back(make_rule(LayoutRule::View, f.operands[0], f.result, &insn));
      return;
    }
    // Reductions.
    DTypeRule rule = dtype_rule(insn.op);
    if (!rule.ok(a.dtype)) {
      error(insn.operands[0].loc, "'" + info.mnemonic + "' needs " + rule.words + ", but %" + a.name + " holds " + a.dtype.name());
      return;
    }
    const ir::AttrValue* dims = insn.attr("dims");
    std::set<int64_t> seen;
    bool bad = dims->ints.empty();
    for (int64_t d : dims->ints) bad |= d < 0 || d >= static_cast<int64_t>(a.shape.size()) || !seen.insert(d).second;
    if (bad) {
      error(dims->loc, "'dims' must list distinct dimensions of the " + std::to_string(a.shape.size()) +
                           "-dimensional operand, at least one");
      return;
    }
    bool keep = insn.attr("keepdims") && insn.attr("keepdims")->bool_value;
    TensorFacts t;
    t.dtype = a.dtype;
    for (size_t i = 0; i < a.shape.size(); ++i) {
      if (!seen.count(static_cast<int64_t>(i))) t.shape.push_back(a.shape[i]);
      else if (keep) t.shape.push_back(1);
    }
    finish_result(insn, f, t);
    LayoutRule r = make_rule(LayoutRule::Reduce, f.operands[0], f.out >= 0 ? f.out : f.result, &insn);
    r.dims = dims->ints;
    r.keepdims = keep;
    if (r.b >= 0) rules_.push_back(r);
    return;
  }
  // Elementwise: the value dtype comes from the tensor operands (the first operand of `where`
  // is the condition).
  size_t first_value = insn.op == ir::Op::kWhere ? 1 : 0;
  int typed_from = -1;
  for (size_t i = first_value; i < insn.operands.size(); ++i)
    if (insn.operands[i].is_tensor) {
      typed_from = static_cast<int>(i);
      break;
    }
  if (typed_from < 0) {
    error(insn.loc, "'" + info.mnemonic + "' needs at least one tensor operand" +
                        (insn.op == ir::Op::kWhere ? std::string(" among a and b") : std::string("")));
    return;
  }
  ir::DType vt = facts_.tensors[f.operands[typed_from]].dtype;
  for (size_t i = first_value; i < insn.operands.size(); ++i) {
    const ir::Operand& o = insn.operands[i];
    if (!o.is_tensor) {
      if (!ir::is_standard(vt)) {
        error(o.loc, "a scalar operand cannot be combined with " + vt.name() + " elements; cast the tensor first");
        return;
      }
      if (!expect_type(o.scalar, ir::ScalarType{vt, false}, ("operand '" + info.operands[i].name + "'").c_str())) return;
      continue;
    }
    const TensorFacts& t = facts_.tensors[f.operands[i]];
    if (!(t.dtype == vt)) {
      error(insn.loc, "operands of '" + info.mnemonic + "' have different element types: %" +
                          facts_.tensors[f.operands[typed_from]].name + " holds " + vt.name() + " and %" + t.name +
                          " holds " + t.dtype.name());
      return;
    }
  }
  if (insn.op == ir::Op::kWhere && !ir::is_bool(facts_.tensors[f.operands[0]].dtype)) {
    error(insn.operands[0].loc, "the condition of 'where' must be a bool tensor, but %" + facts_.tensors[f.operands[0]].name +
                                    " holds " + facts_.tensors[f.operands[0]].dtype.name());
    return;
  }
  DTypeRule rule = dtype_rule(insn.op);
  if (!rule.ok(vt)) {
    error(insn.loc, "'" + info.mnemonic + "' needs " + rule.words + ", not " + vt.name());
    return;
  }
  std::vector<int64_t> shape;
  bool first = true;
  for (size_t i = 0; i < insn.operands.size(); ++i) {
    if (!insn.operands[i].is_tensor) continue;
    const TensorFacts& t = facts_.tensors[f.operands[i]];
    auto b = first ? std::optional<std::vector<int64_t>>(t.shape) : broadcast(shape, t.shape);
    if (!b) {
      error(insn.loc, "shapes " + dims_text(shape) + " and " + dims_text(t.shape) + " of '" + info.mnemonic +
                          "' do not broadcast (%" + t.name + ")");
      return;
    }
    shape = *b;
    first = false;
  }
  TensorFacts t;
  t.shape = shape;
  t.dtype = info.family == ir::Family::Compare ? dt::kBool : insn.op == ir::Op::kCast ? *insn.attr("dtype")->dtype : vt;
  finish_result(insn, f, t);
  int res = f.out >= 0 ? f.out : f.result;
  if (res < 0) return;
  for (size_t i = 0; i < insn.operands.size(); ++i) {
    if (!insn.operands[i].is_tensor) continue;
    rules_.push_back(make_rule(facts_.tensors[f.operands[i]].shape == shape ? LayoutRule::Equal : LayoutRule::Broadcast,
                               f.operands[i], res, &insn));
  }
}

void Checker::check_dot(ir::Insn& insn, InsnFacts& f) {
  const TensorFacts a = facts_.tensors[f.operands[0]], b = facts_.tensors[f.operands[1]], c = facts_.tensors[f.operands[2]];
  const std::string& mn = insn.info().mnemonic;
  if (a.shape.size() != 2 || b.shape.size() != 2 || c.shape.size() != 2 || a.shape[1] != b.shape[0] ||
      c.shape[0] != a.shape[0] || c.shape[1] != b.shape[1]) {
    error(insn.loc, "'" + mn + "' needs shapes [m, k], [k, n] and [m, n], got " + dims_text(a.shape) + ", " +
                        dims_text(b.shape) + " and " + dims_text(c.shape));
    return;
  }
  if (insn.op == ir::Op::kDotMma) {
    if (!find_mma_atom(a.dtype, b.dtype, c.dtype)) {
      std::string have;
      for (const MmaAtom& at : mma_atoms())
        have += (have.empty() ? "" : ", ") + at.a.name() + "×" + at.b.name() + "+" + at.c.name();
      error(insn.loc, "no tensor-core atom computes " + a.dtype.name() + "×" + b.dtype.name() + "+" + c.dtype.name() +
                          " (available: " + have + ")");
      return;
    }
  } else {
    if (a.shape[0] * a.shape[1] * b.shape[1] > kMaxSimtDotWork) {
      error(insn.loc, "'dot.simt' of " + dims_text(a.shape) + " x " + dims_text(b.shape) + " is over the limit of " +
                          std::to_string(kMaxSimtDotWork) + " multiply-adds per instruction");
      return;
    }
    bool ok = a.dtype == b.dtype && ir::is_arithmetic(a.dtype) && ir::is_arithmetic(c.dtype) &&
              ir::is_float(a.dtype) == ir::is_float(c.dtype) && c.dtype.bits >= a.dtype.bits;
    if (!ok) {
      error(insn.loc, "'dot.simt' needs a and b of one arithmetic type and c of the same kind and at least as wide, got " +
                          a.dtype.name() + ", " + b.dtype.name() + " and " + c.dtype.name());
      return;
    }
  }
  TensorFacts t;
  t.dtype = c.dtype;
  t.shape = c.shape;
  finish_result(insn, f, t);
  int res = f.out >= 0 ? f.out : f.result;
  if (res < 0) return;
  LayoutRule r = make_rule(insn.op == ir::Op::kDotMma ? LayoutRule::DotMma : LayoutRule::DotSimt, f.operands[0],
                           f.operands[1], &insn);
  r.c = f.operands[2];
  r.d = res;
  rules_.push_back(r);
  rules_.push_back(make_rule(LayoutRule::Equal, f.operands[2], res, &insn));
}

}  // namespace tilevm::verify
