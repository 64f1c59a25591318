// Rendering traps as reports with source locations.
#include "exec/trap.h"

#include <cinttypes>
#include <cstdio>

namespace tilevm::exec {
namespace {

std::string where(const ir::SrcRange& loc, const text::SourceFile* source) {
  if (!source || !loc.valid) return source ? source->name() : "<program>";
  text::LineCol lc = source->line_col(loc.begin);
  return source->name() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.col);
}

std::string excerpt(const ir::SrcRange& loc, const text::SourceFile* source) {
  if (!source || !loc.valid) return "";
  text::LineCol lc = source->line_col(loc.begin);
  std::string line(source->line_text(lc.line));
  size_t len = std::max<size_t>(1, std::min<size_t>(loc.length(), line.size() + 1 - std::min<size_t>(line.size(), lc.col - 1)));
  return line + "\n" + std::string(lc.col - 1, ' ') + std::string(len, '^') + "\n";
}

std::string site_text(const TrapSite& s) {
  std::string t = "block (" + std::to_string(s.block[0]) + "," + std::to_string(s.block[1]) + "," +
                  std::to_string(s.block[2]) + ")";
  if (s.thread >= 0) t += " thread " + std::to_string(s.thread);
  return t;
}

}  // namespace

const char* trap_kind_name(TrapKind k) {
  switch (k) {
    case TrapKind::OutOfBounds: return "out-of-bounds";
    case TrapKind::Race: return "race";
    case TrapKind::Uninitialised: return "uninitialised";
    case TrapKind::Barrier: return "barrier";
    case TrapKind::DivideByZero: return "divide-by-zero";
    case TrapKind::Deadlock: return "deadlock";
    case TrapKind::DirtyWorkspace: return "dirty-workspace";
    case TrapKind::Other: return "trap";
  }
  return "trap";
}

std::string render_trap(const Trap& trap, const text::SourceFile* source) {
  std::string out = where(trap.site.loc, source) + ": trap: " + trap_kind_name(trap.kind) + ": " + trap.message + "\n";
  out += excerpt(trap.site.loc, source);
  if (trap.kind == TrapKind::DirtyWorkspace) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, trap.address.value_or(0));
    return out + "  first non-zero byte at global address " + buf + "\n";
  }
  out += "  " + site_text(trap.site);
  if (trap.address) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, *trap.address);
    out += std::string(trap.site.is_write ? ", writing " : ", reading ") + trap.memory + " address " + buf;
  }
  out += "\n";
  if (trap.other) {
    out += where(trap.other->loc, source) + ": note: the other access (" +
           (trap.other->is_write ? "a write" : "a read") + ") by " + site_text(*trap.other) + "\n";
    out += excerpt(trap.other->loc, source);
  }
  return out;
}

}  // namespace tilevm::exec
