// Builds the InsnInfo rows by expanding instructions.def and parsing each row's spec strings.
#include "ir/insn.h"

#include <sstream>

#include "support/check.h"

namespace tilevm::ir {
namespace {

struct RawRow {
  Op op;
  const char *mnemonic, *operands, *attrs, *result, *exact, *semantics;
  Family family;
};

const RawRow kRaw[] = {
#define TILEVM_INSN(id, mn, fam, ops, attrs, res, exact, sem) \
  {Op::k##id, mn, ops, attrs, #res, #exact, sem, Family::fam},
#include "ir/instructions.def"
#undef TILEVM_INSN
};

std::vector<std::string> split_words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

uint8_t operand_kinds(const std::string& letters) {
  uint8_t k = 0;
  for (char c : letters) {
    switch (c) {
      case 'R': k |= kOperandRegister; break;
      case 'S': k |= kOperandShared; break;
      case 'G': k |= kOperandGlobal; break;
      case 'X': k |= kOperandScalar; break;
      default: TILEVM_UNREACHABLE();
    }
  }
  TILEVM_CHECK(k != 0);
  return k;
}

AttrSlot parse_attr(std::string spec) {
  AttrSlot a;
  size_t colon = spec.find(':');
  TILEVM_CHECK(colon != std::string::npos);
  a.name = spec.substr(0, colon);
  std::string kind = spec.substr(colon + 1);
  if (!kind.empty() && kind.back() == '?') {
    a.optional = true;
    kind.pop_back();
  }
  static const std::pair<const char*, AttrKind> kKinds[] = {
      {"int", AttrKind::Int},         {"ints", AttrKind::Ints},       {"expr", AttrKind::Expr},
      {"exprs", AttrKind::Exprs},     {"dtype", AttrKind::DType},     {"rlayout", AttrKind::RLayout},
      {"slayout", AttrKind::SLayout}, {"bool", AttrKind::Bool},       {"string", AttrKind::String}};
  for (auto [word, k] : kKinds)
    if (kind == word) {
      a.kind = k;
      return a;
    }
  TILEVM_CHECK(kind.rfind("enum(", 0) == 0 && kind.back() == ')');
  a.kind = AttrKind::Enum;
  std::string words = kind.substr(5, kind.size() - 6);
  for (size_t start = 0;;) {
    size_t bar = words.find('|', start);
    a.words.push_back(words.substr(start, bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return a;
}

InsnInfo build(const RawRow& r) {
  InsnInfo info;
  info.op = r.op;
  info.mnemonic = r.mnemonic;
  info.family = r.family;
  info.semantics = r.semantics;
  info.operands_spec = r.operands;
  info.attrs_spec = r.attrs;
  info.result_spec = r.result;
  info.exact_spec = r.exact;
  for (const std::string& w : split_words(r.operands)) {
    size_t colon = w.find(':');
    TILEVM_CHECK(colon != std::string::npos);
    info.operands.push_back(OperandSlot{w.substr(0, colon), operand_kinds(w.substr(colon + 1))});
  }
  for (const std::string& w : split_words(r.attrs)) info.attrs.push_back(parse_attr(w));
  std::string res = r.result;
  if (res == "register~") {
    info.in_place = true;
    res = "register";
  }
  static const std::pair<const char*, ResultKind> kResults[] = {
      {"none", ResultKind::None},         {"scalar", ResultKind::Scalar}, {"register", ResultKind::Register},
      {"shared", ResultKind::Shared},     {"global", ResultKind::Global}};
  bool found = false;
  for (auto [word, k] : kResults)
    if (res == word) info.result = k, found = true;
  TILEVM_CHECK(found);
  std::string ex = r.exact;
  if (ex != "exact") {
    TILEVM_CHECK(ex.rfind("approx:", 0) == 0);
    info.exact = false;
    info.ulp_bound = std::stoi(ex.substr(7));
  }
  return info;
}

}  // namespace

int InsnInfo::attr_index(std::string_view n) const {
  for (size_t i = 0; i < attrs.size(); ++i)
    if (attrs[i].name == n) return static_cast<int>(i);
  return -1;
}

const std::vector<InsnInfo>& all_insns() {
  static const std::vector<InsnInfo> rows = [] {
    std::vector<InsnInfo> v;
    for (const RawRow& r : kRaw) v.push_back(build(r));
    for (size_t i = 0; i < v.size(); ++i) TILEVM_CHECK(static_cast<size_t>(v[i].op) == i);
    return v;
  }();
  return rows;
}

const InsnInfo& insn_info(Op op) { return all_insns()[static_cast<size_t>(op)]; }

const std::string& mnemonic(Op op) { return insn_info(op).mnemonic; }

std::optional<Op> find_insn(std::string_view m) {
  for (const InsnInfo& i : all_insns())
    if (i.mnemonic == m) return i.op;
  return std::nullopt;
}

const char* family_name(Family f) {
  switch (f) {
#define F(x) \
  case Family::x: return #x;
    F(Index) F(Alloc) F(Memory) F(Copy) F(Unary) F(Binary) F(Compare) F(Ternary) F(Select) F(Cast) F(View)
    F(Reduce) F(Dot) F(Barrier) F(Control) F(Debug) F(Atomic) F(Semaphore)
#undef F
  }
  return "?";
}

const char* attr_kind_name(AttrKind k) {
  switch (k) {
    case AttrKind::Int: return "int";
    case AttrKind::Ints: return "ints";
    case AttrKind::Expr: return "expr";
    case AttrKind::Exprs: return "exprs";
    case AttrKind::DType: return "dtype";
    case AttrKind::RLayout: return "rlayout";
    case AttrKind::SLayout: return "slayout";
    case AttrKind::Bool: return "bool";
    case AttrKind::String: return "string";
    case AttrKind::Enum: return "enum";
  }
  return "?";
}

}  // namespace tilevm::ir
