// Elementwise instructions: unary, binary, compare, fma, where, cast, view.
#include <bit>

#include "dtype/convert.h"
#include "dtype/pack.h"
#include "emulator/insns/exec.h"
#include "exec/arith.h"

namespace tilevm::emu {
namespace {

// out[pos] = f(operand codes at pos) for operands first..last, with the init check.
template <class F>
void elementwise(Block& b, const ir::Insn& insn, size_t first, dt::DType operand_type, F f) {
  auto out = b.new_reg(insn);
  std::vector<Src> srcs;
  for (size_t i = first; i < insn.operands.size(); ++i) {
    dt::DType t = i == first && insn.op == ir::Op::kWhere ? dt::kBool : operand_type;
    srcs.push_back(source(b, insn, i, *out, t));
  }
  const bool check = b.check_init();
  for_each_slot(*out, [&](int th, int, size_t pos) {
    if (check) check_operands_init(b, srcs, pos, th);
    out->codes[pos] = f(srcs, pos, th);
  });
  b.set_reg(insn, std::move(out));
}

void unary(Block& b, const ir::Insn& insn, exec::UnaryOp op) {
  dt::DType t = operand_dtype(b, insn, 0, 0);
  elementwise(b, insn, 0, t, [&](const std::vector<Src>& s, size_t pos, int) { return exec::unary_op(op, t, s[0].get(pos)); });
}

// f32 add/sub/mul of two tensors in the result's layout: the host's IEEE operations directly.
bool binary_f32_fast(Block& b, const ir::Insn& insn, exec::BinaryOp op) {
  const auto& ids = b.insn_facts(insn).operands;
  if (ids[0] < 0 || ids[1] < 0 || b.check_init()) return false;
  const RegTensor &x = b.reg(ids[0]), &y = b.reg(ids[1]);
  if (!(x.dtype == dt::kF32) || !(y.dtype == dt::kF32) || op > exec::BinaryOp::Mul) return false;
  auto out = b.new_reg(insn);
  if (!(x.layout == out->layout) || !(y.layout == out->layout)) return false;
  for (size_t i = 0; i < out->codes.size(); ++i) {
    float p = std::bit_cast<float>(static_cast<uint32_t>(x.codes[i])), q = std::bit_cast<float>(static_cast<uint32_t>(y.codes[i]));
    float r = op == exec::BinaryOp::Add ? p + q : op == exec::BinaryOp::Sub ? p - q : p * q;
    out->codes[i] = r != r ? 0x7fffffffu : std::bit_cast<uint32_t>(r);
  }
  b.set_reg(insn, std::move(out));
  return true;
}

void binary(Block& b, const ir::Insn& insn, exec::BinaryOp op) {
  if (binary_f32_fast(b, insn, op)) return;
  dt::DType t = operand_dtype(b, insn, 0, 0);
  elementwise(b, insn, 0, t, [&](const std::vector<Src>& s, size_t pos, int th) {
    uint64_t r;
    if (!exec::binary_op(op, t, s[0].get(pos), s[1].get(pos), &r))
      b.trap(exec::TrapKind::DivideByZero, "integer division by zero", th);
    return r;
  });
}

void compare(Block& b, const ir::Insn& insn, exec::CompareOp op) {
  dt::DType t = operand_dtype(b, insn, 0, 0);
  elementwise(b, insn, 0, t, [&](const std::vector<Src>& s, size_t pos, int) {
    return static_cast<uint64_t>(exec::compare_op(op, t, s[0].get(pos), s[1].get(pos)));
  });
}

}  // namespace

void exec_Neg(Block& b, const ir::Insn& i) { unary(b, i, exec::UnaryOp::Neg); }
void exec_Abs(Block& b, const ir::Insn& i) { unary(b, i, exec::UnaryOp::Abs); }
void exec_Not(Block& b, const ir::Insn& i) { unary(b, i, exec::UnaryOp::Not); }
void exec_Exp(Block& b, const ir::Insn& i) { unary(b, i, exec::UnaryOp::Exp); }
void exec_Exp2(Block& b, const ir::Insn& i) { unary(b, i, exec::UnaryOp::Exp2); }
void exec_Log(Block& b, const ir::Insn& i) { unary(b, i, exec::UnaryOp::Log); }
void exec_Sqrt(Block& b, const ir::Insn& i) { unary(b, i, exec::UnaryOp::Sqrt); }
void exec_Rsqrt(Block& b, const ir::Insn& i) { unary(b, i, exec::UnaryOp::Rsqrt); }
void exec_Round(Block& b, const ir::Insn& i) { unary(b, i, exec::UnaryOp::Round); }

void exec_Add(Block& b, const ir::Insn& i) { binary(b, i, exec::BinaryOp::Add); }
void exec_Sub(Block& b, const ir::Insn& i) { binary(b, i, exec::BinaryOp::Sub); }
void exec_Mul(Block& b, const ir::Insn& i) { binary(b, i, exec::BinaryOp::Mul); }
void exec_Div(Block& b, const ir::Insn& i) { binary(b, i, exec::BinaryOp::Div); }
void exec_Mod(Block& b, const ir::Insn& i) { binary(b, i, exec::BinaryOp::Mod); }
void exec_Min(Block& b, const ir::Insn& i) { binary(b, i, exec::BinaryOp::Min); }
void exec_Max(Block& b, const ir::Insn& i) { binary(b, i, exec::BinaryOp::Max); }
void exec_And(Block& b, const ir::Insn& i) { binary(b, i, exec::BinaryOp::And); }
void exec_Or(Block& b, const ir::Insn& i) { binary(b, i, exec::BinaryOp::Or); }
void exec_Xor(Block& b, const ir::Insn& i) { binary(b, i, exec::BinaryOp::Xor); }
void exec_Shl(Block& b, const ir::Insn& i) { binary(b, i, exec::BinaryOp::Shl); }
void exec_Shr(Block& b, const ir::Insn& i) { binary(b, i, exec::BinaryOp::Shr); }

void exec_Eq(Block& b, const ir::Insn& i) { compare(b, i, exec::CompareOp::Eq); }
void exec_Ne(Block& b, const ir::Insn& i) { compare(b, i, exec::CompareOp::Ne); }
void exec_Lt(Block& b, const ir::Insn& i) { compare(b, i, exec::CompareOp::Lt); }
void exec_Le(Block& b, const ir::Insn& i) { compare(b, i, exec::CompareOp::Le); }
void exec_Gt(Block& b, const ir::Insn& i) { compare(b, i, exec::CompareOp::Gt); }
void exec_Ge(Block& b, const ir::Insn& i) { compare(b, i, exec::CompareOp::Ge); }

void exec_Fma(Block& b, const ir::Insn& insn) {
  dt::DType t = operand_dtype(b, insn, 0, 0);
  elementwise(b, insn, 0, t, [&](const std::vector<Src>& s, size_t pos, int) {
    return exec::fma_op(t, s[0].get(pos), s[1].get(pos), s[2].get(pos));
  });
}

void exec_Where(Block& b, const ir::Insn& insn) {
  dt::DType t = operand_dtype(b, insn, 1, 1);
  elementwise(b, insn, 0, t, [&](const std::vector<Src>& s, size_t pos, int) {
    return s[0].get(pos) != 0 ? s[1].get(pos) : s[2].get(pos);
  });
}

// cast: each element converted by the conversion rules (src/dtype); the layout is unchanged.
void exec_Cast(Block& b, const ir::Insn& insn) {
  const RegTensor& a = reg_operand(b, insn, 0);
  auto out = b.new_reg(insn);
  const dt::DType from = a.dtype, to = out->dtype;
  const bool check = b.check_init();
  for_each_slot(*out, [&](int th, int, size_t pos) {
    if (check && !a.init[pos]) b.trap(exec::TrapKind::Uninitialised, "cast of an uninitialised element", th, std::nullopt, "register");
    out->codes[pos] = dt::convert(a.codes[pos], from, to);
  });
  b.set_reg(insn, std::move(out));
}

// view: each thread's local codes packed LSB first into bits and unpacked with the new type.
void exec_View(Block& b, const ir::Insn& insn) {
  const RegTensor& a = reg_operand(b, insn, 0);
  auto out = b.new_reg(insn);
  const int la = a.local(), lo = out->local();
  std::vector<uint8_t> bits(dt::packed_bytes(a.dtype.bits, la) + 8);
  for (int th = 0; th < out->threads(); ++th) {
    std::fill(bits.begin(), bits.end(), 0);
    dt::pack(&a.codes[static_cast<size_t>(th) * la], la, a.dtype.bits, bits.data());
    dt::unpack(bits.data(), lo, out->dtype.bits, &out->codes[static_cast<size_t>(th) * lo]);
    if (b.check_init())
      for (int s = 0; s < lo; ++s) {
        // An output slot is initialised when every input slot sharing its bits is.
        int first = s * out->dtype.bits / a.dtype.bits, last = ((s + 1) * out->dtype.bits - 1) / a.dtype.bits;
        for (int k = first; k <= last; ++k) out->init[static_cast<size_t>(th) * lo + s] &= a.init[static_cast<size_t>(th) * la + k];
      }
  }
  b.set_reg(insn, std::move(out));
}

}  // namespace tilevm::emu
