// Traps: faults of an executed program (overview section 8), reported with the instruction's
// source location, the block, the thread and the address; a race also names the other access.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "ir/location.h"
#include "text/source.h"

namespace tilevm::exec {

enum class TrapKind {
  OutOfBounds,     // global or shared access outside its tensor/buffer and not masked
  Race,            // two accesses to one byte, one a write, not ordered by a barrier
  Uninitialised,   // read of uninitialised register or shared data (checked mode)
  Barrier,         // a barrier (sync, exit, semaphore) not reached by all threads
  DivideByZero,    // integer division or remainder by zero
  Deadlock,        // semaphore waits that can never be satisfied
  DirtyWorkspace,  // an alloc.global(clean=true) workspace not zero when the launch ends
  Other,           // anything else the executor detects (message says what)
};
const char* trap_kind_name(TrapKind k);  // "out-of-bounds", "race", ...

// One memory access or execution point.
struct TrapSite {
  ir::SrcRange loc;                        // the instruction (or statement)
  std::array<int64_t, 3> block{0, 0, 0};
  int thread = -1;                         // -1: the whole block (scalar code)
  bool is_write = false;
};

struct Trap {
  TrapKind kind = TrapKind::Other;
  std::string message;                     // one line: what happened
  TrapSite site;
  std::optional<uint64_t> address;         // byte address (global) or byte offset (shared)
  std::string memory;                      // "global", "shared", "register" or ""
  std::optional<TrapSite> other;           // races: the earlier access
};

// The report: "file:line:col: trap: race: message", the source line with a caret, then
// "  block (x,y,z) thread t, address 0x..." and, for races, the other access the same way.
std::string render_trap(const Trap& trap, const text::SourceFile* source);

}  // namespace tilevm::exec
