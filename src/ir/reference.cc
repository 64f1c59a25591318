// Generates the instruction reference of docs/ir.md from the instruction table.
#include "ir/coverage.h"

namespace tilevm::ir {
namespace {

std::string kinds_text(uint8_t k) {
  std::string s;
  auto add = [&](uint8_t bit, const char* w) {
    if (k & bit) s += (s.empty() ? "" : " or ") + std::string(w);
  };
  add(kOperandRegister, "register");
  add(kOperandShared, "shared");
  add(kOperandGlobal, "global");
  add(kOperandScalar, "scalar");
  return s;
}

std::string attr_text(const AttrSlot& a) {
  std::string k = attr_kind_name(a.kind);
  if (a.kind == AttrKind::Enum) {
    k = "one of ";
    for (size_t i = 0; i < a.words.size(); ++i) k += (i ? "|" : "") + a.words[i];
  }
  return "`" + a.name + "` (" + k + (a.optional ? ", optional" : "") + ")";
}

}  // namespace

std::string instruction_reference_markdown() {
  std::string out;
  Family last = Family::Semaphore;
  bool first = true;
  for (const InsnInfo& i : all_insns()) {
    if (first || i.family != last) out += std::string(first ? "" : "\n") + "### " + family_name(i.family) + "\n";
    first = false;
    last = i.family;
    out += "\n#### `" + i.mnemonic + "`\n\n" + i.semantics + ".\n\n";
    out += "- operands: ";
    if (i.operands.empty()) out += "none";
    for (size_t k = 0; k < i.operands.size(); ++k)
      out += (k ? ", " : "") + std::string("`") + i.operands[k].name + "` (" + kinds_text(i.operands[k].kinds) + ")";
    out += "\n- attributes: ";
    if (i.attrs.empty()) out += "none";
    for (size_t k = 0; k < i.attrs.size(); ++k) out += (k ? ", " : "") + attr_text(i.attrs[k]);
    std::string res = i.result_spec;
    if (!res.empty() && res.back() == '~') res.pop_back();
    out += "\n- result: " + res + (i.in_place ? " (a new register tensor, or in place with `out=%t`)" : "") + "\n";
    out += "- exactness: " + (i.exact ? std::string("exact") : "approximate, at most " + std::to_string(i.ulp_bound) + " ulp") + "\n";
  }
  return out;
}

}  // namespace tilevm::ir
