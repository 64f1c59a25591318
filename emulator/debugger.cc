// The stepping debugger: a hook before every instruction that decides whether to stop, and a
// command loop that inspects the stopped block.
#include "emulator/debugger.h"

#include <cinttypes>
#include <map>
#include <set>
#include <sstream>

#include "dtype/convert.h"
#include "dtype/pack.h"
#include "emulator/block.h"
#include "emulator/emulator.h"
#include "exec/arith.h"
#include "layout/render.h"

namespace tilevm::emu {
namespace {

std::string fmt(uint64_t code, const dt::DType& t) {
  char buf[64];
  if (t.is_float()) std::snprintf(buf, sizeof buf, "%.9g", dt::decode(code, t));
  else if (t.kind == dt::Kind::Int) std::snprintf(buf, sizeof buf, "%" PRId64, exec::sign_extend(code, t.bits));
  else std::snprintf(buf, sizeof buf, "%" PRIu64, code & t.mask());
  return buf;
}

std::string index_text(const std::vector<int>& idx) {
  std::string s = "(";
  for (size_t i = 0; i < idx.size(); ++i) s += (i ? "," : "") + std::to_string(idx[i]);
  return s + ")";
}

int64_t linear_block(const std::array<int64_t, 3>& b, const std::array<int64_t, 3>& g) {
  return b[0] + g[0] * (b[1] + g[1] * b[2]);
}

void collect(const std::vector<ir::Stmt>& body, std::vector<const ir::Insn*>& out) {
  for (const ir::Stmt& s : body) {
    if (s.kind == ir::StmtKind::Insn) out.push_back(&s.insn);
    collect(s.body, out);
    collect(s.else_body, out);
  }
}

class Debugger {
 public:
  Debugger(const exec::Launch& l, std::istream& in, std::ostream& out, const StepOptions& o)
      : launch_(l), in_(in), out_(out), opt_(o), src_(l.program->source.get()) {
    collect(l.program->program.body, insns_);
    for (size_t i = 0; i < insns_.size(); ++i) index_[insns_[i]] = static_cast<int>(i);
  }

  // The stop condition of --at-trap: the n-th execution of `insn` in block `block`.
  void stop_at(int64_t block, const ir::Insn* insn, int64_t nth) { target_ = Target{block, insn, nth}, mode_ = Mode::Target; }

  int run() {
    auto r = run_launch(launch_, [this](Block& b, const ir::Insn& i) { on_insn(b, i); });
    if (!r) {
      if (quit_) return 0;
      out_ << "error: " << r.error().message << "\n";
      return 1;
    }
    out_ << r->printed;
    if (r->trap) out_ << exec::render_trap(*r->trap, src_);
    out_ << "program finished: " << r->blocks_run << " blocks" << (r->trap ? ", trapped" : "") << "\n";
    return r->trap ? 3 : 0;
  }

 private:
  enum class Mode { Step, Continue, Target, Block };
  struct Target {
    int64_t block;
    const ir::Insn* insn;
    int64_t nth;
  };

  std::string where(const Block& b, const ir::Insn& insn) const {
    text::LineCol lc = src_->line_col(insn.loc.begin);
    std::ostringstream s;
    s << "block (" << b.index()[0] << "," << b.index()[1] << "," << b.index()[2] << ") #" << index_.at(&insn) << " "
      << src_->name() << ":" << lc.line << ":" << lc.col << ": ";
    std::string text(src_->line_text(lc.line));
    s << text.substr(std::min(text.find_first_not_of(' '), text.size()));
    return s.str();
  }

  bool should_stop(Block& b, const ir::Insn& insn) {
    int64_t lb = linear_block(b.index(), launch_.grid);
    if (insn.loc.valid && &insn == target_.insn && lb == target_.block) ++hits_;
    switch (mode_) {
      case Mode::Step: return true;
      case Mode::Target: return lb == target_.block && &insn == target_.insn && hits_ == target_.nth;
      case Mode::Block: if (lb == block_target_) return true; break;
      case Mode::Continue: break;
    }
    int line = src_->line_col(insn.loc.begin).line;
    return lines_.count(line) || insn_breaks_.count(index_.at(&insn));
  }

  void on_insn(Block& b, const ir::Insn& insn) {
    if (quit_ || !should_stop(b, insn)) return;
    mode_ = Mode::Continue;
    out_ << "stopped at " << where(b, insn) << "\n";
    std::string line;
    while (true) {
      if (opt_.echo) out_ << "(tilevm) ";
      if (!std::getline(in_, line)) {
        quit_ = true;
        throw QuitException{};
      }
      if (opt_.echo) out_ << line << "\n";
      if (command(b, insn, line)) return;
    }
  }

  // Runs one command; returns true when execution resumes.
  bool command(Block& b, const ir::Insn& insn, const std::string& line) {
    std::istringstream ss(line);
    std::string cmd, arg;
    ss >> cmd;
    if (cmd.empty()) return false;
    if (cmd == "next" || cmd == "n") return mode_ = Mode::Step, true;
    if (cmd == "continue" || cmd == "c") return mode_ = Mode::Continue, true;
    if (cmd == "quit" || cmd == "q") {
      quit_ = true;
      throw QuitException{};
    }
    if (cmd == "where") out_ << where(b, insn) << "\n";
    else if (cmd == "break" || cmd == "b") set_break(ss);
    else if (cmd == "print" || cmd == "p") print(b, ss);
    else if (cmd == "lanes") lanes(b, ss);
    else if (cmd == "shared") shared(b, ss);
    else if (cmd == "info") info(b, ss);
    else if (cmd == "block") return switch_block(b, ss);
    else out_ << "unknown command '" << cmd << "' (break, next, continue, print, lanes, shared, where, info blocks, block, quit)\n";
    return false;
  }

  void set_break(std::istringstream& ss) {
    std::string a;
    ss >> a;
    if (!a.empty() && a[0] == '#') {
      int i = std::atoi(a.c_str() + 1);
      if (i < 0 || i >= static_cast<int>(insns_.size())) return void(out_ << "no instruction " << a << "\n");
      insn_breaks_.insert(i);
      out_ << "breakpoint at instruction #" << i << "\n";
    } else if (!a.empty() && std::isdigit(static_cast<unsigned char>(a[0]))) {
      lines_.insert(std::atoi(a.c_str()));
      out_ << "breakpoint at line " << std::atoi(a.c_str()) << "\n";
    } else {
      out_ << "usage: break LINE | break #INSTRUCTION\n";
    }
  }

  void print(Block& b, std::istringstream& ss) {
    std::string a;
    ss >> a;
    size_t at = a.find("@thread");
    std::string name = a.substr(0, at);
    if (!name.empty() && name[0] == '%') {
      const RegTensor* t = b.find_reg(name.substr(1));
      if (!t) return void(out_ << "no register tensor " << name << " here\n");
      if (at != std::string::npos) {
        std::string rest = a.substr(at + 7);
        if (rest.empty()) ss >> rest;
        int th = std::atoi(rest.c_str());
        if (th < 0 || th >= t->threads()) return void(out_ << "no thread " << rest << "\n");
        out_ << name << "@thread " << th << ":";
        for (int s = 0; s < t->local(); ++s)
          out_ << " [" << s << "] " << index_text(t->layout.index_of(th, s)) << "=" << fmt(t->codes[static_cast<size_t>(th) * t->local() + s], t->dtype);
        out_ << "\n";
        return;
      }
      out_ << name << ": " << t->dtype.name() << index_text(t->shape) << " =";
      for (int e = 0; e < t->table->num_elements(); ++e)
        out_ << " " << fmt(t->codes[static_cast<size_t>(t->table->first_thread(e)) * t->local() + t->table->slot_of(e)], t->dtype);
      out_ << "\n";
      return;
    }
    auto it = b.scalars().find(name);
    if (it != b.scalars().end()) return void(out_ << name << " = " << fmt(it->second.code, it->second.type) << "\n");
    if (const exec::Arg* arg = launch_.arg(name); arg && !arg->is_pointer())
      return void(out_ << name << " = " << fmt(arg->bits, arg->type.dtype) << "\n");
    out_ << "no value named '" << name << "' here\n";
  }

  void lanes(Block& b, std::istringstream& ss) {
    std::string a;
    ss >> a;
    const RegTensor* t = a.size() > 1 ? b.find_reg(a.substr(1)) : nullptr;
    if (!t) return void(out_ << "no register tensor " << a << " here\n");
    out_ << layout::to_string(t->layout) << " (thread:slot per element)\n"
         << layout::render_text(layout::register_picture(t->layout));
  }

  void shared(Block& b, std::istringstream& ss) {
    int64_t addr = -1, len = -1;
    std::string as, type;
    ss >> addr >> len >> as >> type;
    if (addr < 0 || len <= 0 || addr + len > b.smem().size())
      return void(out_ << "usage: shared ADDR LEN [as DTYPE] within the block's " << b.smem().size() << " bytes\n");
    const uint8_t* p = b.smem().data() + addr;
    if (as == "as") {
      auto t = dt::parse_dtype(type);
      if (!t) return void(out_ << t.error().message << "\n");
      out_ << "shared[" << addr << ".." << addr + len << ") as " << t->name() << ":";
      for (int64_t i = 0; i * t->bits < len * 8; ++i) out_ << " " << fmt(dt::get_element(p, t->bits, i), *t);
    } else {
      out_ << "shared[" << addr << ".." << addr + len << "):";
      char buf[8];
      for (int64_t i = 0; i < len; ++i) std::snprintf(buf, sizeof buf, " %02x", p[i]), out_ << buf;
    }
    out_ << "\n";
  }

  void info(Block& b, std::istringstream& ss) {
    std::string what;
    ss >> what;
    if (what != "blocks") return void(out_ << "usage: info blocks\n");
    const auto& g = launch_.grid;
    out_ << "grid [" << g[0] << "," << g[1] << "," << g[2] << "]: " << launch_.num_blocks() << " blocks, run one at a time in order; current block #"
         << linear_block(b.index(), g) << " (" << b.index()[0] << "," << b.index()[1] << "," << b.index()[2] << ")\n";
  }

  bool switch_block(Block& b, std::istringstream& ss) {
    int64_t n = -1;
    ss >> n;
    int64_t cur = linear_block(b.index(), launch_.grid);
    if (n < 0 || n >= launch_.num_blocks()) return out_ << "no block " << n << "\n", false;
    if (n <= cur) return out_ << "block " << n << " has already run (blocks run in order); pick a later one\n", false;
    block_target_ = n, mode_ = Mode::Block;
    return true;
  }

  const exec::Launch& launch_;
  std::istream& in_;
  std::ostream& out_;
  StepOptions opt_;
  const text::SourceFile* src_;
  std::vector<const ir::Insn*> insns_;
  std::map<const ir::Insn*, int> index_;
  std::set<int> lines_, insn_breaks_;
  Mode mode_ = Mode::Step;
  Target target_{-1, nullptr, 0};
  int64_t block_target_ = -1, hits_ = 0;
  bool quit_ = false;
};

}  // namespace

int run_debugger(const exec::Launch& launch, std::istream& in, std::ostream& out, const StepOptions& options) {
  exec::Launch one = launch;
  one.workers = 1;
  Debugger d(one, in, out, options);
  if (options.at_trap) {
    // First run: find the trap and how many times its block executed that instruction.
    std::map<std::pair<int64_t, const ir::Insn*>, int64_t> counts;
    std::pair<int64_t, const ir::Insn*> last{-1, nullptr};
    auto r = run_launch(one, [&](Block& b, const ir::Insn& i) {
      last = {linear_block(b.index(), one.grid), &i};
      ++counts[last];
    });
    if (!r) return out << "error: " << r.error().message << "\n", 1;
    if (!r->trap) return out << "the program does not trap\n", 1;
    out << exec::render_trap(*r->trap, launch.program->source.get());
    int64_t block = linear_block(r->trap->site.block, one.grid);
    bool between_blocks = r->trap->other && r->trap->other->block != r->trap->site.block;
    const ir::Insn* insn = last.first == block && !between_blocks ? last.second : nullptr;
    if (!insn) return out << "the trap was found after the blocks ran (a race between blocks); no single instruction to stop at\n", 3;
    d.stop_at(block, insn, counts[last]);
  }
  return d.run();
}

}  // namespace tilevm::emu
