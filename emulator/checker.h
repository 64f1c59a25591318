// The checkers: shared memory with a per-byte shadow (races within an epoch, async copies in
// flight, initialisation), and the log of global accesses used to find races between the
// threads of a block (per epoch) and between blocks (after the grid ran).
//
// An epoch is the stretch of a block's execution between two barriers (sync, semaphore.signal,
// exit). Two accesses to one byte race when they are in the same epoch, come from different
// threads (or different blocks, for global memory, in any epochs), at least one writes, and not
// both are atomics. Global accesses made between semaphore.wait and semaphore.signal on one
// semaphore address are ordered by it and do not race with each other.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "exec/trap.h"
#include "ir/program.h"

namespace tilevm::emu {

// One recorded access, for race reports.
struct Access {
  const ir::Insn* insn = nullptr;
  int thread = -1;
  bool write = false;
  bool atomic = false;
};

// The result of a check that found a conflict: the earlier access.
using Conflict = std::optional<Access>;

class SharedMemory {
 public:
  // Grows the memory (and shadows) to at least `bytes`.
  void reserve(int64_t bytes, bool track_init);
  int64_t size() const { return static_cast<int64_t>(bytes_.size()); }
  uint8_t* data() { return bytes_.data(); }

  void next_epoch() { ++epoch_; }
  // Records an access of [addr, addr + n) by `a`; returns the access it races with, if any.
  // An access to a byte with an async copy in flight conflicts with that copy.
  Conflict access(int64_t addr, int n, const Access& a);
  // Async copies: mark bytes in flight (by `a`), and complete them (then written by `a`).
  Conflict start_async(int64_t addr, int n, const Access& a);
  void finish_async(int64_t addr, int n, const Access& a);
  // Initialisation (checked mode): whether every byte of [addr, addr+n) was written.
  bool initialised(int64_t addr, int n) const;
  void mark_initialised(int64_t addr, int n);
  void mark_uninitialised(int64_t addr, int n);

 private:
  struct Shadow {
    uint32_t w_epoch = 0, r_epoch = 0;
    int32_t w_thread = -1, r_thread = -1;  // r_thread -2: several threads read
    const ir::Insn* w_insn = nullptr;
    const ir::Insn* r_insn = nullptr;
    bool w_atomic = false, r_atomic = false;
    uint16_t in_flight = 0;
  };
  std::vector<uint8_t> bytes_;
  std::vector<Shadow> shadow_;
  std::vector<uint8_t> init_;
  uint32_t epoch_ = 1;
};

// A range of global bytes one block accessed with one instruction.
struct GlobalRun {
  uint64_t lo = 0, hi = 0;   // [lo, hi)
  Access access;
  uint64_t semaphore = 0;    // the semaphore address held during the access (0: none)
  int64_t block = 0;         // linear block index
};

class GlobalLog {
 public:
  // Starts the accesses of one instruction (every element access until end_set belongs to it).
  void begin_set(const Access& a, uint64_t semaphore);
  void add(uint64_t addr, uint32_t n, int thread) {
    Set& s = sets_[used_ - 1];
    s.elems.push_back(Elem{addr, n, thread});
    if (addr < s.lo) s.lo = addr;
    if (addr + n > s.hi) s.hi = addr + n;
    if (runs_.size() > run_start_) {  // extend the instruction's last run when contiguous
      GlobalRun& r = runs_.back();
      if (addr >= r.lo && addr <= r.hi) {
        if (addr + n > r.hi) r.hi = addr + n;
        return;
      }
    }
    add_run(addr, n, thread);
  }
  void end_set();
  // At a barrier: the first pair of accesses of this epoch by different threads that race.
  std::optional<std::pair<Access, Access>> check_epoch(uint64_t* address);
  void next_epoch() { used_ = 0; }  // keeps the sets' storage for the next epoch
  std::vector<GlobalRun>& runs() { return runs_; }

 public:
  struct Elem {
    uint64_t lo;
    uint32_t n;
    int32_t thread;
  };

 private:
  void add_run(uint64_t addr, uint32_t n, int thread);
  struct Set {
    Access access;
    uint64_t lo = UINT64_MAX, hi = 0;
    std::vector<Elem> elems;
  };
  std::vector<Set> sets_;  // sets_[0, used_) belong to the current epoch
  size_t used_ = 0;
  std::vector<GlobalRun> runs_;
  size_t run_start_ = 0;
  uint64_t semaphore_ = 0;
};

// Between blocks: the first race among all blocks' runs (lowest address first), if any.
struct BlockRace {
  GlobalRun first, second;
  uint64_t address;
};
std::optional<BlockRace> find_block_race(std::vector<GlobalRun>& runs);

}  // namespace tilevm::emu
