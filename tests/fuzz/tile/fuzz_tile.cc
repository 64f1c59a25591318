// libFuzzer target for the text format: parse -> verify -> print -> parse must never crash,
// and printing must round-trip (parse(print(p)) == p, also for the program with inferred
// layouts written out, which must verify again). Build and run: see build.sh and
// docs/text-format.md ("Fuzzing").
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "text/printer.h"
#include "verify/pipeline.h"

using namespace tilevm;

namespace {
[[noreturn]] void die(const char* what, const std::string& text) {
  std::fprintf(stderr, "fuzz_tile: %s\n--- text ---\n%s\n", what, text.c_str());
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  auto r = verify::check_source("fuzz.tile", text);
  if (!r.program) return 0;
  std::string printed = text::print_program(*r.program);
  auto again = verify::check_source("printed.tile", printed);
  if (!again.program) die("the printed program does not parse", printed + "\n" + again.diagnostics);
  if (!ir::equal(*again.program, *r.program)) die("parse(print(p)) != p", printed);
  if (text::print_program(*again.program) != printed) die("print is not idempotent", printed);
  if (r.ok() != again.ok()) die("verification differs after printing", printed + "\n" + again.diagnostics);
  if (r.ok()) {
    std::string inferred = text::print_program(*r.inferred);
    auto third = verify::check_source("inferred.tile", inferred);
    if (!third.ok()) die("the program with inferred layouts does not verify", inferred + "\n" + third.diagnostics);
    if (!ir::equal(*third.program, *r.inferred)) die("inferred program does not round-trip", inferred);
  }
  return 0;
}
