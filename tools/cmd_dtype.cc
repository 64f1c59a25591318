// `tilevm dtype`: list the data types, show a format's value table, convert codes, verify.
#include "cmd_dtype.h"

#include <boost/program_options.hpp>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "command.h"
#include "options.h"
#include "dtype/convert.h"
#include "dtype/dtype.h"

namespace po = boost::program_options;

namespace tilevm::tools {
namespace {

const char* kDtypeUsage =
    "usage: tilevm dtype <command> [options]     (tilevm dtype <command> --help for details)\n"
    "\n"
    "Data types: every integer of 1..8, 16, 32, 64 bits, bool, f16, bf16, f32, f64, f8e4m3\n"
    "(OCP FN), f8e5m2, ue8m0 and every fNeEmM with 1+E+M = N in 3..8 (all values finite).\n"
    "Codes are the type's bits, written in hexadecimal.\n"
    "\n"
    "commands:\n"
    "  list                     one line per type: name, bits, kind and, for floats, bias,\n"
    "                           smallest subnormal, smallest normal, largest finite, inf, NaN\n"
    "  table T                  every code of T (at most 16 bits): hex, binary, class, exact value\n"
    "  convert --from S --to D  convert hex codes read one per line from standard input\n"
    "          [--round rz|ru]  (rounding choice, for targets that offer one: ue8m0)\n"
    "  verify [--exhaustive]    compare conversions with CUDA's host functions and the\n"
    "                           independent reference; ends with 'N passed, N failed'\n";

std::string kind_name(const dt::DType& t) {
  switch (t.kind) {
    case dt::Kind::Bool: return "bool";
    case dt::Kind::Int: return "int";
    case dt::Kind::UInt: return "uint";
    case dt::Kind::Float: return "float";
  }
  return "?";
}

// The shortest decimal that reads back as exactly this double (std::to_chars).
std::string shortest(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string nan_name(const dt::DType& t) {
  switch (t.nan) {
    case dt::NanEncoding::None: return "none";
    case dt::NanEncoding::IeeeLike: return "exp all ones, mantissa != 0";
    case dt::NanEncoding::AllOnes: return "S.1..1 (all other bits set)";
    case dt::NanEncoding::UE8M0: return "0xff";
  }
  return "?";
}

bool wants_help(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) return true;
  return false;
}

}  // namespace

int dtype_list(int argc, char** argv) {
  if (wants_help(argc, argv)) {
    std::printf(
        "usage: tilevm dtype list\n\n"
        "One line per data type: name, bits, kind; for floats also the exponent bias, the\n"
        "smallest subnormal, the smallest normal and the largest finite value (each the shortest\n"
        "decimal that reads back as the exact value), whether it has infinities, and how NaN is\n"
        "encoded. The unnamed all-finite f8e4m3fin and f8e5m2fin parse but are not listed.\n");
    return 0;
  }
  if (argc > 1) {
    std::fprintf(stderr, "tilevm dtype list: error: unexpected argument '%s'\n", argv[1]);
    return 2;
  }
  std::printf("%-9s %4s  %-5s  %5s  %-24s  %-24s  %-24s  %-3s  %s\n", "name", "bits", "kind", "bias",
              "min subnormal", "min normal", "max", "inf", "nan");
  for (const dt::DType& t : dt::all_dtypes()) {
    if (!t.is_float()) {
      std::printf("%-9s %4d  %s\n", t.name().c_str(), t.bits, kind_name(t).c_str());
      continue;
    }
    std::printf("%-9s %4d  %-5s  %5d  %-24s  %-24s  %-24s  %-3s  %s\n", t.name().c_str(), t.bits,
                kind_name(t).c_str(), t.bias, shortest(t.min_subnormal()).c_str(),
                shortest(t.min_normal()).c_str(), shortest(t.max_finite()).c_str(),
                t.has_inf ? "yes" : "no", nan_name(t).c_str());
  }
  return 0;
}

namespace {

const char* class_name(dt::FloatClass c) {
  switch (c) {
    case dt::FloatClass::Zero: return "zero";
    case dt::FloatClass::Subnormal: return "subnormal";
    case dt::FloatClass::Normal: return "normal";
    case dt::FloatClass::Infinity: return "inf";
    case dt::FloatClass::NaN: return "nan";
  }
  return "?";
}

// The exact decimal value of a double: glibc's printf prints the exact binary value when asked
// for enough digits (every double is a finite decimal); trailing zeros are trimmed.
std::string exact_text(double v) {
  if (v != v) return "nan";
  if (v == 1.0 / 0.0) return "inf";
  if (v == -1.0 / 0.0) return "-inf";
  std::vector<char> buf(1500);
  int n = std::snprintf(buf.data(), buf.size(), "%.1100f", v);
  std::string s(buf.data(), n > 0 ? n : 0);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

int dtype_table(int argc, char** argv) {
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")("type", po::value<std::string>(), "the data type");
  po::positional_options_description pos;
  pos.add("type", 1);
  po::variables_map vm;
  tilevm::tools::OptionSpec spec;
  spec.command = "dtype table";
  spec.options = &opts;
  spec.positional = &pos;
  spec.usage =
      "usage: tilevm dtype table T\n\n"
      "Every code of T (a type of at most 16 bits), one per line: the code in hexadecimal and in\n"
      "binary (most significant bit first), its class (zero, subnormal, normal, inf, nan; for\n"
      "integers zero or normal) and its exact value in decimal, with every digit (a finite\n"
      "binary fraction always has a finite decimal expansion), e.g. f8e4m3's 0x01 is\n"
      "0.001953125. -0 is printed as -0.\n";
  spec.help_table = false;
  if (auto status = tilevm::tools::parse_options(spec, argc, argv, vm)) return *status;
  if (!vm.count("type")) {
    std::fprintf(stderr, "tilevm dtype table: error: missing the type (e.g. tilevm dtype table f8e4m3)\n");
    return 2;
  }
  auto t = dt::parse_dtype(vm["type"].as<std::string>());
  if (!t) {
    std::fprintf(stderr, "tilevm dtype table: error: %s\n", t.error().message.c_str());
    return 2;
  }
  if (t->bits > 16) {
    std::fprintf(stderr, "tilevm dtype table: error: %s has %d bits; tables are for types of at most 16 bits\n",
                 t->name().c_str(), t->bits);
    return 2;
  }
  int digits = (t->bits + 3) / 4;
  for (uint64_t c = 0; c < (uint64_t{1} << t->bits); ++c) {
    char bin[17];
    for (int b = 0; b < t->bits; ++b) bin[b] = ((c >> (t->bits - 1 - b)) & 1) ? '1' : '0';
    bin[t->bits] = 0;
    std::string value = exact_text(dt::decode(c, *t));
    std::printf("0x%0*llx  %s  %-9s  %s\n", digits, static_cast<unsigned long long>(c), bin,
                class_name(dt::classify(c, *t)), value.c_str());
  }
  return 0;
}

namespace {

int run_dtype(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
    std::fputs(kDtypeUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  struct Sub {
    const char* name;
    int (*fn)(int, char**);
  };
  static const Sub subs[] = {{"list", dtype_list}, {"table", dtype_table}, {"convert", dtype_convert}, {"verify", dtype_verify}};
  for (const Sub& s : subs) {
    if (std::strcmp(argv[1], s.name)) continue;
    std::string prog = std::string("tilevm dtype ") + s.name;
    std::vector<char*> args(argv + 1, argv + argc);
    args[0] = prog.data();
    return s.fn(static_cast<int>(args.size()), args.data());
  }
  std::fprintf(stderr, "tilevm dtype: error: unknown command '%s' (list, table, convert, verify)\n\n%s", argv[1], kDtypeUsage);
  return 2;
}

}  // namespace
}  // namespace tilevm::tools

TILEVM_COMMAND(dtype, "dtype", "data types: list, value tables, convert codes, verify against oracles",
               tilevm::tools::run_dtype);
