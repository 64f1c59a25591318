// Race, async-copy and initialisation checks for shared and global memory.
#include "emulator/checker.h"

#include <algorithm>

namespace tilevm::emu {
namespace {

bool ordered(const Access& a, const Access& b) { return a.atomic && b.atomic; }

}  // namespace

void SharedMemory::reserve(int64_t bytes, bool track_init) {
  if (bytes <= size()) return;
  bytes_.resize(bytes, 0);
  shadow_.resize(bytes);
  if (track_init) init_.resize(bytes, 0);
}

Conflict SharedMemory::access(int64_t addr, int n, const Access& a) {
  for (int64_t b = addr; b < addr + n; ++b) {
    Shadow& s = shadow_[b];
    if (s.in_flight && !(s.w_insn == a.insn && s.w_thread == a.thread)) return Access{s.w_insn, s.w_thread, true, false};
    if (s.w_epoch == epoch_ && s.w_thread != a.thread && !(s.w_atomic && a.atomic))
      return Access{s.w_insn, s.w_thread, true, s.w_atomic};
    if (a.write && s.r_epoch == epoch_ && s.r_thread != a.thread && !(s.r_atomic && a.atomic))
      return Access{s.r_insn, s.r_thread == -2 ? -1 : s.r_thread, false, s.r_atomic};
    if (a.write) {
      s.w_epoch = epoch_, s.w_thread = a.thread, s.w_insn = a.insn, s.w_atomic = a.atomic;
    } else if (s.r_epoch != epoch_) {
      s.r_epoch = epoch_, s.r_thread = a.thread, s.r_insn = a.insn, s.r_atomic = a.atomic;
    } else if (s.r_thread != a.thread) {
      s.r_thread = -2;
      s.r_atomic = s.r_atomic && a.atomic;
    }
  }
  return std::nullopt;
}

Conflict SharedMemory::start_async(int64_t addr, int n, const Access& a) {
  Access w = a;
  w.write = true;
  if (auto c = access(addr, n, w)) return c;
  for (int64_t b = addr; b < addr + n; ++b) {
    ++shadow_[b].in_flight;
    shadow_[b].w_insn = a.insn, shadow_[b].w_thread = a.thread;
  }
  return std::nullopt;
}

void SharedMemory::finish_async(int64_t addr, int n, const Access& a) {
  for (int64_t b = addr; b < addr + n; ++b) {
    Shadow& s = shadow_[b];
    --s.in_flight;
    s.w_epoch = epoch_, s.w_thread = a.thread, s.w_insn = a.insn, s.w_atomic = false;
  }
  mark_initialised(addr, n);
}

bool SharedMemory::initialised(int64_t addr, int n) const {
  if (init_.empty()) return true;
  for (int64_t b = addr; b < addr + n; ++b)
    if (!init_[b]) return false;
  return true;
}

void SharedMemory::mark_initialised(int64_t addr, int n) {
  if (!init_.empty()) std::fill(init_.begin() + addr, init_.begin() + addr + n, 1);
}

void SharedMemory::mark_uninitialised(int64_t addr, int n) {
  if (!init_.empty()) std::fill(init_.begin() + addr, init_.begin() + addr + n, 0);
}

void GlobalLog::begin_set(const Access& a, uint64_t semaphore) {
  if (used_ == sets_.size()) sets_.emplace_back();
  Set& s = sets_[used_++];
  s.access = a, s.lo = UINT64_MAX, s.hi = 0;
  s.elems.clear();
  run_start_ = runs_.size();
  semaphore_ = semaphore;
}

void GlobalLog::add_run(uint64_t addr, uint32_t n, int thread) {
  Access a = sets_[used_ - 1].access;
  a.thread = thread;
  runs_.push_back(GlobalRun{addr, addr + n, a, semaphore_, 0});
}

void GlobalLog::end_set() {
  if (sets_[used_ - 1].elems.empty()) --used_;
}

// Whether elements of one instruction may share a byte (they normally come in increasing,
// disjoint address order; anything else gets the precise check).
static bool self_overlaps(const std::vector<GlobalLog::Elem>& elems) {
  for (size_t k = 1; k < elems.size(); ++k)
    if (elems[k].lo < elems[k - 1].lo + elems[k - 1].n) return true;
  return false;
}

std::optional<std::pair<Access, Access>> GlobalLog::check_epoch(uint64_t* address) {
  for (size_t i = 0; i < used_; ++i) {
    if (!sets_[i].access.write) continue;
    for (size_t j = 0; j < used_; ++j) {
      const Set& w = sets_[i];
      const Set& x = sets_[j];
      if (j < i && x.access.write) continue;  // that pair was checked as (j, i)
      if (w.hi <= x.lo || x.hi <= w.lo || ordered(w.access, x.access)) continue;
      if (j == i && !self_overlaps(w.elems)) continue;
      // Precise check: elements sorted by address, then a sweep over both lists.
      struct E { uint64_t lo, hi; int thread; bool from_w; };
      std::vector<E> all;
      for (const Elem& e : w.elems) all.push_back({e.lo, e.lo + e.n, e.thread, true});
      if (j != i)
        for (const Elem& e : x.elems) all.push_back({e.lo, e.lo + e.n, e.thread, false});
      std::sort(all.begin(), all.end(), [](const E& a, const E& b) { return a.lo < b.lo; });
      for (size_t k = 0; k < all.size(); ++k)
        for (size_t m = k + 1; m < all.size() && all[m].lo < all[k].hi; ++m) {
          if (all[k].thread == all[m].thread) continue;
          if (j != i && all[k].from_w == all[m].from_w) continue;
          Access a = w.access, b = x.access;
          const E& ew = all[k].from_w ? all[k] : all[m];
          const E& ex = all[k].from_w ? all[m] : all[k];
          a.thread = ew.thread, b.thread = ex.thread;
          *address = all[m].lo;
          // Report the later instruction first (it is the one that found the race).
          if (j > i) return std::make_pair(b, a);
          return std::make_pair(a, b);
        }
    }
  }
  return std::nullopt;
}

std::optional<BlockRace> find_block_race(std::vector<GlobalRun>& runs) {
  std::vector<const GlobalRun*> writes;
  for (const GlobalRun& r : runs)
    if (r.access.write) writes.push_back(&r);
  if (writes.empty()) return std::nullopt;
  auto by_lo = [](const GlobalRun* a, const GlobalRun* b) { return a->lo < b->lo || (a->lo == b->lo && a->block < b->block); };
  std::sort(writes.begin(), writes.end(), by_lo);
  // Prefix maximum of hi over the sorted writes, to stop the scan early.
  std::vector<uint64_t> max_hi(writes.size());
  for (size_t i = 0; i < writes.size(); ++i) max_hi[i] = std::max(i ? max_hi[i - 1] : 0, writes[i]->hi);
  std::optional<BlockRace> best;
  for (const GlobalRun& r : runs) {
    // Writes with lo < r.hi, scanning back while some may still reach r.lo.
    size_t end = std::lower_bound(writes.begin(), writes.end(), r.hi,
                                  [](const GlobalRun* w, uint64_t v) { return w->lo < v; }) - writes.begin();
    for (size_t i = end; i-- > 0 && max_hi[i] > r.lo;) {
      const GlobalRun& w = *writes[i];
      if (w.hi <= r.lo || w.block == r.block || &w == &r) continue;
      if (ordered(w.access, r.access)) continue;
      if (w.semaphore != 0 && w.semaphore == r.semaphore) continue;
      uint64_t addr = std::max(w.lo, r.lo);
      if (!best || addr < best->address) {
        bool w_first = w.block < r.block;
        best = BlockRace{w_first ? w : r, w_first ? r : w, addr};
      }
    }
  }
  return best;
}

}  // namespace tilevm::emu
