// The instruction table as data: one InsnInfo per row of instructions.def (operand slots,
// attribute slots, result rule, exactness, semantics), looked up by Op or by mnemonic.
//
// Semantics shared by every instruction (the docs' "semantics block", docs/ir.md):
// - An instruction is executed by the whole block (SIMB): every thread reaches it, with the
//   same scalar operands. Register tensors are spread over the block's threads by a register
//   layout; shared tensors live in the block's shared memory; global tensors view device memory.
// - Within a thread, effects happen in program order. Between threads, shared and global
//   writes are visible only after `sync` (for copy_async: after copy_async.wait and a sync).
// - Elementwise instructions broadcast like NumPy: shapes are aligned at the right and a
//   dimension of extent 1 stretches. A scalar operand is one value for every element.
// - Integer arithmetic wraps modulo 2^bits; float arithmetic is IEEE round-to-nearest-even in
//   the operands' format; approximate rows state their bound in ulp of the result format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tilevm::ir {

enum class Op : uint8_t {
#define TILEVM_INSN(id, mn, fam, ops, attrs, res, exact, sem) k##id,
#include "ir/instructions.def"
#undef TILEVM_INSN
};

inline constexpr int kNumOps = 0
#define TILEVM_INSN(id, mn, fam, ops, attrs, res, exact, sem) +1
#include "ir/instructions.def"
#undef TILEVM_INSN
    ;

// Instructions that share a node shape and a verifier rule.
enum class Family : uint8_t {
  Index, Alloc, Memory, Copy, Unary, Binary, Compare, Ternary, Select, Cast, View, Reduce, Dot,
  Barrier, Control, Debug, Atomic, Semaphore,
};

// What an operand slot accepts (a bit set).
enum OperandKindBits : uint8_t {
  kOperandRegister = 1,
  kOperandShared = 2,
  kOperandGlobal = 4,
  kOperandScalar = 8,
};

struct OperandSlot {
  std::string name;
  uint8_t kinds = 0;  // OperandKindBits
};

enum class AttrKind : uint8_t { Int, Ints, Expr, Exprs, DType, RLayout, SLayout, Bool, String, Enum };

struct AttrSlot {
  std::string name;
  AttrKind kind = AttrKind::Int;
  bool optional = false;
  std::vector<std::string> words;  // the allowed words of an Enum attribute
};

enum class ResultKind : uint8_t { None, Scalar, Register, Shared, Global };

struct InsnInfo {
  Op op;
  std::string mnemonic;
  Family family;
  std::vector<OperandSlot> operands;
  std::vector<AttrSlot> attrs;
  ResultKind result = ResultKind::None;
  bool in_place = false;   // accepts `out=%t` instead of a result name
  bool exact = true;
  int ulp_bound = 0;       // for approximate rows: the bound in ulp of the result format
  std::string semantics;
  // The row's text as written in the table (for the docs).
  std::string operands_spec, attrs_spec, result_spec, exact_spec;

  // Index of the attribute named `name`, or -1.
  int attr_index(std::string_view name) const;
};

// The row for `op`.
const InsnInfo& insn_info(Op op);
// All rows, in table order.
const std::vector<InsnInfo>& all_insns();
// The op whose mnemonic is `mnemonic`, if any.
std::optional<Op> find_insn(std::string_view mnemonic);
// The mnemonic of `op`.
const std::string& mnemonic(Op op);

const char* family_name(Family f);
const char* attr_kind_name(AttrKind k);

}  // namespace tilevm::ir
