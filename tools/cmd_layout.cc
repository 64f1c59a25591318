// `tilevm layout`: draw register and shared layouts (text grid or SVG), list the hardware atoms.
#include <boost/program_options.hpp>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "command.h"
#include "options.h"
#include "dtype/dtype.h"
#include "layout/atoms.h"
#include "layout/render.h"
#include "layout/shared_layout.h"

namespace po = boost::program_options;
using namespace tilevm::layout;

namespace {

const char* kUsage =
    "usage: tilevm layout show \"<layout>\" [--bits N | --dtype T] [--svg FILE] [--width W]\n"
    "                          [--access \"<register layout>\" --vec N]\n"
    "       tilevm layout show --atom NAME [...]\n"
    "       tilevm layout atoms\n\n"
    "Draws a layout, one cell per logical element: 'thread:slot' for a register layout\n"
    "(e.g. \"local(2,1).spatial(8,4).local(1,2)\"), 'offset' or 'offset:bank' for a shared layout\n"
    "(e.g. \"row_major(8,64).swizzle(3,3,3)\"). 2-D tiles draw as a grid; higher ranks as slices.\n"
    "For a shared layout, --access gives the register layout that reads or writes it and --vec the\n"
    "slots per access; the bank-conflict count of that transfer is printed. docs/layouts.md has the\n"
    "syntax.\n\noptions:\n";

// error: message, the text, and a caret under the culprit.
int report(const std::string& text, const tilevm::Error& e) {
  std::fprintf(stderr, "error: %s\n", e.message.c_str());
  if (e.has_location()) {
    std::string caret(std::min(e.offset, text.size()), ' ');
    for (size_t i = 0; i < caret.size(); ++i)
      if (text[i] == '\t') caret[i] = '\t';
    caret += '^' + std::string(e.length > 1 ? e.length - 1 : 0, '~');
    std::fprintf(stderr, "  %s\n  %s\n", text.c_str(), caret.c_str());
  }
  return 1;
}

std::string first_word(const std::string& text) {
  size_t b = text.find_first_not_of(" \t\n");
  if (b == std::string::npos) return {};
  size_t e = b;
  while (e < text.size() && (std::isalnum(static_cast<unsigned char>(text[e])) || text[e] == '_')) ++e;
  return text.substr(b, e - b);
}

int write_svg(const std::string& path, const Picture& pic) {
  std::ofstream out(path);
  out << render_svg(pic);
  if (!out) {
    std::fprintf(stderr, "error: cannot write '%s'\n", path.c_str());
    return 1;
  }
  std::printf("wrote %s\n", path.c_str());
  return 0;
}

struct ShowArgs {
  std::string text, atom, svg, access;
  int bits = 0, width = 160, vec = 1;
};

constexpr int kMaxCells = 1 << 16;

int too_big(int elements) {
  std::fprintf(stderr, "error: the layout has %d elements; 'show' draws at most %d\n", elements, kMaxCells);
  return 1;
}

int show_register(const RegisterLayout& l, const ShowArgs& a) {
  if (l.num_elements() > kMaxCells || static_cast<long long>(l.num_threads()) * l.local_size() > 4LL * kMaxCells)
    return too_big(l.num_elements());
  std::printf("layout       %s\n", to_string(l).c_str());
  std::printf("tuple        %s\n", describe(l).c_str());
  std::printf("threads      %d, local size %d, replication %d\n", l.num_threads(), l.local_size(), l.replication());
  if (a.bits > 0 && 32 % a.bits == 0)
    std::printf("registers    %d-bit elements: 32-bit register j holds slots [%dj, %dj+%d)\n", a.bits, 32 / a.bits,
                32 / a.bits, 32 / a.bits);
  else if (a.bits > 0)
    std::printf("registers    %d-bit elements packed with no gaps: slot s is bits [%ds, %ds+%d) of the thread's registers\n",
                a.bits, a.bits, a.bits, a.bits);
  std::printf("cells        thread:slot%s\n\n", l.replication() > 1 ? " (the lowest of the element's threads)" : "");
  Picture pic = register_picture(l);
  std::fputs(render_text(pic, a.width).c_str(), stdout);
  return a.svg.empty() ? 0 : write_svg(a.svg, pic);
}

int show_shared(const SharedLayout& s, const ShowArgs& a) {
  if (s.num_elements() > kMaxCells) return too_big(s.num_elements());
  auto list = [](const auto& v) {
    std::string out;
    for (auto x : v) {
      if (!out.empty()) out += ',';
      out += std::to_string(x);
    }
    return "[" + out + "]";
  };
  std::printf("layout       %s\n", to_string(s).c_str());
  std::printf("modes        shape %s modes %s strides %s", list(s.shape).c_str(), list(s.mode_shape).c_str(),
              list(s.mode_strides).c_str());
  if (s.swizzle) std::printf(", swizzle bits %d base %d shift %d", s.swizzle->bits, s.swizzle->base, s.swizzle->shift);
  std::printf("\n");
  std::printf("storage      %lld elements", static_cast<long long>(s.storage_elements()));
  if (a.bits) std::printf(" = %lld bytes of %d-bit elements", static_cast<long long>(s.storage_bytes(a.bits)), a.bits);
  std::printf("\ncells        %s\n", a.bits ? "offset:bank (element offset; bank of the element's first byte)"
                                            : "element offset (give --bits or --dtype for banks)");
  if (!a.access.empty()) {
    auto r = parse_register_layout(a.access);
    if (!r) return report(a.access, r.error());
    if (!a.bits) return std::fprintf(stderr, "error: --access needs --bits or --dtype\n"), 2;
    auto rep = bank_conflicts(s, *r, a.bits, a.vec);
    if (!rep) return std::fprintf(stderr, "error: %s\n", rep.error().message.c_str()), 1;
    std::printf("bank access  %s, %d slot(s) per access: %d wavefronts for %d phases, %d conflict(s)\n",
                to_string(*r).c_str(), a.vec, rep->wavefronts, rep->ideal, rep->conflicts());
  }
  std::printf("\n");
  Picture pic = shared_picture(s, a.bits);
  std::fputs(render_text(pic, a.width).c_str(), stdout);
  return a.svg.empty() ? 0 : write_svg(a.svg, pic);
}

int show(const ShowArgs& a) {
  if (!a.atom.empty()) {
    int bits = 0;
    const RegisterLayout* l = find_atom_layout(a.atom, &bits);
    if (!l) {
      std::fprintf(stderr, "error: no atom '%s' (tilevm layout atoms lists them)\n", a.atom.c_str());
      return 1;
    }
    ShowArgs b = a;
    if (!b.bits) b.bits = bits;
    std::printf("atom         %s\n", a.atom.c_str());
    return show_register(*l, b);
  }
  std::string head = first_word(a.text);
  if (head == "row_major" || head == "column_major" || head == "shared") {
    auto s = parse_shared_layout(a.text);
    return s ? show_shared(*s, a) : report(a.text, s.error());
  }
  if (head == "global" || head == "global_row_major" || head == "global_column_major") {
    std::fprintf(stderr, "error: global layouts have symbolic extents; 'show' draws register and shared layouts\n");
    return 1;
  }
  auto r = parse_register_layout(a.text);
  return r ? show_register(*r, a) : report(a.text, r.error());
}

int list_atoms() {
  for (const auto& name : atom_layout_names()) {
    int bits = 0;
    const RegisterLayout* l = find_atom_layout(name, &bits);
    std::printf("%-24s %2d-bit  %s\n", name.c_str(), bits, to_string(*l).c_str());
  }
  return 0;
}

int run_layout(int argc, char** argv) {
  ShowArgs a;
  std::string dtype, action;
  po::options_description opts;
  opts.add_options()("help,h", "show this help")
      ("bits", po::value<int>(&a.bits), "element width in bits (1..64): banks, storage bytes, registers")
      ("dtype", po::value<std::string>(&dtype), "element type (f16, i4, f8e4m3, ...) instead of --bits")
      ("svg", po::value<std::string>(&a.svg), "also write the picture as an SVG file")
      ("width", po::value<int>(&a.width), "terminal width for the grid (default 160)")
      ("atom", po::value<std::string>(&a.atom), "draw a hardware atom by name (see 'tilevm layout atoms')")
      ("access", po::value<std::string>(&a.access), "register layout accessing a shared layout: count bank conflicts")
      ("vec", po::value<int>(&a.vec), "slots per thread per access with --access (default 1)");
  po::options_description hidden;
  hidden.add_options()("action", po::value<std::string>(&action))("text", po::value<std::string>(&a.text));
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("action", 1).add("text", 1);
  po::variables_map vm;
  tilevm::tools::OptionSpec spec;
  spec.command = "layout";
  spec.options = &all;
  spec.positional = &pos;
  spec.usage = kUsage;
  spec.notify = true;
  spec.shown = &opts;
  spec.error_suffix = std::string("\n") + kUsage;
  if (auto status = tilevm::tools::parse_options(spec, argc, argv, vm)) return *status;
  if (action == "atoms") return list_atoms();
  if (action != "show" || (a.text.empty() == a.atom.empty())) {
    std::fprintf(stderr, "tilevm layout: error: %s\n\n%s",
                 action != "show" ? "expected 'show' or 'atoms'" : "give a layout text or --atom (one of them)", kUsage);
    return 2;
  }
  if (!dtype.empty()) {
    if (vm.count("bits")) return std::fprintf(stderr, "tilevm layout: error: give --bits or --dtype, not both\n"), 2;
    auto t = tilevm::dt::parse_dtype(dtype);
    if (!t) return std::fprintf(stderr, "tilevm layout: error: %s\n", t.error().message.c_str()), 2;
    a.bits = t->bits;
  }
  if (vm.count("bits") && (a.bits < 1 || a.bits > 64))
    return std::fprintf(stderr, "tilevm layout: error: --bits must be 1..64\n"), 2;
  if (a.width < 20) return std::fprintf(stderr, "tilevm layout: error: --width must be at least 20\n"), 2;
  return show(a);
}

}  // namespace

TILEVM_COMMAND(layout, "layout", "draw register and shared layouts (grid or SVG), list hardware atoms", run_layout);
