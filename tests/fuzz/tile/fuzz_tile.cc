// libFuzzer target for the text format: parse -> verify -> print -> parse must never crash and
// must round-trip (verify::roundtrip_violation states the property). Build and run: build.sh;
// the command and execution counts of past runs are in docs/text-format.md ("Fuzzing").
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "verify/pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  if (auto v = tilevm::verify::roundtrip_violation(text)) {
    std::fprintf(stderr, "fuzz_tile: %s\n--- input ---\n%s\n", v->c_str(), text.c_str());
    std::abort();
  }
  return 0;
}
