// Test helpers: build a launch from program text and argument specs, set buffers, run it.
#pragma once

#include <doctest/doctest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "emulator/emulator.h"
#include "exec/launch.h"

namespace tilevm::testing {

// The text of examples/NAME.tile, so tests run the shipped examples rather than copies of them.
inline std::string example_text(const std::string& name) {
  std::ifstream in(std::string(TILEVM_SOURCE_DIR) + "/examples/" + name + ".tile");
  REQUIRE_MESSAGE(in.good(), ("cannot read examples/" + name + ".tile"));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline exec::Launch make(const std::string& text, const std::vector<std::string>& args) {
  auto p = exec::load_program_text("test.tile", text);
  REQUIRE_MESSAGE(p.ok(), (p.ok() ? std::string() : p.error().message));
  std::vector<exec::ArgSpec> specs;
  for (const std::string& a : args) {
    auto s = exec::parse_arg_spec(a);
    REQUIRE(s.ok());
    specs.push_back(*s);
  }
  auto l = exec::make_launch(*p, specs);
  REQUIRE_MESSAGE(l.ok(), (l.ok() ? std::string() : l.error().message));
  return std::move(*l);
}

// Replaces pointer argument `name`'s buffer with the bytes of `values`.
template <class T>
void set_buffer(exec::Launch& l, const std::string& name, const std::vector<T>& values) {
  for (exec::Arg& a : l.args)
    if (a.name == name) {
      a.bytes.resize(values.size() * sizeof(T));
      std::memcpy(a.bytes.data(), values.data(), a.bytes.size());
      a.shape = {static_cast<int64_t>(values.size())};
      return;
    }
  FAIL("no argument " << name);
}

template <class T>
std::vector<T> get_buffer(const exec::RunResult& r, const std::string& name) {
  for (const exec::Arg& a : r.args)
    if (a.name == name) {
      std::vector<T> v(a.bytes.size() / sizeof(T));
      std::memcpy(v.data(), a.bytes.data(), v.size() * sizeof(T));
      return v;
    }
  FAIL("no argument " << name);
  return {};
}

inline exec::RunResult run(const exec::Launch& l) {
  auto e = emu::make_emulator();
  auto r = e->run(l);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
  return std::move(*r);
}

inline std::string trap_text(const exec::RunResult& r, const exec::Launch& l) {
  return r.trap ? exec::render_trap(*r.trap, l.program->source.get()) : std::string("no trap");
}

}  // namespace tilevm::testing
