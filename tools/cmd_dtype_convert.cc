// `tilevm dtype convert`: hex codes on standard input, converted in bulk, hex codes out.
#include <boost/program_options.hpp>

#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cmd_dtype.h"
#include "options.h"
#include "dtype/convert.h"
#include "dtype/dtype.h"
#include "dtype/pack.h"

namespace po = boost::program_options;

namespace tilevm::tools {
namespace {

constexpr size_t kBatch = 1 << 16;

int hex_value(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

// Converts codes in batches through the packed bulk path and writes the results.
class Converter {
 public:
  Converter(const dt::DType& from, const dt::DType& to, dt::Round round)
      : from_(from), to_(to), round_(round), digits_((to.bits + 3) / 4) {
    codes_.reserve(kBatch);
  }
  void add(uint64_t code) {
    codes_.push_back(code);
    if (codes_.size() == kBatch) flush();
  }
  void flush() {
    size_t n = codes_.size();
    if (n == 0) return;
    src_.assign(dt::packed_bytes(from_.bits, n), 0);
    dst_.assign(dt::packed_bytes(to_.bits, n), 0);
    dt::pack(codes_.data(), n, from_.bits, src_.data());
    dt::convert_buffer(src_.data(), from_, dst_.data(), to_, n, round_);
    dt::unpack(dst_.data(), n, to_.bits, codes_.data());
    static const char kHex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; ++i) {
      for (int d = digits_ - 1; d >= 0; --d) out_.push_back(kHex[(codes_[i] >> (4 * d)) & 15]);
      out_.push_back('\n');
    }
    codes_.clear();
    std::fwrite(out_.data(), 1, out_.size(), stdout);
    out_.clear();
  }

 private:
  dt::DType from_, to_;
  dt::Round round_;
  int digits_;
  std::vector<uint64_t> codes_;
  std::vector<uint8_t> src_, dst_;
  std::string out_;
};

std::string shown(std::string_view text) {
  if (text.size() > 60) return std::string(text.substr(0, 57)) + "...";
  return std::string(text);
}

// Parses one line (surrounding blanks and a trailing CR allowed). Returns an error message or "".
std::string parse_line(std::string_view line, const dt::DType& from, uint64_t& code) {
  size_t b = 0, e = line.size();
  while (b < e && (line[b] == ' ' || line[b] == '\t')) ++b;
  while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t' || line[e - 1] == '\r')) --e;
  std::string_view s = line.substr(b, e - b);
  std::string_view digits = s;
  if (digits.size() >= 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) digits.remove_prefix(2);
  if (s.empty()) return "empty line (expected a hexadecimal code)";
  if (digits.empty()) return "malformed code '" + shown(s) + "' (expected hexadecimal digits, with an optional 0x)";
  uint64_t v = 0;
  bool wide = false;
  for (char ch : digits) {
    int h = hex_value(ch);
    if (h < 0) return "malformed code '" + shown(s) + "' (expected hexadecimal digits, with an optional 0x)";
    wide |= (v >> 60) != 0;
    v = (v << 4) | static_cast<uint64_t>(h);
  }
  if (wide || (v & ~from.mask()) != 0)
    return "code '" + shown(s) + "' is wider than " + from.name() + " (" + std::to_string(from.bits) + " bits)";
  code = v;
  return "";
}

// Reads standard input in large blocks and converts line by line. Returns the exit status.
int stream(Converter& conv, const dt::DType& from) {
  std::vector<char> buf(1 << 20);
  std::string carry;
  size_t line_no = 0;
  auto handle = [&](std::string_view line) {
    ++line_no;
    uint64_t code = 0;
    std::string err = parse_line(line, from, code);
    if (err.empty()) {
      conv.add(code);
      return true;
    }
    conv.flush();
    std::fflush(stdout);
    std::fprintf(stderr, "<stdin>:%zu: error: %s\n", line_no, err.c_str());
    return false;
  };
  size_t got;
  while ((got = std::fread(buf.data(), 1, buf.size(), stdin)) > 0) {
    std::string_view chunk(buf.data(), got);
    size_t start = 0, nl;
    while ((nl = chunk.find('\n', start)) != std::string_view::npos) {
      bool ok;
      if (!carry.empty()) {
        carry.append(chunk.substr(start, nl - start));
        ok = handle(carry);
        carry.clear();
      } else {
        ok = handle(chunk.substr(start, nl - start));
      }
      if (!ok) return 1;
      start = nl + 1;
    }
    carry.append(chunk.substr(start));
  }
  if (!carry.empty() && !handle(carry)) return 1;
  conv.flush();
  return 0;
}

}  // namespace

int dtype_convert(int argc, char** argv) {
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")("from", po::value<std::string>(), "source type, e.g. f32")(
      "to", po::value<std::string>(), "target type, e.g. f8e4m3")(
      "round", po::value<std::string>(), "rz (toward zero) or ru (up); only for targets that offer a choice (ue8m0)");
  po::variables_map vm;
  tilevm::tools::OptionSpec spec;
  spec.command = "dtype convert";
  spec.options = &opts;
  spec.usage =
      "usage: tilevm dtype convert --from SRC --to DST [--round rz|ru] < codes\n\n"
      "Reads codes of SRC in hexadecimal, one per line (optional 0x, either case, blanks around\n"
      "allowed), and writes each converted to DST as lowercase hexadecimal without prefix,\n"
      "zero-padded to ceil(bits/4) digits, one per line. The rules are those of docs/dtypes.md\n"
      "(round to nearest even; satfinite for targets of 8 bits or fewer; ue8m0 rounds up\n"
      "unless --round rz). A malformed line or a code wider than SRC stops the run with\n"
      "'<stdin>:LINE: error: ...' and exit status 1; results of earlier lines are written.\n\n";
  if (auto status = tilevm::tools::parse_options(spec, argc, argv, vm)) return *status;
  if (!vm.count("from") || !vm.count("to")) {
    std::fprintf(stderr, "tilevm dtype convert: error: both --from and --to are required\n");
    return 2;
  }
  auto from = dt::parse_dtype(vm["from"].as<std::string>());
  auto to = dt::parse_dtype(vm["to"].as<std::string>());
  for (auto* t : {&from, &to})
    if (!*t) {
      std::fprintf(stderr, "tilevm dtype convert: error: %s\n", t->error().message.c_str());
      return 2;
    }
  dt::Round round = dt::Round::NearestEven;
  if (vm.count("round")) {
    std::string r = vm["round"].as<std::string>();
    if (r == "rz") round = dt::Round::TowardZero;
    else if (r == "ru") round = dt::Round::Up;
    else {
      std::fprintf(stderr, "tilevm dtype convert: error: --round must be rz or ru, not '%s'\n", r.c_str());
      return 2;
    }
    if (!dt::rounding_choice_allowed(*to, round)) {
      std::fprintf(stderr, "tilevm dtype convert: error: --round %s: %s offers no rounding choice (only ue8m0 does)\n",
                   r.c_str(), to->name().c_str());
      return 2;
    }
  }
  Converter conv(*from, *to, round);
  return stream(conv, *from);
}

}  // namespace tilevm::tools
