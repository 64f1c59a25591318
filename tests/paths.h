// Where tests find the source tree and the built `tilevm` ($TILEVM_SOURCE_DIR and
// $TILEVM_BINARY_DIR when set (a build carried to another machine or folder), else the
// directories the tests were built from), and how they read files.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace tilevm::test {

inline std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::string(fallback);
}

inline std::string source_dir() { return env_or("TILEVM_SOURCE_DIR", TILEVM_SOURCE_DIR); }
inline std::string binary_dir() { return env_or("TILEVM_BINARY_DIR", TILEVM_BINARY_DIR); }

// The whole content of a file, bytes as they are (empty when it cannot be read).
inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace tilevm::test
